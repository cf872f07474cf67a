// The Callback, Verify and Troubleshoot screens against a stand-in back end: what they send over
// IPC and what they show, in both languages.

import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import CallbackStep from "./CallbackStep.svelte";
import VerifyStep from "./VerifyStep.svelte";
import TroubleshootStep from "./TroubleshootStep.svelte";
import { setLang } from "../lib/i18n";
import { resetSession, session } from "../lib/session.svelte";
import { URL, info60020, localhostCheck, okReport, refusedReport } from "../test/fixtures";

type Handler = (args: Record<string, unknown>) => unknown;
function backEnd(handlers: Record<string, Handler>) {
  invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
    const h = handlers[cmd];
    if (!h) throw { code: "not_mocked", message: cmd, params: {} };
    return h(args ?? {});
  });
}
const TOKEN = "T".repeat(32);
const KEY = "K".repeat(43);
const CORP = "ww0123456789abcdef";

beforeEach(() => {
  setLang("en");
  resetSession();
  invoke.mockReset();
});

describe("Callback step", () => {
  it("sends domain, corpid and TLS to the core and shows its issues in the current language", async () => {
    backEnd({ callback_url: () => localhostCheck });
    render(CallbackStep);
    await fireEvent.input(screen.getByTestId("callback-domain"), { target: { value: "localhost" } });
    expect(invoke).toHaveBeenLastCalledWith("callback_url", { domain: "localhost", corpId: "", tls: true });
    const issues = await screen.findByTestId("callback-domain-issues");
    expect(issues.textContent).toContain("The domain has no dot");
    expect(issues.textContent).toContain("qawecom.example.com");
    expect(screen.getByTestId("callback-domain").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("callback-url-missing")).toBeTruthy();
    setLang("zh-CN");
    await Promise.resolve();
    expect((await screen.findByTestId("callback-domain-issues")).textContent).toContain("域名中没有点");
  });

  it("shows the URL for valid values and asks for http:// when TLS is none", async () => {
    backEnd({
      callback_url: (a) => ({
        url: `${a.tls ? "https" : "http"}://qa.example.com/cb/${String(a.corpId)}`,
        issues: [],
      }),
    });
    render(CallbackStep);
    await fireEvent.input(screen.getByTestId("callback-corpid"), { target: { value: CORP } });
    expect(((await screen.findByTestId("callback-url")) as HTMLInputElement).value).toBe(
      `https://qa.example.com/cb/${CORP}`,
    );
    await fireEvent.click(screen.getByTestId("callback-tls-none"));
    await vi.waitFor(() =>
      expect((screen.getByTestId("callback-url") as HTMLInputElement).value).toBe(`http://qa.example.com/cb/${CORP}`),
    );
    expect(session.callbackUrl).toBe(`http://qa.example.com/cb/${CORP}`);
  });

  it("an answer that arrives after a newer one is ignored", async () => {
    const pending: Array<(v: unknown) => void> = [];
    invoke.mockImplementation(() => new Promise((res) => pending.push(res)));
    render(CallbackStep);
    const input = screen.getByTestId("callback-domain");
    await fireEvent.input(input, { target: { value: "a" } });
    await fireEvent.input(input, { target: { value: "qa.example.com" } });
    pending[1]({ url: "https://qa.example.com/new", issues: [] });
    pending[0](localhostCheck);
    await vi.waitFor(() => expect(session.callbackUrl).toBe("https://qa.example.com/new"));
    expect(session.issues).toEqual([]);
  });

  it("Generate shows the Token and EncodingAESKey read-only and keeps them for Verify", async () => {
    backEnd({ generate_secrets: () => ({ token: TOKEN, encodingAesKey: KEY }) });
    render(CallbackStep);
    expect(screen.queryByTestId("callback-token")).toBeNull();
    await fireEvent.click(screen.getByTestId("callback-generate"));
    const token = (await screen.findByTestId("callback-token")) as HTMLInputElement;
    expect(token.value).toBe(TOKEN);
    expect(token.readOnly).toBe(true);
    expect((screen.getByTestId("callback-aeskey") as HTMLInputElement).value).toBe(KEY);
    expect(session.token).toBe(TOKEN);
    expect(session.encodingAesKey).toBe(KEY);
    expect(localStorage.getItem("qa-wecom-setup.lang")).toBe("en");
    expect(JSON.stringify({ ...localStorage })).not.toContain(TOKEN);
  });

  it("Copy writes the value to the clipboard when the webview offers one", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    try {
      backEnd({ generate_secrets: () => ({ token: TOKEN, encodingAesKey: KEY }) });
      render(CallbackStep);
      await fireEvent.click(screen.getByTestId("callback-generate"));
      await fireEvent.click(await screen.findByTestId("callback-token-copy"));
      expect(writeText).toHaveBeenCalledWith(TOKEN);
      expect((await screen.findByText("Copied"))).toBeTruthy();
    } finally {
      Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
    }
  });

  it("shows the admin-console checklist with the trusted-IP ordering note", () => {
    render(CallbackStep);
    const list = screen.getByTestId("callback-checklist");
    expect(list.querySelectorAll("li")).toHaveLength(4);
    expect(list.textContent).toContain("§4.1");
    expect(list.textContent).toContain("§4.2");
    expect(list.textContent).toContain("Set API Receive");
    expect(screen.getByTestId("callback-trusted-ip").textContent).toContain("trusted IPs");
  });
});

describe("Verify step", () => {
  function withCredentials() {
    Object.assign(session, { corpId: CORP, token: TOKEN, encodingAesKey: KEY });
  }

  it("asks for credentials first and disables the buttons", () => {
    render(VerifyStep);
    expect(screen.getByTestId("verify-need-credentials")).toBeTruthy();
    expect((screen.getByTestId("verify-run") as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId("verify-use-receiver") as HTMLButtonElement).disabled).toBe(true);
  });

  it("the built-in receiver becomes the target; Verify shows five passing rungs and the ok diagnosis", async () => {
    withCredentials();
    backEnd({
      start_receiver: () => ({ url: URL, fault: null }),
      verify_callback: () => okReport(),
    });
    render(VerifyStep);
    await fireEvent.click(screen.getByTestId("verify-use-receiver"));
    expect(invoke).toHaveBeenLastCalledWith("start_receiver", {
      token: TOKEN,
      encodingAesKey: KEY,
      corpId: CORP,
      fault: null,
    });
    expect((await screen.findByTestId("verify-target")).textContent).toBe(URL);
    expect(screen.getByTestId("verify-target-kind").textContent).toContain("Built-in receiver");
    await fireEvent.click(screen.getByTestId("verify-run"));
    expect(invoke).toHaveBeenLastCalledWith("verify_callback", { url: URL, token: TOKEN, encodingAesKey: KEY, corpId: CORP });
    const report = await screen.findByTestId("verify-report");
    const rungs = report.querySelectorAll("[data-rung]");
    expect([...rungs].map((r) => `${r.getAttribute("data-rung")}:${r.getAttribute("data-status")}`)).toEqual([
      "dns:pass",
      "tcp:pass",
      "tls:pass",
      "http:pass",
      "reply:pass",
    ]);
    expect(within(report).getByText("DNS")).toBeTruthy();
    expect(report.querySelector('[data-rung="tcp"] .rung-detail')?.textContent).toBe("connected to 127.0.0.1:41234");
    const verdict = screen.getByTestId("verify-report-diagnosis");
    expect(verdict.getAttribute("data-code")).toBe("ok");
    expect(verdict.textContent).toContain("answered exactly as WeCom expects");
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("verify-report-diagnosis").textContent).toContain("完全一致"));
    expect(screen.getByTestId("verify-report").textContent).toContain("应答");
    const zhReport = screen.getByTestId("verify-report");
    expect(zhReport.querySelector('[data-rung="tcp"] .rung-detail')?.textContent).toBe("已连接 127.0.0.1:41234");
    expect(zhReport.querySelector('[data-rung="dns"] .rung-detail')?.textContent).toBe("127.0.0.1 是 IP 地址，无需解析");
    expect(zhReport.textContent).not.toContain("is an IP address");
  });

  it("a failure shows the failed rung, the skipped ones and the fix", async () => {
    withCredentials();
    session.callbackUrl = URL;
    backEnd({ verify_callback: () => refusedReport() });
    render(VerifyStep);
    expect(screen.getByTestId("verify-target-kind").textContent).toContain("Callback URL");
    await fireEvent.click(screen.getByTestId("verify-run"));
    const report = await screen.findByTestId("verify-report");
    expect(report.getAttribute("data-ok")).toBe("false");
    expect(report.querySelector('[data-rung="tcp"]')?.textContent).toContain("fail");
    expect(report.querySelectorAll('[data-status="skip"]')).toHaveLength(3);
    expect(screen.getByTestId("verify-report-diagnosis").textContent).toContain("Check that nginx listens");
    expect(report.querySelector('[data-rung="reply"] .rung-detail')?.textContent).toBe("not run: the TCP step failed");
  });

  it("in Chinese the failed ladder shows each rung's Chinese detail", async () => {
    withCredentials();
    session.callbackUrl = URL;
    backEnd({ verify_callback: () => refusedReport() });
    setLang("zh-CN");
    render(VerifyStep);
    await fireEvent.click(screen.getByTestId("verify-run"));
    const report = await screen.findByTestId("verify-report");
    const details = [...report.querySelectorAll(".rung-detail")].map((d) => d.textContent);
    expect(details).toEqual([
      "127.0.0.1 是 IP 地址，无需解析",
      "连接 127.0.0.1:41234 失败：Connection refused (os error 111)",
      "未执行：TCP 步骤失败",
      "未执行：TCP 步骤失败",
      "未执行：TCP 步骤失败",
    ]);
    expect(screen.getByTestId("verify-report-diagnosis").textContent).toContain("确认 nginx 在端口 41234 上监听");
  });

  it("passes the chosen fault to the receiver and sends a test event", async () => {
    withCredentials();
    backEnd({
      start_receiver: (a) => ({ url: URL, fault: a.fault }),
      send_test_event: () => okReport("event"),
    });
    render(VerifyStep);
    await fireEvent.change(screen.getByTestId("verify-fault"), { target: { value: "wrong_key" } });
    await fireEvent.click(screen.getByTestId("verify-use-receiver"));
    expect(invoke).toHaveBeenLastCalledWith("start_receiver", expect.objectContaining({ fault: "wrong_key" }));
    expect((await screen.findByTestId("verify-receiver-running")).textContent).toContain("Wrong key or corpid");
    await fireEvent.click(screen.getByTestId("verify-send-event"));
    expect((await screen.findByTestId("verify-event-report")).getAttribute("data-ok")).toBe("true");
  });

  it("a back-end error is shown translated by its code", async () => {
    withCredentials();
    backEnd({
      start_receiver: () => {
        throw { code: "invalid_credentials", message: "m", params: { errcode: "-40004" } };
      },
    });
    setLang("zh-CN");
    render(VerifyStep);
    await fireEvent.click(screen.getByTestId("verify-use-receiver"));
    expect((await screen.findByTestId("verify-error")).textContent).toContain("-40004");
    expect(screen.getByTestId("verify-error").textContent).toContain("重新生成");
  });
});

describe("Troubleshoot", () => {
  it("looks up a code and shows meaning and fix in the current language", async () => {
    backEnd({ lookup_error_code: () => info60020 });
    render(TroubleshootStep);
    await fireEvent.input(screen.getByTestId("errcode-input"), { target: { value: "60020" } });
    await fireEvent.click(screen.getByTestId("errcode-lookup"));
    expect(invoke).toHaveBeenLastCalledWith("lookup_error_code", { code: 60020 });
    expect((await screen.findByTestId("errcode-meaning")).textContent).toContain("trusted IPs");
    expect(screen.getByTestId("errcode-result").textContent).toContain("WeCom API");
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("errcode-fix").textContent).toContain("企业可信 IP"));
  });

  it("a common-code chip looks it up directly", async () => {
    backEnd({ lookup_error_code: () => info60020 });
    render(TroubleshootStep);
    await fireEvent.click(screen.getByTestId("errcode-chip--40001"));
    expect(invoke).toHaveBeenLastCalledWith("lookup_error_code", { code: -40001 });
  });

  it("an unknown code and a non-number are explained", async () => {
    backEnd({
      lookup_error_code: (a) => {
        throw { code: "unknown_code", message: "m", params: { code: String(a.code), help_url: `https://open.work.weixin.qq.com/devtool/query?e=${a.code}` } };
      },
    });
    render(TroubleshootStep);
    const input = screen.getByTestId("errcode-input");
    await fireEvent.input(input, { target: { value: "12345" } });
    await fireEvent.click(screen.getByTestId("errcode-lookup"));
    const error = (await screen.findByTestId("errcode-error")).textContent;
    expect(error).toContain("12345 is not in this tool's catalogue");
    expect(error).toContain("https://open.work.weixin.qq.com/devtool/query?e=12345");
    await fireEvent.input(input, { target: { value: "abc" } });
    await fireEvent.click(screen.getByTestId("errcode-lookup"));
    expect((await screen.findByTestId("errcode-error")).textContent).toContain("whole number");
    expect(invoke).toHaveBeenCalledTimes(1);
  });
});
