// Invalid input on each step of the real window, starting from the (clean) demo: a bad corpid, a
// bad AgentId, a bad QA upstream, a bad Token, a bad EncodingAESKey, a bad database name. Each shows
// the core's message and fix next to the field, marks the step as error in the sidebar, holds Next
// with the reason shown, and fixing the value lets Next through. Export refuses to write into a
// folder that is not a bundle, and an empty path, with its message. (Resources' domain is covered
// in resources_network.test.mjs.) Screenshots invalid-<lang>-*.png.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { screenshot } from "./harness.mjs";
import { browser, chooseLanguage, el, go, nextEnabled, status, text, title, type, withApp } from "./steps.mjs";

const work = mkdtempSync(join(tmpdir(), "invalid-e2e-"));
/** The issue with `code` under the field's issue list, or null. */
async function issue(issuesId, code) {
  const li = await browser.$(`[data-testid="${issuesId}"] li[data-code="${code}"]`);
  return (await li.isExisting()) ? li : null;
}

/**
 * On `step`: `bad` typed into `field` gives the core's `code` with `message` and its fix beside the
 * field, the step marked error, Next held with the reason; `good` clears all three.
 */
async function breakAndFix({ step, field, bad, code, message, fix, good, shot }) {
  await go(step);
  const issuesId = `issues-${field}`;
  await type(`field-${field}`, bad);
  await browser.waitUntil(async () => (await issue(issuesId, code)) !== null, {
    timeout: 10_000,
    timeoutMsg: `${field} = ${JSON.stringify(bad)} did not show ${code}`,
  });
  const li = await issue(issuesId, code);
  assert.equal(await li.getAttribute("class"), "error");
  assert.match(await li.getText(), message, "the core's message is next to the field");
  assert.match(await (await li.$(".fix")).getText(), fix, "the core's fix is next to the field");
  assert.equal(await (await el(`field-${field}`)).getAttribute("aria-invalid"), "true");
  await browser.waitUntil(async () => (await status(step)) === "error", { timeout: 5_000, timeoutMsg: `${step} is not marked error` });
  assert.equal(await nextEnabled(), false, "Next is held");
  assert.match(await text("nav-blocked"), message, "the reason is shown by Next");
  await screenshot(browser, shot);
  await type(`field-${field}`, good);
  await browser.waitUntil(async () => (await issue(issuesId, code)) === null && (await status(step)) !== "error" && (await nextEnabled()), {
    timeout: 10_000,
    timeoutMsg: `fixing ${field} did not let Next through`,
  });
  assert.equal(await (await el("nav-blocked")).isExisting(), false);
}

/**
 * `breakAndFix` for each of `cases` (a bad value with the core's code, message and fix it must show,
 * and the screenshot) on one step: `shared` holds what they have in common (the step, and the field
 * with its `good` value when they are on one field).
 */
async function breakAndFixEach(shared, cases) {
  for (const c of cases) await breakAndFix({ ...shared, ...c });
}

describe("invalid input on each step", () => {
  withApp({ lang: "en", demo: true, cleanUp: () => rmSync(work, { recursive: true, force: true }) });

  it("WeCom app: a corpid with a space and a bang, an AgentId of 0 (the core's rule), and one with letters (held before it reaches the core)", async () => {
    await breakAndFixEach({ step: "wecom_app" }, [
      {
        field: "wecom.corp_id",
        bad: "ww 12!",
        code: "corp_id_invalid",
        message: /The corpid is not valid: it contains U\+0020, and it must be 1 to 64 letters and digits/,
        fix: /Company Information > Company ID/,
        good: "wwb697d33134e48cfc",
        shot: "invalid-en-03-corpid",
      },
      {
        field: "wecom.agent_id",
        bad: "0",
        code: "agent_id_invalid",
        message: /AgentId must be a positive whole number, got 0/,
        fix: /1000002/,
        good: "1000002",
        shot: "invalid-en-03-agentid-zero",
      },
    ]);
    await type("field-wecom.agent_id", "10000x2");
    await (await el("wecom-agent-unreadable")).waitForExist({ timeout: 5_000 });
    assert.match(await text("wecom-agent-unreadable"), /digits only/);
    assert.equal(await (await el("field-wecom.agent_id")).getAttribute("aria-invalid"), "true");
    await browser.waitUntil(async () => !(await nextEnabled()), { timeout: 5_000, timeoutMsg: "letters in the AgentId did not hold Next" });
    assert.match(await text("nav-blocked"), /Fix the highlighted field/);
    assert.equal(await status("wecom_app"), "error", "the sidebar marks the step of an unreadable field");
    await screenshot(browser, "invalid-en-03-agentid-letters");
    await type("field-wecom.agent_id", "1000002");
    await browser.waitUntil(nextEnabled, { timeout: 5_000, timeoutMsg: "a fixed AgentId did not let Next through" });
    assert.notEqual(await status("wecom_app"), "error");
  });

  it("Network: a QA upstream without a port, then with a port out of range", async () => {
    await breakAndFixEach({ step: "network", field: "network.qa_upstream", good: "10.0.0.12:8080" }, [
      { bad: "10.0.0.12", code: "upstream_port_missing", message: /has no port/, fix: /Add the port/, shot: "invalid-en-04-upstream-port-missing" },
      {
        bad: "10.0.0.12:99999",
        code: "upstream_port_invalid",
        message: /port 99999 is not between 1 and 65535/,
        fix: /port QA listens on/,
        shot: "invalid-en-04-upstream-port-invalid",
      },
    ]);
  });

  it("Callback: a pasted Token with a dash, one of 33 characters, and none", async () => {
    await go("callback");
    const token = await (await el("field-secrets.token")).getValue();
    await breakAndFixEach({ step: "callback", field: "secrets.token", good: token }, [
      { bad: "abc-def", code: "token_invalid_char", message: /only letters and digits/, fix: /Generate a new one/, shot: "invalid-en-05-token-char" },
      { bad: "a".repeat(33), code: "token_too_long", message: /33 characters; at most 32/, fix: /Generate a new one/, shot: "invalid-en-05-token-long" },
      // The core sets no minimum length (WeCom takes any Token of 1 to 32 letters and digits): the
      // shortest invalid Token is the empty one.
      { bad: "", code: "token_missing", message: /callback Token is missing/, fix: /Generate one/, shot: "invalid-en-05-token-missing" },
    ]);
  });

  it("Callback: an EncodingAESKey with a trailing =, and one of the wrong length", async () => {
    await go("callback");
    const key = await (await el("field-secrets.encoding_aes_key")).getValue();
    await breakAndFixEach({ step: "callback", field: "secrets.encoding_aes_key", good: key }, [
      {
        bad: `${key}=`,
        code: "aes_key_padded",
        message: /ends with "=": that is base64 padding/,
        fix: /Remove the trailing "="/,
        shot: "invalid-en-05-aeskey-padded",
      },
      {
        bad: key.slice(0, 42),
        code: "aes_key_wrong_length",
        message: /42 characters; it must have exactly 43/,
        fix: /Copy the whole value again/,
        shot: "invalid-en-05-aeskey-length",
      },
    ]);
  });

  it("Database: a name that is not a plain SQL identifier, and none", async () => {
    await breakAndFixEach({ step: "database", field: "database.name", good: "qa_analysis" }, [
      {
        bad: "QA-Analysis",
        code: "database_name_invalid",
        message: /QA-Analysis is not a plain SQL identifier/,
        fix: /lowercase letters, digits and underscores/,
        shot: "invalid-en-07-database-name",
      },
      {
        bad: "",
        code: "database_name_missing",
        message: /database name is missing/,
        fix: /qa_analysis/,
        shot: "invalid-en-07-database-name-missing",
      },
    ]);
  });

  it("Export: no path, and a folder that is not a bundle, are refused with their message; nothing is written", async () => {
    await go("export");
    assert.equal(await title(), "Export");
    await (await el("export-run")).click();
    await (await el("export-error")).waitForExist({ timeout: 5_000 });
    assert.match(await text("export-error"), /Choose the folder or zip file to write/);
    const foreign = join(work, "photos");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "holiday.jpg"), "not a bundle");
    await type("field-export.output", foreign);
    await (await el("export-run")).click();
    await browser.waitUntil(async () => /is not a previous bundle/.test(await text("export-error")), {
      timeout: 10_000,
      timeoutMsg: "a foreign folder was not refused",
    });
    assert.match(await text("export-error"), new RegExp(`${foreign}.*Nothing was written`));
    assert.deepEqual(readdirSync(foreign), ["holiday.jpg"], "nothing was written into the foreign folder");
    assert.equal(await (await el("export-result")).isExisting(), false);
    await screenshot(browser, "invalid-en-08-export-foreign");
  });

  it("an error on a step holds Export too, and says which", async () => {
    await go("network");
    await type("field-network.qa_upstream", "10.0.0.12");
    await browser.waitUntil(async () => (await status("network")) === "error", { timeout: 5_000 });
    await go("export");
    await (await el("export-blocked")).waitForExist({ timeout: 5_000 });
    assert.match(await text("export-blocked"), /1 step\(s\) have an error/);
    assert.equal(await (await browser.$('[data-testid="export-readiness"] li[data-step="network"]')).getAttribute("data-status"), "error");
    assert.equal(await (await el("export-run")).isEnabled(), false);
    await screenshot(browser, "invalid-en-08-export-blocked");
    await go("network");
    await type("field-network.qa_upstream", "10.0.0.12:8080");
    await browser.waitUntil(async () => (await status("network")) !== "error", { timeout: 5_000 });
  });

  it("in Chinese: the core's message and the reason by Next are in Chinese", async () => {
    await chooseLanguage("zh-CN");
    await go("callback");
    const key = await (await el("field-secrets.encoding_aes_key")).getValue();
    await breakAndFix({
      step: "callback",
      field: "secrets.encoding_aes_key",
      bad: "abc",
      code: "aes_key_wrong_length",
      message: /EncodingAESKey 有 3 个字符，必须正好 43 个/,
      fix: /重新完整复制/,
      good: key,
      shot: "invalid-zh-05-aeskey-length",
    });
    await chooseLanguage("en");
  });
});
