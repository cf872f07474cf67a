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
