// The Troubleshoot page's decrypt tool and import trigger against a stand-in back end (the error-code
// lookup is in steps.test.ts): what they send over IPC and what they show, in both languages.

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import TroubleshootStep from "./TroubleshootStep.svelte";
import { setLang } from "../lib/i18n";
import { answerWith, type Handler } from "../test/backend";
import type { Decryption, ImportTrigger } from "../ipc";
import { freshEachTest } from "../test/fresh";

const backEnd = (handlers: Record<string, Handler>) => answerWith(invoke, handlers);

const TOKEN = "QDG6eK";
const KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const CORP = "wx5823bf96d3bd56c7";
const QUERY = "msg_signature=5c45ff&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3";
const ORG = "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6";
const WS = "5a3e3999-fccb-43ef-b232-9cbbae053e8b";

const wrongCorp: Decryption = {
  ok: false,
  kind: "url_verification",
  message: 'decrypted receiveid "wx5823bf96d3bd56c7" does not match corpid "wwother": check the corpid',
  code: -40005,
  name: "ValidateCorpid_Error",
  meaning: { en: "The receiveid inside the message is not the corpid.", zh: "消息中的 receiveid 与 corpid 不一致。" },
  fix: { en: "Use the Company ID from My Company.", zh: "请使用“我的企业”中的企业 ID。" },
  needs_body: false,
};

function trigger(a: Record<string, unknown>): ImportTrigger {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const issues = [];
  if (!uuid.test(String(a.organization_id).trim())) {
    issues.push({
      code: "organization_id_invalid" as const,
      severity: "error" as const,
      field: "quick_audience.organization_id",
      message: { en: "The QA organization ID is not a UUID.", zh: "QA 组织 ID 不是 UUID。" },
      fix: { en: "Enter it as 8-4-4-4-12 hex digits.", zh: "请按 8-4-4-4-12 位十六进制填写。" },
      params: {},
    });
  }
  const command =
    issues.length === 0 && uuid.test(String(a.workspace_id).trim())
      ? `curl --location 'http://127.0.0.1:9001/swagger/test/invoke/day/dataimport/${String(a.organization_id)}/${String(a.workspace_id)}/WECHAT_WECOM'`
      : null;
  return { command, issues };
}

async function fillDecrypt(corp: string, body = "") {
  await fireEvent.input(screen.getByTestId("decrypt-token"), { target: { value: TOKEN } });
  await fireEvent.input(screen.getByTestId("decrypt-aeskey"), { target: { value: KEY } });
  await fireEvent.input(screen.getByTestId("decrypt-corpid"), { target: { value: corp } });
  await fireEvent.input(screen.getByTestId("decrypt-query"), { target: { value: QUERY } });
  await fireEvent.input(screen.getByTestId("decrypt-body"), { target: { value: body } });
}

freshEachTest(invoke);

describe("Troubleshoot: decrypt a capture", () => {
  it("sends the capture to the core and shows the plaintext; Token and key stay masked", async () => {
    backEnd({ decrypt_callback: () => ({ ok: true, kind: "url_verification", message: "1616140317555161061", needs_body: false }) });
    render(TroubleshootStep);
    expect((screen.getByTestId("decrypt-token") as HTMLInputElement).type).toBe("password");
    expect((screen.getByTestId("decrypt-aeskey") as HTMLInputElement).type).toBe("password");
    await fillDecrypt(CORP, "  ");
    await fireEvent.click(screen.getByTestId("decrypt-run"));
    expect(invoke).toHaveBeenLastCalledWith("decrypt_callback", {
      token: TOKEN,
      encoding_aes_key: KEY,
      corp_id: CORP,
      query: QUERY,
      body: null,
    });
    const result = await screen.findByTestId("decrypt-result");
    expect(result.dataset.ok).toBe("true");
    expect(screen.getByTestId("decrypt-plaintext").textContent).toBe("1616140317555161061");
    expect(result.textContent).toContain("URL verification (GET)");
    expect(document.body.textContent).not.toContain(KEY);
  });

  it("a failure shows the official code with its meaning and fix in the current language", async () => {
    backEnd({ decrypt_callback: () => wrongCorp });
    render(TroubleshootStep);
    await fillDecrypt("wwother");
    await fireEvent.click(screen.getByTestId("decrypt-run"));
    const result = await screen.findByTestId("decrypt-result");
    expect(result.dataset.code).toBe("-40005");
    expect(result.textContent).toContain("ValidateCorpid_Error");
    expect(screen.getByTestId("decrypt-meaning").textContent).toContain("is not the corpid");
    expect(screen.getByTestId("decrypt-detail").textContent).toContain('"wwother"');
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("decrypt-fix").textContent).toContain("我的企业"));
    expect(screen.getByTestId("decrypt-result").textContent).toContain("未能解密");
  });

  it("an event query without its body asks for the body; the inconsistent capture is explained", async () => {
    backEnd({
      decrypt_callback: (a) => {
        if (a.body !== null) throw { code: "echostr_and_body", message: "m", params: {} };
        return { ...wrongCorp, code: -40003, name: "ComputeSignature_Error", needs_body: true };
      },
    });
    render(TroubleshootStep);
    await fillDecrypt(CORP);
    await fireEvent.click(screen.getByTestId("decrypt-run"));
    expect((await screen.findByTestId("decrypt-needs-body")).textContent).toContain("paste its body too");
    await fireEvent.input(screen.getByTestId("decrypt-body"), { target: { value: "<xml><Encrypt>x</Encrypt></xml>" } });
    await fireEvent.click(screen.getByTestId("decrypt-run"));
    expect(invoke).toHaveBeenLastCalledWith("decrypt_callback", expect.objectContaining({ body: "<xml><Encrypt>x</Encrypt></xml>" }));
    expect((await screen.findByTestId("decrypt-error")).textContent).toContain("clear the body");
  });

  it("asks for every value before calling the core; the plan's values prefill the fields", async () => {
    backEnd({});
    render(TroubleshootStep, { corpId: CORP, token: TOKEN });
    expect((screen.getByTestId("decrypt-corpid") as HTMLInputElement).value).toBe(CORP);
    expect((screen.getByTestId("decrypt-token") as HTMLInputElement).value).toBe(TOKEN);
    await fireEvent.click(screen.getByTestId("decrypt-run"));
    expect((await screen.findByTestId("decrypt-error")).textContent).toContain("EncodingAESKey");
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe("Troubleshoot: the import trigger", () => {
  it("shows the core's command for valid IDs and the issue of a bad one", async () => {
    backEnd({ import_trigger: trigger });
    render(TroubleshootStep, { organizationId: ORG, workspaceId: WS });
    expect(invoke).toHaveBeenLastCalledWith("import_trigger", { organization_id: ORG, workspace_id: WS });
    const command = (await screen.findByTestId("trigger-command")) as HTMLTextAreaElement;
    expect(command.value).toBe(`curl --location 'http://127.0.0.1:9001/swagger/test/invoke/day/dataimport/${ORG}/${WS}/WECHAT_WECOM'`);
    await fireEvent.input(screen.getByTestId("trigger-org"), { target: { value: "org-1" } });
    expect(invoke).toHaveBeenLastCalledWith("import_trigger", { organization_id: "org-1", workspace_id: WS });
    expect((await screen.findByTestId("trigger-org-issues")).textContent).toContain("not a UUID");
    expect(screen.queryByTestId("trigger-command")).toBeNull();
    expect(screen.getByTestId("trigger-org").getAttribute("aria-invalid")).toBe("true");
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("trigger-org-issues").textContent).toContain("不是 UUID"));
  });
});
