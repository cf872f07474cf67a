// Data shaped exactly like the back end's answers (types from the generated bindings).

import type { CallbackUrlCheck, ErrorCodeInfo, Report } from "../ipc";

export const URL = "https://127.0.0.1:41234/restapi/thirdservice/we/com/inner/event/oneparty/callback/ww0123456789abcdef";

export function okReport(check: "verify" | "event" = "verify"): Report {
  return {
    ok: true,
    check,
    url: URL,
    elapsed_ms: 7,
    steps: [
      {
        name: "dns",
        status: "pass",
        detail: "127.0.0.1 is an IP address: no lookup",
        detail_zh: "127.0.0.1 是 IP 地址，无需解析",
        elapsed_ms: 0,
      },
      {
        name: "tcp",
        status: "pass",
        detail: "connected to 127.0.0.1:41234",
        detail_zh: "已连接 127.0.0.1:41234",
        elapsed_ms: 1,
      },
      {
        name: "tls",
        status: "pass",
        detail: "TLSv1_3, certificate valid for 127.0.0.1",
        detail_zh: "TLSv1_3，证书对 127.0.0.1 有效",
        elapsed_ms: 2,
      },
      {
        name: "http",
        status: "pass",
        detail: "GET /restapi/thirdservice/we/com/inner/event/oneparty/callback/ww0123456789abcdef → HTTP 200, 19 bytes",
        detail_zh: "GET /restapi/thirdservice/we/com/inner/event/oneparty/callback/ww0123456789abcdef → HTTP 200，19 字节",
        elapsed_ms: 3,
      },
      {
        name: "reply",
        status: "pass",
        detail: "the body is exactly the decrypted echostr (19 bytes), 7 ms from connect to last byte",
        detail_zh: "响应体与解密后的 echostr 完全一致（19 字节），从连接到最后一个字节用时 7 毫秒",
        elapsed_ms: 1,
      },
    ],
    diagnosis: {
      code: "ok",
      summary: "The callback URL answered exactly as WeCom expects.",
      fix: "Nothing to fix: press Save in the WeCom admin console.",
      params: {},
      i18n: {
        en: {
          summary: "The callback URL answered exactly as WeCom expects.",
          fix: "Nothing to fix: press Save in the WeCom admin console.",
        },
        zh: { summary: "回调地址的应答与企业微信的要求完全一致。", fix: "无需修改：可以在企业微信管理后台点击保存。" },
      },
    },
  };
}

export function refusedReport(): Report {
  return {
    ok: false,
    check: "verify",
    url: URL,
    elapsed_ms: 2,
    steps: [
      {
        name: "dns",
        status: "pass",
        detail: "127.0.0.1 is an IP address: no lookup",
        detail_zh: "127.0.0.1 是 IP 地址，无需解析",
        elapsed_ms: 0,
      },
      {
        name: "tcp",
        status: "fail",
        detail: "connect to 127.0.0.1:41234: Connection refused (os error 111)",
        detail_zh: "连接 127.0.0.1:41234 失败：Connection refused (os error 111)",
        elapsed_ms: 1,
      },
      { name: "tls", status: "skip", detail: "not run: the TCP step failed", detail_zh: "未执行：TCP 步骤失败", elapsed_ms: 0 },
      { name: "http", status: "skip", detail: "not run: the TCP step failed", detail_zh: "未执行：TCP 步骤失败", elapsed_ms: 0 },
      { name: "reply", status: "skip", detail: "not run: the TCP step failed", detail_zh: "未执行：TCP 步骤失败", elapsed_ms: 0 },
    ],
    diagnosis: {
      code: "connect_refused",
      summary: "The connection to 127.0.0.1:41234 was refused.",
      fix: "Check that nginx listens on port 41234.",
      params: { addr: "127.0.0.1:41234", port: "41234" },
      i18n: {
        en: { summary: "The connection to 127.0.0.1:41234 was refused.", fix: "Check that nginx listens on port 41234." },
        zh: { summary: "连接 127.0.0.1:41234 被拒绝。", fix: "确认 nginx 在端口 41234 上监听。" },
      },
    },
  };
}

export const localhostCheck: CallbackUrlCheck = {
  url: null,
  issues: [
    {
      code: "domain_single_label",
      severity: "error",
      field: "resources.domain",
      message: { en: "The domain has no dot; WeCom needs a public domain.", zh: "域名中没有点；企业微信需要公网域名。" },
      fix: { en: "Enter the full domain, e.g. qawecom.example.com.", zh: "请填写完整域名，例如 qawecom.example.com。" },
      params: {},
    },
  ],
};

export const info60020: ErrorCodeInfo = {
  code: 60020,
  source: "wecom_api",
  name: "ip_not_allowed",
  meaning: { en: "The calling server's IP is not in the app's trusted IPs.", zh: "调用方服务器 IP 不在应用的企业可信 IP 中。" },
  fix: { en: "Add X to the app's Enterprise trusted IP list.", zh: "将 X 加入应用的企业可信 IP。" },
};
