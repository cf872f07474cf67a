// The wizard with the keyboard only, in the real window: Tab walks header → sidebar → the step →
// Back/Next in reading order with a visible focus ring on every stop; Enter starts the demo;
// Alt+N opens step N (named in its tooltip); Save as opens with the focus in its path field,
// Escape closes it and gives the focus back, Enter saves.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { screenshot } from "./harness.mjs";
import { browser, el, fill, waitTitle, withApp } from "./steps.mjs";

const dir = mkdtempSync(join(tmpdir(), "qa-e2e-keys-"));

/** What has the focus: its test id, step id, or tag; and whether a focus ring is drawn on it. */
function focused() {
  return browser.execute(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { id: "body", ring: false };
    const s = getComputedStyle(e);
    const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== "none");
    return { id: e.dataset.testid ?? (e.dataset.step ? `step:${e.dataset.step}` : e.tagName.toLowerCase()), ring };
  });
}
/** Presses Tab up to `max` times, recording each focus stop. */
async function tabStops(max) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await browser.keys("Tab");
    stops.push(await focused());
  }
  return stops;
}

describe("keyboard only", () => {
  withApp({
    lang: "en",
    // Start from the top of the page, as after opening the app.
    setUp: () =>
      browser.execute(() => {
        document.activeElement?.blur();
        window.getSelection()?.removeAllRanges();
      }),
    cleanUp: () => rmSync(dir, { recursive: true, force: true }),
  });

  it("Tab reaches header, sidebar, the Start choices and Next in reading order, each with a focus ring", async () => {
    await (await el("app-title")).click(); // a click on plain text: the focus starts at the top
    const stops = await tabStops(20);
    const ids = stops.map((s) => s.id);
    const at = (id) => {
      const i = ids.indexOf(id);
      assert.ok(i >= 0, `${id} is reachable with Tab (stops: ${ids.join(", ")})`);
      return i;
    };
    const order = ["theme-select", "lang-select", "step:start", "step:export", "step:troubleshoot", "start-new", "start-demo"].map(at);
    assert.deepEqual([...order].sort((a, b) => a - b), order, `reading order (stops: ${ids.join(", ")})`);
    for (const s of stops) assert.ok(s.ring, `a focus ring on ${s.id}`);
    assert.ok(!ids.includes("nav-back"), "the disabled Back is skipped");
  });

  it("Enter on Demo opens the demo plan on Resources", async () => {
    await browser.execute(() => document.querySelector('[data-testid="start-demo"]').focus());
    await browser.keys("Enter");
    await waitTitle("Resources", { timeout: 15_000, timeoutMsg: "Enter did not start the demo" });
  });

  it("Alt+N opens step N, and each sidebar step names its shortcut", async () => {
    await browser.keys(["Alt", "5"]);
    await waitTitle("Callback", { timeout: 5_000 });
    const tip = await (await browser.$('[data-step="callback"]')).getAttribute("title");
    assert.match(tip, /Alt\+5/);
    await browser.keys(["Alt", "2"]);
    await waitTitle("Resources", { timeout: 5_000 });
  });

  it("Save as: the focus lands in the path field, Escape closes and returns it, Enter saves", async () => {
    await browser.execute(() => document.querySelector('[data-testid="plan-save-as"]').focus());
    await browser.keys("Enter");
    await (await el("saveas-form")).waitForExist({ timeout: 5_000 });
    assert.equal((await focused()).id, "saveas-path");
    await screenshot(browser, "keyboard-en-saveas");
    await browser.keys("Escape");
    await (await el("saveas-form")).waitForExist({ reverse: true, timeout: 5_000 });
    assert.equal((await focused()).id, "plan-save-as");

    await browser.keys("Enter");
    await (await el("saveas-form")).waitForExist({ timeout: 5_000 });
    const path = join(dir, "keyboard-plan.toml");
    await fill("saveas-path", path);
    await browser.keys("Enter");
    await (await el("saveas-form")).waitForExist({ reverse: true, timeout: 10_000 });
    await browser.waitUntil(async () => (await (await el("plan-path")).getAttribute("title")) === path, { timeout: 5_000 });
    assert.ok(existsSync(path), "the plan was written");
  });
});
