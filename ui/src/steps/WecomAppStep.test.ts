// The WeCom app screen against a stand-in back end that keeps the plan as the core does: each edit
// goes to its section (the Secret to `secrets` only) and the core's issues show per field; the
// Secret is masked until revealed; "Check with WeCom" sends the advanced API base, and the kept
// report shows each probe, the egress IP to trust on 60020 and WeCom's callback IPs, in both
// languages.

import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", async () => ({
  invoke: (...a: unknown[]) => invoke(...a),
  Channel: (await import("../test/channel")).FakeChannel,
}));

import WecomAppStep from "./WecomAppStep.svelte";
import { setLang } from "../lib/i18n";
import { loaded, planState } from "../lib/plan.svelte";
import { answerWith, type Handler } from "../test/backend";
import { demoView, newView, sampleIssue, withStep } from "../test/plan";
import { FakeChannel } from "../test/channel";
import { hangingJob } from "../test/job";
import { finding, step } from "../test/fixtures";
import type { Finding, PlanView, Step } from "../ipc";
import type { WecomReport } from "../ipc/plan";
import en from "../locales/en.json";
import { freshEachTest } from "../test/fresh";
import { expectLastUpdate, lastUpdate } from "../test/sent";

const SECRET = "DemoAppSecretNotRealDemoAppSecretNotReal123";
const WECOM = "https://qyapi.weixin.qq.com";
const FAKE = "http://127.0.0.1:41000";

function wecomReport(ok: boolean, steps: Step[], diagnosis: Finding, facts: Partial<WecomReport> = {}): WecomReport {
  return {
    ok,
    check: "wecom",
    lang: "en",
    elapsed_ms: 21,
    steps,
    diagnosis,
    warnings: [],
    api_base: FAKE,
    corp_id: "wwb697d33134e48cfc",
    agent_id: 1000002,
    egress_ip: null,
    callback_ips: [],
    checked_at: "2025-06-01T08:00:00Z",
    ...facts,
  };
}

const GETTOKEN = step("gettoken", "pass", "access_token issued (expires in 7200 s)", "已获取 access_token（7200 秒后过期）", 4);
const SKIPPED = ["skipped: an earlier call failed", "已跳过：之前的调用失败"] as const;
/** The agent and callback-IP probes passing, as in every report where WeCom let the app through. */
const AGENT_VISIBLE = step("agent", "pass", "app “QA WeCom” (1000002) is visible to 1 member(s), 1 department(s), 0 tag(s)", "应用“QA WeCom”（1000002）的可见范围：1 名成员、1 个部门、0 个标签", 4);
const CALLBACK_IPS = step("callback_ip", "pass", "3 callback source address(es)", "3 个回调来源地址", 4);
/** WeCom's callback source addresses those reports list. */
const WECOM_CALLBACK_IPS = ["203.0.113.0/26", "198.51.100.16/28", "192.0.2.77"];

/** A report where WeCom let the app through: the token issued, the agent and callback-IP probes passing,
 *  and the customer-contact probe's `contact` deciding whether the app is ready. */
function letThrough(contact: Step, diagnosis: Finding): WecomReport {
  const steps = [GETTOKEN, contact, AGENT_VISIBLE, CALLBACK_IPS];
  return wecomReport(contact.status === "pass", steps, diagnosis, { callback_ips: WECOM_CALLBACK_IPS });
}

/** 60020 on the customer-contact probe, as the check reports it. */
const refused = wecomReport(
  false,
  [
    GETTOKEN,
    step("customer_contact", "fail", "errcode 60020: not allow to access from your ip, from ip: 203.0.113.9", "errcode 60020：not allow to access from your ip, from ip: 203.0.113.9", 4),
    step("agent", "skip", ...SKIPPED, 4),
    step("callback_ip", "skip", ...SKIPPED, 4),
  ],
  finding(
    "ip_not_allowed",
    "error",
    {
      en: "WeCom refused the call from IP 203.0.113.9: it is not in the app's trusted IPs (errcode 60020).",
      zh: "企业微信拒绝了来自 IP 203.0.113.9 的调用：该 IP 不在应用的企业可信IP中（errcode 60020）。",
    },
    {
      en: "Add exactly 203.0.113.9 to the app's trusted IPs: WeCom admin console → App Management → Apps → (your self-built app) → Developer API → Enterprise Trusted IP → Configure.",
      zh: "在 企业微信管理后台 → 应用管理 → 应用 → （你的自建应用） → 开发者接口 → 企业可信IP → 配置 中准确地添加 203.0.113.9。",
    },
    { errcode: "60020", ip: "203.0.113.9" },
  ),
  { egress_ip: "203.0.113.9" },
);

/** 48002: the app is not in the customer-contact API list. */
const forbidden = letThrough(
  step("customer_contact", "fail", "errcode 48002: api forbidden", "errcode 48002：api forbidden", 4),
  finding(
    "not_in_customer_contact_api_list",
    "error",
    {
      en: "The app is not in the customer-contact “apps that may call the API” list (errcode 48002).",
      zh: "该应用不在客户联系的“可调用接口的应用”列表中（errcode 48002）。",
    },
    {
      en: "In the WeCom admin console open Customers & Upstream/Downstream → Customer Contact → Customers → API → Apps that may call the API → Edit.",
      zh: "在企业微信管理后台打开 客户与上下游 → 客户联系 → 客户 → API → 可调用接口的应用 → 修改。",
    },
  ),
);

const green = letThrough(
  step("customer_contact", "pass", "the app may call the customer-contact API; 2 member(s) with customer contact", "该应用可调用客户联系接口；2 名成员已开通客户联系", 4),
  finding("ok", "info", { en: "The app is ready for QA.", zh: "该应用已可供 QA 使用。" }, { en: "Nothing to fix.", zh: "无需修改。" }),
);

/** A stand-in core: keeps the plan, answers each update with the whole view (issues from `judge`),
 *  keeps the last WeCom report and lets the step's status follow it. */
function core(start: PlanView, opts: { judge?: (v: PlanView) => PlanView["issues"]; check?: Handler; base?: string } = {}) {
  let view = start;
  const handlers: Record<string, Handler> = {
    wecom_default_api_base: () => opts.base ?? WECOM,
    plan_update: (a) => {
      if (a.section === "wecom") view = { ...view, plan: { ...view.plan, wecom: a.value as PlanView["plan"]["wecom"] } };
      else if (a.section === "secrets") view = { ...view, secrets: a.value as PlanView["secrets"] };
      view = { ...view, issues: opts.judge?.(view) ?? [], wecom_report: null };
      return view;
    },
    wecom_check: (a) => {
      const r = (opts.check ?? (() => green))(a) as WecomReport;
      view = withStep({ ...view, wecom_report: r }, "wecom_app", r.ok ? "done" : "warning", r.ok ? null : r.diagnosis.text.summary);
      return r;
    },
    plan_get: () => view,
  };
  answerWith(invoke, handlers);
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const rungs = () =>
  [...screen.getByTestId("wecom-report").querySelectorAll("[data-rung]")].map((r) => `${r.getAttribute("data-rung")}:${r.getAttribute("data-status")}`);

freshEachTest(invoke);
beforeEach(() => {
  localStorage.clear();
});

describe("WeCom app step: the fields", () => {
  it("shows the plan's values with the Secret masked until revealed, and sends each edit to its section", async () => {
    core(demoView());
    loaded(demoView());
    render(WecomAppStep);
    expect(input("field-wecom.corp_id").value).toBe("wwb697d33134e48cfc");
    expect(input("field-wecom.agent_id").value).toBe("1000002");
    const secret = input("field-secrets.app_secret");
    expect(secret.value).toBe(SECRET);
    expect(secret.type).toBe("password");
    await fireEvent.click(screen.getByTestId("wecom-reveal-secret"));
    expect(secret.type).toBe("text");
    expect(screen.getByTestId("wecom-reveal-secret").getAttribute("aria-pressed")).toBe("true");
    await fireEvent.click(screen.getByTestId("wecom-reveal-secret"));
    expect(secret.type).toBe("password");

    await fireEvent.input(input("field-wecom.corp_id"), { target: { value: "ww0123456789abcdef" } });
    expectLastUpdate(invoke, "wecom", { corp_id: "ww0123456789abcdef", agent_id: 1000002, console_done: [] });
    await fireEvent.input(secret, { target: { value: "AnotherSecretAnotherSecretAnotherSecret12" } });
    expect(lastUpdate(invoke)).toMatchObject({ section: "secrets", value: { app_secret: "AnotherSecretAnotherSecretAnotherSecret12", token: "QDG6eK" } });
    // The Secret went to the secrets section only: never with the wecom section, never stored here.
    const wecomUpdates = invoke.mock.calls.filter(([, a]) => (a as { section?: string })?.section === "wecom");
    expect(JSON.stringify(wecomUpdates)).not.toContain("AnotherSecret");
    expect(JSON.stringify({ ...localStorage })).not.toContain("AnotherSecret");
    await fireEvent.input(secret, { target: { value: "" } });
    expect(lastUpdate(invoke)).toMatchObject({ section: "secrets", value: { app_secret: null } });
  });

  it("shows the core's issues next to their field, in the current language", async () => {
    const bad = sampleIssue("corp_id_invalid");
    core(demoView(), { judge: (v) => (v.plan.wecom.corp_id?.startsWith("ww") && v.plan.wecom.corp_id.length === 18 ? [] : [bad]) });
    loaded(demoView());
    render(WecomAppStep);
    expect(screen.queryByTestId("issues-wecom.corp_id")).toBeNull();
    await fireEvent.input(input("field-wecom.corp_id"), { target: { value: "corp-123" } });
    const issues = await screen.findByTestId("issues-wecom.corp_id");
    expect(issues.textContent).toContain(bad.message.en);
    expect(input("field-wecom.corp_id").getAttribute("aria-invalid")).toBe("true");
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("issues-wecom.corp_id").textContent).toContain(bad.fix.zh));
    await fireEvent.input(input("field-wecom.corp_id"), { target: { value: "ww0123456789abcdef" } });
    await vi.waitFor(() => expect(screen.queryByTestId("issues-wecom.corp_id")).toBeNull());
  });

  it("letters in the AgentId hold Next and keep the plan's number until they are fixed", async () => {
    core(demoView());
    loaded(demoView());
    render(WecomAppStep);
    await fireEvent.input(input("field-wecom.agent_id"), { target: { value: "10000o2" } });
    expect(screen.getByTestId("wecom-agent-unreadable").textContent).toContain("digits only");
    expect(planState.unreadable["wecom.agent_id"]).toBe("wecom_app");
    expect(lastUpdate(invoke)).toMatchObject({ section: "wecom", value: { agent_id: 1000002 } });
    await fireEvent.input(input("field-wecom.agent_id"), { target: { value: "1000003" } });
    expect(screen.queryByTestId("wecom-agent-unreadable")).toBeNull();
    expect(planState.unreadable["wecom.agent_id"]).toBeUndefined();
    expect(lastUpdate(invoke)).toMatchObject({ section: "wecom", value: { agent_id: 1000003 } });
  });

  it("another plan loaded shows its values and masks the Secret again", async () => {
    core(demoView());
    loaded(demoView());
    render(WecomAppStep);
    await fireEvent.click(screen.getByTestId("wecom-reveal-secret"));
    loaded(newView());
    await vi.waitFor(() => expect(input("field-wecom.corp_id").value).toBe(""));
    expect(input("field-secrets.app_secret").value).toBe("");
    expect(input("field-secrets.app_secret").type).toBe("password");
  });
});

describe("WeCom app step: Check with WeCom", () => {
  it("sends the advanced API base and shows each probe, the 60020 egress IP to add and its fix", async () => {
    core(demoView(), { check: () => refused });
    loaded({ ...demoView(), demo: false });
    render(WecomAppStep);
    const details = screen.getByTestId("wecom-advanced") as HTMLDetailsElement;
    expect(details.open).toBe(false);
    await vi.waitFor(() => expect(input("wecom-api-base").value).toBe(WECOM));
    await fireEvent.input(input("wecom-api-base"), { target: { value: ` ${FAKE} ` } });
    await fireEvent.click(screen.getByTestId("wecom-check"));
    expect(invoke).toHaveBeenCalledWith("wecom_check", {
      api_base: FAKE,
      job: expect.stringMatching(/^wecom-/),
      on_rung: expect.any(FakeChannel),
    });
    expect(JSON.stringify(invoke.mock.calls.find(([c]) => c === "wecom_check"))).not.toContain(SECRET);
    await screen.findByTestId("wecom-report");
    expect(screen.getByTestId("wecom-report").getAttribute("data-ok")).toBe("false");
    expect(rungs()).toEqual(["gettoken:pass", "customer_contact:fail", "agent:skip", "callback_ip:skip"]);
    expect(screen.getByTestId("wecom-report").textContent).toContain("Customer-contact API (48002)");
    expect(screen.getByTestId("wecom-report-diagnosis").getAttribute("data-code")).toBe("ip_not_allowed");
    expect(input("wecom-egress-ip").value).toBe("203.0.113.9");
    expect(screen.getByTestId("wecom-report-diagnosis").textContent).toContain("Enterprise Trusted IP");
    // The kept report reaches the sidebar: the step warns.
    expect(planState.view?.steps.find((s) => s.step === "wecom_app")?.status).toBe("warning");
    expect(screen.queryByTestId("wecom-callback-ips")).toBeNull();
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("wecom-report-diagnosis").textContent).toContain("企业可信IP"));
    expect(screen.getByTestId("wecom-report").textContent).toContain("客户联系接口（48002）");
    expect(screen.getByTestId("wecom-egress").textContent).toContain("需加入应用企业可信IP的地址");
  });

  it("48002 names the console path, and WeCom's callback IPs are shown as advice", async () => {
    core(demoView(), { check: () => forbidden });
    loaded(demoView());
    render(WecomAppStep);
    await fireEvent.click(screen.getByTestId("wecom-check"));
    await screen.findByTestId("wecom-report");
    expect(rungs()).toEqual(["gettoken:pass", "customer_contact:fail", "agent:pass", "callback_ip:pass"]);
    expect(screen.getByTestId("wecom-report-diagnosis").textContent).toContain("Customer Contact → Customers → API → Apps that may call the API");
    expect(screen.queryByTestId("wecom-egress")).toBeNull();
    const ips = input("wecom-callback-ips");
    expect(ips.value.split("\n")).toEqual(["203.0.113.0/26", "198.51.100.16/28", "192.0.2.77"]);
    expect(document.body.textContent).toContain("network/wecom-callback-ips.txt");
  });

  it("a demo plan's default API base is the local fake, and the check goes green", async () => {
    core(demoView(), { base: FAKE, check: () => green });
    loaded(demoView());
    render(WecomAppStep);
    await vi.waitFor(() => expect(input("wecom-api-base").value).toBe(FAKE));
    expect(screen.getByTestId("wecom-advanced").textContent).toContain("stand-in of the WeCom API on this machine");
    await fireEvent.click(screen.getByTestId("wecom-check"));
    expect(invoke).toHaveBeenCalledWith("wecom_check", {
      api_base: FAKE,
      job: expect.stringMatching(/^wecom-/),
      on_rung: expect.any(FakeChannel),
    });
    await vi.waitFor(() => expect(screen.getByTestId("wecom-report").getAttribute("data-ok")).toBe("true"));
    expect(rungs().every((r) => r.endsWith(":pass"))).toBe(true);
    expect(screen.getByTestId("wecom-facts").textContent).toContain(FAKE);
    // Editing the Secret afterwards: the core forgets the report of the old values.
    await fireEvent.input(input("field-secrets.app_secret"), { target: { value: "x".repeat(43) } });
    await vi.waitFor(() => expect(screen.queryByTestId("wecom-report")).toBeNull());
  });

  it("waits for the last edit before checking, so it checks what is on screen", async () => {
    let release: () => void = () => {};
    let stored = demoView();
    answerWith(invoke, {
      wecom_default_api_base: () => WECOM,
      plan_update: (a) =>
        new Promise((res) => {
          release = () => {
            stored = { ...stored, plan: { ...stored.plan, wecom: a.value as PlanView["plan"]["wecom"] } };
            res(stored);
          };
        }),
      wecom_check: () => {
        expect(stored.plan.wecom.corp_id).toBe("ww0123456789abcdef");
        return green;
      },
      plan_get: () => ({ ...stored, wecom_report: green }),
    });
    loaded(demoView());
    render(WecomAppStep);
    await fireEvent.input(input("field-wecom.corp_id"), { target: { value: "ww0123456789abcdef" } });
    await fireEvent.click(screen.getByTestId("wecom-check"));
    expect(invoke).not.toHaveBeenCalledWith("wecom_check", expect.anything());
    release();
    await screen.findByTestId("wecom-report");
    expect(screen.queryByTestId("wecom-error")).toBeNull();
  });

  it("input the check refuses is its error, in the current language", async () => {
    core(newView(), {
      check: () => {
        throw { code: "empty_secret", message: "the app secret is empty", params: {} };
      },
    });
    loaded(newView());
    render(WecomAppStep);
    await fireEvent.click(screen.getByTestId("wecom-check"));
    expect((await screen.findByTestId("wecom-error")).textContent).toBe("Enter the app Secret first.");
    expect(screen.queryByTestId("wecom-report")).toBeNull();
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("wecom-error").textContent).toBe("请先填写应用 Secret。"));
  });
});

describe("WeCom app step: a running check", () => {
  it("shows each step as it arrives, and Cancel stops it: Cancelled, no report, no error", async () => {
    const { run, cancel_job, cancels } = hangingJob([
      {
        probe: 0,
        name: "gettoken",
        status: "pass",
        detail: { en: "access_token issued (expires in 7200 s)", zh: "已获取 access_token（7200 秒后过期）" },
        elapsed_ms: 4,
      },
    ]);
    answerWith(invoke, {
      wecom_default_api_base: () => FAKE,
      plan_update: () => demoView(),
      plan_get: () => demoView(),
      wecom_check: run,
      cancel_job,
    });
    loaded({ ...demoView(), wecom_report: green });
    render(WecomAppStep);
    await fireEvent.click(screen.getByTestId("wecom-check"));
    const live = await screen.findByTestId("wecom-live");
    expect([...live.querySelectorAll("[data-rung]")].map((r) => r.getAttribute("data-rung"))).toEqual(["gettoken"]);
    expect(live.querySelector('[data-rung="gettoken"] .rung-name')?.textContent).toBe(en.wecomApp.rung.gettoken);
    expect(screen.queryByTestId("wecom-report")).toBeNull();
    const job = invoke.mock.calls.find(([c]) => c === "wecom_check")?.[1].job;
    await fireEvent.click(screen.getByTestId("wecom-cancel"));
    expect(cancels).toEqual([{ job }]);
    expect((await screen.findByTestId("wecom-cancelled")).textContent).toBe(en.common.cancelled);
    expect(screen.queryByTestId("wecom-live")).toBeNull();
    expect(screen.queryByTestId("wecom-report")).toBeNull();
    expect(screen.queryByTestId("wecom-error")).toBeNull();
  });
});
