// The Verify screen on the open plan, against a stand-in back end: the checks run on the plan (no
// values sent from the page), the reports come back in the plan's view, the fields that keep the
// check from running are shown and hold the buttons, and the demo's fault picker restarts the
// receiver with each fault and checks again.

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", async () => ({
  invoke: (...a: unknown[]) => invoke(...a),
  Channel: (await import("../test/channel")).FakeChannel,
}));

import VerifyStep from "./VerifyStep.svelte";
import { setLang } from "../lib/i18n";
import { loaded } from "../lib/plan.svelte";
import { announcer } from "../lib/announce.svelte";
import en from "../locales/en.json";
import zh from "../locales/zh-CN.json";
import { DEMO_CALLBACK_URL, DEMO_URL, demoView, newView, sampleIssue } from "../test/plan";
import { okReport, refusedReport } from "../test/fixtures";
import { planFake, type PlanFake } from "../test/planFake";
import { FakeChannel } from "../test/channel";
import { hangingJob } from "../test/job";
import type { FaultMode, LadderReport, LiveRung, PlanView } from "../ipc";
import { freshEachTest } from "../test/fresh";

/** Every fault of the receiver: the compiler rejects this list when the core adds one. */
const ALL_FAULTS: Record<FaultMode, true> = {
  json_wrapped: true,
  quoted: true,
  bom: true,
  trailing_newline: true,
  trailing_whitespace: true,
  echo_ciphertext: true,
  wrong_key: true,
  server_error_code: true,
  bytes_repr: true,
  double_url_decode: true,
  inconsistent_backends: true,
  html: true,
  not_found: true,
  server_error: true,
  auth_required: true,
  method_not_allowed: true,
  redirect: true,
  slow: true,
  hang: true,
  huge_body: true,
  empty: true,
};
const FAULTS = Object.keys(ALL_FAULTS) as FaultMode[];

/** What a check sends: its job id and the channel its rungs come back on, no plan value. */
const CHECK_ARGS = { job: expect.stringMatching(/^verify-/), on_rung: expect.any(FakeChannel) };
const VERIFY_ARGS = { event: false, ...CHECK_ARGS };
const EVENT_ARGS = { event: true, ...CHECK_ARGS };

/** A report of the receiver misbehaving with `fault`, as the ladder would judge it. */
function faultReport(fault: FaultMode): LadderReport {
  const r = refusedReport();
  r.diagnosis = { ...r.diagnosis, code: fault === "wrong_key" ? "wrong_plaintext" : `diag_${fault}` };
  return r;
}

/** The demo plan's receiver and its checks, as the Rust side answers them. */
function demoBackEnd(start: PlanView = demoView()): PlanFake {
  return planFake(invoke, start, {
    handlers: (f) => ({
      fault_modes: () => FAULTS,
      start_receiver: (a) => {
        f.view.receiver = { url: DEMO_URL.replace("41234", "41300"), fault: (a.fault as FaultMode | null) ?? null };
        f.view.verify_target = { ...f.view.verify_target, url: f.view.receiver.url };
        f.view.verification = null;
        return f.answer();
      },
      check_callback: (a) => {
        const fault = f.view.receiver?.fault;
        if (a.event) f.view.event_report = okReport("event");
        else f.view.verification = fault ? faultReport(fault) : okReport();
        return f.answer();
      },
    }),
  });
}

const rungs = (testid: string) =>
  [...screen.getByTestId(testid).querySelectorAll("[data-rung]")].map(
    (r) => `${r.getAttribute("data-rung")}:${r.getAttribute("data-status")}`,
  );

freshEachTest(invoke);

describe("Verify in the demo", () => {
  it("checks the built-in receiver: five passing rungs, then a test event, with nothing sent from the page", async () => {
    demoBackEnd();
    render(VerifyStep);
    expect(screen.getByTestId("verify-target-kind").textContent).toContain("Built-in receiver");
    expect(screen.getByTestId("verify-target").textContent).toBe(DEMO_URL);
    await fireEvent.click(screen.getByTestId("verify-run"));
    expect(invoke).toHaveBeenCalledWith("check_callback", VERIFY_ARGS);
    await screen.findByTestId("verify-report");
    expect(rungs("verify-report")).toEqual(["dns:pass", "tcp:pass", "tls:pass", "http:pass", "reply:pass"]);
    expect(screen.getByTestId("verify-report-diagnosis").getAttribute("data-code")).toBe("ok");
    await fireEvent.click(screen.getByTestId("verify-send-event"));
    expect(invoke).toHaveBeenCalledWith("check_callback", EVENT_ARGS);
    expect((await screen.findByTestId("verify-event-report")).getAttribute("data-ok")).toBe("true");
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("verify-report-diagnosis").textContent).toContain("完全一致"));
    expect(screen.getByTestId("verify-report").querySelector('[data-rung="tcp"] .rung-detail')?.textContent).toBe(
      "已连接 127.0.0.1:41234",
    );
  });

  it("the picker offers every fault; a pick restarts the receiver with it and shows its diagnosis; Correct is green again", async () => {
    demoBackEnd();
    render(VerifyStep);
    const select = (await screen.findByTestId("verify-fault")) as HTMLSelectElement;
    await vi.waitFor(() => expect(select.options).toHaveLength(FAULTS.length + 1));
    expect([...select.options].map((o) => o.value)).toEqual(["", ...FAULTS]);
    expect(screen.getByTestId("verify-receiver-running").textContent).toContain("behaves correctly");

    await fireEvent.change(select, { target: { value: "wrong_key" } });
    await vi.waitFor(() =>
      expect(screen.getByTestId("verify-report-diagnosis").getAttribute("data-code")).toBe("wrong_plaintext"),
    );
    const calls = invoke.mock.calls.map(([cmd, args]) => [cmd, args]);
    expect(calls.slice(-2)).toEqual([
      ["start_receiver", { fault: "wrong_key" }],
      ["check_callback", VERIFY_ARGS],
    ]);
    expect(screen.getByTestId("verify-receiver-running").textContent).toContain("Wrong key or corpid");
    expect(select.value).toBe("wrong_key");

    await fireEvent.change(select, { target: { value: "" } });
    await vi.waitFor(() => expect(screen.getByTestId("verify-report-diagnosis").getAttribute("data-code")).toBe("ok"));
    expect(invoke).toHaveBeenCalledWith("start_receiver", { fault: null });
    expect(screen.getByTestId("verify-receiver-running").textContent).toContain("behaves correctly");
  });

  it("every fault has a label in both languages", () => {
    for (const f of FAULTS) {
      expect(en.verify.faults[f], f).toBeTruthy();
      expect(zh.verify.faults[f], f).toBeTruthy();
    }
    expect(Object.keys(en.verify.faults).sort()).toEqual([...FAULTS].sort());
    expect(Object.keys(zh.verify.faults).sort()).toEqual([...FAULTS].sort());
  });

  it("a restored demo without its receiver says it starts on the first check", () => {
    const v = demoView();
    v.receiver = null;
    v.verify_target = { url: null, receiver: true, blockers: [] };
    demoBackEnd(v);
    render(VerifyStep);
    expect(screen.getByTestId("verify-no-target").textContent).toContain("starts on this computer");
    expect((screen.getByTestId("verify-run") as HTMLButtonElement).disabled).toBe(false);
  });
});

describe("Verify on a real plan", () => {
  function realView(): PlanView {
    const v = demoView();
    v.demo = false;
    v.receiver = null;
    v.verify_target = { url: DEMO_CALLBACK_URL, receiver: false, blockers: [] };
    return v;
  }

  it("targets the callback URL, has no fault picker, and shows a failure with its skipped rungs and fix", async () => {
    planFake(invoke, realView(), {
      handlers: (f) => ({
        check_callback: () => {
          f.view.verification = refusedReport();
          return f.answer();
        },
      }),
    });
    render(VerifyStep);
    expect(screen.getByTestId("verify-target-kind").textContent).toContain("Callback URL");
    expect(screen.getByTestId("verify-target").textContent).toBe(DEMO_CALLBACK_URL);
    expect(screen.queryByTestId("verify-fault")).toBeNull();
    await fireEvent.click(screen.getByTestId("verify-run"));
    const report = await screen.findByTestId("verify-report");
    expect(report.getAttribute("data-ok")).toBe("false");
    expect(report.querySelectorAll('[data-status="skip"]')).toHaveLength(3);
    expect(screen.getByTestId("verify-report-diagnosis").textContent).toContain("Check that nginx listens");
  });

  it("the plan's last report is shown when the screen opens", () => {
    const v = realView();
    v.verification = okReport();
    planFake(invoke, v);
    render(VerifyStep);
    expect(screen.getByTestId("verify-report-diagnosis").getAttribute("data-code")).toBe("ok");
  });

  it("the fields that keep the check from running are listed and hold both buttons", () => {
    const v = newView();
    const noToken = sampleIssue("token_missing");
    v.verify_target = { url: null, receiver: false, blockers: [noToken] };
    planFake(invoke, v);
    render(VerifyStep);
    expect(screen.getByTestId("verify-no-target").textContent).toContain("valid domain");
    expect(screen.getByTestId("verify-blockers").textContent).toContain(noToken.message.en);
    expect((screen.getByTestId("verify-run") as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId("verify-send-event") as HTMLButtonElement).disabled).toBe(true);
  });

  it("a refusal from the core is shown translated by its code", async () => {
    planFake(invoke, realView(), {
      handlers: () => ({
        check_callback: () => {
          throw { code: "verify_not_ready", message: "m", params: { field: "secrets.token", issue: "token_missing" } };
        },
      }),
    });
    setLang("zh-CN");
    render(VerifyStep);
    await fireEvent.click(screen.getByTestId("verify-run"));
    expect((await screen.findByTestId("verify-error")).textContent).toContain("所需的某项配置有错误");
  });
});

describe("Verify while it runs", () => {
  /** A check that sends two rungs live, then waits until cancel_job names its job. */
  function hangingBackEnd() {
    const job = hangingJob([
      { probe: 0, name: "dns", status: "pass", detail: { en: "127.0.0.1", zh: "127.0.0.1" }, elapsed_ms: 0 },
      { probe: 0, name: "tcp", status: "pass", detail: { en: "connected to 127.0.0.1:41234", zh: "已连接 127.0.0.1:41234" }, elapsed_ms: 1 },
    ]);
    const fake = planFake(invoke, demoView(), {
      handlers: () => ({ fault_modes: () => FAULTS, check_callback: job.run, cancel_job: job.cancel_job }),
    });
    return { fake, cancels: job.cancels };
  }

  it("shows each rung as it arrives with the one being climbed pending, and then the final report", async () => {
    let finish: () => void = () => {};
    const fake = planFake(invoke, demoView(), {
      handlers: (f) => ({
        fault_modes: () => FAULTS,
        check_callback: (a) =>
          new Promise((resolve) => {
            (a.on_rung as FakeChannel<LiveRung>).send({
              probe: 0,
              name: "dns",
              status: "pass",
              detail: { en: "resolved to 127.0.0.1", zh: "解析为 127.0.0.1" },
              elapsed_ms: 0,
            });
            finish = () => {
              f.view.verification = okReport();
              resolve(f.answer());
            };
          }),
      }),
    });
    render(VerifyStep);
    await fireEvent.click(screen.getByTestId("verify-run"));
    const live = await screen.findByTestId("verify-live");
    expect(live.getAttribute("aria-busy")).toBe("true");
    expect(rungs("verify-live")).toEqual(["dns:pass"]);
    expect(live.querySelector('[data-rung="dns"] .rung-detail')?.textContent).toBe("resolved to 127.0.0.1");
    expect(screen.getByTestId("verify-live-pending").textContent).toContain("Checking");
    expect(screen.queryByTestId("verify-report")).toBeNull();
    finish();
    await screen.findByTestId("verify-report");
    expect(screen.queryByTestId("verify-live")).toBeNull();
    expect(rungs("verify-report")).toEqual(["dns:pass", "tcp:pass", "tls:pass", "http:pass", "reply:pass"]);
    expect(screen.queryByTestId("verify-cancel")).toBeNull();
    expect(fake.view.verification?.ok).toBe(true);
  });

  it("Cancel calls cancel_job with the check's job id; the screen then says Cancelled and shows no result", async () => {
    const { fake, cancels } = hangingBackEnd();
    fake.view.verification = okReport();
    loaded(fake.answer());
    render(VerifyStep);
    expect(screen.getByTestId("verify-report")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("verify-run"));
    await vi.waitFor(() => expect(rungs("verify-live")).toEqual(["dns:pass", "tcp:pass"]));
    const cancel = screen.getByTestId("verify-cancel") as HTMLButtonElement;
    expect(cancel.tagName).toBe("BUTTON");
    expect(cancel.textContent?.trim()).toBe(en.common.cancel);
    cancel.focus();
    expect(document.activeElement).toBe(cancel);
    const job = invoke.mock.calls.find(([c]) => c === "check_callback")?.[1].job;
    await fireEvent.click(cancel);
    expect(cancels).toEqual([{ job }]);
    const note = await screen.findByTestId("verify-cancelled");
    expect(note.textContent).toBe(en.common.cancelled);
    await vi.waitFor(() => expect(announcer.text).toBe(en.common.cancelled));
    expect(screen.queryByTestId("verify-live")).toBeNull();
    expect(screen.queryByTestId("verify-report")).toBeNull();
    expect(screen.queryByTestId("verify-error")).toBeNull();
    expect(screen.queryByTestId("verify-cancel")).toBeNull();
    expect((screen.getByTestId("verify-run") as HTMLButtonElement).disabled).toBe(false);
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("verify-cancelled").textContent).toBe(zh.common.cancelled));
  });

  it("the Cancel button is labelled in Chinese too", async () => {
    setLang("zh-CN");
    hangingBackEnd();
    render(VerifyStep);
    await fireEvent.click(screen.getByTestId("verify-run"));
    const cancel = await screen.findByTestId("verify-cancel");
    expect(cancel.textContent?.trim()).toBe(zh.common.cancel);
    await fireEvent.click(cancel);
    expect((await screen.findByTestId("verify-cancelled")).textContent).toBe("已取消");
  });
});
