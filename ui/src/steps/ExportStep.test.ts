// The Export screen against a stand-in back end: the readiness list is the core's step statuses
// (an error holds the export and says why); Browse opens a folder or a zip save dialog; the export
// result lists the written files, the SHA256SUMS check, what is included, and Show folder reveals
// it; errors come in the current language.

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
const dialogOpen = vi.fn();
const dialogSave = vi.fn();
vi.mock("@tauri-apps/plugin-dialog", () => ({
  open: (...a: unknown[]) => dialogOpen(...a),
  save: (...a: unknown[]) => dialogSave(...a),
}));

import ExportStep from "./ExportStep.svelte";
import { setLang } from "../lib/i18n";
import { loaded, planState } from "../lib/plan.svelte";
import { answerWith, type Handler } from "../test/backend";
import { demoView, sampleIssue, withStep } from "../test/plan";
import type { ExportFormat, ExportResult, PlanView } from "../ipc";
import { freshEachTest } from "../test/fresh";

const FILES: [string, number, boolean][] = [
  ["README.md", 2210, false],
  ["plan.toml", 812, false],
  ["secrets/secrets.toml", 301, true],
  ["secrets/wecom-console.md", 2890, true],
  ["wecom-console.md", 2801, false],
  ["network/nginx.conf", 1544, false],
  ["network/wecom-callback-ips.txt", 990, false],
  ["report/verification.json", 3120, false],
  ["SHA256SUMS", 1200, false],
];

function result(output: string, format: ExportFormat, over: Partial<ExportResult> = {}): ExportResult {
  return {
    summary: {
      output,
      format,
      files: FILES.map(([path, bytes, secret]) => ({ path, bytes, secret, sha256: "ab".repeat(32) })),
      warnings: [],
    },
    sums_ok: FILES.length - 1,
    sums_bad: [],
    with_verification: true,
    with_callback_ips: true,
    ...over,
  };
}

function backEnd(view: PlanView, handlers: Record<string, Handler>) {
  answerWith(invoke, { plan_get: () => ({ ...view, exported: "/srv/bundle" }), ...handlers });
}

const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

freshEachTest(invoke, dialogOpen, dialogSave);

describe("Export step: readiness", () => {
  it("lists every step's status from the core and holds the export on an error, saying why", async () => {
    const reason = { en: "The corpid must be ww followed by 16 letters or digits.", zh: "corpid 必须是 ww 加 16 位字母或数字。" };
    const view = withStep(withStep(demoView(), "wecom_app", "error", reason), "verify", "warning", { en: "The URL did not answer.", zh: "回调地址没有应答。" });
    backEnd(view, {});
    loaded(view);
    render(ExportStep);
    const items = [...screen.getByTestId("export-readiness").querySelectorAll("li")];
    expect(items.map((li) => `${li.getAttribute("data-step")}:${li.getAttribute("data-status")}`)).toEqual([
      "resources:done",
      "wecom_app:error",
      "network:done",
      "callback:done",
      "verify:warning",
      "database:done",
    ]);
    expect(items[1].textContent).toContain("WeCom app");
    expect(items[1].textContent).toContain("ww followed by 16");
    expect(screen.getByTestId("export-blocked").textContent).toContain("1 step(s) have an error");
    expect(button("export-run").disabled).toBe(true);
    setLang("zh-CN");
    await vi.waitFor(() => expect(items[1].textContent).toContain("corpid 必须是 ww"));
    expect(screen.getByTestId("export-readiness").textContent).toContain("企业微信应用");
  });

  it("says whether the last verification report will be included", async () => {
    backEnd(demoView(), {});
    loaded(demoView());
    render(ExportStep);
    expect(screen.getByTestId("export-will-verify").textContent).toContain("run Verify first");
    expect(button("export-run").disabled).toBe(false);
    loaded({ ...demoView(), verification: { ok: true } as unknown as PlanView["verification"] });
    await vi.waitFor(() => expect(screen.getByTestId("export-will-verify").textContent).toContain("report/verification.json"));
  });
});

describe("Export step: writing the bundle", () => {
  it("a folder from the dialog: the files, the SHA256SUMS result, what is included, and Show folder", async () => {
    dialogOpen.mockResolvedValue("/srv/bundle");
    backEnd(demoView(), {
      export_bundle: (a) => result(String(a.output), a.format as ExportFormat),
      reveal_export: () => null,
    });
    loaded(demoView());
    render(ExportStep);
    await fireEvent.click(screen.getByTestId("field-export.output-browse"));
    expect(dialogOpen).toHaveBeenCalledWith(expect.objectContaining({ directory: true }));
    await vi.waitFor(() => expect((screen.getByTestId("field-export.output") as HTMLInputElement).value).toBe("/srv/bundle"));
    await fireEvent.click(button("export-run"));
    expect(invoke).toHaveBeenCalledWith("export_bundle", { output: "/srv/bundle", format: "dir", job: expect.stringMatching(/^export-/) });
    const files = await screen.findByTestId("export-files");
    expect([...files.querySelectorAll("li")].map((li) => li.getAttribute("data-path"))).toEqual(FILES.map(([p]) => p));
    expect(files.querySelector('[data-path="secrets/secrets.toml"]')?.textContent).toContain("secret");
    expect(files.querySelector('[data-path="plan.toml"]')?.textContent).not.toContain("secret");
    expect(screen.getByTestId("export-output").textContent).toBe("/srv/bundle");
    expect(screen.getByTestId("export-sums").getAttribute("data-ok")).toBe("true");
    expect(screen.getByTestId("export-sums").textContent).toContain("all 8 files match");
    expect(screen.getByTestId("export-verification").textContent).toContain("The last verification report is included");
    expect(screen.getByTestId("export-callback-ips").textContent).toContain("network/wecom-callback-ips.txt");
    // The export is now the plan's last export (the sidebar's Export status follows).
    await vi.waitFor(() => expect(planState.view?.exported).toBe("/srv/bundle"));
    await fireEvent.click(screen.getByTestId("export-reveal"));
    expect(invoke).toHaveBeenLastCalledWith("reveal_export", { path: "/srv/bundle" });
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("export-reveal").textContent).toContain("打开文件夹"));
    expect(screen.getByTestId("export-sums").textContent).toContain("全部 8 个文件一致");
  });

  it("a zip from the save dialog; a mismatch in SHA256SUMS and the missing reports are said", async () => {
    dialogSave.mockResolvedValue("/srv/qa.zip");
    backEnd(demoView(), {
      export_bundle: (a) =>
        result(String(a.output), a.format as ExportFormat, {
          sums_ok: 7,
          sums_bad: ["network/nginx.conf"],
          with_verification: false,
          with_callback_ips: false,
        }),
      reveal_export: () => {
        throw { code: "reveal_failed", message: "cannot start xdg-open", params: { reason: "No such file or directory" } };
      },
    });
    loaded(demoView());
    render(ExportStep);
    await fireEvent.click(screen.getByTestId("export-format-zip"));
    await fireEvent.click(screen.getByTestId("field-export.output-browse"));
    expect(dialogSave).toHaveBeenCalledWith(
      expect.objectContaining({ defaultPath: "qa-wecom-bundle.zip", filters: [expect.objectContaining({ extensions: ["zip"] })] }),
    );
    expect(dialogOpen).not.toHaveBeenCalled();
    await vi.waitFor(() => expect((screen.getByTestId("field-export.output") as HTMLInputElement).value).toBe("/srv/qa.zip"));
    await fireEvent.click(button("export-run"));
    expect(invoke).toHaveBeenCalledWith("export_bundle", { output: "/srv/qa.zip", format: "zip", job: expect.stringMatching(/^export-/) });
    const sums = await screen.findByTestId("export-sums");
    expect(sums.getAttribute("data-ok")).toBe("false");
    expect(sums.textContent).toContain("network/nginx.conf");
    expect(screen.getByTestId("export-verification").textContent).toContain("run Verify");
    expect(screen.getByTestId("export-callback-ips").textContent).toContain("says how to fetch");
    await fireEvent.click(screen.getByTestId("export-reveal"));
    expect((await screen.findByTestId("export-reveal-error")).textContent).toContain("No such file or directory");
  });

  it("shows the plan's warnings the export reported", async () => {
    const warning = sampleIssue("tls_self_signed");
    backEnd(demoView(), {
      export_bundle: (a) => {
        const r = result(String(a.output), "dir");
        return { ...r, summary: { ...r.summary, warnings: [warning] } };
      },
    });
    loaded(demoView());
    render(ExportStep);
    await fireEvent.input(screen.getByTestId("field-export.output"), { target: { value: "/srv/bundle" } });
    await fireEvent.click(button("export-run"));
    expect((await screen.findByTestId("export-warnings")).textContent).toContain(warning.message.en);
  });

  it("no path, an unsaved plan and a foreign folder are refused with the reason, in the current language", async () => {
    backEnd(demoView(), {
      export_bundle: (a) => {
        if (a.output === "/home/admin/photos")
          throw { code: "target_not_a_bundle", message: "exists", params: { path: "/home/admin/photos" } };
        throw { code: "plan_not_saved", message: "save the plan first (Save as)", params: {} };
      },
    });
    loaded({ ...demoView(), path: null });
    render(ExportStep);
    expect(screen.getByTestId("export-unsaved").textContent).toContain("Save as");
    await fireEvent.click(button("export-run"));
    expect(invoke).not.toHaveBeenCalledWith("export_bundle", expect.anything());
    expect(screen.getByTestId("export-error").textContent).toContain("Choose the folder or zip file");
    await fireEvent.input(screen.getByTestId("field-export.output"), { target: { value: "/srv/b" } });
    await fireEvent.click(button("export-run"));
    expect((await screen.findByTestId("export-error")).textContent).toContain("Save the plan first");
    await fireEvent.input(screen.getByTestId("field-export.output"), { target: { value: "/home/admin/photos" } });
    await fireEvent.click(button("export-run"));
    await vi.waitFor(() =>
      expect(screen.getByTestId("export-error").textContent).toBe(
        "/home/admin/photos exists and is not a previous bundle: choose a new or empty folder. Nothing was written.",
      ),
    );
    expect(screen.queryByTestId("export-result")).toBeNull();
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("export-error").textContent).toContain("不是之前导出的部署包"));
  });
});
