// Data shaped exactly like the back end's answers (types from the generated bindings).

import type { CheckKind, ErrorCodeInfo, Issue, Finding, LadderReport, Severity, Status, Step, Text } from "../ipc";

export const URL = "https://127.0.0.1:41234/restapi/thirdservice/we/com/inner/event/oneparty/callback/ww0123456789abcdef";

/** A text in both languages. */
export const t = (en: string, zh: string): Text => ({ en, zh });

/** A step as the core sends it: `detail` in the report's language (English here), both in `text`. */
export function step(name: string, status: Status, en: string, zh: string, elapsed_ms = 0): Step {
  return { name, status, detail: en, elapsed_ms, text: { detail: { en, zh } } };
}

/** A finding as the core sends it: `summary` and `fix` in English, both languages in `text`. */
export function finding(code: string, severity: Severity, summary: Text, fix: Text, params: Record<string, string> = {}): Finding {
  return { code, severity, summary: summary.en, fix: fix.en, params, text: { summary, fix } };
}

function report(ok: boolean, check: CheckKind, elapsed_ms: number, steps: Step[], diagnosis: Finding): LadderReport {
  return { ok, check, lang: "en", elapsed_ms, url: URL, steps, diagnosis, warnings: [] };
}

const DNS = step("dns", "pass", "127.0.0.1 is an IP address: no lookup", "127.0.0.1 是 IP 地址，无需解析", 0);
const NOT_RUN = ["not run: the TCP step failed", "未执行：TCP 步骤失败"] as const;

export function okReport(check: "verify" | "event" = "verify"): LadderReport {
  return report(
    true,
    check,
    7,
    [
      DNS,
      step("tcp", "pass", "connected to 127.0.0.1:41234", "已连接 127.0.0.1:41234", 1),
      step("tls", "pass", "TLSv1_3, certificate valid for 127.0.0.1", "TLSv1_3，证书对 127.0.0.1 有效", 2),
      step(
        "http",
        "pass",
        "GET /restapi/thirdservice/we/com/inner/event/oneparty/callback/ww0123456789abcdef → HTTP 200, 19 bytes",
        "GET /restapi/thirdservice/we/com/inner/event/oneparty/callback/ww0123456789abcdef → HTTP 200，19 字节",
        3,
      ),
      step(
        "reply",
        "pass",
        "the body is exactly the decrypted echostr (19 bytes), 7 ms from connect to last byte",
        "响应体与解密后的 echostr 完全一致（19 字节），从连接到最后一个字节用时 7 毫秒",
        1,
      ),
    ],
    finding(
      "ok",
      "info",
      { en: "The callback URL answered exactly as WeCom expects.", zh: "回调地址的应答与企业微信的要求完全一致。" },
      { en: "Nothing to fix: press Save in the WeCom admin console.", zh: "无需修改：可以在企业微信管理后台点击保存。" },
    ),
  );
}

export function refusedReport(): LadderReport {
  return report(
    false,
    "verify",
    2,
    [
      DNS,
      step(
        "tcp",
        "fail",
        "connect to 127.0.0.1:41234: Connection refused (os error 111)",
        "连接 127.0.0.1:41234 失败：Connection refused (os error 111)",
        1,
      ),
      step("tls", "skip", ...NOT_RUN, 0),
      step("http", "skip", ...NOT_RUN, 0),
      step("reply", "skip", ...NOT_RUN, 0),
    ],
    finding(
      "connect_refused",
      "error",
      { en: "The connection to 127.0.0.1:41234 was refused.", zh: "连接 127.0.0.1:41234 被拒绝。" },
      { en: "Check that nginx listens on port 41234.", zh: "确认 nginx 在端口 41234 上监听。" },
      { addr: "127.0.0.1:41234", port: "41234" },
    ),
  );
}

/** The core's error for a single-label domain such as "localhost". */
export const singleLabelIssue: Issue = {
  code: "domain_single_label",
  severity: "error",
  field: "resources.domain",
  message: { en: "The domain has no dot; WeCom needs a public domain.", zh: "域名中没有点；企业微信需要公网域名。" },
  fix: { en: "Enter the full domain, e.g. qawecom.example.com.", zh: "请填写完整域名，例如 qawecom.example.com。" },
  params: {},
};

export const info60020: ErrorCodeInfo = {
  code: 60020,
  source: "wecom_api",
  name: "ip_not_allowed",
  meaning: { en: "The calling server's IP is not in the app's trusted IPs.", zh: "调用方服务器 IP 不在应用的企业可信 IP 中。" },
  fix: { en: "Add X to the app's Enterprise trusted IP list.", zh: "将 X 加入应用的企业可信 IP。" },
};
