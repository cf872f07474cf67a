// Accessibility and window size, in the real window: on every screen of the demo plan, in both
// themes and both languages, axe-core finds no serious or critical violation; at 1024×700 no screen
// scrolls sideways and the footer's buttons stay on screen. Saves a screenshot of each combination.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { axeSerious, screenshot } from "./harness.mjs";
import { browser, el, go, withApp } from "./steps.mjs";

const SCREENS = ["start", "resources", "wecom_app", "network", "callback", "verify", "database", "export", "troubleshoot", "keep_working"];

async function show(step) {
  await go(step);
  const main = await el("step");
  await browser.waitUntil(async () => (await main.getAttribute("data-current")) === step, { timeout: 5_000 });
  // Let the screen's first commands answer (they are local) before judging it.
  await browser.pause(300);
}
async function choose(testid, value) {
  await (await el(testid)).selectByAttribute("value", value);
}

describe("accessibility and window size", () => {
  withApp({ demo: true });

  for (const theme of ["light", "dark"]) {
    for (const lang of ["en", "zh-CN"]) {
      it(`axe: no serious or critical violation on any screen (${theme}, ${lang})`, async () => {
        await choose("theme-select", theme);
        await choose("lang-select", lang);
        assert.equal(await browser.execute(() => document.documentElement.getAttribute("data-theme")), theme);
        const found = [];
        for (const step of SCREENS) {
          await show(step);
          await screenshot(browser, `a11y-${theme}-${lang}-${step}`);
          for (const v of await axeSerious(browser)) found.push(`${step}: ${v.impact} ${v.id} (${v.help}) at ${v.targets.join(", ")}`);
        }
        assert.deepEqual(found, [], found.join("\n"));
      });
    }
  }

  it("at 1024×700 no screen scrolls sideways and Back/Next stay on screen", async () => {
    await choose("theme-select", "light");
    await choose("lang-select", "zh-CN");
    await browser.setWindowSize(1024, 700);
    await browser.waitUntil(async () => (await browser.execute(() => window.innerWidth)) <= 1024, { timeout: 5_000 });
    const problems = [];
    for (const lang of ["zh-CN", "en"]) {
      await choose("lang-select", lang);
      for (const step of SCREENS) {
        await show(step);
        const m = await browser.execute(() => {
          const main = document.querySelector("main");
          const doc = document.scrollingElement;
          const rect = (id) => document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
          const next = rect("nav-next");
          const back = rect("nav-back");
          return {
            docWide: doc.scrollWidth > doc.clientWidth,
            mainWide: main.scrollWidth > main.clientWidth + 1,
            nextOff: !next || next.right > window.innerWidth || next.bottom > window.innerHeight,
            backOff: !back || back.left < 0 || back.bottom > window.innerHeight,
            w: window.innerWidth,
            h: window.innerHeight,
          };
        });
        for (const k of ["docWide", "mainWide", "nextOff", "backOff"]) if (m[k]) problems.push(`${lang} ${step}: ${k} at ${m.w}×${m.h}`);
        if (lang === "zh-CN") await screenshot(browser, `size-1024-${step}`);
      }
    }
    assert.deepEqual(problems, [], problems.join("\n"));
  });
});
