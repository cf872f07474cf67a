import { beforeEach, describe, expect, it } from "vitest";
import { get } from "svelte/store";
import en from "../locales/en.json";
import zhCN from "../locales/zh-CN.json";
import { initialLang, setLang, t, STORAGE_KEY } from "./i18n";

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === "object" && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
function leaf(obj: object, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj);
}

describe("translations", () => {
  it("English and Chinese have exactly the same keys", () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it("no string is empty, and the Chinese text is actually translated", () => {
    for (const k of keys(en)) {
      expect(String(leaf(en, k)).trim(), k).not.toBe("");
      expect(String(leaf(zhCN, k)).trim(), k).not.toBe("");
    }
    expect(zhCN.nav.next).not.toBe(en.nav.next);
    expect(zhCN.steps.verify.title).not.toBe(en.steps.verify.title);
  });

  it("both languages keep the same {{placeholders}} in each string", () => {
    const ph = (s: string) => (s.match(/{{\w+}}/g) ?? []).sort();
    for (const k of keys(en)) {
      expect(ph(String(leaf(zhCN, k))), k).toEqual(ph(String(leaf(en, k))));
    }
  });
});

describe("language choice", () => {
  beforeEach(() => localStorage.clear());

  it("a saved choice wins over the system language", () => {
    expect(initialLang({ getItem: () => "zh-CN" }, "en-US")).toBe("zh-CN");
    expect(initialLang({ getItem: () => "en" }, "zh-CN")).toBe("en");
  });

  it("without a saved choice, a Chinese system starts in Chinese, anything else in English", () => {
    expect(initialLang({ getItem: () => null }, "zh-TW")).toBe("zh-CN");
    expect(initialLang({ getItem: () => null }, "de-DE")).toBe("en");
    expect(initialLang({ getItem: () => "klingon" }, undefined)).toBe("en");
  });

  it("switching is remembered and changes the translations", () => {
    setLang("zh-CN");
    expect(localStorage.getItem(STORAGE_KEY)).toBe("zh-CN");
    expect(get(t)("nav.next")).toBe("下一步");
    expect(document.documentElement.lang).toBe("zh-CN");
    setLang("en");
    expect(get(t)("nav.next")).toBe("Next");
  });
});
