// The Keep it working page against a stand-in back end: what it sends over IPC, what it shows in
// both languages, and that it asks for a plan before calling anything.

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import KeepWorkingStep from "./KeepWorkingStep.svelte";
import { setLang } from "../lib/i18n";
import { okReport, refusedReport } from "../test/fixtures";
import { answerWith, type Handler } from "../test/backend";
import { freshEachTest } from "../test/fresh";

const backEnd = (handlers: Record<string, Handler>) => answerWith(invoke, handlers);

const PLAN = "/srv/qa/plan.toml";

freshEachTest(invoke);

describe("Keep it working", () => {
  it("asks for the plan before calling the back end", async () => {
    render(KeepWorkingStep);
    await fireEvent.click(screen.getByTestId("keep-check"));
    expect(invoke).not.toHaveBeenCalled();
    expect((await screen.findByTestId("keep-error")).textContent).toContain("plan file");
  });

  it("checks the plan once and shows each check's verdict in the UI language", async () => {
    const refused = refusedReport();
    backEnd({ watch_once: () => [okReport(), { ...refused, check: "wecom" }] });
    render(KeepWorkingStep);
    await fireEvent.input(screen.getByTestId("keep-plan"), { target: { value: PLAN } });
    await fireEvent.click(screen.getByTestId("keep-check"));
    expect(invoke).toHaveBeenLastCalledWith("watch_once", { plan_path: PLAN, url: null });
    const list = await screen.findByTestId("keep-reports");
    const items = within(list).getAllByRole("listitem");
    expect(items.map((i) => i.dataset.check)).toEqual(["verify", "wecom"]);
    expect(items[0].dataset.ok).toBe("true");
    expect(items[1].dataset.code).toBe(refused.diagnosis.code);
    expect(items[0].textContent).toContain("URL verification: passed");
    setLang("zh-CN");
    await Promise.resolve();
    expect(within(list).getAllByRole("listitem")[1].textContent).toContain("企业微信 API: 未通过");
    expect(within(list).getAllByRole("listitem")[1].textContent).toContain(refused.diagnosis.text.fix.zh);
  });

  it("rotates, then rolls back, and shows the files and the steps in order", async () => {
    const steps = [
      { en: "Enter the new pair in Quick Audience.", zh: "在 Quick Audience 中填写新的一组密钥。" },
      { en: "Verify.", zh: "验证。" },
      { en: "Save in WeCom.", zh: "在企业微信中保存。" },
    ];
    backEnd({
      rotate_pair: (a) => ({
        rollback: a.rollback,
        secrets_file: "/srv/qa/plan.secrets.toml",
        previous_file: "/srv/qa/plan.secrets.previous.toml",
        steps,
      }),
    });
    render(KeepWorkingStep);
    await fireEvent.input(screen.getByTestId("keep-plan"), { target: { value: PLAN } });
    await fireEvent.click(screen.getByTestId("keep-rotate"));
    expect(invoke).toHaveBeenLastCalledWith("rotate_pair", { plan_path: PLAN, rollback: false });
    const shown = await screen.findByTestId("keep-rotation");
    expect(shown.textContent).toContain("plan.secrets.previous.toml");
    const items = within(screen.getByTestId("keep-rotation-steps")).getAllByRole("listitem");
    expect(items.map((i) => i.textContent)).toEqual(steps.map((s) => s.en));
    await fireEvent.click(screen.getByTestId("keep-rollback"));
    expect(invoke).toHaveBeenLastCalledWith("rotate_pair", { plan_path: PLAN, rollback: true });
    expect((await screen.findByTestId("keep-rotation")).dataset.rollback).toBe("true");
  });

  it("makes the support pack beside the plan and lists it; an error is shown by its code", async () => {
    backEnd({
      support_pack: (a) => {
        if (a.output === "/forbidden/x.zip") throw { code: "secret_leak", message: "the generated file plan.toml would contain a secret", params: {} };
        return [{ path: "about.json", sha256: "ab", bytes: 300, secret: false }, { path: "plan.toml", sha256: "cd", bytes: 900, secret: false }];
      },
    });
    render(KeepWorkingStep);
    await fireEvent.input(screen.getByTestId("keep-plan"), { target: { value: PLAN } });
    await fireEvent.click(screen.getByTestId("keep-pack"));
    expect(invoke).toHaveBeenLastCalledWith("support_pack", { plan_path: PLAN, output: "/srv/qa/plan-support.zip" });
    const files = await screen.findByTestId("keep-pack-files");
    expect(within(files).getAllByRole("listitem").map((i) => i.textContent)).toEqual(["about.json · 300 bytes", "plan.toml · 900 bytes"]);
    await fireEvent.input(screen.getByTestId("keep-output"), { target: { value: "/forbidden/x.zip" } });
    await fireEvent.click(screen.getByTestId("keep-pack"));
    expect((await screen.findByTestId("keep-error")).textContent).toContain("would contain a secret");
  });
});
