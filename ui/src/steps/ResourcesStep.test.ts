// The Resources screen against a stand-in core: each edit sends the whole `resources` / `tls`
// section (or the secrets), the core's issues show next to their field in the current language,
// the bandwidth tier is the core's answer, a non-number user count is unreadable and holds Next,
// and the four TLS modes: provided (inspected, each rung labelled), csr and self-signed (generated,
// the written files shown, failures explained), none (the core's warning).

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import ResourcesStep from "./ResourcesStep.svelte";
import App from "../App.svelte";
import { setLang } from "../lib/i18n";
import { loaded, planState } from "../lib/plan.svelte";
import { answerWith, type Handler } from "../test/backend";
import { demoView, issue, newView, sampleIssue } from "../test/plan";
import { fakePlanCore, type Rules } from "../test/planCore";
import { finding, step, t } from "../test/fixtures";
import type { Issue, PlanView, Report, TlsMode } from "../ipc";
import { freshEachTest } from "../test/fresh";
import { expectLastUpdate } from "../test/sent";


/** The core's rules this screen meets, as the stand-in answers them. */
const rules: Rules = (v) => {
  const out: Issue[] = [];
  const r = v.plan.resources;
  if (r.domain?.includes("://")) out.push(sampleIssue("domain_has_scheme"));
  if (r.wecom_users === 0) out.push(sampleIssue("users_not_positive"));
  if (v.plan.tls.mode === "none") out.push(sampleIssue("tls_none"));
  if (v.plan.tls.mode === "provided" && !v.plan.tls.certificate_file) out.push(sampleIssue("tls_certificate_missing"));
  return out;
};

/** The seed's tiers, answered by the stand-in core. */
const tiers = (users: number) => (users < 1 ? null : { users, mbps: users <= 1_000_000 ? 5 : users <= 5_000_000 ? 10 : 15 });

function withMode(view: PlanView, mode: TlsMode | null): PlanView {
  return { ...view, plan: { ...view.plan, tls: { ...view.plan.tls, mode } } };
}

/** A core holding `view`, answering `extra` commands too; the view is shown as loaded. */
function start(view: PlanView, extra: Record<string, Handler> = {}) {
  const core = fakePlanCore(view, rules, tiers);
  answerWith(invoke, { ...core.handlers, ...extra });
  loaded(core.view());
  return core;
}

const input = (id: string, value: string) => fireEvent.input(screen.getByTestId(id), { target: { value } });
/** The last command sent was tls_generate of `mode` with `algorithm` into `folder`, as a tls- job. */
const expectGenerateCall = (mode: TlsMode, algorithm: string, folder: string) =>
  expect(invoke).toHaveBeenLastCalledWith("tls_generate", { mode, algorithm, folder, job: expect.stringMatching(/^tls-/) });


/** A certificate for another name, as tls_inspect reports it. */
/** The inspection's verdict on a certificate for another name, as the core also reports it on the field. */
const mismatch = sampleIssue("tls_name_mismatch");
const wrongName: Report<unknown> = {
  ok: false,
  check: "certificate",
  lang: "en",
  elapsed_ms: 0,
  steps: [
    step("read", "pass", "1 certificate and a private key read", "已读取 1 张证书和私钥"),
    step("name", "fail", "the certificate is for www.example.com", "证书签发给 www.example.com"),
    step("validity", "pass", "valid until 2030-01-01", "有效期至 2030-01-01"),
    step("key", "pass", "the key matches the certificate", "私钥与证书匹配"),
    step("chain", "skip", "not checked", "未检查"),
  ],
  diagnosis: finding("tls_name_mismatch", "error", mismatch.message, mismatch.fix),
  warnings: [],
};

freshEachTest(invoke);

describe("Resources: domain, EIP and WeCom users", () => {
  it("each edit sends the whole resources section and shows the core's issues by the field, in both languages", async () => {
    start(newView());
    render(ResourcesStep);
    await input("field-resources.domain", "https://qa.example.com");
    expectLastUpdate(invoke, "resources", { domain: "https://qa.example.com", public_ip: null, wecom_users: null });
    const issues = await screen.findByTestId("issues-resources.domain");
    expect(issues.textContent).toContain("must not start with https://");
    expect(issues.textContent).toContain("qawecom.example.com");
    expect(screen.getByTestId("field-resources.domain").getAttribute("aria-invalid")).toBe("true");
    await input("field-resources.public_ip", "203.0.113.10");
    expectLastUpdate(invoke, "resources", { domain: "https://qa.example.com", public_ip: "203.0.113.10", wecom_users: null });
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("issues-resources.domain").textContent).toContain("域名不能以 https:// 开头"));
    expect(screen.getByTestId("resources-icp-note").textContent).toContain("ICP 备案主体");
  });

  it("the bandwidth tier is the core's answer for the users typed", async () => {
    start(newView());
    render(ResourcesStep);
    await input("field-resources.wecom_users", "1000001");
    expectLastUpdate(invoke, "resources", { domain: null, public_ip: null, wecom_users: 1000001 });
    const advice = await screen.findByTestId("resources-bandwidth");
    expect(advice.getAttribute("data-mbps")).toBe("10");
    expect(advice.textContent).toContain("10 Mbps");
    expect(advice.textContent).toContain("1,000,001");
    await input("field-resources.wecom_users", "1000000");
    await vi.waitFor(() => expect(screen.getByTestId("resources-bandwidth").textContent).toContain("5 Mbps"));
    // Zero: the core's issue, and no tier (the core has none).
    await input("field-resources.wecom_users", "0");
    expect((await screen.findByTestId("issues-resources.wecom_users")).textContent).toContain("at least 1");
    expect(screen.queryByTestId("resources-bandwidth")).toBeNull();
  });

  it("a user count that is not a number is unreadable: not sent, explained, and it holds Next until fixed", async () => {
    start(newView());
    render(ResourcesStep);
    await input("field-resources.wecom_users", "5000");
    await screen.findByTestId("resources-bandwidth");
    await input("field-resources.wecom_users", "5000x");
    // The plan keeps the last readable count.
    expectLastUpdate(invoke, "resources", { domain: null, public_ip: null, wecom_users: 5000 });
    expect(screen.getByTestId("issues-resources.wecom_users").textContent).toContain("digits only");
    expect(screen.getByTestId("field-resources.wecom_users").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByTestId("resources-bandwidth")).toBeNull();
    expect(planState.unreadable["resources.wecom_users"]).toBe("resources");
    await input("field-resources.wecom_users", "99999999999999999999");
    expect(planState.unreadable["resources.wecom_users"]).toBe("resources");
    await input("field-resources.wecom_users", "6000000");
    expect(planState.unreadable["resources.wecom_users"]).toBeUndefined();
    await vi.waitFor(() => expect(screen.getByTestId("resources-bandwidth").getAttribute("data-mbps")).toBe("15"));
  });

  it("the fields show the values of another plan when one is loaded", async () => {
    start(newView());
    render(ResourcesStep);
    await input("field-resources.domain", "typed.example.com");
    loaded(demoView());
    await vi.waitFor(() =>
      expect((screen.getByTestId("field-resources.domain") as HTMLInputElement).value).toBe("qawecom.example.com"),
    );
    expect((screen.getByTestId("field-resources.public_ip") as HTMLInputElement).value).toBe("203.0.113.10");
    expect((screen.getByTestId("field-resources.wecom_users") as HTMLInputElement).value).toBe("120000");
  });
});

describe("Resources in the wizard: Next follows the core's step status", () => {
  it("an invalid domain holds Next with the core's reason; a readable fix lets it through", async () => {
    start(newView(), { plan_recent: () => [], autosave_offer: () => null });
    render(App);
    await fireEvent.click(document.querySelector('[data-step="resources"]') as HTMLElement);
    await input("field-resources.domain", "https://qa.example.com");
    await vi.waitFor(() => expect((screen.getByTestId("nav-next") as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getByTestId("nav-blocked").textContent).toContain("must not start with https://");
    await input("field-resources.domain", "qa.example.com");
    await vi.waitFor(() => expect((screen.getByTestId("nav-next") as HTMLButtonElement).disabled).toBe(false));
    await input("field-resources.wecom_users", "lots");
    await vi.waitFor(() => expect((screen.getByTestId("nav-next") as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getByTestId("nav-blocked").textContent).toContain("highlighted field");
  });
});

describe("Resources: TLS in its four modes", () => {
  it("choosing a mode sends the tls section; none shows the core's warning and no server paths", async () => {
    const core = start(withMode(newView(), "provided"));
    render(ResourcesStep);
    await fireEvent.click(screen.getByTestId("tls-mode-none"));
    expect(core.lastUpdate("tls")).toEqual({
      mode: "none",
      certificate_file: null,
      csr_file: null,
      server_certificate_path: null,
      server_key_path: null,
    });
    const warning = await screen.findByTestId("issues-tls.mode");
    expect(warning.textContent).toContain("session archive will not work");
    expect(warning.querySelector("li")?.className).toBe("warning");
    expect(screen.queryByTestId("field-tls.server_certificate_path")).toBeNull();
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("issues-tls.mode").textContent).toContain("会话存档功能不可用"));
  });

  it("provided: the chain goes to the plan, the key to the secrets, and the inspection shows each rung with its fix", async () => {
    const core = start(withMode(newView(), "provided"), { tls_inspect: () => wrongName });
    render(ResourcesStep);
    expect(screen.getByTestId("tls-inspect-empty")).toBeTruthy();
    expect(screen.getByTestId("issues-tls.certificate_file").textContent).toContain("needs the certificate chain file");
    expect(invoke).not.toHaveBeenCalledWith("tls_inspect", expect.anything());

    await input("field-tls.certificate_file", "/srv/certs/fullchain.pem");
    expect(core.lastUpdate("tls")).toMatchObject({ mode: "provided", certificate_file: "/srv/certs/fullchain.pem" });
    const ladder = await screen.findByTestId("tls-inspection");
    const rungs = [...ladder.querySelectorAll("[data-rung]")].map((r) => `${r.getAttribute("data-rung")}:${r.getAttribute("data-status")}`);
    expect(rungs).toEqual(["read:pass", "name:fail", "validity:pass", "key:pass", "chain:skip"]);
    const labels = [...ladder.querySelectorAll(".rung-name")].map((r) => r.textContent);
    expect(labels).toEqual(["Read", "Name", "Validity", "Key", "Chain"]);
    expect(ladder.textContent).not.toContain(" ms");
    const verdict = screen.getByTestId("tls-inspection-diagnosis");
    expect(verdict.getAttribute("data-code")).toBe("tls_name_mismatch");
    expect(verdict.textContent).toContain("Get a certificate that names qa.example.com.");

    const before = invoke.mock.calls.filter(([c]) => c === "tls_inspect").length;
    await input("field-secrets.tls.private_key_file", "/srv/certs/privkey.pem");
    // The whole secrets go back with only the key file changed.
    expect(core.lastUpdate("secrets")).toEqual({ ...newView().secrets, private_key_file: "/srv/certs/privkey.pem" });
    await vi.waitFor(() => expect(invoke.mock.calls.filter(([c]) => c === "tls_inspect").length).toBe(before + 1));
    await fireEvent.click(screen.getByTestId("tls-inspect"));
    await vi.waitFor(() => expect(invoke.mock.calls.filter(([c]) => c === "tls_inspect").length).toBe(before + 2));

    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("tls-inspection-diagnosis").textContent).toContain("请获取包含 qa.example.com 的证书"));
    const zh = [...screen.getByTestId("tls-inspection").querySelectorAll(".rung-name")].map((r) => r.textContent);
    expect(zh).toEqual(["读取", "域名", "有效期", "私钥", "证书链"]);
    expect(screen.getByTestId("tls-inspection").textContent).toContain("证书签发给 www.example.com");
  });

  it("provided: an inspection the core refuses is explained, not shown as a report", async () => {
    const view = withMode(newView(), "provided");
    view.plan.tls.certificate_file = "/srv/certs/fullchain.pem";
    start(view, {
      tls_inspect: () => {
        throw { code: "tls_inspect_no_certificate", message: "choose the chain", params: {} };
      },
    });
    render(ResourcesStep);
    expect((await screen.findByTestId("tls-inspect-error")).textContent).toContain("Choose the certificate chain file first.");
    expect(screen.queryByTestId("tls-inspection")).toBeNull();
  });

  it("provided: the inspection's findings are shown once, in the ladder, while it is there", async () => {
    const fromInspection = { ...mismatch, params: { finding: "name_mismatch" } };
    const ownIssue = sampleIssue("file_path_invalid");
    const view = withMode(newView(), "provided");
    view.plan.tls.certificate_file = "/srv/certs/fullchain.pem";
    const core = fakePlanCore(view, () => [fromInspection, ownIssue]);
    let refuse = false;
    answerWith(invoke, {
      ...core.handlers,
      tls_inspect: () => {
        if (refuse) throw { code: "tls_report_failed", message: "no report", params: {} };
        return wrongName;
      },
    });
    loaded(core.view());
    render(ResourcesStep);
    await screen.findByTestId("tls-inspection");
    const codes = () => [...screen.getByTestId("issues-tls.certificate_file").querySelectorAll("li")].map((li) => li.getAttribute("data-code"));
    expect(codes()).toEqual(["file_path_invalid"]);
    // Without a report, the field shows everything the core said.
    refuse = true;
    await fireEvent.click(screen.getByTestId("tls-inspect"));
    await screen.findByTestId("tls-inspect-error");
    expect(codes()).toEqual(["tls_name_mismatch", "file_path_invalid"]);
  });

  it("csr: a key + CSR with the chosen algorithm into the chosen folder, then the written files", async () => {
    const core = start(withMode(newView(), "csr"));
    const key = "/srv/tls/privkey.pem";
    const csr = "/srv/tls/request.csr";
    answerWith(invoke, {
      ...core.handlers,
      tls_generate: () => {
        const v = core.view();
        v.plan.tls.csr_file = csr;
        v.secrets.private_key_file = key;
        core.set(v);
        return { view: v, files: [key, csr] };
      },
    });
    render(ResourcesStep);
    expect(screen.getByTestId("tls-csr-next").textContent).toContain("request.csr");
    await fireEvent.change(screen.getByTestId("tls-algorithm"), { target: { value: "ecdsa_p256" } });
    await input("tls-folder", "/srv/tls");
    await fireEvent.click(screen.getByTestId("tls-generate"));
    expectGenerateCall("csr", "ecdsa_p256", "/srv/tls");
    const list = await screen.findByTestId("tls-written");
    const rows = [...list.querySelectorAll("li")].map((li) => [li.getAttribute("data-kind"), li.querySelector("code")?.textContent]);
    expect(rows).toEqual([
      ["key", key],
      ["csr", csr],
    ]);
    expect(list.textContent).toContain("Private key (0600)");
    expect(planState.view?.plan.tls.csr_file).toBe(csr);
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("tls-written").textContent).toContain("证书签名请求"));
  });

  it("self-signed: RSA-2048 by default into the plan's folder; a refusal says what to do in both languages", async () => {
    start(withMode(demoView(), "self_signed"), {
      tls_generate: () => {
        throw { code: "tls_file_exists", message: "exists", params: { path: "/srv/p/tls/demo-only.key" } };
      },
    });
    render(ResourcesStep);
    // The plan's current pair is listed.
    const current = screen.getByTestId("tls-current");
    expect([...current.querySelectorAll("li")].map((li) => li.getAttribute("data-kind"))).toEqual(["key", "certificate"]);
    await fireEvent.click(screen.getByTestId("tls-generate"));
    expectGenerateCall("self_signed", "rsa2048", "");
    const error = await screen.findByTestId("tls-generate-error");
    expect(error.getAttribute("data-code")).toBe("tls_file_exists");
    expect(error.textContent).toContain("/srv/p/tls/demo-only.key already exists and is never overwritten");
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("tls-generate-error").textContent).toContain("本工具从不覆盖"));
  });

  it("a field with the same issue code twice lists both (two certificates of the chain expired)", async () => {
    const expired = (n: string) =>
      issue(
        "tls.certificate_file",
        "tls_expired",
        "error",
        t(`Certificate #${n} has expired.`, `第 ${n} 张证书已过期。`),
        t("Renew it.", "请续期。"),
      );
    const view = withMode(newView(), "provided");
    view.plan.tls.certificate_file = "/srv/certs/old.pem";
    const core = fakePlanCore(view, () => [expired("1"), expired("2")]);
    answerWith(invoke, { ...core.handlers, tls_inspect: () => wrongName });
    loaded(core.view());
    render(ResourcesStep);
    const items = screen.getByTestId("issues-tls.certificate_file").querySelectorAll("li");
    expect([...items].map((li) => li.textContent)).toEqual([
      expect.stringContaining("Certificate #1 has expired."),
      expect.stringContaining("Certificate #2 has expired."),
    ]);
  });
});
