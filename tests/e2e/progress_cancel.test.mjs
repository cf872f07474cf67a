// Long work shows progress and can be cancelled, in the real window on the demo plan: Verify with
// the receiver's `hang` fault shows its first rungs while it runs, Cancel ends it within a second
// with "Cancelled" and no result on screen, and Verify then runs green with no fault; with the
// `slow` fault the rungs arrive live while the reply is awaited. In English, then in Chinese.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { axeSerious, screenshot } from "./harness.mjs";
import { browser, chooseLanguage, diagnosisCode, el, go, text, withApp } from "./steps.mjs";

async function liveRungs() {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="verify-live"] [data-rung]')].map(
      (r) => `${r.getAttribute("data-rung")}:${r.getAttribute("data-status")}`,
    ),
  );
}
async function pickFault(fault) {
  await (await el("verify-fault")).selectByAttribute("value", fault);
}

/** Picks `hang` (the receiver restarts and the check starts), sees its first rungs live, cancels
 *  it and sees "Cancelled" within a second; screenshots under `progress-<lang>-…`. */
async function hangThenCancel(lang, cancelledWord) {
  await pickFault("hang");
  await browser.waitUntil(async () => (await liveRungs()).length >= 3, {
    timeout: 15_000,
    timeoutMsg: "no live rungs while the check of a hanging receiver runs",
  });
  assert.deepEqual((await liveRungs()).slice(0, 3), ["dns:pass", "tcp:pass", "tls:pass"]);
  assert.ok(await (await el("verify-live-pending")).isDisplayed(), "the rung being climbed shows as pending");
  assert.equal(await (await el("verify-report")).isExisting(), false, "no report while it runs");
  await browser.execute(() => document.querySelector('[data-testid="verify-live"]')?.scrollIntoView({ block: "end" }));
  await screenshot(browser, `progress-${lang}-verify-running`);
  const serious = (await axeSerious(browser)).map((v) => `${v.impact} ${v.id} at ${v.targets.join(", ")}`);
  assert.deepEqual(serious, [], "axe while the check runs");

  const cancel = await el("verify-cancel");
  assert.equal(await cancel.isFocused(), false);
  const started = Date.now();
  await cancel.click();
  await (await el("verify-cancelled")).waitForExist({ timeout: 1_000, timeoutMsg: "not cancelled within a second" });
  const took = Date.now() - started;
  assert.ok(took < 1_000, `cancelled after ${took} ms`);
  assert.equal(await text("verify-cancelled"), cancelledWord);
  assert.equal(await (await el("verify-live")).isExisting(), false);
  assert.equal(await (await el("verify-report")).isExisting(), false, "no stale result after a cancel");
  assert.equal(await (await el("verify-error")).isExisting(), false, "a cancel is no error");
  assert.equal(await (await el("verify-run")).isEnabled(), true);
  await browser.waitUntil(async () => (await browser.execute(() => document.querySelector('[data-testid="live-region"]')?.textContent ?? "")).includes(cancelledWord), {
    timeout: 2_000,
    timeoutMsg: "the cancel was not announced",
  });
  await screenshot(browser, `progress-${lang}-verify-cancelled`);
  assert.deepEqual(await axeSerious(browser), [], "axe after the cancel");
}

describe("progress and cancel: Verify in the demo", () => {
  withApp({
    lang: "en",
    demo: true,
    setUp: async () => {
      await go("verify");
      await (await el("verify-fault")).waitForExist({ timeout: 10_000 });
    },
  });

  it("hang: the first rungs appear while it runs, Cancel ends it within a second, then Verify runs green", async () => {
    await hangThenCancel("en", "Cancelled");
    // The Cancel button is reachable from the keyboard while a check runs.
    await pickFault("");
    await browser.waitUntil(async () => (await diagnosisCode()) === "ok", { timeout: 20_000, timeoutMsg: "not green again" });
    assert.equal(await (await el("verify-cancelled")).isExisting(), false, "a new run clears Cancelled");
  });

  it("Cancel is reached with Tab and pressed with Enter", async () => {
    await pickFault("hang");
    await browser.waitUntil(async () => (await liveRungs()).length >= 1, { timeout: 15_000 });
    await (await el("verify-send-event")).waitForExist();
    await browser.execute(() => document.querySelector('[data-testid="verify-send-event"]')?.focus());
    await browser.keys("Tab");
    assert.equal(await (await el("verify-cancel")).isFocused(), true, "Tab from Send test event reaches Cancel");
    await browser.keys("Enter");
    await (await el("verify-cancelled")).waitForExist({ timeout: 1_000 });
    await pickFault("");
    await browser.waitUntil(async () => (await diagnosisCode()) === "ok", { timeout: 20_000 });
  });

  it("slow: rungs arrive live while the reply is awaited, then the report replaces them", async () => {
    // The receiver answers correctly after 1.2 s: DNS, TCP and TLS are on screen during that wait.
    await pickFault("slow");
    await browser.waitUntil(async () => (await liveRungs()).length >= 1, { timeout: 15_000, timeoutMsg: "no live rung" });
    const firstSeen = Date.now();
    const rungsThen = await liveRungs();
    assert.equal(await (await el("verify-report")).isExisting(), false, "the rungs came before the report");
    assert.ok(await (await el("verify-live-pending")).isExisting(), "the awaited rung shows as pending");
    await browser.waitUntil(async () => (await diagnosisCode()) !== null, { timeout: 15_000, timeoutMsg: "no report" });
    const reportAfter = Date.now() - firstSeen;
    assert.ok(reportAfter >= 600, `the report came ${reportAfter} ms after the first live rung (${rungsThen})`);
    assert.equal(await (await el("verify-live")).isExisting(), false, "the report replaced the live rungs");
    assert.equal(await diagnosisCode(), "too_slow");
    await pickFault("");
    await browser.waitUntil(async () => (await diagnosisCode()) === "ok", { timeout: 20_000 });
  });

  it("the same in Chinese", async () => {
    await chooseLanguage("zh-CN");
    await hangThenCancel("zh", "已取消");
    assert.equal(await text("verify-run"), "验证");
    await pickFault("");
    await browser.waitUntil(async () => (await diagnosisCode()) === "ok", { timeout: 20_000 });
  });
});
