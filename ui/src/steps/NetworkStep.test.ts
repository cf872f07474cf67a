// The Network screen against a stand-in core: the QA upstream and the proxy kind go out as the
// whole `network` section, the Quick Audience IDs as `quick_audience`, each with the core's issues;
// the generated nginx.conf and WAF allow-list are shown with copy buttons and asked again after
// every change; while their inputs have errors, those errors are listed with the step to fix them.

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import NetworkStep from "./NetworkStep.svelte";
import App from "../App.svelte";
import { setLang } from "../lib/i18n";
import { loaded } from "../lib/plan.svelte";
import { answerWith } from "../test/backend";
import { demoView, newView, sampleIssue } from "../test/plan";
import { fakePlanCore, type Rules } from "../test/planCore";
import type { Issue, PlanView } from "../ipc";
import { freshEachTest } from "../test/fresh";

const rules: Rules = (v) => {
  const out: Issue[] = [];
  const up = v.plan.network.qa_upstream;
  if (up === null) out.push(sampleIssue("upstream_missing"));
  else if (up.startsWith("http")) out.push(sampleIssue("upstream_has_scheme"));
  if (v.plan.network.proxy === "other") out.push(sampleIssue("proxy_other"));
  if (v.plan.resources.domain === null) out.push(sampleIssue("domain_missing"));
  const org = v.plan.quick_audience.organization_id;
  if (org !== null && !/^[0-9a-f-]{36}$/.test(org)) out.push(sampleIssue("organization_id_invalid"));
  return out;
};

/** network_files as the core answers it: drawn from the view, or refused naming the fields. */
function filesOf(view: () => PlanView) {
  return () => {
    const v = view();
    const blocking = v.issues.filter((i) => i.severity === "error" && /^(resources|tls|network)\./.test(i.field));
    if (blocking.length > 0)
      throw {
        code: "network_inputs_invalid",
        message: "fix these fields first",
        params: { fields: blocking.map((i) => i.field).join(",") },
      };
    const up = v.plan.network.qa_upstream;
    return {
      nginx_conf: `server {\n    server_name ${v.plan.resources.domain};\n    location ^~ /restapi/thirdservice/we/com {\n        proxy_pass http://${up};\n    }\n}\n`,
      waf_json: JSON.stringify({ domain: v.plan.resources.domain, origin: up }),
      waf_steps: `# WAF allow-list\nallow ${v.plan.resources.domain}\n`,
    };
  };
}

function start(view: PlanView) {
  const core = fakePlanCore(view, rules);
  answerWith(invoke, { ...core.handlers, network_files: filesOf(() => core.view()), plan_recent: () => [], autosave_offer: () => null });
  loaded(core.view());
  return core;
}

const input = (id: string, value: string) => fireEvent.input(screen.getByTestId(id), { target: { value } });
const value = (id: string) => (screen.getByTestId(id) as HTMLTextAreaElement).value;

freshEachTest(invoke);

describe("Network: upstream, proxy, Quick Audience IDs", () => {
  it("the upstream goes out as the whole network section with the core's issues; Next waits for a valid one", async () => {
    const v = newView();
    v.plan.resources.domain = "qawecom.example.com";
    const core = start(v);
    render(App);
    await fireEvent.click(document.querySelector('[data-step="network"]') as HTMLElement);
    await input("field-network.qa_upstream", "http://10.0.0.12:8080");
    expect(core.lastUpdate("network")).toEqual({ qa_upstream: "http://10.0.0.12:8080", proxy: "nginx" });
    expect((await screen.findByTestId("issues-network.qa_upstream")).textContent).toContain("must not have a scheme");
    expect(screen.getByTestId("field-network.qa_upstream").getAttribute("aria-invalid")).toBe("true");
    await vi.waitFor(() => expect((screen.getByTestId("nav-next") as HTMLButtonElement).disabled).toBe(true));
    await input("field-network.qa_upstream", "10.0.0.12:8080");
    await vi.waitFor(() => expect((screen.getByTestId("nav-next") as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId("issues-network.qa_upstream")).toBeNull();
  });

  it("another proxy is sent as `other` with the core's warning, in both languages", async () => {
    const core = start(demoView());
    render(NetworkStep);
    await fireEvent.click(screen.getByTestId("network-proxy-other"));
    expect(core.lastUpdate("network")).toEqual({ qa_upstream: "127.0.0.1:8080", proxy: "other" });
    expect((await screen.findByTestId("issues-network.proxy")).textContent).toContain("No configuration is generated");
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("issues-network.proxy").textContent).toContain("不会为您的代理生成配置"));
    await fireEvent.click(screen.getByTestId("network-proxy-nginx"));
    expect(core.lastUpdate("network")).toEqual({ qa_upstream: "127.0.0.1:8080", proxy: "nginx" });
  });

  it("the Quick Audience IDs go out as the quick_audience section with the core's issues", async () => {
    const core = start(demoView());
    render(NetworkStep);
    await input("field-quick_audience.organization_id", "not-a-uuid");
    expect(core.lastUpdate("quick_audience")).toEqual({
      organization_id: "not-a-uuid",
      workspace_id: "5a3e3999-fccb-43ef-b232-9cbbae053e8b",
    });
    expect((await screen.findByTestId("issues-quick_audience.organization_id")).textContent).toContain("not a UUID");
    await input("field-quick_audience.workspace_id", " ");
    expect(core.lastUpdate("quick_audience")).toEqual({ organization_id: "not-a-uuid", workspace_id: null });
  });
});

describe("Network: the generated files", () => {
  it("shows nginx.conf and the WAF allow-list with copy buttons, and follows every change of the plan", async () => {
    start(demoView());
    render(NetworkStep);
    await vi.waitFor(() => expect(value("network-nginx")).toContain("proxy_pass http://127.0.0.1:8080;"));
    expect(value("network-waf-json")).toContain('"domain":"qawecom.example.com"');
    expect(value("network-waf-steps")).toContain("allow qawecom.example.com");
    await input("field-network.qa_upstream", "10.1.2.3:9000");
    await vi.waitFor(() => expect(value("network-nginx")).toContain("proxy_pass http://10.1.2.3:9000;"));
    expect(value("network-waf-json")).toContain('"origin":"10.1.2.3:9000"');
  });

  it("copies a file as it is shown", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(globalThis.navigator, "clipboard", { value: { writeText }, configurable: true });
    try {
      start(demoView());
      render(NetworkStep);
      await vi.waitFor(() => expect(value("network-nginx")).toContain("server_name qawecom.example.com;"));
      await fireEvent.click(screen.getByTestId("network-nginx-copy"));
      expect(writeText).toHaveBeenCalledWith(value("network-nginx"));
      expect(screen.getByTestId("network-waf-json-copy")).toBeTruthy();
      expect(screen.getByTestId("network-waf-steps-copy")).toBeTruthy();
    } finally {
      Reflect.deleteProperty(globalThis.navigator, "clipboard");
    }
  });

  it("while their inputs have errors, lists them with the step to fix them on; the files come when fixed", async () => {
    start(newView());
    render(NetworkStep);
    const blocked = await screen.findByTestId("network-files-blocked");
    const rows = [...blocked.querySelectorAll("li")].map((li) => [li.getAttribute("data-field"), li.textContent]);
    expect(rows).toEqual([
      ["network.qa_upstream", expect.stringContaining("Network step: The QA service address is missing.")],
      ["resources.domain", expect.stringContaining("Resources step: The callback domain is missing.")],
    ]);
    expect(screen.queryByTestId("network-nginx")).toBeNull();
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("network-files-blocked").textContent).toContain("“资源”步骤"));
    await input("field-network.qa_upstream", "10.0.0.12:8080");
    await vi.waitFor(() =>
      expect([...screen.getByTestId("network-files-blocked").querySelectorAll("li")].map((li) => li.getAttribute("data-field"))).toEqual([
        "resources.domain",
      ]),
    );
  });
});
