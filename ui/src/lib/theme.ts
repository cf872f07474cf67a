// The colour theme: follow the system (default), or light / dark as the admin chose. The choice is
// remembered in localStorage; the theme in use ("light" or "dark") is set as <html data-theme>,
// which app.css reads, and follows the system live while the choice is "system".

import { writable } from "svelte/store";

export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_KEY = "qa-wecom-setup.theme";

function isTheme(v: unknown): v is Theme {
  return (THEMES as readonly unknown[]).includes(v);
}

/** The saved theme, else "system". */
export function initialTheme(storage: Pick<Storage, "getItem"> | undefined): Theme {
  const saved = storage?.getItem(THEME_KEY);
  return isTheme(saved) ? saved : "system";
}

/** The theme to paint: the choice, or the system's for "system". */
export function effectiveTheme(choice: Theme, systemDark: boolean): "light" | "dark" {
  if (choice === "system") return systemDark ? "dark" : "light";
  return choice;
}

export const theme = writable<Theme>(initialTheme(globalThis.localStorage));

const darkQuery = globalThis.matchMedia?.("(prefers-color-scheme: dark)");

function apply(choice: Theme): void {
  globalThis.document?.documentElement.setAttribute("data-theme", effectiveTheme(choice, darkQuery?.matches ?? false));
}

let current: Theme = "system";
theme.subscribe((v) => {
  current = v;
  apply(v);
});
darkQuery?.addEventListener?.("change", () => apply(current));

/** Switches the theme and remembers it. */
export function setTheme(v: Theme): void {
  theme.set(v);
  globalThis.localStorage?.setItem(THEME_KEY, v);
}
