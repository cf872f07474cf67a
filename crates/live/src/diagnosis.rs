//! The diagnosis catalogue: every way a callback URL can fail WeCom's check, as a stable code with
//! a summary and a fix in English and Chinese.
//!
//! A [`Diagnosis`] carries the code, the parameters its texts were rendered with (status, location,
//! host, …), the summary and fix in the chosen [`Lang`], and both languages in `i18n` so a UI can
//! switch language without running the check again:
//!
//! ```json
//! { "code": "redirect",
//!   "summary": "The server redirects (HTTP 301) to https://qa.example.com/login; …",
//!   "fix": "Serve the callback URL directly: …",
//!   "params": { "status": "301", "location": "https://qa.example.com/login" },
//!   "i18n": { "en": { "summary": "…", "fix": "…" }, "zh": { "summary": "…", "fix": "…" } } }
//! ```
//!
//! The codes (snake_case, stable): `ok`, `dns_failed`, `connect_refused`, `connect_timeout`,
//! `tls_handshake_failed`, `tls_cert_untrusted`, `tls_cert_name_mismatch`, `tls_cert_expired`,
//! `http_status`, `redirect`, `html_page`, `json_wrapped`, `quoted`, `bom`, `trailing_whitespace`,
//! `ciphertext_echoed`, `wrong_plaintext`, `empty_body`, `too_slow`, `timeout`, `body_too_large` —
//! the list of `product.md` — plus `connection_closed` (closed or reset before a complete reply)
//! and `not_http` (the bytes that came back are not HTTP, e.g. TLS on an `http://` URL).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Why a live check passed or failed. Serialised in snake_case; the list is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosisCode {
    /// The reply is exactly what WeCom expects.
    Ok,
    /// The host name does not resolve.
    DnsFailed,
    /// TCP connection refused (nothing listens, or a firewall rejects).
    ConnectRefused,
    /// TCP connection not established in time (dropped by a firewall, wrong IP).
    ConnectTimeout,
    /// TLS failed for a reason other than the certificate checks below.
    TlsHandshakeFailed,
    /// The certificate chain does not lead to a trusted root (self-signed, missing intermediate).
    TlsCertUntrusted,
    /// The certificate does not cover the host name.
    TlsCertNameMismatch,
    /// The certificate is expired or not yet valid.
    TlsCertExpired,
    /// A status other than 200 (and not a redirect).
    HttpStatus,
    /// A 3xx: WeCom does not follow redirects.
    Redirect,
    /// An HTML page instead of the plaintext.
    HtmlPage,
    /// The plaintext inside JSON.
    JsonWrapped,
    /// The plaintext in quotes.
    Quoted,
    /// A byte-order mark before the plaintext.
    Bom,
    /// Whitespace or a newline around the plaintext.
    TrailingWhitespace,
    /// The encrypted echostr sent back unchanged.
    CiphertextEchoed,
    /// Some other value: decrypted with another key or corpid, or not decrypted.
    WrongPlaintext,
    /// HTTP 200 with an empty body.
    EmptyBody,
    /// Correct, but slower than WeCom's budget.
    TooSlow,
    /// No complete reply within the overall timeout.
    Timeout,
    /// The reply is larger than the read cap.
    BodyTooLarge,
    /// The connection was closed or reset before a complete HTTP reply.
    ConnectionClosed,
    /// The bytes that came back are not HTTP/1.x.
    NotHttp,
}

impl DiagnosisCode {
    /// Every code, in catalogue order.
    pub const ALL: [DiagnosisCode; 23] = [
        Self::Ok,
        Self::DnsFailed,
        Self::ConnectRefused,
        Self::ConnectTimeout,
        Self::TlsHandshakeFailed,
        Self::TlsCertUntrusted,
        Self::TlsCertNameMismatch,
        Self::TlsCertExpired,
        Self::HttpStatus,
        Self::Redirect,
        Self::HtmlPage,
        Self::JsonWrapped,
        Self::Quoted,
        Self::Bom,
        Self::TrailingWhitespace,
        Self::CiphertextEchoed,
        Self::WrongPlaintext,
        Self::EmptyBody,
        Self::TooSlow,
        Self::Timeout,
        Self::BodyTooLarge,
        Self::ConnectionClosed,
        Self::NotHttp,
    ];

    /// The stable snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::DnsFailed => "dns_failed",
            Self::ConnectRefused => "connect_refused",
            Self::ConnectTimeout => "connect_timeout",
            Self::TlsHandshakeFailed => "tls_handshake_failed",
            Self::TlsCertUntrusted => "tls_cert_untrusted",
            Self::TlsCertNameMismatch => "tls_cert_name_mismatch",
            Self::TlsCertExpired => "tls_cert_expired",
            Self::HttpStatus => "http_status",
            Self::Redirect => "redirect",
            Self::HtmlPage => "html_page",
            Self::JsonWrapped => "json_wrapped",
            Self::Quoted => "quoted",
            Self::Bom => "bom",
            Self::TrailingWhitespace => "trailing_whitespace",
            Self::CiphertextEchoed => "ciphertext_echoed",
            Self::WrongPlaintext => "wrong_plaintext",
            Self::EmptyBody => "empty_body",
            Self::TooSlow => "too_slow",
            Self::Timeout => "timeout",
            Self::BodyTooLarge => "body_too_large",
            Self::ConnectionClosed => "connection_closed",
            Self::NotHttp => "not_http",
        }
    }
}

impl std::fmt::Display for DiagnosisCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The language of `summary` and `fix`: the product's one [`setup_core::text::Lang`].
pub use setup_core::text::Lang;

/// Summary and fix in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Texts {
    pub summary: String,
    pub fix: String,
}

/// Both languages of one diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct I18n {
    pub en: Texts,
    pub zh: Texts,
}

/// Values a diagnosis text refers to (`status`, `location`, `host`, `port`, `elapsed_ms`, …).
pub type Params = BTreeMap<String, String>;

/// The verdict of a live check: a stable code, and what it means and what to do, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Diagnosis {
    pub code: DiagnosisCode,
    /// In the language asked for.
    pub summary: String,
    /// In the language asked for.
    pub fix: String,
    /// The values the texts were rendered with, for a UI that translates by code.
    pub params: Params,
    /// Both languages.
    pub i18n: I18n,
}

impl Diagnosis {
    /// Renders the catalogue entry of `code` with `params` in both languages.
    pub fn new(code: DiagnosisCode, params: Params, lang: Lang) -> Self {
        let en = texts(code, &params, Lang::En);
        let zh = texts(code, &params, Lang::Zh);
        let chosen = match lang {
            Lang::En => en.clone(),
            Lang::Zh => zh.clone(),
        };
        Diagnosis {
            code,
            summary: chosen.summary,
            fix: chosen.fix,
            params,
            i18n: I18n { en, zh },
        }
    }
}

const PREFIX: &str = "/restapi/thirdservice/we/com";

/// The catalogue: summary and fix of `code` in `lang`, with `params` filled in.
pub fn texts(code: DiagnosisCode, params: &Params, lang: Lang) -> Texts {
    let p = |k: &str| params.get(k).map(String::as_str).unwrap_or("?").to_string();
    let (en, zh): ((String, String), (String, String)) = match code {
        DiagnosisCode::Ok => (
            (
                "The callback URL answered exactly as WeCom expects.".into(),
                "Nothing to fix: press Save in the WeCom admin console.".into(),
            ),
            ("回调地址的应答与企业微信的要求完全一致。".into(), "无需修改：可以在企业微信管理后台点击保存。".into()),
        ),
        DiagnosisCode::DnsFailed => (
            (
                format!("The domain name {} does not resolve.", p("host")),
                format!(
                    "Add an A record for {} pointing to the public IP (EIP), wait for it to propagate, and check the spelling of the URL.",
                    p("host")
                ),
            ),
            (
                format!("域名 {} 无法解析。", p("host")),
                format!("为 {} 添加指向公网 IP（EIP）的 A 记录并等待生效，并检查 URL 的拼写。", p("host")),
            ),
        ),
        DiagnosisCode::ConnectRefused => (
            (
                format!("The connection to {} was refused: nothing accepts connections on port {}.", p("addr"), p("port")),
                format!(
                    "Check that nginx (or the QA service) listens on port {} and that the firewall / security group admits WeCom on that port.",
                    p("port")
                ),
            ),
            (
                format!("连接 {} 被拒绝：端口 {} 上没有服务在监听。", p("addr"), p("port")),
                format!("确认 nginx（或 QA 服务）在端口 {} 上监听，并且防火墙 / 安全组允许企业微信访问该端口。", p("port")),
            ),
        ),
        DiagnosisCode::ConnectTimeout => (
            (
                format!("Could not connect to {} in time.", p("addr")),
                format!(
                    "A firewall, security group or WAF drops the traffic, or the A record points at the wrong IP: open port {} to the internet and check that the domain resolves to the EIP.",
                    p("port")
                ),
            ),
            (
                format!("在限定时间内无法连接到 {}。", p("addr")),
                format!(
                    "防火墙、安全组或 WAF 丢弃了流量，或域名解析到了错误的 IP：向公网开放端口 {}，并确认域名解析到 EIP。",
                    p("port")
                ),
            ),
        ),
        DiagnosisCode::TlsHandshakeFailed => (
            (
                format!("The TLS handshake failed: {}.", p("reason")),
                "Check that the port speaks HTTPS (`listen 443 ssl`), serves a certificate with its key, and offers TLS 1.2 or later.".into(),
            ),
            (
                format!("TLS 握手失败：{}。", p("reason")),
                "确认该端口提供 HTTPS（`listen 443 ssl`），配置了证书及其私钥，并支持 TLS 1.2 或更高版本。".into(),
            ),
        ),
        DiagnosisCode::TlsCertUntrusted => (
            (
                "The certificate is not issued by a trusted authority (self-signed, or the intermediate certificates are missing).".into(),
                "Use a certificate from a public CA and serve the full chain: `ssl_certificate` must point at the full-chain file (server certificate first, then intermediates).".into(),
            ),
            (
                "证书不是由受信任的机构签发的（自签名证书，或缺少中间证书）。".into(),
                "使用公共 CA 签发的证书并提供完整证书链：`ssl_certificate` 应指向完整链文件（先服务器证书，后中间证书）。".into(),
            ),
        ),
        DiagnosisCode::TlsCertNameMismatch => (
            (
                format!("The certificate does not cover {}.", p("host")),
                format!(
                    "Install a certificate whose Subject Alternative Names include {} (or a matching wildcard).",
                    p("host")
                ),
            ),
            (
                format!("证书不包含域名 {}。", p("host")),
                format!("安装一张“使用者可选名称”（SAN）包含 {}（或匹配的通配符）的证书。", p("host")),
            ),
        ),
        DiagnosisCode::TlsCertExpired => (
            (
                "The certificate has expired or is not yet valid.".into(),
                "Renew the certificate, install it and reload nginx; also check the server's clock.".into(),
            ),
            ("证书已过期或尚未生效。".into(), "续期证书、安装后重新加载 nginx；同时检查服务器时钟。".into()),
        ),
        DiagnosisCode::HttpStatus => {
            let status = p("status");
            let (fix_en, fix_zh) = if status == "404" {
                (
                    format!(
                        "The path does not reach the QA callback: the proxy must forward {PREFIX} to the QA service unchanged (path and query preserved, no trailing-slash rewrite), and the URL's path and corpid must be exact."
                    ),
                    format!(
                        "该路径没有到达 QA 回调：代理必须将 {PREFIX} 原样转发给 QA 服务（保留路径和查询参数，不要追加或去掉末尾斜杠），且 URL 中的路径和 corpid 必须完全正确。"
                    ),
                )
            } else if status.starts_with('5') {
                (
                    "The proxy reached no healthy QA service, or QA failed: check the QA service address in the proxy configuration, that the QA service runs, and its log for this request.".to_string(),
                    "代理没有连到正常工作的 QA 服务，或 QA 处理出错：检查代理配置中的 QA 服务地址、QA 服务是否在运行，并查看其日志中对应的请求。".to_string(),
                )
            } else if matches!(status.as_str(), "400" | "401" | "403") {
                (
                    format!(
                        "The request was refused: by QA itself when the signature or decryption fails (the Token, EncodingAESKey or corpid differ from the WeCom console; they are case-sensitive), or by a WAF or access rule (allow-list {PREFIX})."
                    ),
                    format!(
                        "请求被拒绝：可能是 QA 校验签名或解密失败（Token、EncodingAESKey 或 corpid 与企业微信后台不一致，注意区分大小写），也可能是 WAF 或访问控制规则（请将 {PREFIX} 加入白名单）。"
                    ),
                )
            } else {
                (
                    format!("WeCom needs HTTP 200: check the proxy rules for {PREFIX} and the QA service log."),
                    format!("企业微信要求 HTTP 200：检查代理中 {PREFIX} 的转发规则以及 QA 服务日志。"),
                )
            };
            (
                (format!("The server answered HTTP {status} instead of 200."), fix_en),
                (format!("服务器返回了 HTTP {status}，而不是 200。"), fix_zh),
            )
        }
        DiagnosisCode::Redirect => (
            (
                format!(
                    "The server redirects (HTTP {}) to {}; WeCom does not follow redirects.",
                    p("status"),
                    p("location")
                ),
                format!(
                    "Serve the callback URL directly: remove the redirect for {PREFIX} (an http→https or login redirect), or enter the final URL in the WeCom console."
                ),
            ),
            (
                format!("服务器重定向（HTTP {}）到 {}；企业微信不会跟随重定向。", p("status"), p("location")),
                format!("让回调地址直接应答：去掉 {PREFIX} 上的重定向（如 http→https 或登录页跳转），或在企业微信后台填写最终的 URL。"),
            ),
        ),
        DiagnosisCode::HtmlPage => (
            (
                "A web page came back instead of the decrypted echostr: the request reached a web front end, not the QA callback.".into(),
                format!("Forward {PREFIX} to the QA service in a location that comes before any catch-all location serving the front end."),
            ),
            (
                "返回的是网页而不是解密后的 echostr：请求到了 Web 前端，而不是 QA 回调接口。".into(),
                format!("在代理中把 {PREFIX} 转发给 QA 服务，并确保该 location 优先于提供前端页面的通配 location。"),
            ),
        ),
        DiagnosisCode::JsonWrapped => (
            (
                "The decrypted echostr came back inside JSON.".into(),
                "The body must be the bare plaintext (e.g. 1616140317555161061), not a JSON object: return the string as text/plain.".into(),
            ),
            (
                "解密后的 echostr 被包在 JSON 中返回。".into(),
                "响应体必须是明文本身（如 1616140317555161061），不能是 JSON 对象：以 text/plain 返回该字符串。".into(),
            ),
        ),
        DiagnosisCode::Quoted => (
            (
                "The decrypted echostr came back in quotes.".into(),
                "Return the bare plaintext without quotes: the framework is serialising the string as JSON.".into(),
            ),
            ("解密后的 echostr 带着引号返回。".into(), "返回不带引号的明文：框架把字符串按 JSON 序列化了。".into()),
        ),
        DiagnosisCode::Bom => (
            (
                "The reply starts with a byte-order mark (BOM) before the echostr.".into(),
                "Write the body as UTF-8 without a BOM.".into(),
            ),
            ("响应在 echostr 之前带有字节顺序标记（BOM）。".into(), "以不带 BOM 的 UTF-8 输出响应体。".into()),
        ),
        DiagnosisCode::TrailingWhitespace => (
            (
                "The reply has a newline or spaces around the decrypted echostr.".into(),
                "Return exactly the decrypted bytes: no newline (println), no padding.".into(),
            ),
            ("响应中解密后的 echostr 前后多了换行或空格。".into(), "原样返回解密结果：不要换行（println），不要补空格。".into()),
        ),
        DiagnosisCode::CiphertextEchoed => (
            (
                "The server returned the encrypted echostr unchanged instead of decrypting it.".into(),
                "The endpoint must decrypt echostr with the EncodingAESKey and return the plaintext: this looks like a placeholder, not the QA callback.".into(),
            ),
            (
                "服务器原样返回了加密的 echostr，没有解密。".into(),
                "回调接口必须用 EncodingAESKey 解密 echostr 并返回明文：当前应答来自占位程序，而不是 QA 回调接口。".into(),
            ),
        ),
        DiagnosisCode::WrongPlaintext => (
            (
                "The reply is not the echostr WeCom sent: the server decrypted with another Token, EncodingAESKey or corpid, or could not decrypt.".into(),
                "Enter exactly the same Token, EncodingAESKey and corpid in QA as in the WeCom console (they are case-sensitive), then check again.".into(),
            ),
            (
                "应答不是企业微信发送的 echostr：服务器使用了其他 Token、EncodingAESKey 或 corpid 解密，或者解密失败。".into(),
                "在 QA 中填写与企业微信后台完全一致的 Token、EncodingAESKey 和 corpid（区分大小写），然后重新检查。".into(),
            ),
        ),
        DiagnosisCode::EmptyBody => (
            (
                "The server answered 200 with an empty body.".into(),
                "The endpoint must return the decrypted echostr; an empty reply usually means QA could not decrypt it (check Token, EncodingAESKey and corpid) or the proxy drops the body.".into(),
            ),
            (
                "服务器返回了 200，但响应体为空。".into(),
                "回调接口必须返回解密后的 echostr；空响应通常表示 QA 解密失败（检查 Token、EncodingAESKey 和 corpid），或代理丢弃了响应体。".into(),
            ),
        ),
        DiagnosisCode::TooSlow => (
            (
                format!(
                    "The reply is correct but took {} ms; WeCom gives up after {} ms.",
                    p("elapsed_ms"),
                    p("limit_ms")
                ),
                "Make the path faster: look for a slow upstream or DNS lookup in the proxy, a cold or overloaded QA service, or a long network route.".into(),
            ),
            (
                format!("应答正确，但耗时 {} 毫秒；企业微信只等待 {} 毫秒。", p("elapsed_ms"), p("limit_ms")),
                "缩短响应时间：检查代理的上游或 DNS 解析是否缓慢、QA 服务是否刚启动或负载过高、网络路径是否过长。".into(),
            ),
        ),
        DiagnosisCode::Timeout => (
            (
                format!("No complete reply within {} ms (during {}).", p("timeout_ms"), p("during")),
                "The server accepted the connection but does not answer: check that the proxy's upstream (proxy_pass) is reachable and the QA service is running.".into(),
            ),
            (
                format!("{} 毫秒内没有收到完整应答（阶段：{}）。", p("timeout_ms"), p("during")),
                "服务器接受了连接但没有应答：检查代理的上游（proxy_pass）是否可达，以及 QA 服务是否在运行。".into(),
            ),
        ),
        DiagnosisCode::BodyTooLarge => (
            (
                format!("The reply is larger than {} bytes: it cannot be an echostr.", p("limit_bytes")),
                format!("The path serves something else (a file or a page): forward {PREFIX} to the QA service."),
            ),
            (
                format!("应答超过 {} 字节，不可能是 echostr。", p("limit_bytes")),
                format!("该路径返回的是其他内容（文件或页面）：把 {PREFIX} 转发给 QA 服务。"),
            ),
        ),
        DiagnosisCode::ConnectionClosed => (
            (
                "The server closed or reset the connection without a complete HTTP reply.".into(),
                "Check the proxy's error log: the upstream may have crashed, or a WAF or load balancer resets the connection.".into(),
            ),
            (
                "服务器在完整应答之前关闭或重置了连接。".into(),
                "查看代理的错误日志：上游可能崩溃，或 WAF / 负载均衡重置了连接。".into(),
            ),
        ),
        DiagnosisCode::NotHttp => (
            (
                "What came back is not an HTTP reply (for example TLS on a port addressed with http://).".into(),
                "Match the URL's scheme to the port: https:// for a TLS port, http:// for a plain one.".into(),
            ),
            (
                "返回的内容不是 HTTP 应答（例如用 http:// 访问了 TLS 端口）。".into(),
                "让 URL 的协议与端口一致：TLS 端口用 https://，普通端口用 http://。".into(),
            ),
        ),
    };
    let ((summary, fix), (summary_zh, fix_zh)) = (en, zh);
    match lang {
        Lang::En => Texts { summary, fix },
        Lang::Zh => Texts {
            summary: summary_zh,
            fix: fix_zh,
        },
    }
}

/// Builds [`Params`] from pairs.
pub fn params<const N: usize>(pairs: [(&str, String); N]) -> Params {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_both_languages_and_round_trips() {
        for code in DiagnosisCode::ALL {
            let d = Diagnosis::new(code, Params::new(), Lang::Zh);
            assert!(
                !d.i18n.en.summary.is_empty() && !d.i18n.en.fix.is_empty(),
                "{code}"
            );
            assert!(
                !d.i18n.zh.summary.is_empty() && !d.i18n.zh.fix.is_empty(),
                "{code}"
            );
            assert_eq!(d.summary, d.i18n.zh.summary);
            assert_ne!(d.i18n.en.summary, d.i18n.zh.summary, "{code}");
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.as_str().to_string()));
        }
    }

    #[test]
    fn http_status_fix_depends_on_the_status() {
        let fix = |s: &str| {
            texts(
                DiagnosisCode::HttpStatus,
                &params([("status", s.into())]),
                Lang::En,
            )
            .fix
        };
        assert!(fix("404").contains("trailing-slash"));
        assert!(fix("502").contains("QA service"));
        assert!(fix("403").contains("WAF"));
        assert_ne!(fix("418"), fix("404"));
    }

    #[test]
    fn params_are_rendered() {
        let d = Diagnosis::new(
            DiagnosisCode::Redirect,
            params([
                ("status", "302".into()),
                ("location", "https://x.example/login".into()),
            ]),
            Lang::En,
        );
        assert!(d.summary.contains("302") && d.summary.contains("https://x.example/login"));
    }

    #[test]
    fn lang_parses() {
        assert_eq!("zh-CN".parse::<Lang>().unwrap(), Lang::Zh);
        assert!("fr".parse::<Lang>().is_err());
    }
}
