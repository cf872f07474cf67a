// The plan's life across app runs, in the real window: a new plan filled on Resources, WeCom app,
// Network, Callback (the pair generated) and Database, saved with Save as to a typed path (the plan
// file and its 0600 secrets file on disk, no secret in the plan file), the app started again (same
// HOME) and the plan opened from the Recent list: every field back on every screen. Then an unsaved
// plan is edited and the app SIGKILLed: on the next start the autosave is offered, and restoring it
// brings the edits back. Then closing the window (a real WM_DELETE_WINDOW) with unsaved changes asks;
// Cancel keeps the app, Discard closes it; a saved plan closes without asking. Screenshots life-*.png.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_DATA, TARGET, appPid, closeWindowLikeTheUser, killApp, screenshot, waitExit } from "./harness.mjs";
import { browser, click, closeApp, el, go, openApp, statuses, text, title, type, waitTitle } from "./steps.mjs";

const work = mkdtempSync(join(tmpdir(), "life-e2e-"));
const planPath = join(work, "acme", "plan.toml");
const secretsPath = join(work, "acme", "plan.secrets.toml");
const tlsDir = join(work, "tls");

/** What the admin types, by field test id (all text inputs). */
const TYPED = {
  resources: {
    "field-resources.domain": "qawecom.acme.example.com",
    "field-resources.public_ip": "203.0.113.10",
    "field-resources.wecom_users": "20000",
    "field-tls.certificate_file": join(tlsDir, "demo-only.crt"),
    "field-secrets.tls.private_key_file": join(tlsDir, "demo-only.key"),
    "field-tls.server_certificate_path": "/etc/nginx/tls/qawecom.acme.example.com.crt",
    "field-tls.server_key_path": "/etc/nginx/tls/qawecom.acme.example.com.key",
  },
  wecom_app: {
    "field-wecom.corp_id": "ww0123456789abcdef",
    "field-wecom.agent_id": "1000005",
    "field-secrets.app_secret": "AcmeAppSecret_0123456789abcdefghijklmnopq",
  },
  network: {
    "field-network.qa_upstream": "10.0.0.12:8080",
    "field-quick_audience.organization_id": "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6",
    "field-quick_audience.workspace_id": "5a3e3999-fccb-43ef-b232-9cbbae053e8b",
  },
  database: {
    "field-database.name": "acme_analysis",
  },
};
/** What the core generated on Callback, read from the screen. */
const generated = {};

/** Waits until the core's view of the plan has `value` at `path` (the edit arrived). */
async function waitPlan(read, expected, what) {
  await browser.waitUntil(
    async () => {
      const v = await browser.execute(read);
      return v === expected;
    },
    { timeout: 10_000, timeoutMsg: `${what} did not reach the plan` },
  );
}
/** Opens the app in English. */
const startApp = () => openApp("en");
/** Ends the session and every process of this launch (the app may be gone already). */
async function endApp() {
  try {
    await closeApp();
  } catch {
    /* the session died with the app */
  }
}
/** Every typed field of `step` shows what was typed. */
async function assertTyped(step) {
  for (const [id, value] of Object.entries(TYPED[step])) {
    assert.equal(await (await el(id)).getValue(), value, `${id} on ${step}`);
  }
}

describe("a plan saved, reopened, autosaved and closed", () => {
  before(async () => {
    mkdirSync(join(work, "acme"));
    execFileSync(join(TARGET, "debug/qa-wecom"), ["cert", "self-signed", "--domain", "qawecom.acme.example.com", "-o", tlsDir]);
    await startApp();
  });
  after(async () => {
    try {
      await endApp();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("a new plan filled on every screen and saved with Save as: the plan file and its 0600 secrets file", async () => {
    await click("start-new");
    await waitTitle("Resources");
    for (const id of ["field-resources.domain", "field-resources.public_ip", "field-resources.wecom_users"]) await type(id, TYPED.resources[id]);
    await click("tls-mode-provided");
    await type("field-tls.certificate_file", TYPED.resources["field-tls.certificate_file"]);
    await type("field-secrets.tls.private_key_file", TYPED.resources["field-secrets.tls.private_key_file"]);
    await (await browser.$("details.server summary")).click();
    await type("field-tls.server_certificate_path", TYPED.resources["field-tls.server_certificate_path"]);
    await type("field-tls.server_key_path", TYPED.resources["field-tls.server_key_path"]);
    await screenshot(browser, "life-en-02-resources-filled");

    await go("wecom_app");
    for (const [id, v] of Object.entries(TYPED.wecom_app)) await type(id, v);
    await go("network");
    for (const [id, v] of Object.entries(TYPED.network)) await type(id, v);
    await click("network-proxy-other");
    await go("callback");
    await click("callback-generate");
    await browser.waitUntil(async () => /^[A-Za-z0-9]{43}$/.test(await (await el("field-secrets.encoding_aes_key")).getValue()), {
      timeout: 10_000,
      timeoutMsg: "the pair was not generated",
    });
    generated.token = await (await el("field-secrets.token")).getValue();
    generated.aesKey = await (await el("field-secrets.encoding_aes_key")).getValue();
    assert.match(generated.token, /^[A-Za-z0-9]{32}$/);
    await click("callback-console-visible_range");
    await click("callback-console-api_receive");
    await browser.waitUntil(async () => (await text("callback-console-progress")) === "2 of 4 done", { timeout: 5_000 });
    await go("database");
    await (await el("field-database.kind")).selectByAttribute("value", "postgresql");
    await type("field-database.name", TYPED.database["field-database.name"]);
    await waitPlan(() => document.querySelector('[data-testid="database-sql"]')?.value?.includes("acme_analysis") ?? false, true, "the database name");

    await click("plan-save-as");
    await type("saveas-path", planPath);
    await click("saveas-confirm");
    await browser.waitUntil(async () => (await (await el("plan-path")).getAttribute("title")) === planPath, { timeout: 10_000 }).catch(async () => {
      const why = await browser.execute(() => document.querySelector('[data-testid="plan-save-error"]')?.textContent);
      throw new Error(`Save as did not save: ${why}`);
    });
    await screenshot(browser, "life-en-07-saved");
    assert.equal(await (await el("plan-dirty")).isExisting(), false, "saved: no unsaved mark");
    assert.equal(await (await el("plan-path")).isDisplayed(), true, "the saved plan's path is in the header");
    const shown = await browser.execute(() => document.querySelector('[data-testid="plan-path"]').textContent.trim());
    assert.ok(planPath.endsWith(shown.replace(/^…/, "")), `the header shows the path or its end (${shown})`);
    assert.ok(shown.endsWith("/acme/plan.toml"), `the folder and file name stay visible (${shown})`);

    const plan = readFileSync(planPath, "utf8");
    for (const v of ["qawecom.acme.example.com", "203.0.113.10", "ww0123456789abcdef", "1000005", "10.0.0.12:8080", "acme_analysis", "postgresql"]) {
      assert.ok(plan.includes(v), `the plan file holds ${v}`);
    }
    assert.match(plan, /proxy\s*=\s*"other"/);
    assert.match(plan, /visible_range/);
    assert.equal(statSync(secretsPath).mode & 0o777, 0o600, "the secrets file is owner-only");
    const secrets = readFileSync(secretsPath, "utf8");
    for (const v of [generated.token, generated.aesKey, TYPED.wecom_app["field-secrets.app_secret"]]) {
      assert.ok(secrets.includes(v), "the secrets file holds each secret");
      assert.ok(!plan.includes(v), "the plan file holds no secret");
    }
    assert.ok(secrets.includes("demo-only.key"), "the TLS key path is in the secrets file");
  });

  it("started again, the plan opened from the Recent list restores every field on every screen", async () => {
    const before = await statuses();
    await endApp();
    await startApp();
    assert.equal(await title(), "Start");
    const recent = await browser.$$('[data-testid="start-recent"] button').map((b) => b.getText());
    assert.deepEqual(recent, [planPath], "the saved plan is in the Recent list");
    await screenshot(browser, "life-en-01-recent");
    await (await browser.$('[data-testid="start-recent"] button')).click();
    await waitTitle("Resources", { timeoutMsg: "the plan did not open" });
    assert.equal(await (await el("plan-path")).getAttribute("title"), planPath);
    assert.equal(await (await el("plan-dirty")).isExisting(), false);

    assert.equal(await (await el("tls-mode-provided")).isSelected(), true, "TLS mode provided");
    await assertTyped("resources");
    assert.match(await text("resources-bandwidth"), /20,000/);
    await screenshot(browser, "life-en-02-resources-reopened");
    await go("wecom_app");
    await assertTyped("wecom_app");
    assert.equal(await (await el("field-secrets.app_secret")).getAttribute("type"), "password", "the Secret is masked on reopening");
    await go("network");
    await assertTyped("network");
    assert.equal(await (await el("network-proxy-other")).isSelected(), true, "proxy kind other");
    await go("callback");
    assert.equal(await (await el("field-secrets.token")).getValue(), generated.token);
    assert.equal(await (await el("field-secrets.encoding_aes_key")).getValue(), generated.aesKey);
    assert.equal(await (await el("callback-console-visible_range")).isSelected(), true);
    assert.equal(await (await el("callback-console-api_receive")).isSelected(), true);
    assert.equal(await text("callback-console-progress"), "2 of 4 done");
    assert.match(await (await el("callback-url")).getValue(), /^https:\/\/qawecom\.acme\.example\.com\/.*\/ww0123456789abcdef$/);
    await screenshot(browser, "life-en-05-callback-reopened");
    await go("database");
    assert.equal(await (await el("field-database.kind")).getValue(), "postgresql");
    await assertTyped("database");
    assert.deepEqual(await statuses(), before, "every step has the status it had before the restart");
  });

  it("an unsaved plan's edits are offered back after the app is killed, and restoring brings them back", async () => {
    await go("start");
    await click("start-new");
    await waitTitle("Resources");
    await type("field-resources.domain", "crash.example.com");
    await go("wecom_app");
    await type("field-wecom.corp_id", "wwfedcba9876543210");
    await (await el("plan-dirty")).waitForExist({ timeout: 5_000 });
    // The autosave is written by each edit: wait until the last one is on disk.
    const autosaved = join(APP_DATA, "autosave", "plan.toml");
    await browser.waitUntil(() => existsSync(autosaved) && readFileSync(autosaved, "utf8").includes("wwfedcba9876543210"), {
      timeout: 10_000,
      timeoutMsg: "the edits were not autosaved",
    });
    const killed = await killApp();
    assert.ok(killed > 0);
    await endApp();

    await startApp();
    const offer = await el("autosave-offer");
    await offer.waitForExist({ timeout: 10_000, timeoutMsg: "the autosave was not offered after the kill" });
    assert.match(await offer.getText(), /Unsaved work was found[\s\S]*closed without saving/);
    await screenshot(browser, "life-en-01-autosave-offer");
    await click("autosave-restore");
    await waitTitle("Resources", { timeoutMsg: "restoring did not open the plan" });
    assert.equal(await (await el("autosave-offer")).isExisting(), false);
    assert.equal(await (await el("field-resources.domain")).getValue(), "crash.example.com");
    assert.equal(await (await el("plan-dirty")).isExisting(), true, "the restored edits are unsaved changes");
    await go("wecom_app");
    assert.equal(await (await el("field-wecom.corp_id")).getValue(), "wwfedcba9876543210");
  });

  it("closing the window with unsaved changes asks: Cancel keeps the app, Discard closes it", async () => {
    const pid = appPid();
    assert.ok(pid, "the app runs");
    assert.equal(closeWindowLikeTheUser(), 1, "one window asked to close");
    const dialog = await el("close-dialog");
    await browser.waitUntil(async () => (await dialog.getAttribute("open")) !== null, { timeout: 10_000, timeoutMsg: "closing did not ask" });
    assert.match(await dialog.getText(), /Save the plan before closing\?[\s\S]*not saved/);
    // Not saved anywhere yet: no Save button, Discard and Cancel.
    assert.equal(await (await el("close-save")).isExisting(), false);
    await screenshot(browser, "life-en-09-close-asks");
    await click("close-cancel");
    await browser.waitUntil(async () => (await dialog.getAttribute("open")) === null, { timeout: 5_000 });
    assert.equal(appPid(), pid, "Cancel keeps the app running");
    assert.equal(await title(), "WeCom app");

    closeWindowLikeTheUser();
    await browser.waitUntil(async () => (await dialog.getAttribute("open")) !== null, { timeout: 10_000, timeoutMsg: "the second close did not ask" });
    // Clicked from the page after this call returns: the app exits under the click, and a WebDriver
    // click would wait for an answer from a window that is gone.
    await browser.execute(() => setTimeout(() => document.querySelector('[data-testid="close-discard"]').click(), 50));
    assert.equal(await waitExit(pid), true, "Discard closes the app");
    await endApp();
  });

  it("a saved plan closes without asking", async () => {
    await startApp();
    // Discard on close removed the autosave: nothing is offered.
    assert.equal(existsSync(join(APP_DATA, "autosave")), false, "Discard removed the autosave");
    assert.equal(await (await el("autosave-offer")).isExisting(), false);
    const recent = await browser.$('[data-testid="start-recent"] button');
    await recent.waitForExist({ timeout: 5_000 });
    await recent.click();
    await waitTitle("Resources");
    assert.equal(await (await el("plan-dirty")).isExisting(), false);
    const pid = appPid();
    closeWindowLikeTheUser();
    assert.equal(await waitExit(pid), true, "a plan without unsaved changes closes at once");
    await endApp();
  });
});
