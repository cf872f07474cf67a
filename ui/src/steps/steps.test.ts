// The Troubleshoot screen against a stand-in back end: what it sends over IPC and what it shows,
// in both languages. (Callback, Verify and Database have their own test files.)

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import TroubleshootStep from "./TroubleshootStep.svelte";
import { setLang } from "../lib/i18n";
import { info60020 } from "../test/fixtures";
import { answerWith, type Handler } from "../test/backend";
import { freshEachTest } from "../test/fresh";

const backEnd = (handlers: Record<string, Handler>) => answerWith(invoke, handlers);

freshEachTest(invoke);

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
