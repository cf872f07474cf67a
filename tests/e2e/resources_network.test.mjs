// The Resources and Network screens in the real window, against the real core: an invalid domain
// shows the core's message and holds Next; the user count gives the bandwidth tier; each TLS mode
// (none warned, csr and self-signed generated on disk, provided inspected rung by rung with the
// generated self-signed pair); Network shows the generated nginx.conf. Screenshots res-*.png, en + zh.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { screenshot } from "./harness.mjs";
import { browser, chooseLanguage, click, el, go, nextEnabled, rungs, scrollTo, text, title, type, waitText, waitTitle, withApp } from "./steps.mjs";

const work = mkdtempSync(join(tmpdir(), "res-e2e-"));

/** The paths listed as written by the last generation. */
async function written() {
  return browser.$$('[data-testid="tls-written"] li code').map((c) => c.getText());
}

describe("Resources and Network in the real window", () => {
  withApp({
    lang: "en",
    setUp: async () => {
      await click("start-new");
      await waitTitle("Resources");
    },
    cleanUp: () => rmSync(work, { recursive: true, force: true }),
  });

  it("an invalid domain shows the core's message and fix and holds Next; a valid one lets it through", async () => {
    await type("field-resources.domain", "https://qawecom.example.com/cb");
    const issues = await waitText("issues-resources.domain", /scheme/);
    assert.match(issues, /qawecom\.example\.com/, "the fix suggests the host name");
    assert.equal(await nextEnabled(), false);
    assert.match(await text("nav-blocked"), /scheme/);
    await screenshot(browser, "res-en-01-domain-invalid");
    await type("field-resources.domain", "qawecom.example.com");
    await browser.waitUntil(async () => !(await (await el("issues-resources.domain")).isExisting()), { timeout: 10_000 });
  });

  it("the WeCom users give the core's bandwidth tier as they are typed; letters are refused", async () => {
    await type("field-resources.wecom_users", "1000001");
    assert.match(await waitText("resources-bandwidth", /10 Mbps/), /1,000,001/);
    await type("field-resources.wecom_users", "5000001");
    await waitText("resources-bandwidth", /15 Mbps/);
    await type("field-resources.wecom_users", "12k");
    await waitText("issues-resources.wecom_users", /digits only/);
    assert.equal(await (await el("resources-bandwidth")).isExisting(), false);
    assert.equal(await nextEnabled(), false, "an unreadable count holds Next");
    await type("field-resources.wecom_users", "1000000");
    await waitText("resources-bandwidth", /5 Mbps/);
    await screenshot(browser, "res-en-02-bandwidth");
  });

  it("TLS none: the core's warning, and Next is not held by it", async () => {
    await click("tls-mode-none");
    await waitText("issues-tls.mode", /session archive/);
    await browser.waitUntil(nextEnabled, { timeout: 10_000, timeoutMsg: "a warning must not hold Next" });
    await scrollTo("field-tls.mode");
    await screenshot(browser, "res-en-03-tls-none");
  });

  it("TLS csr: generates an ECDSA P-256 key (0600) and a CSR into the chosen folder", async () => {
    await click("tls-mode-csr");
    await (await el("tls-generate")).waitForExist({ timeout: 10_000 });
    await (await el("tls-algorithm")).selectByAttribute("value", "ecdsa_p256");
    const dir = join(work, "csr");
    await type("tls-folder", dir);
    await click("tls-generate");
    await (await el("tls-written")).waitForExist({ timeout: 20_000 });
    const files = await written();
    assert.deepEqual(files, [join(dir, "privkey.pem"), join(dir, "request.csr")]);
    assert.equal(statSync(files[0]).mode & 0o777, 0o600);
    assert.match(readFileSync(files[1], "utf8"), /^-----BEGIN CERTIFICATE REQUEST-----/);
    await waitText("tls-csr-next", /request\.csr/);
    await scrollTo("field-tls.mode");
    await screenshot(browser, "res-en-04-tls-csr");
    // Again into the same folder: refused, the files are kept.
    const key = readFileSync(files[0]);
    await click("tls-generate");
    assert.match(await waitText("tls-generate-error", /never overwritten/), /privkey\.pem/);
    assert.deepEqual(readFileSync(files[0]), key);
  });

  it("TLS self-signed: a demo pair with its note, and the core's demo-only warning", async () => {
    await click("tls-mode-self_signed");
    await waitText("issues-tls.mode", /demos and staging only/);
    const dir = join(work, "self-signed");
    await type("tls-folder", dir);
    await click("tls-generate");
    await (await el("tls-written")).waitForExist({ timeout: 20_000 });
    const files = await written();
    assert.deepEqual(files, [join(dir, "demo-only.key"), join(dir, "demo-only.crt"), join(dir, "DEMO-ONLY.txt")]);
    for (const f of files) assert.ok(existsSync(f), f);
    await scrollTo("field-tls.mode");
    await screenshot(browser, "res-en-05-tls-self-signed");
  });

  it("TLS provided with the generated self-signed pair: read, name, validity, key pass; the chain is untrusted", async () => {
    const dir = join(work, "self-signed");
    await click("tls-mode-provided");
    await type("field-tls.certificate_file", join(dir, "demo-only.crt"));
    await type("field-secrets.tls.private_key_file", join(dir, "demo-only.key"));
    await browser.waitUntil(
      async () => (await rungs("tls-inspection")).join(" ") === "read:pass name:pass validity:pass key:pass chain:fail",
      { timeout: 15_000, timeoutMsg: "the inspection did not show the expected rungs" },
    );
    const verdict = await el("tls-inspection-diagnosis");
    assert.match(await verdict.getAttribute("data-code"), /untrusted/);
    assert.match(await verdict.getText(), /What to do/);
    const labels = await browser.$$('[data-testid="tls-inspection"] .rung-name').map((r) => r.getText());
    assert.deepEqual(labels, ["Read", "Name", "Validity", "Key", "Chain"]);
    await scrollTo("tls-inspection");
    await screenshot(browser, "res-en-06-tls-provided");
    // A key of another pair: the key rung fails.
    await type("field-secrets.tls.private_key_file", join(work, "csr", "privkey.pem"));
    await browser.waitUntil(async () => (await rungs("tls-inspection")).includes("key:fail"), {
      timeout: 15_000,
      timeoutMsg: "a key of another pair was not caught",
    });
    await type("field-secrets.tls.private_key_file", join(dir, "demo-only.key"));
    await browser.waitUntil(async () => (await rungs("tls-inspection")).includes("key:pass"), { timeout: 15_000 });
  });

  it("Network: the QA upstream gives the generated nginx.conf and WAF allow-list", async () => {
    await go("network");
    assert.equal(await title(), "Network");
    await type("field-network.qa_upstream", "http://10.0.0.12:8080");
    await waitText("issues-network.qa_upstream", /scheme|http/);
    await (await el("network-files-blocked")).waitForExist({ timeout: 10_000 });
    await screenshot(browser, "res-en-07-network-invalid");
    await type("field-network.qa_upstream", "10.0.0.12:8080");
    const nginx = await el("network-nginx");
    await browser.waitUntil(async () => (await nginx.isExisting()) && /proxy_pass http:\/\/10\.0\.0\.12:8080;/.test(await nginx.getValue()), {
      timeout: 10_000,
      timeoutMsg: "nginx.conf did not follow the upstream",
    });
    const conf = await nginx.getValue();
    assert.match(conf, /server_name qawecom\.example\.com;/);
    assert.match(conf, /location \^~ \/restapi\/thirdservice\/we\/com \{/);
    assert.match(conf, /listen 443 ssl;/);
    const waf = JSON.parse(await (await el("network-waf-json")).getValue());
    assert.equal(waf.domain, "qawecom.example.com");
    await scrollTo("network-files");
    await screenshot(browser, "res-en-08-network-files");
  });

  it("the same screens in Chinese", async () => {
    await chooseLanguage("zh-CN");
    assert.equal(await title(), "网络");
    await screenshot(browser, "res-zh-08-network");
    await scrollTo("network-files");
    await screenshot(browser, "res-zh-08-network-files");
    await go("resources");
    assert.equal(await title(), "资源");
    await type("field-resources.domain", "https://qawecom.example.com");
    await waitText("issues-resources.domain", /协议头/);
    await waitText("nav-blocked", /协议头/);
    await screenshot(browser, "res-zh-01-domain-invalid");
    await type("field-resources.domain", "qawecom.example.com");
    await browser.waitUntil(async () => !(await (await el("issues-resources.domain")).isExisting()), { timeout: 10_000 });
    await scrollTo("tls-inspection");
    const labels = await browser.$$('[data-testid="tls-inspection"] .rung-name').map((r) => r.getText());
    assert.deepEqual(labels, ["读取", "域名", "有效期", "私钥", "证书链"]);
    await screenshot(browser, "res-zh-06-tls-provided");
    await scrollTo("field-tls.mode");
    await click("tls-mode-none");
    await waitText("issues-tls.mode", /会话存档/);
    await scrollTo("field-tls.mode");
    await screenshot(browser, "res-zh-03-tls-none");
    await click("tls-mode-csr");
    await type("tls-folder", join(work, "csr"));
    await click("tls-generate");
    await waitText("tls-generate-error", /从不覆盖/);
    await screenshot(browser, "res-zh-04-tls-csr-exists");
  });
});
