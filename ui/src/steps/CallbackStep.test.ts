// The Callback screen on the open plan, against a stand-in back end: the URL and issues come from
// the plan's view, the Token and EncodingAESKey are masked until revealed and copied as they are,
// a pasted value goes to the secrets section and the core's verdict is shown, Generate asks before
// it replaces a pair, and the console ticks are saved in the plan.

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import CallbackStep from "./CallbackStep.svelte";
import { setLang } from "../lib/i18n";
import { loaded } from "../lib/plan.svelte";
import { DEMO_CALLBACK_URL, DEMO_URL, demoView, newView, sampleIssue, withStep } from "../test/plan";
import { planFake, type PlanFake } from "../test/planFake";
import type { PlanView } from "../ipc";
import { freshEachTest } from "../test/fresh";
import { expectLastUpdate } from "../test/sent";

const TOKEN = "QDG6eK0123456789abcdefghijklmnop";
const KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

function demo(): PlanView {
  const v = demoView();
  v.secrets.token = TOKEN;
  v.secrets.encoding_aes_key = KEY;
  return v;
}

/** The screen on `view`, which the stand-in back end holds (returned, to see what it keeps). */
function open(view: PlanView, options?: Parameters<typeof planFake>[2]): PlanFake {
  const fake = planFake(invoke, view, options);
  render(CallbackStep);
  return fake;
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;

/** The core's rule this test relies on: a key whose last character carries unused bits warns. */
const noncanonical = (v: PlanView) =>
  v.secrets.encoding_aes_key?.endsWith("D") ? [sampleIssue("aes_key_noncanonical")] : [];

freshEachTest(invoke);

describe("Callback: the URL", () => {
  it("in the demo shows the plan's callback URL, names the receiver Verify uses, and no error", () => {
    open(demo());
    expect(input("callback-url").value).toBe(DEMO_CALLBACK_URL);
    expect(screen.getByTestId("callback-demo-note").textContent).toContain(DEMO_URL);
    expect(document.querySelector(".error, .issues .error, [aria-invalid='true']")).toBeNull();
    expect(document.body.textContent).not.toContain("localhost");
  });

  it("without a valid domain and corpid says where to enter them, with the core's issues once their step is started", () => {
    const v = withStep(newView(), "resources", "error");
    const noDot = sampleIssue("domain_single_label");
    v.issues = [noDot];
    open(v);
    expect(screen.queryByTestId("callback-url")).toBeNull();
    expect(screen.getByTestId("callback-url-missing").textContent).toContain("Resources step");
    expect(screen.getByTestId("issues-resources.domain").textContent).toContain(noDot.message.en);
  });

  it("on a new plan the steps not started yet show no error, only what to do", () => {
    const v = newView();
    v.issues = [sampleIssue("domain_missing"), sampleIssue("corp_id_missing"), sampleIssue("token_missing")];
    open(v);
    expect(screen.getByTestId("callback-url-missing")).toBeTruthy();
    expect(screen.getByTestId("callback-secrets-missing")).toBeTruthy();
    expect(document.querySelector(".issues, [aria-invalid='true']")).toBeNull();
  });

  it("with TLS none shows the http:// URL and the core's warning about it", () => {
    const v = demo();
    v.callback_url = DEMO_CALLBACK_URL.replace("https://", "http://");
    const noTls = sampleIssue("tls_none");
    v.issues = [noTls];
    open(v);
    expect(input("callback-url").value.startsWith("http://qawecom.example.com/")).toBe(true);
    expect(screen.getByTestId("issues-tls.mode").textContent).toContain(noTls.message.en);
  });
});

describe("Callback: Token and EncodingAESKey", () => {
  it("are masked until revealed and Copy copies the value without revealing it", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    try {
      open(demo());
      const token = input("field-secrets.token");
      expect(token.type).toBe("password");
      expect(token.value).toBe(TOKEN);
      expect(input("field-secrets.encoding_aes_key").type).toBe("password");
      await fireEvent.click(screen.getByTestId("field-secrets.token-copy"));
      expect(writeText).toHaveBeenCalledWith(TOKEN);
      expect(token.type).toBe("password");
      await fireEvent.click(screen.getByTestId("field-secrets.token-reveal"));
      expect(token.type).toBe("text");
      expect(input("field-secrets.encoding_aes_key").type).toBe("password");
      await fireEvent.click(screen.getByTestId("field-secrets.token-reveal"));
      expect(token.type).toBe("password");
      expect(JSON.stringify({ ...localStorage })).not.toContain(TOKEN);
    } finally {
      Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
    }
  });

  it("a pasted key goes to the secrets section and the core's warning shows, in both languages", async () => {
    const fake = open(demo(), { issues: noncanonical });
    const pasted = KEY.slice(0, 42) + "D";
    await fireEvent.input(input("field-secrets.encoding_aes_key"), { target: { value: pasted } });
    expectLastUpdate(invoke, "secrets", { ...demo().secrets, encoding_aes_key: pasted });
    const issues = await screen.findByTestId("issues-secrets.encoding_aes_key");
    expect(issues.querySelector("[data-code]")?.getAttribute("data-code")).toBe("aes_key_noncanonical");
    expect(issues.textContent).toContain(sampleIssue("aes_key_noncanonical").message.en);
    expect(fake.view.secrets.encoding_aes_key).toBe(pasted);
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("issues-secrets.encoding_aes_key").textContent).toContain("未用位不为零"));
  });

  it("Generate fills an empty pair at once; over an existing pair it asks first", async () => {
    const fake = open(newView(), {
      handlers: (f) => ({
        plan_generate_secrets: () => {
          f.view.secrets.token = f.view.secrets.token === TOKEN ? "N".repeat(32) : TOKEN;
          f.view.secrets.encoding_aes_key = KEY;
          return f.answer();
        },
      }),
    });
    expect(screen.getByTestId("callback-secrets-missing")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("callback-generate"));
    expect(invoke).toHaveBeenLastCalledWith("plan_generate_secrets", undefined);
    await vi.waitFor(() => expect(input("field-secrets.token").value).toBe(TOKEN));
    expect(input("field-secrets.encoding_aes_key").value).toBe(KEY);
    expect(screen.queryByTestId("callback-secrets-missing")).toBeNull();

    invoke.mockClear();
    await fireEvent.click(screen.getByTestId("callback-generate"));
    expect(screen.getByTestId("callback-replace").textContent).toContain("stop working");
    expect(invoke).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("callback-replace-cancel"));
    expect(screen.queryByTestId("callback-replace")).toBeNull();
    await fireEvent.click(screen.getByTestId("callback-generate"));
    await fireEvent.click(screen.getByTestId("callback-replace-confirm"));
    await vi.waitFor(() => expect(input("field-secrets.token").value).toBe("N".repeat(32)));
    expect(fake.view.secrets.token).toBe("N".repeat(32));
  });

  it("another plan loaded shows that plan's pair", async () => {
    open(demo());
    expect(input("field-secrets.token").value).toBe(TOKEN);
    const other = demo();
    other.secrets.token = "O".repeat(32);
    loaded(other);
    await vi.waitFor(() => expect(input("field-secrets.token").value).toBe("O".repeat(32)));
  });
});

describe("Callback: the admin-console checklist", () => {
  it("lists the core's steps with tick boxes saved in the plan, in the core's order", async () => {
    const fake = open(demo());
    const list = screen.getByTestId("callback-checklist");
    expect(list.querySelectorAll("input[type=checkbox]")).toHaveLength(4);
    expect(list.textContent).toContain("§4.1");
    expect(list.textContent).toContain("apps that may call the API");
    expect(list.textContent).toContain("Set API Receive");
    expect(screen.getByTestId("callback-console-progress").textContent).toBe("0 of 4 done");
    await fireEvent.click(screen.getByTestId("callback-console-customer_contact"));
    expectLastUpdate(invoke, "wecom", { ...demo().plan.wecom, console_done: ["customer_contact"] });
    await fireEvent.click(screen.getByTestId("callback-console-visible_range"));
    await vi.waitFor(() => expect(fake.view.plan.wecom.console_done).toEqual(["visible_range", "customer_contact"]));
    await vi.waitFor(() => expect(screen.getByTestId("callback-console-progress").textContent).toBe("2 of 4 done"));
    expect(input("callback-console-visible_range").checked).toBe(true);
    await fireEvent.click(screen.getByTestId("callback-console-visible_range"));
    await vi.waitFor(() => expect(fake.view.plan.wecom.console_done).toEqual(["customer_contact"]));
    expect(screen.getByTestId("callback-trusted-ip").textContent).toContain("trusted IPs");
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("callback-checklist").textContent).toContain("可调用接口的应用"));
    expect(screen.getByTestId("callback-console-progress").textContent).toBe("已完成 1/4");
  });

  it("shows the ticks of a saved plan", () => {
    const v = demo();
    v.plan.wecom.console_done = ["visible_range", "api_receive"];
    open(v);
    expect(input("callback-console-visible_range").checked).toBe(true);
    expect(input("callback-console-customer_contact").checked).toBe(false);
    expect(input("callback-console-api_receive").checked).toBe(true);
  });
});
