// The "Keep it working" page in its real window: reachable from the sidebar, it refuses to run
// without a plan, rotates a demo plan's pair (the steps in the order that keeps events flowing, the
// secrets file changed, no secret on screen) and writes a support pack, in English and Chinese.

import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TARGET, screenshot } from "./harness.mjs";
import { browser, chooseLanguage, el, go, text, withApp } from "./steps.mjs";

const dir = mkdtempSync(join(tmpdir(), "qa-e2e-keep-"));
const plan = join(dir, "plan.toml");
const secretsFile = join(dir, "plan.secrets.toml");

describe("keep it working", () => {
  before(() => {
    execFileSync(join(TARGET, "debug/qa-wecom"), ["plan", "new", "--demo", "-o", plan]);
  });
  withApp();

  it("is reachable from the sidebar and asks for a plan before it runs anything", async () => {
    await go("keep_working");
    assert.equal(await text("step-title"), "Keep it working");
    await (await el("keep-rotate")).click();
    await (await el("keep-error")).waitForExist({ timeout: 5_000 });
    assert.ok((await text("keep-error")).length > 0);
    await screenshot(browser, "en-10-keep-working-empty");
  });

  it("rotates the demo plan's pair: new values in the secrets file, steps in order, no secret shown", async () => {
    const before = readFileSync(secretsFile, "utf8");
    const token = before.match(/token\s*=\s*"([^"]+)"/)[1];
    await (await el("keep-plan")).setValue(plan);
    await (await el("keep-rotate")).click();
    await (await el("keep-rotation-steps")).waitForExist({ timeout: 10_000 });
    const steps = await text("keep-rotation-steps");
    const qa = steps.indexOf("In Quick Audience");
    const verify = steps.indexOf("Verify that QA answers");
    const save = steps.indexOf("WeCom admin console");
    assert.ok(qa >= 0 && verify > qa && save > verify, `QA, then verify, then Save in the console: ${steps}`);
    const after = readFileSync(secretsFile, "utf8");
    assert.notEqual(after, before, "the secrets file changed");
    const page = await (await browser.$("main")).getText();
    assert.ok(!page.includes(token), "the old Token is not on screen");
    assert.ok(!page.includes(after.match(/token\s*=\s*"([^"]+)"/)[1]), "the new Token is not on screen");
    await screenshot(browser, "en-10-keep-working-rotated");
  });

  it("writes a support pack and lists what is inside", async () => {
    const zip = join(dir, "support.zip");
    await (await el("keep-output")).setValue(zip);
    await (await el("keep-pack")).click();
    await (await el("keep-pack-files")).waitForExist({ timeout: 15_000 });
    assert.match(await text("keep-pack-files"), /plan\.toml/);
    assert.ok(existsSync(zip), "the zip was written");
    await screenshot(browser, "en-10-keep-working-pack");
  });

  it("the same page in Chinese", async () => {
    await chooseLanguage("zh-CN");
    assert.equal(await text("step-title"), "持续运行");
    await screenshot(browser, "zh-10-keep-working-pack");
  });
});
