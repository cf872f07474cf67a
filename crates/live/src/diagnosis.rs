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
//! and `not_http` (the bytes that came back are not HTTP, e.g. TLS on an `http://` URL).

use setup_core::catalogue::{Catalogue, Part};
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
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    Catalogue::layered(&[include_str!("network.toml"), include_str!("diagnosis.toml")])
});

/// Error text as the OS, the TLS library or the peer gave it (English), for a `reason`
/// parameter: the Chinese side gets a lead-in that says it is the system's own words.
pub fn raw_reason(message: &str) -> Text {
    Text::new(message, format!("系统返回的错误为“{message}”"))
}

/// The diagnosis `code` with its texts rendered from the catalogue with `params`.
pub fn diagnosis(code: DiagnosisCode, params: Params) -> Finding {
    let key: &'static str = code.into();
    let summary = CATALOGUE.text(key, Part::Summary, &params);
    let fix = CATALOGUE.text(fix_key(code, &params), Part::Fix, &params);
    let severity = match code {
        DiagnosisCode::Ok => Severity::Info,
        _ => Severity::Error,
    };
    Finding::new(code, severity, summary, fix, params)
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

    #[test]
    fn every_code_has_both_languages_and_every_entry_a_code() {
        let own = include_str!("diagnosis.toml");
        assert_eq!(CATALOGUE.complete(own, DiagnosisCode::iter()), Ok(()));
        for code in DiagnosisCode::iter() {
            let d = diagnosis(code, Params::new());
            assert_ne!(d.summary.en, d.summary.zh, "{code}");
            assert_eq!(d.code, code.to_string());
        }
    }

    #[test]
    fn http_status_fix_depends_on_the_status() {
        let fix =
            |s: &str| diagnosis(DiagnosisCode::HttpStatus, params([("status", s.into())])).fix;
        assert!(fix("404").en.contains("trailing-slash"));
        assert!(fix("502").en.contains("QA service"));
        assert!(fix("403").en.contains("WAF"));
        assert!(fix("403").zh.contains("WAF"));
        assert_ne!(fix("418"), fix("404"));
    }

    #[test]
    fn params_are_rendered_in_both_languages() {
        let d = diagnosis(
            DiagnosisCode::Redirect,
            params([
                ("status", "302".into()),
                ("location", "https://x.example/login".into()),
            ]),
        );
        for text in [&d.summary.en, &d.summary.zh] {
            assert!(
                text.contains("302") && text.contains("https://x.example/login"),
                "{text}"
            );
        }
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(
            diagnosis(DiagnosisCode::Ok, Params::new()).severity,
            Severity::Info
        );
    }

    #[test]
    fn the_timeout_phase_is_translated() {
        let d = diagnosis(
            DiagnosisCode::Timeout,
            params([
                ("timeout_ms", "5000".into()),
                ("during", "TLS handshake".into()),
                ("during_zh", "TLS 握手".into()),
            ]),
        );
        assert!(
            d.summary.en.contains("during TLS handshake"),
            "{}",
            d.summary.en
        );
        assert!(d.summary.zh.contains("阶段：TLS 握手"), "{}", d.summary.zh);
    }
}
