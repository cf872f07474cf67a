import { describe, expect, it } from "vitest";
import { get } from "svelte/store";
import { effectiveTheme, initialTheme, setTheme, theme, THEME_KEY } from "./theme";

describe("theme", () => {
  it("follows the system unless a valid choice was saved", () => {
    expect(initialTheme(undefined)).toBe("system");
    expect(initialTheme({ getItem: () => "dark" })).toBe("dark");
    expect(initialTheme({ getItem: () => "purple" })).toBe("system");
  });

  it("paints the system's theme for 'system' and the choice otherwise", () => {
    expect(effectiveTheme("system", true)).toBe("dark");
    expect(effectiveTheme("system", false)).toBe("light");
    expect(effectiveTheme("light", true)).toBe("light");
    expect(effectiveTheme("dark", false)).toBe("dark");
  });

  it("sets <html data-theme> and remembers the choice", () => {
    setTheme("dark");
    expect(document.documentElement.getAttribute("data-theme")).toBe("dark");
    expect(localStorage.getItem(THEME_KEY)).toBe("dark");
    expect(get(theme)).toBe("dark");
    setTheme("light");
    expect(document.documentElement.getAttribute("data-theme")).toBe("light");
  });
});
