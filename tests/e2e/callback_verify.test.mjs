// The demo of a pre-sales laptop, offline, in the real window: Demo → Callback shows no error and
// the Token and EncodingAESKey masked until revealed, a console tick saved in the plan → Verify
// against the built-in receiver: five passing rungs and a test event → a simulated fault restarts
// the receiver and its diagnosis is on screen → back to no fault, green; then in Chinese.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { screenshot } from "./harness.mjs";
import { browser, chooseLanguage, diagnosisCode, el, errorsOnPage, go, rungs, scrollTo, startDemo, status, text, title, withApp } from "./steps.mjs";

describe("demo: callback and live verification", () => {
  withApp({ lang: "en" });

  it("the demo opens with no error on any screen", async () => {
    await startDemo();
    assert.equal(await title(), "Resources");
    for (const step of ["resources", "wecom_app", "network", "callback", "verify", "database", "export"]) {
      await go(step);
      await browser.pause(300);
      assert.deepEqual(await errorsOnPage(), [], `${step} shows no error in the demo`);
      await screenshot(browser, `cb-en-00-demo-${step}`);
    }
    assert.equal(await status("callback"), "done");
    assert.equal(await status("database"), "done");
  });

  it("Callback: the demo's URL, the receiver named, the pair masked then revealed", async () => {
    await go("callback");
    assert.equal(await title(), "Callback");
    assert.equal(
      await (await el("callback-url")).getValue(),
      "https://qawecom.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/wwb697d33134e48cfc",
    );
    assert.match(await text("callback-demo-note"), /built-in receiver[\s\S]*https:\/\/127\.0\.0\.1:\d+\//);
    const token = await el("field-secrets.token");
    const key = await el("field-secrets.encoding_aes_key");
    assert.equal(await token.getAttribute("type"), "password");
    assert.equal(await key.getAttribute("type"), "password");
    assert.match(await token.getValue(), /^[A-Za-z0-9]{32}$/);
    assert.match(await key.getValue(), /^[A-Za-z0-9]{43}$/);
    assert.equal(await errorsOnPage().then((e) => e.length), 0);
    await screenshot(browser, "cb-en-01-callback-top");
    await scrollTo("callback-secrets");
    await screenshot(browser, "cb-en-01-callback-masked");
    await (await el("field-secrets.token-reveal")).click();
    await (await el("field-secrets.encoding_aes_key-reveal")).click();
    assert.equal(await token.getAttribute("type"), "text");
    assert.equal(await key.getAttribute("type"), "text");
    await screenshot(browser, "cb-en-02-callback-revealed");
    await (await el("field-secrets.token-reveal")).click();
    await (await el("field-secrets.encoding_aes_key-reveal")).click();
    assert.equal(await token.getAttribute("type"), "password");
  });

  it("Callback: a console tick is saved in the plan", async () => {
    await (await el("callback-console-visible_range")).click();
    await browser.waitUntil(async () => (await text("callback-console-progress")) === "1 of 4 done", { timeout: 5_000 });
    await (await el("plan-dirty")).waitForExist({ timeout: 5_000 });
    // Away and back: the tick comes from the plan, not from the page.
    await go("database");
    await go("callback");
    assert.equal(await (await el("callback-console-visible_range")).isSelected(), true);
    assert.equal(await (await el("callback-console-api_receive")).isSelected(), false);
    await scrollTo("callback-checklist");
    await screenshot(browser, "cb-en-03-callback-checklist");
  });

  it("Verify: the built-in receiver, five passing rungs and the ok diagnosis; then a test event", async () => {
    await (await el("nav-next")).click();
    assert.equal(await title(), "Verify");
    assert.match(await text("verify-target-kind"), /Built-in receiver/);
    assert.match(await text("verify-target"), /^https:\/\/127\.0\.0\.1:\d+\//);
    await (await el("verify-run")).click();
    await browser.waitUntil(async () => (await diagnosisCode()) === "ok", { timeout: 15_000, timeoutMsg: "no ok diagnosis" });
    assert.match(await text("verify-report-diagnosis"), /exactly as WeCom expects/);
    assert.deepEqual(await rungs("verify-report"), ["dns:pass", "tcp:pass", "tls:pass", "http:pass", "reply:pass"]);
    assert.equal(await status("verify"), "done");
    await (await el("verify-send-event")).click();
    await browser.waitUntil(async () => (await diagnosisCode("verify-event-report-diagnosis")) === "ok", { timeout: 15_000 });
    await screenshot(browser, "cb-en-04-verify-ok-top");
    await scrollTo("verify-report");
    await screenshot(browser, "cb-en-05-verify-ok");
  });

  it("Verify: a simulated fault restarts the receiver and its diagnosis is on screen; no fault is green again", async () => {
    const picker = await el("verify-fault");
    const offered = await picker.$$("option").map((o) => o.getAttribute("value"));
    assert.ok(offered.length >= 22, `every fault is offered: ${offered}`);
    const before = await text("verify-target");
    await picker.selectByAttribute("value", "wrong_key");
    await browser.waitUntil(async () => (await diagnosisCode()) === "wrong_plaintext", {
      timeout: 20_000,
      timeoutMsg: "the wrong_key fault was not diagnosed",
    });
    assert.match(await text("verify-receiver-running"), /Wrong key or corpid/);
    assert.notEqual(await text("verify-target"), before, "the receiver restarted on a new port");
    assert.match(await text("verify-report-diagnosis"), /Failed\./);
    assert.equal(await status("verify"), "warning");
    await scrollTo("verify-report");
    await screenshot(browser, "cb-en-06-verify-fault-wrong-key");

    await picker.selectByAttribute("value", "html");
    await browser.waitUntil(async () => (await diagnosisCode()) === "html_page", { timeout: 20_000 });
    await scrollTo("verify-report");
    await screenshot(browser, "cb-en-07-verify-fault-html");

    await picker.selectByAttribute("value", "");
    await browser.waitUntil(async () => (await diagnosisCode()) === "ok", { timeout: 20_000, timeoutMsg: "not green again" });
    assert.match(await text("verify-receiver-running"), /behaves correctly/);
    assert.deepEqual(await rungs("verify-report"), ["dns:pass", "tcp:pass", "tls:pass", "http:pass", "reply:pass"]);
    assert.equal(await status("verify"), "done");
  });

  it("the same screens in Chinese", async () => {
    await chooseLanguage("zh-CN");
    assert.equal(await title(), "验证");
    await browser.waitUntil(async () => /完全一致/.test(await text("verify-report-diagnosis")), { timeout: 5_000 });
    const detail = async (rung) => (await browser.$(`[data-testid="verify-report"] [data-rung="${rung}"] .rung-detail`)).getText();
    assert.equal(await detail("dns"), "127.0.0.1 是 IP 地址，无需解析");
    assert.match(await detail("tcp"), /^已连接 127\.0\.0\.1:\d+$/);
    await screenshot(browser, "cb-zh-04-verify-ok-top");
    await (await el("verify-fault")).selectByAttribute("value", "not_found");
    await browser.waitUntil(async () => (await diagnosisCode()) === "http_status", { timeout: 20_000 });
    assert.equal(await detail("reply"), "未执行：HTTP 步骤失败");
    assert.match(await text("verify-receiver-running"), /404/);
    await scrollTo("verify-report");
    await screenshot(browser, "cb-zh-06-verify-fault");
    await (await el("verify-fault")).selectByAttribute("value", "");
    await browser.waitUntil(async () => (await diagnosisCode()) === "ok", { timeout: 20_000 });

    await go("callback");
    assert.equal(await title(), "回调");
    assert.match(await text("callback-demo-note"), /内置接收端/);
    assert.equal(await (await el("field-secrets.token")).getAttribute("type"), "password");
    assert.deepEqual(await errorsOnPage(), []);
    await screenshot(browser, "cb-zh-01-callback-top");
    await scrollTo("callback-secrets");
    await screenshot(browser, "cb-zh-01-callback-masked");
    await scrollTo("callback-checklist");
    assert.match(await text("callback-checklist"), /可见范围/);
    await screenshot(browser, "cb-zh-03-callback-checklist");
    await chooseLanguage("en");
  });
});
