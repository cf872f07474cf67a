// The whole offline demo in the real window, from Start to an exported bundle, in English and then
// in 简体中文: Demo → Resources → WeCom app (Check with WeCom green against the demo's local fake)
// → Network (nginx.conf) → Callback → Verify (green, the ok diagnosis) → Database (the creation SQL)
// → Export to a typed folder (the written files, SHA256SUMS verified). Then, on disk: `sha256sum -c`
// passes, the last verification report is in the bundle, and no file outside secrets/ holds the
// demo's Token, EncodingAESKey or app Secret (folder and zip). Screenshots flow-<lang>-NN-<step>.png.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { APP_DATA, screenshot } from "./harness.mjs";
import { browser, chooseLanguage, click, diagnosisCode, el, errorsOnPage, go, startDemo, status, text, title, waitTitle, withApp } from "./steps.mjs";

const work = mkdtempSync(join(tmpdir(), "flow-e2e-"));

const STEPS = ["start", "resources", "wecom_app", "network", "callback", "verify", "database", "export"];
const TITLES = {
  en: ["Start", "Resources", "WeCom app", "Network", "Callback", "Verify", "Database", "Export"],
  "zh-CN": ["开始", "资源", "企业微信应用", "网络", "回调", "验证", "数据库", "导出"],
};
/** What each language's screens say where the flow checks its words (from the locale files). */
const WORDS = {
  en: {
    wecomPassed: /Passed/,
    verifyOk: /exactly as WeCom expects/,
    sumsOk: /SHA256SUMS checked: all \d+ files match/,
    willVerify: /last verification report goes into the bundle/,
    withVerification: /last verification report is included/,
    next: /Next/,
    troubleshoot: "Troubleshoot",
    keepWorking: "Keep it working",
  },
  "zh-CN": {
    wecomPassed: /通过/,
    verifyOk: /完全一致/,
    sumsOk: /SHA256SUMS 校验通过：全部 \d+ 个文件一致/,
    willVerify: /最近一次验证报告将写入部署包/,
    withVerification: /已包含最近一次验证报告/,
    next: /下一步/,
    troubleshoot: "故障排查",
    keepWorking: "持续运行",
  },
};

async function waitFor(cond, timeoutMsg, timeout = 20_000) {
  await browser.waitUntil(cond, { timeout, timeoutMsg });
}
/** Next, then wait for the step's title. */
async function next(expected) {
  await click("nav-next");
  await waitTitle(expected, { timeoutMsg: `Next did not reach ${expected}` });
  await browser.execute(() => document.querySelector("main")?.scrollTo(0, 0));
}
/** Every file under `dir`, relative, sorted. */
function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
/** The demo plan's secrets, as the app wrote them next to its demo plan. */
function demoSecrets() {
  const toml = readFileSync(join(APP_DATA, "demo", "plan.secrets.toml"), "utf8");
  const get = (k) => toml.match(new RegExp(`^${k}\\s*=\\s*"([^"]+)"`, "m"))?.[1];
  const s = { token: get("token"), encoding_aes_key: get("encoding_aes_key"), app_secret: get("app_secret") };
  for (const [k, v] of Object.entries(s)) assert.ok(v && v.length >= 16, `the demo has a ${k}`);
  return s;
}
/** The files among `entries` (path → bytes) outside secrets/ that hold one of the secrets. */
function leaks(entries, secrets) {
  const found = [];
  for (const [path, bytes] of entries) {
    if (path.startsWith("secrets/")) continue;
    for (const [k, v] of Object.entries(secrets)) if (bytes.includes(v)) found.push(`${path} holds ${k}`);
  }
  return found;
}

/** The whole demo in `lang`, screenshots `flow-<short>-NN-<step>`; answers the export folder. */
async function demoFlow(lang, short) {
  const titles = TITLES[lang];
  const words = WORDS[lang];
  /** The step from its top, then (with `part`) scrolled to the element `part` names. */
  const shot = async (i, part) => {
    const name = `flow-${short}-${String(i + 1).padStart(2, "0")}-${STEPS[i]}`;
    await browser.execute(() => document.querySelector("main")?.scrollTo(0, 0));
    await screenshot(browser, name);
    if (!part) return;
    await browser.execute((id) => document.querySelector(`[data-testid="${id}"]`)?.scrollIntoView({ block: "start" }), part);
    await screenshot(browser, `${name}-${part}`);
  };

  await chooseLanguage(lang);
  await go("start");
  assert.equal(await title(), titles[0]);
  await shot(0);
  // The two screens outside the flow, from the sidebar, in the same language.
  await go("troubleshoot");
  assert.equal(await title(), words.troubleshoot);
  await screenshot(browser, `flow-${short}-09-troubleshoot`);
  await go("keep_working");
  assert.equal(await title(), words.keepWorking);
  await screenshot(browser, `flow-${short}-10-keep-working`);
  await go("start");

  await startDemo();
  assert.equal(await title(), titles[1]);
  assert.equal(await (await el("field-resources.domain")).getValue(), "qawecom.example.com");
  assert.deepEqual(await errorsOnPage(), [], "Resources shows no error in the demo");
  assert.match(await text("nav-next"), words.next);
  await shot(1);

  await next(titles[2]);
  await click("wecom-check");
  await waitFor(async () => (await (await el("wecom-report")).isExisting()) && (await (await el("wecom-report")).getAttribute("data-ok")) === "true",
    "Check with WeCom did not go green in the demo");
  const probes = await browser.$$('[data-testid="wecom-report"] [data-rung]').map((r) => r.getAttribute("data-status"));
  assert.ok(probes.length >= 2 && probes.every((s) => s === "pass"), `every probe passes: ${probes}`);
  assert.match(await text("wecom-report-diagnosis"), words.wecomPassed);
  assert.equal(await status("wecom_app"), "done");
  assert.deepEqual(await errorsOnPage(), [], "WeCom app shows no error in the demo");
  await shot(2, "wecom-report");

  await next(titles[3]);
  const nginx = await el("network-nginx");
  await waitFor(async () => (await nginx.isExisting()) && /server_name qawecom\.example\.com;/.test(await nginx.getValue()),
    "nginx.conf is not shown");
  assert.match(await nginx.getValue(), /location \^~ \/restapi\/thirdservice\/we\/com/);
  assert.deepEqual(await errorsOnPage(), [], "Network shows no error in the demo");
  await shot(3, "network-files");

  await next(titles[4]);
  assert.match(await (await el("callback-url")).getValue(), /^https:\/\/qawecom\.example\.com\/restapi\/thirdservice\/we\/com\//);
  assert.deepEqual(await errorsOnPage(), [], "Callback shows no error in the demo");
  await shot(4, "callback-secrets");

  await next(titles[5]);
  await click("verify-run");
  await waitFor(async () => (await diagnosisCode()) === "ok", "the verification did not go green");
  assert.match(await text("verify-report-diagnosis"), words.verifyOk);
  assert.equal(await status("verify"), "done");
  const verified = await text("verify-target");
  assert.deepEqual(await errorsOnPage(), [], "Verify shows no error in the demo");
  await shot(5, "verify-report");

  await next(titles[6]);
  const sql = await el("database-sql");
  await waitFor(async () => (await sql.isExisting()) && /CREATE DATABASE/i.test(await sql.getValue()), "the creation SQL is not shown");
  assert.match(await sql.getValue(), /UTF8/);
  assert.deepEqual(await errorsOnPage(), [], "Database shows no error in the demo");
  await shot(6, "database-sql");

  await next(titles[7]);
  assert.match(await text("export-will-verify"), words.willVerify);
  const out = join(work, `bundle-${short}`);
  await (await el("field-export.output")).setValue(out);
  await click("export-run");
  await (await el("export-result")).waitForExist({ timeout: 30_000, timeoutMsg: "the export did not finish" });
  assert.equal(await (await el("export-sums")).getAttribute("data-ok"), "true");
  assert.match(await text("export-sums"), words.sumsOk);
  assert.equal(await (await el("export-verification")).getAttribute("data-included"), "true");
  assert.match(await text("export-verification"), words.withVerification);
  const listed = await browser.$$('[data-testid="export-files"] li').map((l) => l.getAttribute("data-path"));
  assert.ok(listed.includes("SHA256SUMS") || listed.some((p) => p.endsWith("SHA256SUMS")), `SHA256SUMS is listed: ${listed}`);
  assert.ok(listed.includes("report/verification.json"), `the verification report is listed: ${listed}`);
  assert.equal(await text("export-output"), out);
  assert.deepEqual(await errorsOnPage(), [], "Export shows no error in the demo");
  await shot(7, "export-result");

  return { out, listed, verified };
}

/** The bundle on disk: every SHA256SUMS line holds, the report is there, no secret outside secrets/. */
function checkBundle(out, listed, verified) {
  execFileSync("sha256sum", ["-c", "--strict", "SHA256SUMS"], { cwd: out, stdio: "pipe" });
  // Export also leaves its marker (what lets a later export replace this folder, and nothing else);
  // it is bookkeeping, not a file for ops, so the screen does not list it.
  const files = filesUnder(out).filter((f) => f !== ".qa-wecom-bundle");
  assert.ok(filesUnder(out).includes(".qa-wecom-bundle"), "the folder carries export's marker");
  assert.deepEqual([...listed].sort(), files, "the screen lists exactly the files written");
  const report = JSON.parse(readFileSync(join(out, "report/verification.json"), "utf8"));
  assert.equal(report.ok, true, "the bundle's verification report is the green one");
  assert.equal(report.url, verified, "the bundle's report is of the verification run on screen");
  assert.ok(files.some((f) => f.startsWith("secrets/")), "the bundle has its secrets/ folder");
  const secrets = demoSecrets();
  assert.deepEqual(leaks(files.map((f) => [f, readFileSync(join(out, f))]), secrets), []);
  // The secrets are in the bundle, only under secrets/.
  const inSecrets = files.filter((f) => f.startsWith("secrets/")).map((f) => readFileSync(join(out, f), "utf8")).join("\n");
  assert.ok(inSecrets.includes(secrets.token), "the Token is in secrets/");
}

describe("the whole demo, Start to an exported bundle", () => {
  withApp({ cleanUp: () => rmSync(work, { recursive: true, force: true }) });

  it("in English: green from Start to Export, and the bundle checks out on disk", async () => {
    const { out, listed, verified } = await demoFlow("en", "en");
    checkBundle(out, listed, verified);
  });

  it("the same demo exported as a zip: its SHA256SUMS verified on screen, no secret outside secrets/", async () => {
    await click("export-format-zip");
    const zip = join(work, "bundle.zip");
    await (await el("field-export.output")).setValue(zip);
    await click("export-run");
    await waitFor(async () => (await (await el("export-output")).isExisting()) && (await text("export-output")) === zip, "the zip export did not finish", 30_000);
    assert.equal(await (await el("export-sums")).getAttribute("data-ok"), "true");
    const unpacked = join(work, "unzipped");
    execFileSync("unzip", ["-q", zip, "-d", unpacked]);
    // The archive may hold one top folder; SHA256SUMS sits where the bundle starts.
    const sums = filesUnder(unpacked).find((f) => f.endsWith("SHA256SUMS"));
    assert.ok(sums, "the zip holds SHA256SUMS");
    const root = join(unpacked, sums.slice(0, -"SHA256SUMS".length));
    execFileSync("sha256sum", ["-c", "--strict", "SHA256SUMS"], { cwd: root, stdio: "pipe" });
    const files = filesUnder(root);
    assert.ok(files.includes("report/verification.json"));
    assert.deepEqual(leaks(files.map((f) => [f, readFileSync(join(root, f))]), demoSecrets()), []);
    await screenshot(browser, "flow-en-08-export-zip");
    await click("export-format-dir");
  });

  it("in 简体中文: the same flow with Chinese labels on every screen, and its bundle checks out", async () => {
    const { out, listed, verified } = await demoFlow("zh-CN", "zh");
    const sidebar = await browser.execute(() => [...document.querySelectorAll("nav ol [data-step]")].map((b) => b.textContent));
    TITLES["zh-CN"].forEach((label, i) => assert.ok(sidebar[i].includes(label), `${sidebar[i]} has ${label}`));
    assert.match(await text("export-result"), /已将 \d+ 个文件写入文件夹/);
    checkBundle(out, listed, verified);
    await chooseLanguage("en");
  });
});
