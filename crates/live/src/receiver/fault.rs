//! Deliberate misbehaviour for demos and tests: one mode per diagnosis (or warning) a server can
//! cause, and what the receiver answers in that mode. Modes that replace the echostr reply apply to
//! the URL-verification GET only (events are still accepted); modes that stand for a broken proxy,
//! gateway or service (status, redirect, login, delay, page, size) apply to every request they
//! name. The names (`qa-wecom serve --fault MODE`, JSON, `--help`) all come from the enum.

use super::service::{Reply, with_type};
use bytes::Bytes;
use http::header::{ALLOW, HOST, LOCATION, WWW_AUTHENTICATE};
use http::{HeaderValue, Method, Request, StatusCode};
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use wecom_crypto::{CallbackQuery, CryptoError, WeComCrypto};

setup_core::snake_case_enum! {
    /// How the receiver misbehaves on purpose (`qa-wecom serve --fault MODE`).
    #[derive(Deserialize, strum::Display, strum::EnumString, clap::ValueEnum)]
    #[value(rename_all = "snake_case")]
    pub enum FaultMode {
        /// `{"code":0,"echostr":"<plaintext>"}` → `json_wrapped`.
        JsonWrapped,
        /// `"<plaintext>"` → `quoted`.
        Quoted,
        /// BOM + plaintext → `bom`.
        Bom,
        /// plaintext + `\n`, as WeCom's own PHP sample answers → passes with the warning
        /// `trailing_newline`.
        TrailingNewline,
        /// plaintext + ` \n` → `trailing_whitespace`.
        TrailingWhitespace,
        /// The encrypted echostr as received → `ciphertext_echoed`.
        EchoCiphertext,
        /// Another 19-digit value, as a server with another key or corpid would return →
        /// `wrong_plaintext`.
        WrongKey,
        /// `ERR: -40001` with 200, the official PHP sample's answer to a wrong Token →
        /// `server_error_code`.
        ServerErrorCode,
        /// `b'<plaintext>'`, Python 3 printing bytes → `bytes_repr`.
        BytesRepr,
        /// The query decoded twice (`+` becomes a space), so echostrs with `+` fail the signature
        /// (403) → `double_url_decode`.
        DoubleUrlDecode,
        /// Every other URL verification answered as a backend with another key would →
        /// `inconsistent_backends`.
        InconsistentBackends,
        /// A front end's index page with 200 → `html_page`.
        Html,
        /// 404 → `http_status`.
        NotFound,
        /// 502 from the proxy → `http_status`.
        ServerError,
        /// 401 with `WWW-Authenticate`, an SSO gateway in front of the URL → `auth_required`.
        AuthRequired,
        /// 405 on the GET (the route accepts POST only) → `method_not_allowed`.
        MethodNotAllowed,
        /// 301 to `https://<host>/login` → `redirect`.
        Redirect,
        /// The correct reply after 1.2 s → `too_slow`.
        Slow,
        /// Accepts the request and never answers (for 5 minutes) → `timeout`.
        Hang,
        /// A 1 MiB body → `body_too_large`.
        HugeBody,
        /// 200 with an empty body → `empty_body`.
        Empty,
    }
}

/// How long `slow` waits: past WeCom's 1 s, well inside the default 5 s timeout.
pub const SLOW_DELAY: Duration = Duration::from_millis(1200);
/// How long `hang` waits before giving up (so a forgotten connection still ends).
pub const HANG_DELAY: Duration = Duration::from_secs(300);
/// The size of `huge_body`.
pub const HUGE_BODY_BYTES: usize = 1024 * 1024;
/// What `server_error_code` answers: the official PHP sample's `echo "ERR: " . $errCode`.
pub const SERVER_ERROR_CODE_BODY: &str = "ERR: -40001";

impl FaultMode {
    /// True for the modes that only change the echostr reply of the GET.
    pub fn only_on_verification(self) -> bool {
        matches!(
            self,
            FaultMode::JsonWrapped
                | FaultMode::Quoted
                | FaultMode::Bom
                | FaultMode::TrailingNewline
                | FaultMode::TrailingWhitespace
                | FaultMode::EchoCiphertext
                | FaultMode::WrongKey
                | FaultMode::ServerErrorCode
                | FaultMode::BytesRepr
                | FaultMode::InconsistentBackends
                | FaultMode::Empty
        )
    }
}

/// The fault's state across requests: `inconsistent_backends` alternates.
#[derive(Debug, Default)]
pub struct FaultState {
    verifications: AtomicU64,
}

/// The reply of a fault that stands for a broken proxy, gateway or service, before the callback
/// logic runs; `None` to go on (after the delay of `slow`).
pub(super) async fn before_callback<B>(fault: FaultMode, request: &Request<B>) -> Option<Reply> {
    match fault {
        FaultMode::NotFound => Some(nginx_page(StatusCode::NOT_FOUND, "404 Not Found")),
        FaultMode::ServerError => Some(nginx_page(StatusCode::BAD_GATEWAY, "502 Bad Gateway")),
        FaultMode::AuthRequired => {
            let mut reply = nginx_page(StatusCode::UNAUTHORIZED, "401 Authorization Required");
            reply.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Company SSO\""),
            );
            Some(reply)
        }
        FaultMode::MethodNotAllowed if request.method() == Method::GET => {
            let mut reply = nginx_page(StatusCode::METHOD_NOT_ALLOWED, "405 Not Allowed");
            reply
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("POST"));
            Some(reply)
        }
        FaultMode::Redirect => {
            let host = request
                .headers()
                .get(HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let mut reply = nginx_page(StatusCode::MOVED_PERMANENTLY, "301 Moved Permanently");
            if let Ok(location) = format!("https://{host}/login").parse() {
                reply.headers_mut().insert(LOCATION, location);
            }
            Some(reply)
        }
        FaultMode::Hang => {
            tokio::time::sleep(HANG_DELAY).await;
            Some(nginx_page(
                StatusCode::GATEWAY_TIMEOUT,
                "504 Gateway Time-out",
            ))
        }
        FaultMode::Html => Some(with_type(
            StatusCode::OK,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><head><title>Quick Audience</title></head>\
             <body><div id=\"app\"></div><script src=\"/static/js/app.js\"></script></body></html>\n",
        )),
        FaultMode::HugeBody => Some(with_type(
            StatusCode::OK,
            "text/plain",
            vec![b'x'; HUGE_BODY_BYTES],
        )),
        FaultMode::Slow => {
            tokio::time::sleep(SLOW_DELAY).await;
            None
        }
        _ => None,
    }
}

/// The URL verification as the faulty server performs it: `double_url_decode` decodes echostr a
/// second time the way a web framework decodes a form value (`+` is a space, then `%XX`), so the
/// signature fails whenever the echostr has a `+`; every other mode decodes once, correctly.
pub(super) fn verify_url(
    fault: Option<FaultMode>,
    crypto: &WeComCrypto,
    raw_query: &str,
) -> Result<String, CryptoError> {
    if fault != Some(FaultMode::DoubleUrlDecode) {
        return crypto.verify_url_query(raw_query);
    }
    let once = CallbackQuery::parse(raw_query);
    let twice = once.echostr.as_deref().map(|e| {
        percent_decode_str(&e.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    });
    crypto.verify_url(
        CallbackQuery::require(&once.msg_signature, "msg_signature")?,
        CallbackQuery::require(&once.timestamp, "timestamp")?,
        CallbackQuery::require(&once.nonce, "nonce")?,
        CallbackQuery::require(&twice, "echostr")?,
    )
}

/// The reply to a URL verification whose plaintext is `plain`, as the fault shapes it.
pub(super) fn verification_reply(
    fault: Option<FaultMode>,
    state: &FaultState,
    plain: String,
    raw_query: &str,
) -> Reply {
    let body: Vec<u8> = match fault.filter(|f| f.only_on_verification()) {
        None => plain.into_bytes(),
        Some(FaultMode::JsonWrapped) => {
            return with_type(
                StatusCode::OK,
                "application/json",
                format!("{{\"code\":0,\"echostr\":\"{plain}\"}}"),
            );
        }
        Some(FaultMode::Quoted) => format!("\"{plain}\"").into_bytes(),
        Some(FaultMode::Bom) => [b"\xEF\xBB\xBF".as_slice(), plain.as_bytes()].concat(),
        Some(FaultMode::TrailingNewline) => format!("{plain}\n").into_bytes(),
        Some(FaultMode::TrailingWhitespace) => format!("{plain} \n").into_bytes(),
        Some(FaultMode::EchoCiphertext) => CallbackQuery::parse(raw_query)
            .echostr
            .unwrap_or_default()
            .into_bytes(),
        Some(FaultMode::WrongKey) => other_value(&plain).into_bytes(),
        Some(FaultMode::ServerErrorCode) => SERVER_ERROR_CODE_BODY.as_bytes().to_vec(),
        Some(FaultMode::BytesRepr) => format!("b'{plain}'").into_bytes(),
        Some(FaultMode::InconsistentBackends) => {
            // The stale instance of two behind a round-robin balancer: every other request.
            if state.verifications.fetch_add(1, Ordering::Relaxed) % 2 == 1 {
                other_value(&plain).into_bytes()
            } else {
                plain.into_bytes()
            }
        }
        Some(_) => Vec::new(),
    };
    with_type(StatusCode::OK, "text/plain; charset=utf-8", body)
}

/// A 19-digit value other than `plain`: what a server decrypting with another key would send.
fn other_value(plain: &str) -> String {
    let mut digits: Vec<u8> = plain.bytes().collect();
    if let Some(last) = digits.last_mut() {
        *last = if *last == b'9' {
            b'0'
        } else {
            last.saturating_add(1)
        };
    }
    let changed = String::from_utf8(digits).unwrap_or_default();
    if changed.is_empty() || changed == plain {
        "1234567890123456789".to_string()
    } else {
        changed
    }
}

/// An error page as nginx renders it, as a broken proxy in front of QA would send it.
fn nginx_page(status: StatusCode, title: &str) -> Reply {
    with_type(
        status,
        "text/html",
        Bytes::from(format!(
            "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n\
             <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;
    use strum::IntoEnumIterator;

    #[test]
    fn names_agree_across_strum_serde_and_clap() {
        for m in FaultMode::iter() {
            let name: &'static str = m.into();
            assert_eq!(name.parse::<FaultMode>(), Ok(m));
            assert_eq!(m.to_string(), name);
            assert_eq!(
                serde_json::to_value(m).unwrap(),
                serde_json::Value::String(name.into())
            );
            let value = m.to_possible_value().unwrap();
            assert_eq!(value.get_name(), name);
            assert_eq!(FaultMode::from_str(name, false), Ok(m));
        }
        assert!("nope".parse::<FaultMode>().is_err());
        assert_eq!(FaultMode::value_variants().len(), FaultMode::iter().count());
    }

    #[test]
    fn other_value_differs() {
        assert_eq!(other_value("1616140317555161061"), "1616140317555161062");
        assert_eq!(other_value("1616140317555161069"), "1616140317555161060");
        assert_ne!(other_value(""), "");
    }

    #[test]
    fn double_decoding_breaks_exactly_the_echostrs_with_a_plus() {
        let crypto = WeComCrypto::new(
            "QDG6eK",
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
            "ww0123456789abcdef",
        )
        .unwrap();
        let fault = Some(FaultMode::DoubleUrlDecode);
        let plus = crypto
            .simulate_url_verification_where(|e| e.contains('+') && e.contains('/'))
            .unwrap();
        let no_plus = crypto
            .simulate_url_verification_where(|e| !e.contains('+') && !e.contains('/'))
            .unwrap();
        assert_eq!(
            verify_url(fault, &crypto, &plus.query())
                .unwrap_err()
                .code(),
            -40001
        );
        assert_eq!(
            verify_url(fault, &crypto, &no_plus.query()).unwrap(),
            no_plus.echostr_plain
        );
        assert_eq!(
            verify_url(None, &crypto, &plus.query()).unwrap(),
            plus.echostr_plain
        );
    }

    #[test]
    fn inconsistent_backends_fail_every_other_verification() {
        let state = FaultState::default();
        let fault = Some(FaultMode::InconsistentBackends);
        let bodies: Vec<Bytes> = (0..4)
            .map(|_| {
                let reply = verification_reply(fault, &state, "1616140317555161061".into(), "");
                futures_body(reply)
            })
            .collect();
        assert_eq!(bodies[0], bodies[2]);
        assert_eq!(bodies[1], bodies[3]);
        assert_eq!(&bodies[0][..], b"1616140317555161061");
        assert_ne!(bodies[0], bodies[1]);
    }

    fn futures_body(reply: Reply) -> Bytes {
        use http_body_util::BodyExt;
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(reply.into_body().collect()).unwrap().to_bytes()
    }
}
