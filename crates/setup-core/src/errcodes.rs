//! The error-code catalogue of the Troubleshoot page and `qa-wecom errcode`: WeCom API global
//! codes and the callback library codes (WXBizMsgCrypt −40001 … −40011), each with its meaning
//! and fix in English and Chinese.

use crate::text::Text;
use serde::Serialize;
use ts_rs::TS;

/// Where a code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CodeSource {
    /// A WeCom server API `errcode`.
    WecomApi,
    /// The callback encryption library (WXBizMsgCrypt).
    CallbackLibrary,
}

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ErrorCodeInfo {
    #[ts(type = "number")]
    pub code: i64,
    pub source: CodeSource,
    /// A short stable name (the official one for library codes).
    pub name: String,
    pub meaning: Text,
    pub fix: Text,
}

/// (code, name, meaning en, meaning zh, fix en, fix zh)
type Row = (
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const WECOM: &[Row] = &[
    (
        -1,
        "system_busy",
        "WeCom is busy (system error).",
        "系统繁忙。",
        "Retry after a few seconds, with back-off; if it persists, check WeCom's status.",
        "稍等几秒后重试（逐步加大间隔）；持续出现请关注企业微信服务状态。",
    ),
    (
        40001,
        "invalid_secret",
        "The app Secret (corpsecret) is wrong, or belongs to another app or enterprise.",
        "应用 Secret（corpsecret）错误，或属于其他应用或企业。",
        "Copy the Secret again from App Management > the self-built app (it is sent to the admin's WeCom); make sure corpid and Secret belong together. Do not retry in a loop: repeated failures get the IP rate-limited (45009).",
        "从 应用管理 > 该自建应用 重新查看并复制 Secret（会发送到管理员企业微信），确认 corpid 与 Secret 属于同一企业。不要循环重试，多次失败会导致 IP 被限频（45009）。",
    ),
    (
        40013,
        "invalid_corpid",
        "The corpid is not valid.",
        "企业 ID（corpid）无效。",
        "Copy it from My Company > Company Information > Company ID (case-sensitive, usually ww + 16 hex digits).",
        "请从 我的企业 > 企业信息 > 企业ID 复制（区分大小写，通常为 ww 加 16 位十六进制）。",
    ),
    (
        40014,
        "invalid_access_token",
        "The access_token is not valid.",
        "access_token 无效。",
        "Get a new one with gettoken using this app's corpid and Secret; do not mix tokens of different apps.",
        "用本应用的 corpid 和 Secret 调用 gettoken 重新获取；不要混用不同应用的 token。",
    ),
    (
        40056,
        "invalid_agentid",
        "The AgentId is not valid for this app.",
        "AgentId 无效。",
        "Copy the AgentId from the self-built app's page; it must be the app whose Secret is used.",
        "请从自建应用页面复制 AgentId，且必须是所用 Secret 对应的应用。",
    ),
    (
        41001,
        "missing_access_token",
        "The request has no access_token parameter.",
        "请求缺少 access_token 参数。",
        "Call gettoken first and pass access_token on every API call.",
        "请先调用 gettoken，并在每次接口调用时带上 access_token。",
    ),
    (
        41002,
        "missing_corpid",
        "The request has no corpid parameter.",
        "请求缺少 corpid 参数。",
        "Pass corpid to gettoken.",
        "调用 gettoken 时请传入 corpid。",
    ),
    (
        41004,
        "missing_secret",
        "The request has no corpsecret parameter.",
        "请求缺少 corpsecret 参数。",
        "Pass the app Secret as corpsecret to gettoken.",
        "调用 gettoken 时请将应用 Secret 作为 corpsecret 传入。",
    ),
    (
        42001,
        "access_token_expired",
        "The access_token has expired (it lives 7200 s).",
        "access_token 已过期（有效期 7200 秒）。",
        "Get a new token with gettoken and cache it for less than expires_in.",
        "调用 gettoken 重新获取，并按小于 expires_in 的时间缓存。",
    ),
    (
        45009,
        "api_rate_limited",
        "API call frequency limit reached (often after repeated wrong secrets from one IP).",
        "接口调用超过频率限制（常见于同一 IP 多次使用错误 Secret）。",
        "Stop retrying, wait (minutes to an hour), fix the cause (usually 40001), then call once.",
        "停止重试，等待一段时间（几分钟到一小时），先修正原因（通常是 40001），再调用一次。",
    ),
    (
        48002,
        "api_forbidden",
        "The app may not call this API: it is not in the customer-contact \"apps that may call the API\" list, or lacks the permission.",
        "应用无权调用该接口：未加入客户联系的“可调用接口的应用”，或缺少相应权限。",
        "Seed §4.2: Customer & Upstream/Downstream > Customer Contact > Customer > API: tick this app under \"apps that may call the API\"; bind the WeChat developer ID.",
        "见接入手册 §4.2：客户与上下游 > 客户联系 > 客户 > API，在“可调用接口的应用”中勾选本应用，并绑定微信开发者 ID。",
    ),
    (
        60011,
        "no_privilege",
        "No privilege to access this member or department: it is outside the app's visible range.",
        "无权限访问该成员或部门：不在应用的可见范围内。",
        "Seed §4.1: add the departments and members to the app's visible range.",
        "见接入手册 §4.1：将相关部门和成员加入应用的可见范围。",
    ),
    (
        60020,
        "ip_not_allowed",
        "The calling server's IP is not in the app's trusted IPs (the message ends with `from ip: X`).",
        "调用方服务器 IP 不在应用的企业可信 IP 中（错误信息末尾的 `from ip: X`）。",
        "Add X to the app's Enterprise trusted IP list (it takes about a minute). WeCom unlocks that field only after the callback URL has been verified: verify the URL first.",
        "将 X 加入应用的企业可信 IP（约一分钟生效）。企业微信只有在回调 URL 校验通过后才开放该设置：请先完成 URL 校验。",
    ),
    (
        301002,
        "token_of_other_app",
        "The access_token belongs to another app than the one the request is for.",
        "access_token 属于其他应用，与本次请求的应用不符。",
        "Use the token obtained with this app's Secret (and its AgentId).",
        "请使用本应用 Secret 获取的 token（及其 AgentId）。",
    ),
];

const LIBRARY: &[Row] = &[
    (
        -40001,
        "",
        "Signature check failed: msg_signature does not match the Token, timestamp, nonce and ciphertext.",
        "签名校验失败：msg_signature 与 Token、timestamp、nonce 和密文不符。",
        "Enter the exact Token of the WeCom console (case-sensitive) on both sides; URL-decode echostr exactly once.",
        "两端使用企业微信后台完全相同的 Token（区分大小写）；echostr 只做一次 URL 解码。",
    ),
    (
        -40002,
        "",
        "The callback body is not valid XML.",
        "回调消息体不是合法的 XML。",
        "Pass the raw POST body unchanged (no JSON wrapping, no re-encoding).",
        "请原样传递 POST 消息体（不要包装成 JSON 或重新编码）。",
    ),
    (
        -40003,
        "",
        "The signature could not be computed, usually because a parameter is missing.",
        "无法计算签名，通常是缺少参数。",
        "Make sure msg_signature, timestamp and nonce (and echostr on GET) reach the receiver: the proxy must pass the query string unchanged.",
        "确认 msg_signature、timestamp、nonce（GET 时还有 echostr）到达接收方：代理必须原样转发查询参数。",
    ),
    (
        -40004,
        "",
        "The EncodingAESKey is not valid (it must be 43 letters and digits).",
        "EncodingAESKey 非法（必须是 43 位字母和数字）。",
        "Copy the whole EncodingAESKey again from the WeCom console, or generate a new one and enter it on both sides.",
        "从企业微信后台重新完整复制 EncodingAESKey，或重新生成并在两端填写。",
    ),
    (
        -40005,
        "",
        "The corpid inside the decrypted message differs from the configured one.",
        "解密后的 corpid 与配置的不一致。",
        "Configure the receiver with the enterprise's corpid (case-sensitive), the one in the callback URL.",
        "接收方请使用本企业的 corpid（区分大小写），即回调 URL 中的那个。",
    ),
    (
        -40006,
        "",
        "AES encryption failed.",
        "AES 加密失败。",
        "Check the EncodingAESKey; report the case if it persists.",
        "请检查 EncodingAESKey；持续出现请反馈。",
    ),
    (
        -40007,
        "",
        "AES decryption failed: wrong EncodingAESKey or damaged ciphertext.",
        "AES 解密失败：EncodingAESKey 错误或密文损坏。",
        "Use the same EncodingAESKey as the WeCom console; check that the proxy does not alter the body or echostr.",
        "使用与企业微信后台相同的 EncodingAESKey；确认代理没有改动消息体或 echostr。",
    ),
    (
        -40008,
        "",
        "The decrypted buffer is not valid (wrong key or corrupted data).",
        "解密后的数据非法（密钥错误或数据损坏）。",
        "Check the EncodingAESKey; a library that pads to 16 instead of 32 bytes also causes this.",
        "请检查 EncodingAESKey；按 16 字节而非 32 字节补位的库也会导致该错误。",
    ),
    (
        -40009,
        "",
        "Base64 encoding failed.",
        "Base64 编码失败。",
        "Report the case; it should not happen.",
        "请反馈该问题；正常情况下不会出现。",
    ),
    (
        -40010,
        "",
        "Base64 decoding failed: the ciphertext is not base64.",
        "Base64 解码失败：密文不是 base64。",
        "URL-decode echostr exactly once: `+` must arrive as %2B, `/` as %2F, `=` as %3D; the proxy must not decode or re-encode the query.",
        "echostr 只做一次 URL 解码：`+` 应为 %2B、`/` 为 %2F、`=` 为 %3D；代理不得解码或重新编码查询参数。",
    ),
    (
        -40011,
        "",
        "Building the reply XML failed.",
        "生成回复 XML 失败。",
        "Report the case; the receiver should answer events with an empty 200.",
        "请反馈该问题；接收方处理事件时可直接返回空的 200。",
    ),
];

fn info(row: &Row, source: CodeSource) -> ErrorCodeInfo {
    let (code, name, men, mzh, fen, fzh) = *row;
    let name = match source {
        CodeSource::WecomApi => name.to_owned(),
        CodeSource::CallbackLibrary => i32::try_from(code)
            .ok()
            .and_then(wecom_crypto::code_name)
            .unwrap_or(name)
            .to_owned(),
    };
    ErrorCodeInfo {
        code,
        source,
        name,
        meaning: Text::new(men, mzh),
        fix: Text::new(fen, fzh),
    }
}

/// Every entry: the WeCom API codes, then the library codes.
pub fn all() -> Vec<ErrorCodeInfo> {
    WECOM
        .iter()
        .map(|r| info(r, CodeSource::WecomApi))
        .chain(LIBRARY.iter().map(|r| info(r, CodeSource::CallbackLibrary)))
        .collect()
}

/// The entry for `code`, if the catalogue has it.
pub fn lookup(code: i64) -> Option<ErrorCodeInfo> {
    all().into_iter().find(|i| i.code == code)
}

/// WeCom's official error-code lookup page for `code`.
pub fn lookup_url(code: i64) -> String {
    format!("https://open.work.weixin.qq.com/devtool/query?e={code}")
}

/// The stable code of the answer for a code the catalogue does not have.
pub const UNKNOWN_CODE: &str = "unknown_code";

/// The one answer, for the CLI and the app alike, for a code the catalogue does not have: that it
/// is not here, and WeCom's official lookup page for it.
pub fn unknown(code: i64) -> Text {
    let url = lookup_url(code);
    Text::new(
        format!(
            "{code} is not in this tool's catalogue; look it up in WeCom's official error-code tool: {url}"
        ),
        format!("本工具的错误码目录中没有 {code}；请在企业微信官方错误码查询工具中查看：{url}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_every_required_code_with_both_languages() {
        let required = [
            -1, 40001, 40013, 40014, 40056, 41001, 42001, 45009, 48002, 60011, 60020, 301002,
            -40001, -40002, -40003, -40004, -40005, -40006, -40007, -40008, -40009, -40010, -40011,
        ];
        for code in required {
            let i = lookup(code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(!i.name.is_empty());
            for s in [&i.meaning.en, &i.meaning.zh, &i.fix.en, &i.fix.zh] {
                assert!(!s.is_empty(), "{code}");
            }
        }
    }

    #[test]
    fn library_codes_carry_the_official_names() {
        assert_eq!(
            lookup(-40001).map(|i| i.name),
            Some("ValidateSignature_Error".into())
        );
        assert_eq!(
            lookup(-40005).map(|i| i.source),
            Some(CodeSource::CallbackLibrary)
        );
        assert_eq!(lookup(60020).map(|i| i.source), Some(CodeSource::WecomApi));
    }

    #[test]
    fn codes_are_unique_and_unknown_codes_are_not_found() {
        let all = all();
        let mut codes: Vec<i64> = all.iter().map(|i| i.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert!(lookup(12345).is_none());
        assert!(lookup(0).is_none());
    }

    #[test]
    fn an_unknown_code_points_at_the_official_lookup_for_that_code() {
        let t = unknown(86001);
        let url = "https://open.work.weixin.qq.com/devtool/query?e=86001";
        assert_eq!(lookup_url(86001), url);
        assert!(t.en.contains(url) && t.zh.contains(url), "{t:?}");
        assert!(
            t.en.starts_with("86001 is not") && t.zh.contains("没有 86001"),
            "{t:?}"
        );
    }
}
