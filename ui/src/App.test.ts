import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import App from "./App.svelte";
import { setUnreadable } from "./lib/plan.svelte";
import { answerWith, type Handler } from "./test/backend";
import { demoView, newView, withStep } from "./test/plan";
import { freshEachTest } from "./test/fresh";

/** The back end of a fresh start (no recent plan, no autosave), answering `more` commands too. */
const backEnd = (more: Record<string, Handler> = {}) => answerWith(invoke, { plan_recent: () => [], autosave_offer: () => null, ...more });

/** The app rendered and the demo plan opened from Start. */
async function openDemo() {
  backEnd({ plan_demo: () => demoView() });
  render(App);
  await fireEvent.click(screen.getByTestId("start-demo"));
  await screen.findByTestId("planbar");
}

freshEachTest(invoke);

describe("App", () => {
  beforeEach(() => backEnd());

  it("opens on Start with Back disabled", () => {
    render(App);
    expect(screen.getByTestId("step-title").textContent).toBe("Start");
    expect((screen.getByTestId("nav-back") as HTMLButtonElement).disabled).toBe(true);
  });

  it("Next and Back move between steps; without a plan a step leads back to Start", async () => {
    render(App);
    await fireEvent.click(screen.getByTestId("nav-next"));
    expect(screen.getByTestId("step-title").textContent).toBe("Resources");
    expect(document.querySelector('[data-step="resources"]')?.getAttribute("aria-current")).toBe("step");
    expect(screen.getByTestId("no-plan")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("nav-back"));
    expect(screen.getByTestId("step-title").textContent).toBe("Start");
  });

  it("Alt+number opens that flow step, and the step's tooltip names the shortcut", async () => {
    render(App);
    const wecom = document.querySelector('[data-step="wecom_app"]') as HTMLElement;
    expect(wecom.title).toBe("Alt+3");
    await fireEvent.keyDown(window, { key: "3", altKey: true });
    expect(screen.getByTestId("step-title").textContent).toBe("WeCom app");
    await fireEvent.keyDown(window, { key: "5" });
    expect(screen.getByTestId("step-title").textContent).toBe("WeCom app");
  });

  it("the theme switch paints dark and light whatever the system says", async () => {
    render(App);
    await fireEvent.change(screen.getByTestId("theme-select"), { target: { value: "dark" } });
    expect(document.documentElement.getAttribute("data-theme")).toBe("dark");
    await fireEvent.change(screen.getByTestId("theme-select"), { target: { value: "light" } });
    expect(document.documentElement.getAttribute("data-theme")).toBe("light");
  });

  it("the language switch relabels the page", async () => {
    render(App);
    await fireEvent.change(screen.getByTestId("lang-select"), { target: { value: "zh-CN" } });
    expect(screen.getByTestId("step-title").textContent).toBe("开始");
    expect(screen.getByTestId("nav-next").textContent).toContain("下一步");
  });

  it("Demo asks the back end for the demo plan, then the sidebar shows each step's status", async () => {
    await openDemo();
    expect(invoke).toHaveBeenCalledWith("plan_demo", undefined);
    expect(document.querySelector('[data-step="resources"]')?.getAttribute("data-status")).toBe("done");
    expect(document.querySelector('[data-step="verify"]')?.getAttribute("data-status")).toBe("not_started");
    expect(screen.getByTestId("plan-path").textContent).toContain("demo/plan.toml");
  });

  it("a step whose status is error holds Next and says why, in the current language", async () => {
    const reason = { en: "The domain is missing.", zh: "缺少域名。" };
    backEnd({ plan_new: () => withStep(newView(), "start", "error", reason) });
    render(App);
    await fireEvent.click(screen.getByTestId("start-new"));
    await screen.findByTestId("planbar");
    await fireEvent.click(document.querySelector('[data-step="start"]') as HTMLElement);
    expect((screen.getByTestId("nav-next") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("nav-blocked").textContent).toContain("The domain is missing.");
    await fireEvent.change(screen.getByTestId("lang-select"), { target: { value: "zh-CN" } });
    expect(screen.getByTestId("nav-blocked").textContent).toContain("缺少域名。");
  });

  it("a field that cannot be read (letters in a number) marks its step error in the sidebar, and clears it", async () => {
    await openDemo();
    const wecom = document.querySelector('[data-step="wecom_app"]') as HTMLElement;
    expect(wecom.getAttribute("data-status")).toBe("done");
    setUnreadable("wecom_app", "wecom.agent_id", true);
    await tick();
    expect(wecom.getAttribute("data-status")).toBe("error");
    expect(wecom.querySelector(".status")?.textContent?.trim()).toBe("✕");
    setUnreadable("wecom_app", "wecom.agent_id", false);
    await tick();
    expect(wecom.getAttribute("data-status")).toBe("done");
  });

  it("an autosave left by a killed session is offered and restored", async () => {
    backEnd({
      autosave_offer: () => ({ path: "/srv/plan.toml", demo: false }),
      autosave_restore: () => ({ ...demoView(), demo: false, dirty: true, path: "/srv/plan.toml" }),
    });
    render(App);
    expect((await screen.findByTestId("autosave-offer")).textContent).toContain("/srv/plan.toml");
    await fireEvent.click(screen.getByTestId("autosave-restore"));
    expect((await screen.findByTestId("plan-dirty")).textContent).toContain("Unsaved");
    expect(screen.queryByTestId("autosave-offer")).toBeNull();
    expect(screen.getByTestId("step-title").textContent).toBe("Resources");
  });

  it("Save on a plan that was never saved asks where, then saves there", async () => {
    backEnd({
      plan_new: () => newView(),
      plan_save_as: (a) => ({ ...newView(), path: a.path as string }),
    });
    render(App);
    await fireEvent.click(screen.getByTestId("start-new"));
    await fireEvent.click(await screen.findByTestId("plan-save"));
    await fireEvent.input(screen.getByTestId("saveas-path"), { target: { value: "/srv/qa/plan.toml" } });
    await fireEvent.click(screen.getByTestId("saveas-confirm"));
    expect((await screen.findByText("/srv/qa/plan.toml", { exact: false })).textContent).toContain("/srv/qa/plan.toml");
    expect(invoke).toHaveBeenCalledWith("plan_save_as", { path: "/srv/qa/plan.toml" });
  });
});
