// What every e2e file does in the app window: launch and close it (the describe's hooks), find and
// read elements by test id, move between steps, type into fields, and the few checks several files
// make the same way (errors on the page, the sidebar marks, a report's rungs). `browser` is the
// current app's WebdriverIO session: a live binding, replaced by each openApp.

import { after, before } from "node:test";
import { launchApp, stopAll } from "./harness.mjs";

/** The app window's WebdriverIO session (null before openApp and after closeApp). */
export let browser = null;

/** Launches the app, waits for its first screen and, given `lang`, picks that language. */
export async function openApp(lang) {
  browser = await launchApp();
  await (await el("step-title")).waitForExist({ timeout: 20_000 });
  if (lang) await chooseLanguage(lang);
  return browser;
}

/** Ends the WebDriver session and stops every process of this launch, also when the session fails to end. */
export async function closeApp() {
  try {
    await browser?.deleteSession();
  } finally {
    stopAll();
    browser = null;
  }
}

/**
 * The describe's hooks: before, the app opened (in `lang`, then the demo plan opened with `demo`,
 * then `setUp`); after, the app closed, then `cleanUp` (also when closing fails).
 */
export function withApp({ lang, demo = false, setUp, cleanUp } = {}) {
  before(async () => {
    await openApp(lang);
    if (demo) await startDemo();
    await setUp?.();
  });
  after(async () => {
    try {
      await closeApp();
    } finally {
      cleanUp?.();
    }
  });
}

/** The element with `data-testid="<testid>"`. */
export const el = (testid) => browser.$(`[data-testid="${testid}"]`);
/** Its text. */
export const text = async (testid) => (await el(testid)).getText();
/** The current step's title. */
export const title = () => text("step-title");

/** Clicks `testid` once it is in the middle of the pane (a shrinking page can leave it under the footer). */
export async function click(testid) {
  const e = await el(testid);
  await e.scrollIntoView({ block: "center" });
  await e.click();
}

/** Types `value` into the field `testid`, scrolled into view; "" empties it by typing (one character, then Backspace). */
export async function type(testid, value) {
  const e = await el(testid);
  await e.scrollIntoView({ block: "center" });
  await e.setValue(value === "" ? "x" : value);
  if (value === "") await browser.keys(["Backspace"]);
}

/**
 * Replaces a field's text and tells the page, as typing would (an input event): WebDriver's clear
 * alone leaves the screen's state holding the old text, and select-all races the focus.
 */
export async function fill(testid, value) {
  await browser.execute(
    (id, v) => {
      const e = document.querySelector(`[data-testid="${id}"]`);
      e.value = v;
      e.dispatchEvent(new Event("input", { bubbles: true }));
    },
    testid,
    value,
  );
}

/** Picks the language `code` in the header. */
export async function chooseLanguage(code) {
  await (await el("lang-select")).selectByAttribute("value", code);
}

/** Opens `step` from the sidebar. */
export async function go(step) {
  await (await browser.$(`nav [data-step="${step}"]`)).click();
}

/** The sidebar mark of `step` (its data-status). */
export async function status(step) {
  return (await browser.$(`nav [data-step="${step}"]`)).getAttribute("data-status");
}

/** The sidebar marks of the plan steps, by step id. */
export async function statuses() {
  return browser.execute(() =>
    Object.fromEntries([...document.querySelectorAll("nav ol [data-step][data-status]")].map((b) => [b.dataset.step, b.dataset.status])),
  );
}

/** Whether Next is enabled. */
export async function nextEnabled() {
  return (await el("nav-next")).isEnabled();
}

/** Waits until the step's title is `expected`. */
export async function waitTitle(expected, { timeout = 10_000, timeoutMsg } = {}) {
  await browser.waitUntil(async () => (await title()) === expected, { timeout, timeoutMsg });
}

/** Waits until `testid` exists and its text matches `pattern`; answers that text. */
export async function waitText(testid, pattern, timeout = 10_000) {
  await browser.waitUntil(
    async () => {
      const e = await el(testid);
      return (await e.isExisting()) && pattern.test(await e.getText());
    },
    { timeout, timeoutMsg: `${testid} did not show ${pattern}` },
  );
  return text(testid);
}

/** Start → Demo (clicked): waits until the demo plan is open on Resources. */
export async function startDemo() {
  await click("start-demo");
  await browser.waitUntil(async () => (await (await el("step")).getAttribute("data-current")) === "resources", {
    timeout: 20_000,
    timeoutMsg: "the demo did not open on Resources",
  });
}

/** Scrolls an element to the top of the step's pane, so the screenshot shows it and what follows. */
export async function scrollTo(testid) {
  await browser.execute((id) => document.querySelector(`[data-testid="${id}"]`)?.scrollIntoView({ block: "start" }), testid);
}

/** What on the page is an error: error issues, error messages, invalid fields, red sidebar marks. */
export async function errorsOnPage() {
  return browser.execute(() =>
    [...document.querySelectorAll('.issues li.error, p.error, [aria-invalid="true"], [data-status="error"]')].map(
      (e) => e.getAttribute("data-testid") ?? e.getAttribute("data-step") ?? e.textContent,
    ),
  );
}

/** The rungs of the report `testid`, as `name:status`. */
export async function rungs(testid) {
  return browser.$$(`[data-testid="${testid}"] [data-rung]`).map(async (r) => `${await r.getAttribute("data-rung")}:${await r.getAttribute("data-status")}`);
}

/** The diagnosis code shown in `testid`, or null while there is none. */
export async function diagnosisCode(testid = "verify-report-diagnosis") {
  const d = await el(testid);
  return (await d.isExisting()) ? d.getAttribute("data-code") : null;
}
