// The wizard frame in its real window: the Start screen, Back/Next through every step without a
// plan (each plan step says so and leads back to Start) and with a new plan (every step but Start
// not started), Troubleshoot from the sidebar with a real lookup in the Rust core, and the language
// switch (every step relabelled, remembered across a reload and a restart).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { screenshot } from "./harness.mjs";
import { browser, chooseLanguage, click, closeApp, el, go, openApp, statuses, title, waitTitle, withApp } from "./steps.mjs";

const FLOW_EN = ["Start", "Resources", "WeCom app", "Network", "Callback", "Verify", "Database", "Export"];
const FLOW_ZH = ["开始", "资源", "企业微信应用", "网络", "回调", "验证", "数据库", "导出"];
const SLUGS = ["start", "resources", "wecom_app", "network", "callback", "verify", "database", "export"];

/** Next from Start to Export, checking each title; `each` runs on every step. */
async function walk(labels, each) {
  for (let i = 0; i < labels.length; i++) {
    assert.equal(await title(), labels[i], `step ${i + 1}`);
    await each(i);
    if (i + 1 < labels.length) await click("nav-next");
  }
  assert.equal(await (await el("nav-next")).isEnabled(), false, "Next is disabled on the last step");
}

describe("wizard frame", () => {
  withApp();

  it("opens on the Start screen in English with New, Demo and Open", async () => {
    await (await el("step-title")).waitForExist({ timeout: 20_000 });
    await chooseLanguage("en");
    assert.equal(await title(), "Start");
    assert.equal(await (await el("nav-back")).isEnabled(), false);
    for (const id of ["start-new", "start-demo", "start-open"]) assert.ok(await (await el(id)).isExisting(), id);
    await screenshot(browser, "wizard-en-01-start");
  });

  it("without a plan every plan step says so and leads back to Start", async () => {
    await walk(FLOW_EN, async (i) => {
      if (i === 0) return;
      assert.ok(await (await el("no-plan")).isExisting(), `${SLUGS[i]} asks for a plan`);
    });
    await screenshot(browser, "wizard-en-08-no-plan");
    await click("no-plan-start");
    assert.equal(await title(), "Start");
  });

  it("Troubleshoot is reachable from the sidebar and looks a code up in the core", async () => {
    await go("troubleshoot");
    assert.equal(await title(), "Troubleshoot");
    await (await el("errcode-input")).setValue("60020");
    await click("errcode-lookup");
    const meaning = await el("errcode-meaning");
    await meaning.waitForExist({ timeout: 5_000 });
    assert.match(await meaning.getText(), /trusted IPs/);
    assert.match(await (await el("errcode-fix")).getText(), /callback URL has been verified/);
    await screenshot(browser, "wizard-en-09-troubleshoot-60020");
    await go("start");
    assert.equal(await title(), "Start");
  });

  it("a new plan opens on Resources with every step but Start not started, and Next goes through all of them", async () => {
    await click("start-new");
    await waitTitle("Resources");
    const s = await statuses();
    assert.equal(s.start, "done");
    for (const id of SLUGS.slice(1)) assert.equal(s[id], "not_started", `${id} is not started on a new plan`);
    await go("start");
    await walk(FLOW_EN, async (i) => {
      if (i > 0) assert.equal(await (await el("no-plan")).isExisting(), false, `${SLUGS[i]} has the plan`);
      await screenshot(browser, `wizard-en-${String(i + 1).padStart(2, "0")}-${SLUGS[i]}`);
    });
    for (let i = FLOW_EN.length - 1; i > 0; i--) await click("nav-back");
    assert.equal(await title(), "Start");
  });

  it("switching to 简体中文 relabels every step, and the choice survives a reload", async () => {
    await chooseLanguage("zh-CN");
    assert.equal(await title(), "开始");
    const sidebar = await browser.execute(() => [...document.querySelectorAll("nav ol [data-step]")].map((b) => b.textContent));
    FLOW_ZH.forEach((label, i) => assert.ok(sidebar[i].includes(label), `${sidebar[i]} has ${label}`));
    await walk(FLOW_ZH, async (i) => {
      await screenshot(browser, `wizard-zh-${String(i + 1).padStart(2, "0")}-${SLUGS[i]}`);
    });
    await go("troubleshoot");
    assert.equal(await title(), "故障排查");
    await browser.refresh();
    await (await el("step-title")).waitForExist({ timeout: 20_000 });
    assert.equal(await title(), "开始", "the language is remembered after a reload");
  });

  it("the language is remembered when the app is closed and started again", async () => {
    await closeApp();
    await openApp();
    assert.equal(await title(), "开始");
    await chooseLanguage("en");
    assert.equal(await title(), "Start");
  });
});
