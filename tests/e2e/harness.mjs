// End-to-end harness: runs the real app window under its own Xvfb display, through tauri-driver
// and WebKitWebDriver, on free ports; saves a PNG per step; stops every process it started, also
// when a test fails or the run is interrupted.

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync, rmSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { createServer, connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, "../..");
export const SCREENSHOTS = join(here, "screenshots");
export const TARGET = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, "target");
const APP = process.env.QA_E2E_APP ?? join(TARGET, "debug/qa-wecom-setup");

const started = [];
// One HOME per test process: empty at the first launch, kept across relaunches in the same file,
// so a test can check what the app remembers.
const HOME = join(TARGET, "e2e-home", String(process.pid));
rmSync(HOME, { recursive: true, force: true });
/** This test process's HOME for the app (see above). */
export const APP_HOME = HOME;
/** The app's app-data folder under that HOME (recent plans, the autosave, the demo plan). */
export const APP_DATA = join(HOME, ".local/share", "com.quickaudience.wecomsetup");

function track(child, name) {
  child.on("error", (e) => console.error(`e2e: ${name} failed to start: ${e.message}`));
  started.push({ child, name });
  return child;
}

/** Kill every process group we started (newest first). Safe to call twice. */
export function stopAll() {
  for (const { child } of started.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
  }
  started.length = 0;
}
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.once(sig, () => {
    stopAll();
    process.exit(130);
  });
}
process.once("exit", stopAll);

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function waitForPort(port, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise((res) => {
      const c = connect(port, "127.0.0.1", () => {
        c.end();
        res(true);
      });
      c.once("error", () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`e2e: nothing listened on 127.0.0.1:${port} within ${ms} ms`);
}

/** Xvfb picks a free display itself (-displayfd) so parallel runs never collide. */
function startXvfb() {
  return new Promise((res, rej) => {
    const x = track(
      spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x860x24", "-nolisten", "tcp"], {
        stdio: ["ignore", "ignore", "pipe", "pipe"],
        detached: true,
      }),
      "Xvfb",
    );
    let out = "";
    const timer = setTimeout(() => rej(new Error("e2e: Xvfb did not report a display in 10 s")), 10_000);
    x.stdio[3].on("data", (d) => {
      out += d;
      if (out.includes("\n")) {
        clearTimeout(timer);
        res(`:${out.trim()}`);
      }
    });
    x.once("exit", (code) => rej(new Error(`e2e: Xvfb exited with ${code}`)));
  });
}

let lastDriver = null;
let lastDisplay = null;

/** The parent pid of every process, from /proc. */
function parents() {
  const map = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name may hold spaces and parentheses: the ppid is the second field after the last ")".
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      map.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  return map;
}

/** The pid of the app started by the last launchApp's tauri-driver (a descendant running the app binary), or null. */
export function appPid() {
  if (!lastDriver) throw new Error("e2e: appPid before launchApp");
  const ppid = parents();
  const below = new Set([lastDriver.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of ppid) {
      if (below.has(parent) && !below.has(pid)) {
        below.add(pid);
        grew = true;
      }
    }
  }
  const app = [...below].find((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`) === resolve(APP) && !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
    } catch {
      return false;
    }
  });
  return app ?? null;
}

/** Waits until process `pid` has ended (gone or a zombie); false after `ms`. */
export async function waitExit(pid, ms = 10_000) {
  const alive = () => {
    try {
      return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
    } catch {
      return false;
    }
  };
  const end = Date.now() + ms;
  while (alive()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * SIGKILLs the app process started by the last launchApp's tauri-driver, as a crash would end it;
 * answers its pid once it is gone. The WebDriver session dies with it: stop the rest with stopAll
 * and start a fresh launchApp.
 */
export async function killApp() {
  const app = appPid();
  if (app === null) throw new Error(`e2e: no ${APP} process under tauri-driver ${lastDriver.pid}`);
  process.kill(app, "SIGKILL");
  if (!(await waitExit(app))) throw new Error(`e2e: the app ${app} outlived SIGKILL`);
  return app;
}

/**
 * Closes the app's window the way a window manager's close button does: WM_DELETE_WINDOW sent to
 * every visible window on the last launchApp's display (tests/e2e/wm_delete.py, python3-xlib). The
 * app decides what happens, as with a real close. Answers the number of windows asked.
 */
export function closeWindowLikeTheUser() {
  if (!lastDisplay) throw new Error("e2e: closeWindowLikeTheUser before launchApp");
  const out = execFileSync("/usr/bin/python3", [join(here, "wm_delete.py")], {
    env: { ...process.env, DISPLAY: lastDisplay },
    encoding: "utf8",
  });
  return Number(out.trim());
}

/**
 * Start Xvfb, tauri-driver and the app; returns a WebdriverIO browser for the app window.
 * The app gets this test process's own HOME and XDG dirs, so nothing from another run leaks in.
 */
export async function launchApp() {
  if (!existsSync(APP)) throw new Error(`e2e: ${APP} is missing; \`make test\` builds it before the e2e tests`);
  const display = await startXvfb();
  lastDisplay = display;
  const port = await freePort();
  const nativePort = await freePort();
  const home = HOME;
  mkdirSync(home, { recursive: true });
  const env = {
    ...process.env,
    DISPLAY: display,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local/share"),
    XDG_CACHE_HOME: join(home, ".cache"),
    LANG: "en_US.UTF-8",
  };
  const driverLog = [];
  const driver = track(
    spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    }),
    "tauri-driver",
  );
  lastDriver = driver;
  driver.stdout.on("data", (d) => driverLog.push(String(d)));
  driver.stderr.on("data", (d) => driverLog.push(String(d)));
  try {
    await waitForPort(port, 15_000);
  } catch (e) {
    throw new Error(`${e.message}\n${driverLog.join("")}`);
  }
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryTimeout: 60_000,
    capabilities: { "tauri:options": { application: APP }, "wdio:enforceWebDriverClassic": true },
  });
  return browser;
}

/** Save a PNG of the window to tests/e2e/screenshots/<name>.png. */
export async function screenshot(browser, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let WebKit paint the last change before capturing (two animation frames).
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  const png = await browser.takeScreenshot();
  writeFileSync(join(SCREENSHOTS, `${name}.png`), Buffer.from(png, "base64"));
}

const AXE_SOURCE = readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core (WCAG 2 A/AA rules) on the current page; returns the serious and critical
 * violations as `{ id, impact, help, targets }`.
 */
export async function axeSerious(browser) {
  const hasAxe = await browser.execute(() => typeof globalThis.axe !== "undefined");
  if (!hasAxe) await browser.execute(AXE_SOURCE);
  const result = await browser.executeAsync((done) => {
    globalThis.axe
      .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
      .then((r) => done(JSON.stringify(r.violations)))
      .catch((e) => done(JSON.stringify({ error: String(e) })));
  });
  const parsed = JSON.parse(result);
  if (!Array.isArray(parsed)) throw new Error(`axe failed: ${parsed.error}`);
  return parsed
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}
