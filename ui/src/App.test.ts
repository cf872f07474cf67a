import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import App from "./App.svelte";
import { setLang } from "./lib/i18n";

describe("App", () => {
  beforeEach(() => {
    setLang("en");
    invoke.mockReset();
  });

  it("opens on Start with Back disabled", () => {
    render(App);
    expect(screen.getByTestId("step-title").textContent).toBe("Start");
    expect((screen.getByTestId("nav-back") as HTMLButtonElement).disabled).toBe(true);
  });

  it("Next and Back move between steps and the sidebar marks the current one", async () => {
    render(App);
    await fireEvent.click(screen.getByTestId("nav-next"));
    expect(screen.getByTestId("step-title").textContent).toBe("Resources");
    expect(document.querySelector('[data-step="resources"]')?.getAttribute("aria-current")).toBe("step");
    await fireEvent.click(screen.getByTestId("nav-back"));
    expect(screen.getByTestId("step-title").textContent).toBe("Start");
  });

  it("the language switch relabels the page", async () => {
    render(App);
    await fireEvent.change(screen.getByTestId("lang-select"), { target: { value: "zh-CN" } });
    expect(screen.getByTestId("step-title").textContent).toBe("开始");
    expect(screen.getByTestId("nav-next").textContent).toContain("下一步");
  });

  it("shows the back end's error for a zero user count in the current language", async () => {
    invoke.mockImplementation(() => Promise.reject({ code: "users_not_positive", message: "x", params: {} }));
    render(App);
    await fireEvent.click(screen.getByTestId("nav-next"));
    await fireEvent.input(screen.getByTestId("users-input"), { target: { value: "0" } });
    expect((await screen.findByTestId("users-error")).textContent).toContain("at least 1");
  });
});
