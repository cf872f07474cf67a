//! The diagnosis catalogue: every way a callback URL can fail WeCom's check, as a stable code with
//! a summary and a fix in English and Chinese.
//!
//! A diagnosis is a [`Finding`] of the one report shape (`setup_core::report`): the code, the
//! parameters its texts were rendered with (status, location, host, …), and the summary and fix in
//! both languages. The texts are data: `diagnosis.toml`, one entry per code, over the network
//! summaries all live checks share (`network.toml`).
//!
//! The codes (snake_case, stable): `ok`, `dns_failed`, `connect_refused`, `connect_timeout`,
//! `tls_handshake_failed`, `tls_cert_untrusted`, `tls_cert_name_mismatch`, `tls_cert_expired`,
//! `http_status`, `redirect`, `html_page`, `json_wrapped`, `quoted`, `bom`, `trailing_whitespace`,
//! `ciphertext_echoed`, `wrong_plaintext`, `empty_body`, `too_slow`, `timeout`, `body_too_large` —
//! the list of `product.md` — plus `connection_closed` (closed or reset before a complete reply)
//! and `not_http` (the bytes that came back are not HTTP, e.g. TLS on an `http://` URL), and the
//! causes real users hit: `server_error_code` (the server printed a WXBizMsgCrypt code; its meaning
//! and fix come from the one error-code catalogue, `setup_core::errcodes`), `bytes_repr`,
//! `double_url_decode`, `inconsistent_backends`, `auth_required`, `method_not_allowed`,
//! `dns_ipv6_only`.
//!
//! Warnings use the same catalogue and shape with severity `warning` (the check still passes):
//! `trailing_newline`, `dns_private_address`, `dns_not_eip` ([`DiagnosisCode::is_warning`]).

use setup_core::catalogue::{Catalogue, Part};
use setup_core::errcodes;
use setup_core::report::{Finding, Severity};
use setup_core::text::Text;
use std::sync::LazyLock;

pub use setup_core::report::{Params, params};
/// The language of `summary` and `fix`: the product's one [`setup_core::text::Lang`].
pub use setup_core::text::Lang;

/// Why a live check passed or failed. Serialised in snake_case; the list is stable.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::EnumIter, strum::Display,
)]
#[strum(serialize_all = "snake_case")]
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
    /// The body is a callback-library error code (`ERR: -40001`, `-40005`): `params.code`.
    ServerErrorCode,
    /// The body is a Python bytes repr of the plaintext (`b'…'`, `(0, b'…')`).
    BytesRepr,
    /// Only the probes whose echostr has a `+` fail: the query is URL-decoded twice.
    DoubleUrlDecode,
    /// Some probes pass and some fail: backends behind a balancer disagree (`params.passed`,
    /// `params.failed`, `params.probes`).
    InconsistentBackends,
    /// 401 / 407, or 403 with a login page or `WWW-Authenticate`: a gateway wants a login.
    AuthRequired,
    /// 405: the route does not accept the GET.
    MethodNotAllowed,
    /// The host has IPv6 addresses only; WeCom calls over IPv4.
    DnsIpv6Only,
    /// Warning: the reply is the plaintext and one newline, which WeCom tolerates.
    TrailingNewline,
    /// Warning: the host leads to a private, loopback or CGNAT address from this machine.
    DnsPrivateAddress,
    /// Warning: the host resolves to other addresses than the plan's EIP.
    DnsNotEip,
}

impl DiagnosisCode {
    /// The codes that are warnings: the check passes with them.
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            Self::TrailingNewline | Self::DnsPrivateAddress | Self::DnsNotEip
        )
    }

    /// `info` for `ok`, `warning` for the warnings, `error` for the rest.
    pub fn severity(self) -> Severity {
        match self {
            Self::Ok => Severity::Info,
            c if c.is_warning() => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    Catalogue::layered(&[include_str!("network.toml"), include_str!("diagnosis.toml")])
});

/// Error text as the OS, the TLS library or the peer gave it (English), for a `reason`
/// parameter: the Chinese side gets a lead-in that says it is the system's own words.
pub fn raw_reason(message: &str) -> Text {
    Text::new(message, format!("系统返回的错误为“{message}”"))
}

/// The diagnosis (or warning) `code` with its texts rendered from the catalogue with `params`.
pub fn diagnosis(code: DiagnosisCode, mut params: Params) -> Finding {
    let key: &'static str = code.into();
    let mut fill = params.clone();
    if code == DiagnosisCode::ServerErrorCode {
        library_code_texts(&mut params, &mut fill);
    }
    let summary = CATALOGUE.text(key, Part::Summary, &fill);
    let fix = CATALOGUE.text(fix_key(code, &params), Part::Fix, &fill);
    Finding::new(code, code.severity(), summary, fix, params)
}

/// For `server_error_code`: the official name of `params.code` into the finding, its meaning
/// and fix from `setup_core::errcodes` (both languages) into the texts only.
fn library_code_texts(params: &mut Params, fill: &mut Params) {
    let Some(info) = params
        .get("code")
        .and_then(|c| c.parse().ok())
        .and_then(errcodes::lookup)
    else {
        return;
    };
    params.insert("name".into(), info.name.clone());
    fill.insert("name".into(), info.name);
    for (key, text) in [("meaning", info.meaning), ("code_fix", info.fix)] {
        fill.insert(key.into(), text.en);
        fill.insert(format!("{key}_zh"), text.zh);
    }
}

/// The catalogue entry of the fix: `http_status` has one per kind of status.
fn fix_key(code: DiagnosisCode, params: &Params) -> &'static str {
    if code != DiagnosisCode::HttpStatus {
        return code.into();
    }
    match params.get("status").map_or("", String::as_str) {
        "404" => "http_status.404",
        "400" | "401" | "403" => "http_status.refused",
        s if s.starts_with('5') => "http_status.5xx",
        _ => "http_status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    /// The diagnosis `code` rendered with the parameters `pairs`.
    fn diagnosed<const N: usize>(code: DiagnosisCode, pairs: [(&str, &str); N]) -> Finding {
        diagnosis(code, params(pairs.map(|(k, v)| (k, v.to_owned()))))
    }

    #[test]
    fn every_code_has_both_languages_and_every_entry_a_code() {
        let own = include_str!("diagnosis.toml");
        assert_eq!(CATALOGUE.complete(own, DiagnosisCode::iter()), Ok(()));
        for code in DiagnosisCode::iter() {
            let d = diagnosed(code, []);
            assert_ne!(d.summary.en, d.summary.zh, "{code}");
            assert_eq!(d.code, code.to_string());
        }
    }

    #[test]
    fn a_library_code_is_explained_from_the_one_error_code_catalogue() {
        for (code, wrong) in [
            ("-40001", "Token"),
            ("-40004", "EncodingAESKey"),
            ("-40005", "corpid"),
            ("-40007", "EncodingAESKey"),
            ("-40010", "URL-decode"),
            ("-40003", "msg_signature"),
        ] {
            let d = diagnosed(DiagnosisCode::ServerErrorCode, [("code", code)]);
            let info = errcodes::lookup(code.parse().unwrap()).unwrap();
            assert!(d.fix.en.contains(&info.fix.en), "{code}: {:?}", d.fix);
            assert!(d.fix.zh.contains(&info.fix.zh), "{code}: {:?}", d.fix);
            assert!(d.fix.en.contains(wrong), "{code}: {:?}", d.fix);
            assert!(d.summary.en.contains(code) && d.summary.zh.contains(code));
            assert!(d.summary.en.contains(&info.meaning.en), "{:?}", d.summary);
            assert_eq!(d.param("name"), info.name);
            assert!(
                !d.params.contains_key("meaning"),
                "texts stay out of params"
            );
        }
    }

    #[test]
    fn warnings_are_warnings_and_the_rest_errors() {
        for code in DiagnosisCode::iter() {
            let d = diagnosed(code, []);
            let want = match code {
                DiagnosisCode::Ok => Severity::Info,
                DiagnosisCode::TrailingNewline
                | DiagnosisCode::DnsPrivateAddress
                | DiagnosisCode::DnsNotEip => Severity::Warning,
                _ => Severity::Error,
            };
            assert_eq!(d.severity, want, "{code}");
        }
    }

    #[test]
    fn http_status_fix_depends_on_the_status() {
        let fix = |s: &str| diagnosed(DiagnosisCode::HttpStatus, [("status", s)]).fix;
        assert!(fix("404").en.contains("trailing-slash"));
        assert!(fix("502").en.contains("QA service"));
        assert!(fix("403").en.contains("WAF"));
        assert!(fix("403").zh.contains("WAF"));
        assert_ne!(fix("418"), fix("404"));
    }

    #[test]
    fn params_are_rendered_in_both_languages() {
        let d = diagnosed(
            DiagnosisCode::Redirect,
            [("status", "302"), ("location", "https://x.example/login")],
        );
        for text in [&d.summary.en, &d.summary.zh] {
            assert!(
                text.contains("302") && text.contains("https://x.example/login"),
                "{text}"
            );
        }
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(diagnosed(DiagnosisCode::Ok, []).severity, Severity::Info);
    }

    #[test]
    fn the_timeout_phase_is_translated() {
        let d = diagnosed(
            DiagnosisCode::Timeout,
            [
                ("timeout_ms", "5000"),
                ("during", "TLS handshake"),
                ("during_zh", "TLS 握手"),
            ],
        );
        assert!(
            d.summary.en.contains("during TLS handshake"),
            "{}",
            d.summary.en
        );
        assert!(d.summary.zh.contains("阶段：TLS 握手"), "{}", d.summary.zh);
    }
}
