//! The WeCom check's diagnoses: every WeCom `errcode` the check knows (the global codes, whose
//! meaning and fix come from `setup_core::errcodes`, plus the check-specific readings: 48002 on the
//! customer-contact call, an empty visible range, 60020 with its `from ip:`), and the transport
//! failures. The texts are data (`catalogue.toml`, with the network summaries of
//! `../network.toml`). Unknown codes point at WeCom's official lookup.
//!
//! Decisions are made on `errcode` only; `errmsg` is shown as received but never matched, except to
//! pull the `from ip:` address out of a 60020 reply.

use std::net::IpAddr;
use std::sync::LazyLock;

use setup_core::catalogue::{Catalogue, Part};
use setup_core::errcodes::{self, CodeSource};
use setup_core::report::{Finding, Params, Severity, params};
use setup_core::text::Text;

use super::client::TransportError;
use super::report::{WecomDiagnosisCode as Code, WecomStepName};
use crate::diagnosis::raw_reason;

pub use setup_core::errcodes::lookup_url as error_lookup_url;

/// The WeCom error codes this catalogue explains (besides 0).
pub const KNOWN_ERRCODES: [i64; 12] = [
    -1, 40001, 40013, 40014, 40056, 41001, 42001, 45009, 48002, 60011, 60020, 301002,
];

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    Catalogue::layered(&[
        include_str!("../network.toml"),
        include_str!("catalogue.toml"),
    ])
});

fn severity(code: Code) -> Severity {
    match code {
        Code::Ok => Severity::Info,
        Code::NoFollowUsers | Code::CallbackIpUnavailable => Severity::Warning,
        _ => Severity::Error,
    }
}

/// The catalogue entry `key` (the code, or a variant `code.x`) for `code`, rendered with
/// `params`; the fix from `fix_key` when it is shared with other codes.
fn diag(code: Code, key: &str, fix_key: &str, params: Params) -> Finding {
    let summary = CATALOGUE.text(key, Part::Summary, &params);
    let fix = CATALOGUE.text(fix_key, Part::Fix, &params);
    Finding::new(code, severity(code), summary, fix, params)
}

/// [`diag`] with the summary and fix of the code itself.
fn entry(code: Code, params: Params) -> Finding {
    let key: &'static str = code.into();
    diag(code, key, key, params)
}

/// `params` with the WeCom `errcode` and its official lookup page.
fn with_errcode(mut params: Params, errcode: i64) -> Params {
    params.insert("errcode".into(), errcode.to_string());
    params.insert("help_url".into(), error_lookup_url(errcode));
    params
}

/// The address after `from ip:` in a WeCom `errmsg` (60020 replies carry it), if it parses.
pub fn extract_from_ip(errmsg: &str) -> Option<IpAddr> {
    let lower = errmsg.to_ascii_lowercase();
    let start = lower.find("from ip:")? + "from ip:".len();
    let rest = errmsg.get(start..)?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
        .unwrap_or(rest.len());
    let candidate = rest.get(..end)?.trim_end_matches(['.', ':']);
    candidate.parse().ok()
}

/// The diagnosis for a non-zero `errcode` received by `step`.
pub fn for_errcode(step: WecomStepName, errcode: i64, errmsg: &str) -> Finding {
    if errcode == 48002 && step == WecomStepName::CustomerContact {
        return not_in_customer_contact_api_list();
    }
    if errcode == 60020 {
        return ip_not_allowed(extract_from_ip(errmsg));
    }
    describe_errcode(errcode)
}

/// The general reading of a WeCom `errcode` (no check context), or the official lookup link for
/// codes outside [`KNOWN_ERRCODES`].
///
/// The meaning and fix of a global code come from [`setup_core::errcodes`], the one catalogue the
/// Troubleshoot page and `qa-wecom errcode` show too. Only the readings that the check's own
/// context changes are this catalogue's: 60020 (the trusted-IP steps), and 40014 / 41001 / 42001,
/// which right after the check's own fresh `gettoken` point at a proxy or a reset Secret rather
/// than at the caller's token handling.
pub fn describe_errcode(errcode: i64) -> Finding {
    let code = match errcode {
        0 => return ok(false),
        60020 => return ip_not_allowed(None),
        40014 => {
            return entry(
                Code::InvalidAccessToken,
                with_errcode(Params::new(), errcode),
            );
        }
        41001 => {
            return entry(
                Code::MissingAccessToken,
                with_errcode(Params::new(), errcode),
            );
        }
        42001 => {
            return entry(
                Code::AccessTokenExpired,
                with_errcode(Params::new(), errcode),
            );
        }
        -1 => Code::SystemBusy,
        40001 => Code::InvalidSecret,
        40013 => Code::InvalidCorpId,
        40056 => Code::InvalidAgentId,
        45009 => Code::RateLimited,
        48002 => Code::ApiForbidden,
        60011 => Code::NoPrivilege,
        301002 => Code::TokenOfAnotherApp,
        other => return unknown_errcode(other),
    };
    match errcodes::lookup(errcode).filter(|i| i.source == CodeSource::WecomApi) {
        Some(info) => {
            let summary = Text::new(
                format!(
                    "{} (errcode {errcode}).",
                    info.meaning.en.trim_end_matches('.')
                ),
                format!(
                    "{}（errcode {errcode}）。",
                    info.meaning.zh.trim_end_matches('。')
                ),
            );
            let params = with_errcode(Params::new(), errcode);
            Finding::new(code, severity(code), summary, info.fix, params)
        }
        None => unknown_errcode(errcode),
    }
}

fn unknown_errcode(errcode: i64) -> Finding {
    entry(Code::UnknownErrcode, with_errcode(Params::new(), errcode))
}

/// 48002 on `externalcontact/get_follow_user_list` (manual §4.2, FAQ §6.1).
pub fn not_in_customer_contact_api_list() -> Finding {
    entry(
        Code::NotInCustomerContactApiList,
        with_errcode(Params::new(), 48002),
    )
}

/// 60020: the calling IP is not in the app's trusted IPs. `ip` is the `from ip:` of the reply.
pub fn ip_not_allowed(ip: Option<IpAddr>) -> Finding {
    let code = Code::IpNotAllowed;
    match ip {
        Some(ip) => {
            let params = with_errcode(params([("ip", ip.to_string())]), 60020);
            diag(code, "ip_not_allowed.ip", "ip_not_allowed.ip", params)
        }
        None => entry(code, with_errcode(Params::new(), 60020)),
    }
}

/// `agent/get` lists no member, department or tag (manual §4.1).
pub fn empty_visible_range(agent_id: u64) -> Finding {
    entry(
        Code::EmptyVisibleRange,
        params([("agent_id", agent_id.to_string())]),
    )
}

/// The customer-contact API answered with an empty `follow_user` list.
pub fn no_follow_users() -> Finding {
    entry(Code::NoFollowUsers, Params::new())
}

/// The warning of an advisory `getcallbackip` that failed, with why (`reason`, from the
/// diagnosis the failure would have had).
pub fn callback_ip_unavailable(reason: &Text) -> Finding {
    entry(
        Code::CallbackIpUnavailable,
        params([
            ("reason", reason.en.clone()),
            ("reason_zh", reason.zh.clone()),
        ]),
    )
}

/// Every step passed. `with_agent` says whether the visible range was checked too.
pub fn ok(with_agent: bool) -> Finding {
    let key = if with_agent { "ok.with_agent" } else { "ok" };
    diag(Code::Ok, key, "ok", Params::new())
}

/// A reply that is not the documented JSON; `what` says how.
pub fn malformed(what: &Text, api_base: &str) -> Finding {
    let params = params([
        ("what", what.en.clone()),
        ("what_zh", what.zh.clone()),
        ("api_base", api_base.to_owned()),
    ]);
    entry(Code::MalformedReply, params)
}

/// A failure below the JSON level.
pub fn transport(err: &TransportError, api_base: &str) -> Finding {
    let base = || params([("api_base", api_base.to_owned())]);
    let with = |mut p: Params, key: &str, value: String| {
        p.insert(key.to_owned(), value);
        p
    };
    let reason = |p: Params, message: &str| {
        let r = raw_reason(message);
        with(with(p, "reason", r.en), "reason_zh", r.zh)
    };
    // The network failures share the fix of `dns_failed`; the answers from something that is
    // not the WeCom API share the fix of `malformed_reply`.
    let (code, key, fix, params) = match err {
        TransportError::Timeout { ms } => (
            Code::Timeout,
            "timeout",
            "dns_failed",
            with(
                with(base(), "addr", api_base.to_owned()),
                "timeout_ms",
                ms.to_string(),
            ),
        ),
        TransportError::Dns { host, message } => (
            Code::DnsFailed,
            "dns_failed",
            "dns_failed",
            reason(with(base(), "host", host.clone()), message),
        ),
        TransportError::Refused { addr } => (
            Code::ConnectRefused,
            "connect_refused",
            "malformed_reply",
            with(base(), "addr", addr.clone()),
        ),
        TransportError::Connect { addr, message } => (
            Code::ConnectFailed,
            "connect_failed",
            "dns_failed",
            reason(with(base(), "addr", addr.clone()), message),
        ),
        TransportError::Tls { host, message } => (
            Code::TlsFailed,
            "tls_failed",
            "tls_failed",
            reason(with(base(), "host", host.clone()), message),
        ),
        TransportError::Http { message } => (
            Code::MalformedReply,
            "malformed_reply.http",
            "malformed_reply",
            reason(base(), message),
        ),
        TransportError::Redirect { status } => (
            Code::Redirect,
            "redirect",
            "malformed_reply",
            with(base(), "status", status.to_string()),
        ),
        TransportError::Status { status } => (
            Code::HttpStatus,
            "http_status",
            "malformed_reply",
            with(base(), "status", status.to_string()),
        ),
        TransportError::BodyTooLarge { cap } => (
            Code::BodyTooLarge,
            "body_too_large",
            "malformed_reply",
            with(base(), "limit_bytes", cap.to_string()),
        ),
    };
    diag(code, key, fix, params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_code_has_both_languages_and_every_entry_a_code() {
        let global: Vec<&str> = KNOWN_ERRCODES
            .iter()
            .map(|e| describe_errcode(*e))
            .filter(|d| !CATALOGUE.has(&d.code, Part::Summary))
            .map(|d| <&str>::from(Code::iter().find(|c| d.is(*c)).unwrap_or(Code::Ok)))
            .collect();
        assert_eq!(
            global.len(),
            8,
            "the codes worded by setup_core::errcodes: {global:?}"
        );
        let own: Vec<&str> = Code::iter()
            .map(<&str>::from)
            .filter(|c| !global.contains(c))
            .collect();
        for code in &own {
            assert!(CATALOGUE.has(code, Part::Summary), "{code}: no summary");
        }
        let transport = [
            "timeout",
            "dns_failed",
            "connect_refused",
            "connect_failed",
            "redirect",
        ];
        for code in own.iter().filter(|c| !transport.contains(c)) {
            let shared = ["http_status", "body_too_large", "tls_failed"];
            assert!(
                CATALOGUE.has(code, Part::Fix) || shared.contains(code),
                "{code}: no fix"
            );
        }
        let file = Catalogue::embedded(include_str!("catalogue.toml"));
        assert_eq!(file.unknown(own.iter().copied()), Vec::<String>::new());
    }

    #[test]
    fn every_transport_failure_has_a_summary_and_a_fix_in_both_languages() {
        let failures = [
            TransportError::Timeout { ms: 5000 },
            TransportError::Dns {
                host: "qyapi.example".into(),
                message: "no such host".into(),
            },
            TransportError::Refused {
                addr: "127.0.0.1:1".into(),
            },
            TransportError::Connect {
                addr: "127.0.0.1:1".into(),
                message: "unreachable".into(),
            },
            TransportError::Tls {
                host: "qyapi.example".into(),
                message: "bad cert".into(),
            },
            TransportError::Http {
                message: "broken pipe".into(),
            },
            TransportError::Redirect { status: 302 },
            TransportError::Status { status: 502 },
            TransportError::BodyTooLarge { cap: 65536 },
        ];
        for err in failures {
            let d = transport(&err, "https://qyapi.example");
            for text in [&d.summary, &d.fix] {
                assert!(
                    !text.en.contains('{') && !text.zh.contains('{'),
                    "{err:?}: {text:?}"
                );
                assert!(
                    has_cjk(&text.zh) && !text.en.is_empty(),
                    "{err:?}: {text:?}"
                );
            }
        }
        let d = transport(
            &TransportError::Dns {
                host: "qyapi.example".into(),
                message: "no such host".into(),
            },
            "https://qyapi.example",
        );
        assert_eq!(
            d.summary.en,
            "The host name qyapi.example does not resolve."
        );
        assert!(d.fix.en.contains("https://qyapi.example"));
    }

    #[test]
    fn every_known_errcode_has_both_languages_and_the_lookup_link() {
        for code in KNOWN_ERRCODES {
            let d = describe_errcode(code);
            assert!(!d.is(Code::UnknownErrcode), "{code} is in the catalogue");
            assert_eq!(d.param("errcode"), code.to_string());
            for text in [&d.summary.en, &d.fix.en, &d.summary.zh, &d.fix.zh] {
                assert!(!text.trim().is_empty(), "{code}: empty text");
            }
            assert!(has_cjk(&d.summary.zh) && has_cjk(&d.fix.zh), "{code}");
            assert_eq!(d.param("help_url"), error_lookup_url(code));
        }
    }

    #[test]
    fn unknown_errcode_links_to_the_official_lookup_for_that_code() {
        let d = describe_errcode(86001);
        assert!(d.is(Code::UnknownErrcode));
        let url = "https://open.work.weixin.qq.com/devtool/query?e=86001";
        assert_eq!(d.param("help_url"), url);
        assert!(d.fix.en.contains(url) && d.fix.zh.contains(url));
        assert!(d.summary.en.contains("86001"));
    }

    #[test]
    fn from_ip_is_extracted_from_a_60020_errmsg() {
        let msg = "not allow to access from your ip, hint: [1618999999_11_abc], from ip: 203.0.113.7, \
                   more info at https://open.work.weixin.qq.com/devtool/query?e=60020";
        assert_eq!(extract_from_ip(msg), "203.0.113.7".parse().ok());
        assert_eq!(
            extract_from_ip("x, From IP: 2001:db8::1, more"),
            "2001:db8::1".parse().ok()
        );
        assert_eq!(extract_from_ip("from ip: nonsense"), None);
        assert_eq!(extract_from_ip("no address here"), None);
    }

    #[test]
    fn customer_contact_48002_reads_as_not_in_the_api_list_elsewhere_as_forbidden() {
        let d = for_errcode(WecomStepName::CustomerContact, 48002, "api forbidden");
        assert!(d.is(Code::NotInCustomerContactApiList));
        assert!(d.fix.en.contains("Apps that may call the API"));
        assert!(d.fix.zh.contains("可调用接口的应用"));
        let d = for_errcode(WecomStepName::Agent, 48002, "api forbidden");
        assert!(d.is(Code::ApiForbidden));
    }

    #[test]
    fn ip_not_allowed_names_the_exact_ip_and_the_ordering() {
        let d = for_errcode(
            WecomStepName::Gettoken,
            60020,
            "from ip: 198.51.100.4, more info",
        );
        assert!(d.is(Code::IpNotAllowed));
        assert!(d.fix.en.contains("exactly 198.51.100.4"));
        assert!(d.fix.en.contains("callback URL"));
        assert!(d.fix.en.contains("minute"));
        assert!(d.fix.zh.contains("198.51.100.4"));
        let d = ip_not_allowed(None);
        assert!(d.fix.en.contains("this machine's egress IP"), "{:?}", d.fix);
    }
}
