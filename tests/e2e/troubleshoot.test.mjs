// Troubleshoot in the real window: a captured callback decrypted by the core (the official sample's
// URL verification and its encrypted event), a wrong Token told apart by its official code, and the
// manual import-trigger command for given IDs (a malformed ID gets the core's message), in English
// and in Chinese. The known answers come from the vendored official vectors.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, screenshot } from "./harness.mjs";
import { browser, chooseLanguage, el, fill, go, waitTitle, withApp } from "./steps.mjs";

const VECTORS = JSON.parse(readFileSync(join(ROOT, "crates/wecom-crypto/tests/data/wecom-callback.json"), "utf8"));
const byName = (name) => VECTORS.decrypt_vectors.find((v) => v.name === name);
const VERIFY = byName("official_doc_verifyurl");
const EVENT = byName("official_doc_decryptmsg");
const ORG = "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6";
const WS = "5a3e3999-fccb-43ef-b232-9cbbae053e8b";

async function decrypt(vector, { token = vector.token, body = null } = {}) {
  await fill("decrypt-token", token);
  await fill("decrypt-aeskey", vector.encoding_aes_key);
  await fill("decrypt-corpid", vector.receiveid);
  await fill("decrypt-query", vector.raw_query);
  await fill("decrypt-body", body ?? "");
  // Mark the last result, so the wait below sees the new one (the screen replaces the element).
  await browser.execute(() => document.querySelector('[data-testid="decrypt-result"]')?.setAttribute("data-stale", ""));
  await (await el("decrypt-run")).click();
  const result = await browser.$('[data-testid="decrypt-result"]:not([data-stale])');
  await result.waitForExist({ timeout: 5_000 });
  return result;
}
/** The event XML the way a receiver gets it: the ciphertext in <Encrypt>. */
const eventBody = (v) => `<xml><ToUserName><![CDATA[${v.receiveid}]]></ToUserName><Encrypt><![CDATA[${v.encrypted}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;

describe("Troubleshoot: decrypt a capture, the import trigger", () => {
  withApp({ lang: "en", setUp: () => go("troubleshoot") });

  it("decrypts the official URL verification to its echostr plaintext", async () => {
    const result = await decrypt(VERIFY);
    assert.equal(await result.getAttribute("data-ok"), "true");
    assert.equal(await (await el("decrypt-plaintext")).getText(), VERIFY.expected_plaintext);
  });

  it("decrypts the official encrypted event from its query and body", async () => {
    const result = await decrypt(EVENT, { body: eventBody(EVENT) });
    assert.equal(await result.getAttribute("data-ok"), "true");
    const plain = await (await el("decrypt-plaintext")).getText();
    assert.match(plain, /<Content><!\[CDATA\[hello\]\]><\/Content>/);
    assert.match(plain, /<AgentID>218<\/AgentID>/);
  });

  it("a wrong Token is the signature error −40001 with its fix, and the Token is not shown", async () => {
    const wrong = "QDG6eX";
    const result = await decrypt(VERIFY, { token: wrong });
    assert.equal(await result.getAttribute("data-ok"), "false");
    assert.equal(await result.getAttribute("data-code"), "-40001");
    assert.match(await (await el("decrypt-fix")).getText(), /Token/);
    const page = await browser.execute(() => document.body.innerText);
    assert.ok(!page.includes(wrong) && !page.includes(VERIFY.token), "no Token in the page text");
    await screenshot(browser, "troubleshoot-en-decrypt-40001");
  });

  it("the import trigger is built for the given IDs; a malformed ID gets the core's message", async () => {
    await fill("trigger-org", ORG);
    await fill("trigger-ws", WS);
    const command = await el("trigger-command");
    await browser.waitUntil(async () => (await command.isExisting()) && (await command.getValue()).includes(WS), { timeout: 5_000 });
    assert.ok((await command.getValue()).includes(ORG), "the organization ID is in the command");
    await fill("trigger-ws", "not an id");
    const issues = await el("trigger-ws-issues");
    await issues.waitForExist({ timeout: 5_000 });
    assert.ok((await issues.getText()).length > 10, "the message and its fix are shown");
    await fill("trigger-ws", WS);
    await issues.waitForExist({ reverse: true, timeout: 5_000 });
    await screenshot(browser, "troubleshoot-en-trigger");
  });

  it("the same tools in Chinese", async () => {
    await chooseLanguage("zh-CN");
    await waitTitle("故障排查", { timeout: 5_000 });
    const result = await decrypt(VERIFY, { token: "QDG6eX" });
    assert.equal(await result.getAttribute("data-code"), "-40001");
    assert.match(await (await el("decrypt-fix")).getText(), /[\u4e00-\u9fff]/, "the fix is in Chinese");
    await screenshot(browser, "troubleshoot-zh-decrypt-40001");
    await chooseLanguage("en");
  });
});
