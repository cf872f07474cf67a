// The UI's two languages (English, 简体中文) with i18next; the choice is remembered in localStorage
// and mirrored on <html lang> so fonts and screen readers follow.

import i18next from "i18next";
import { writable, derived } from "svelte/store";
import en from "../locales/en.json";
import zhCN from "../locales/zh-CN.json";

export const LANGUAGES = [
  { code: "en", label: "English" },
  { code: "zh-CN", label: "简体中文" },
] as const;
export type Lang = (typeof LANGUAGES)[number]["code"];

export const STORAGE_KEY = "qa-wecom-setup.lang";

function isLang(v: unknown): v is Lang {
  return LANGUAGES.some((l) => l.code === v);
}

/** The saved language, else the system's if it is Chinese, else English. */
export function initialLang(storage: Pick<Storage, "getItem"> | undefined, systemLang: string | undefined): Lang {
  const saved = storage?.getItem(STORAGE_KEY);
  if (isLang(saved)) return saved;
  return systemLang?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

const start = initialLang(globalThis.localStorage, globalThis.navigator?.language);

void i18next.init({
  lng: start,
  fallbackLng: "en",
  resources: { en: { translation: en }, "zh-CN": { translation: zhCN } },
  interpolation: { escapeValue: false },
  initAsync: false,
});

export const lang = writable<Lang>(start);

/** Looks up a key in the current language and fills in `{{params}}`. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** `$t("key", params)` in components; re-renders when the language changes. */
export const t = derived(lang, ($lang): Translate => {
  const fixed = i18next.getFixedT($lang);
  return (key, params) => String(fixed(key, params ?? {}));
});

export function setLang(next: Lang): void {
  lang.set(next);
  globalThis.localStorage?.setItem(STORAGE_KEY, next);
  if (globalThis.document) document.documentElement.lang = next;
}

if (globalThis.document) document.documentElement.lang = start;
