// The wizard in its real window: start screen, Back/Next through every step, the language switch
// (remembered across a reload), and one real command round trip through IPC into the Rust core.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { launchApp, screenshot, stopAll } from "./harness.mjs";

const FLOW_EN = ["Start", "Resources", "WeCom app", "Network", "Callback", "Verify", "Database", "Export"];
const FLOW_ZH = ["开始", "资源", "企业微信应用", "网络", "回调", "验证", "数据库", "导出"];
const SLUGS = ["start", "resources", "wecomApp", "network", "callback", "verify", "database", "export"];

let browser;

async function title() {
  return (await browser.$('[data-testid="step-title"]')).getText();
}
async function click(testid) {
  await (await browser.$(`[data-testid="${testid}"]`)).click();
}
async function chooseLanguage(code) {
  await (await browser.$('[data-testid="lang-select"]')).selectByAttribute("value", code);
}
async function walk(labels, lang) {
  for (let i = 0; i < labels.length; i++) {
    assert.equal(await title(), labels[i], `step ${i + 1}`);
    await screenshot(browser, `${lang}-${String(i + 1).padStart(2, "0")}-${SLUGS[i]}`);
    if (i + 1 < labels.length) await click("nav-next");
  }
  assert.equal(await (await browser.$('[data-testid="nav-next"]')).isEnabled(), false, "Next is disabled on the last step");
}

describe("wizard window", () => {
  before(async () => {
    browser = await launchApp();
  });
  after(async () => {
    try {
      await browser?.deleteSession();
    } finally {
      stopAll();
    }
  });

  it("opens on the Start screen in English", async () => {
    await (await browser.$('[data-testid="step-title"]')).waitForExist({ timeout: 20_000 });
    assert.equal(await title(), "Start");
    assert.equal(await (await browser.$('[data-testid="nav-back"]')).isEnabled(), false);
  });

  it("Next visits every step in order, Back returns to Start", async () => {
    await walk(FLOW_EN, "en");
    for (let i = FLOW_EN.length - 1; i > 0; i--) await click("nav-back");
    assert.equal(await title(), "Start");
  });

  it("Troubleshoot is reachable from the sidebar", async () => {
    await (await browser.$('[data-step="troubleshoot"]')).click();
    assert.equal(await title(), "Troubleshoot");
    await screenshot(browser, "en-09-troubleshoot");
    await (await browser.$('[data-step="start"]')).click();
  });

  it("the Resources step asks the Rust core for the bandwidth and shows its errors", async () => {
    await click("nav-next");
    const input = await browser.$('[data-testid="users-input"]');
    await input.setValue("1000001");
    const advice = await browser.$('[data-testid="bandwidth-advice"]');
    await advice.waitForExist({ timeout: 5_000 });
    assert.match(await advice.getText(), /10 Mbps/);
    await input.setValue("0");
    const err = await browser.$('[data-testid="users-error"]');
    await err.waitForExist({ timeout: 5_000 });
    assert.match(await err.getText(), /at least 1/);
    await screenshot(browser, "en-02-resources-error");
    await click("nav-back");
  });

  it("switching to 简体中文 relabels every step, and the choice survives a reload", async () => {
    await chooseLanguage("zh-CN");
    assert.equal(await title(), "开始");
    await walk(FLOW_ZH, "zh");
    await (await browser.$('[data-step="resources"]')).click();
    const input = await browser.$('[data-testid="users-input"]');
    await input.waitForExist({ timeout: 5_000 });
    await input.setValue("0");
    const err = await browser.$('[data-testid="users-error"]');
    await err.waitForExist({ timeout: 5_000 });
    assert.match(await err.getText(), /不小于 1/);
    await screenshot(browser, "zh-02-resources-error");
    await browser.refresh();
    await (await browser.$('[data-testid="step-title"]')).waitForExist({ timeout: 20_000 });
    assert.equal(await title(), "开始", "the language is remembered after a reload");
  });

  it("the language is remembered when the app is closed and started again", async () => {
    await browser.deleteSession();
    stopAll();
    browser = await launchApp();
    await (await browser.$('[data-testid="step-title"]')).waitForExist({ timeout: 20_000 });
    assert.equal(await title(), "开始");
    await chooseLanguage("en");
    assert.equal(await title(), "Start");
  });
});

// The demo flow of a pre-sales laptop, offline: Callback → Verify against the built-in receiver →
// Troubleshoot, in English and in Chinese, with a screenshot of each new screen.
describe("demo flow: callback, live verification, troubleshoot", () => {
  before(async () => {
    browser = await launchApp();
    await (await browser.$('[data-testid="step-title"]')).waitForExist({ timeout: 20_000 });
    await chooseLanguage("en");
  });
  after(async () => {
    try {
      await browser?.deleteSession();
    } finally {
      stopAll();
    }
  });

  async function el(testid) {
    return browser.$(`[data-testid="${testid}"]`);
  }
  async function value(testid) {
    return (await el(testid)).getValue();
  }
  /** Scroll an element to the top of the step's pane, so the screenshot shows what follows it. */
  async function scrollTo(testid) {
    await browser.execute((id) => document.querySelector(`[data-testid="${id}"]`)?.scrollIntoView({ block: "start" }), testid);
  }

  it("Callback: the core's validation in the page, then a fresh Token and EncodingAESKey", async () => {
    await (await browser.$('[data-step="callback"]')).click();
    assert.equal(await title(), "Callback");
    await (await el("callback-domain")).setValue("localhost");
    const issues = await el("callback-domain-issues");
    await issues.waitForExist({ timeout: 5_000 });
    assert.match(await issues.getText(), /no dot/, "a single-label domain is refused by the core");
    await (await el("callback-corpid")).setValue("ww0123456789abcdef");
    await (await el("callback-generate")).click();
    const token = await el("callback-token");
    await token.waitForExist({ timeout: 5_000 });
    assert.match(await token.getValue(), /^[A-Za-z0-9]{32}$/);
    assert.match(await value("callback-aeskey"), /^[A-Za-z0-9]{43}$/);
    await screenshot(browser, "en-05-callback-demo");
    // A real domain gives the callback URL.
    await (await el("callback-domain")).setValue("qawecom.example.com");
    await browser.waitUntil(async () => (await (await el("callback-url")).isExisting()), { timeout: 5_000 });
    assert.equal(
      await value("callback-url"),
      "https://qawecom.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/ww0123456789abcdef",
    );
    await screenshot(browser, "en-05-callback-url");
    await scrollTo("callback-checklist");
    await screenshot(browser, "en-05-callback-checklist");
    await (await el("callback-domain")).setValue("localhost");
    await (await el("callback-domain-issues")).waitForExist({ timeout: 5_000 });
  });

  it("Verify: the built-in receiver, five passing rungs and the ok diagnosis; then a test event", async () => {
    await click("nav-next");
    assert.equal(await title(), "Verify");
    await screenshot(browser, "en-06-verify-empty");
    await (await el("verify-use-receiver")).click();
    const target = await el("verify-target");
    await browser.waitUntil(async () => /^https:\/\/127\.0\.0\.1:\d+\//.test(await target.getText()), {
      timeout: 10_000,
      timeoutMsg: "the receiver's URL did not appear",
    });
    await (await el("verify-run")).click();
    const verdict = await el("verify-report-diagnosis");
    await verdict.waitForExist({ timeout: 15_000 });
    assert.equal(await verdict.getAttribute("data-code"), "ok");
    assert.match(await verdict.getText(), /exactly as WeCom expects/);
    const statuses = await browser.$$('[data-testid="verify-report"] [data-rung]').map((r) => r.getAttribute("data-status"));
    assert.deepEqual(statuses, ["pass", "pass", "pass", "pass", "pass"]);
    await (await el("verify-send-event")).click();
    const event = await el("verify-event-report-diagnosis");
    await event.waitForExist({ timeout: 15_000 });
    assert.equal(await event.getAttribute("data-code"), "ok");
    await screenshot(browser, "en-06-verify-ok-top");
    await scrollTo("verify-report");
    await screenshot(browser, "en-06-verify-ok");
  });

  it("Verify: a receiver with a deliberate fault shows the failure diagnosis", async () => {
    await (await el("verify-fault")).selectByAttribute("value", "wrong_key");
    await (await el("verify-use-receiver")).click();
    await (await el("verify-receiver-running")).waitForExist({ timeout: 10_000 });
    await browser.waitUntil(async () => /Wrong key/.test(await (await el("verify-receiver-running")).getText()), {
      timeout: 10_000,
    });
    await (await el("verify-run")).click();
    const verdict = await el("verify-report-diagnosis");
    await browser.waitUntil(async () => (await verdict.isExisting()) && (await verdict.getAttribute("data-code")) === "wrong_plaintext", {
      timeout: 15_000,
    });
    await scrollTo("verify-report");
    await screenshot(browser, "en-06-verify-fault");
    await (await el("verify-fault")).selectByAttribute("value", "");
    await (await el("verify-use-receiver")).click();
    await browser.waitUntil(async () => !/Wrong key/.test(await (await el("verify-receiver-running")).getText()), {
      timeout: 10_000,
    });
    await (await el("verify-run")).click();
    await browser.waitUntil(async () => (await (await el("verify-report-diagnosis")).getAttribute("data-code")) === "ok", {
      timeout: 15_000,
    });
  });

  it("Troubleshoot: 60020 explains the trusted-IP list", async () => {
    await (await browser.$('[data-step="troubleshoot"]')).click();
    await (await el("errcode-input")).setValue("60020");
    await (await el("errcode-lookup")).click();
    const meaning = await el("errcode-meaning");
    await meaning.waitForExist({ timeout: 5_000 });
    assert.match(await meaning.getText(), /trusted IPs/);
    assert.match(await (await el("errcode-fix")).getText(), /callback URL has been verified/);
    await screenshot(browser, "en-09-troubleshoot-60020");
  });

  it("the same screens in Chinese, without running anything again", async () => {
    await chooseLanguage("zh-CN");
    assert.equal(await title(), "故障排查");
    await browser.waitUntil(async () => /企业可信 IP/.test(await (await el("errcode-meaning")).getText()), { timeout: 5_000 });
    await screenshot(browser, "zh-09-troubleshoot-60020");
    await (await browser.$('[data-step="callback"]')).click();
    assert.equal(await title(), "回调");
    assert.match(await (await el("callback-domain-issues")).getText(), /域名中没有点/);
    assert.match(await value("callback-token"), /^[A-Za-z0-9]{32}$/, "the Token is kept while moving between steps");
    await screenshot(browser, "zh-05-callback-demo");
    await scrollTo("callback-checklist");
    await screenshot(browser, "zh-05-callback-checklist");
    await click("nav-next");
    assert.equal(await title(), "验证");
    assert.match(await (await el("verify-report-diagnosis")).getText(), /完全一致/);
    const rungDetail = async (rung) =>
      (await browser.$(`[data-testid="verify-report"] [data-rung="${rung}"] .rung-detail`)).getText();
    assert.equal(await rungDetail("dns"), "127.0.0.1 是 IP 地址，无需解析");
    assert.match(await rungDetail("tcp"), /^已连接 127\.0\.0\.1:\d+$/);
    await scrollTo("verify-report");
    await screenshot(browser, "zh-06-verify-ok");
    await (await el("verify-fault")).selectByAttribute("value", "not_found");
    await (await el("verify-use-receiver")).click();
    await browser.waitUntil(async () => /404/.test(await (await el("verify-receiver-running")).getText()), { timeout: 10_000 });
    await (await el("verify-run")).click();
    await browser.waitUntil(async () => (await (await el("verify-report-diagnosis")).getAttribute("data-code")) === "http_status", {
      timeout: 15_000,
    });
    assert.equal(await rungDetail("reply"), "未执行：HTTP 步骤失败");
    await scrollTo("verify-report");
    await screenshot(browser, "zh-06-verify-fault");
    await chooseLanguage("en");
  });
});
