//! The last rung: is the reply body what WeCom accepts? For the URL verification it must be the
//! decrypted echostr byte for byte, or that and one newline (WeCom tolerates it; a warning);
//! everything else is named by the most likely cause (a BOM, whitespace, quotes, a Python bytes
//! repr, a library error code, JSON, an HTML page, the ciphertext sent back, another value). For an
//! event any 200 is accepted unless it is a web page (the request never reached the callback).

use crate::diagnosis::{DiagnosisCode, Params, params};
use crate::transport::Failure;
use crate::transport::http::Head;
use percent_encoding::{NON_ALPHANUMERIC, percent_decode, utf8_percent_encode};
use setup_core::text::Text;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const EXCERPT_CHARS: usize = 80;

/// A step detail in English and Simplified Chinese.
pub type Detail = Text;

/// A reply WeCom accepts: the step detail, and the warning it comes with, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub detail: Detail,
    pub warning: Option<DiagnosisCode>,
}

impl From<Detail> for Accepted {
    fn from(detail: Detail) -> Self {
        Accepted {
            detail,
            warning: None,
        }
    }
}

/// Judges a 200 reply to the URL-verification GET.
pub fn verify_reply(
    body: &[u8],
    content_type: Option<&str>,
    expected: &str,
    echostr: &str,
) -> Result<Accepted, Failure> {
    let fail = |code, detail: String, detail_zh: String| {
        Err(Failure::new(code, Params::new(), detail, detail_zh))
    };
    if body == expected.as_bytes() {
        return Ok(Text::new(
            format!(
                "the body is exactly the decrypted echostr ({} bytes)",
                body.len()
            ),
            format!("响应体与解密后的 echostr 完全一致（{} 字节）", body.len()),
        )
        .into());
    }
    let newline = body
        .strip_prefix(expected.as_bytes())
        .filter(|rest| matches!(*rest, b"\n" | b"\r\n"));
    if let Some(rest) = newline {
        let shown = if rest == b"\n" { "\\n" } else { "\\r\\n" };
        return Ok(Accepted {
            detail: Text::new(
                format!("the decrypted echostr followed by {shown} (WeCom accepts it)"),
                format!("解密后的 echostr 后跟 {shown}（企业微信可以接受）"),
            ),
            warning: Some(DiagnosisCode::TrailingNewline),
        });
    }
    if body.is_empty() {
        return fail(
            DiagnosisCode::EmptyBody,
            "HTTP 200 with an empty body".into(),
            "HTTP 200，但响应体为空".into(),
        );
    }
    let (had_bom, rest) = match body.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let text = String::from_utf8_lossy(rest);
    let trimmed = text.trim();
    if had_bom && trimmed == expected {
        return fail(
            DiagnosisCode::Bom,
            format!(
                "the body starts with the UTF-8 BOM EF BB BF: {}",
                excerpt(body)
            ),
            format!("响应体以 UTF-8 BOM（EF BB BF）开头：{}", excerpt(body)),
        );
    }
    if trimmed == expected {
        return fail(
            DiagnosisCode::TrailingWhitespace,
            format!("whitespace around the echostr: {}", excerpt(body)),
            format!("echostr 前后有空白字符：{}", excerpt(body)),
        );
    }
    if is_bytes_repr(trimmed, expected) {
        return fail(
            DiagnosisCode::BytesRepr,
            format!("a Python bytes repr of the echostr: {}", excerpt(body)),
            format!("echostr 的 Python bytes 表示形式：{}", excerpt(body)),
        );
    }
    if let Some(code) = library_code(trimmed) {
        return Err(Failure::new(
            DiagnosisCode::ServerErrorCode,
            params([("code", code.to_string())]),
            format!(
                "the callback library's error code {code}: {}",
                excerpt(body)
            ),
            format!("回调加解密库的错误码 {code}：{}", excerpt(body)),
        ));
    }
    if is_quoted(trimmed, expected) {
        return fail(
            DiagnosisCode::Quoted,
            format!("the echostr in quotes: {}", excerpt(body)),
            format!("echostr 被加上了引号：{}", excerpt(body)),
        );
    }
    if is_echo(trimmed, echostr) {
        return fail(
            DiagnosisCode::CiphertextEchoed,
            "the body is the encrypted echostr that was sent".into(),
            "响应体是发送过去的加密 echostr，未解密".into(),
        );
    }
    if looks_like_html(trimmed, content_type) {
        return fail(
            DiagnosisCode::HtmlPage,
            format!("an HTML page ({} bytes): {}", body.len(), excerpt(body)),
            format!(
                "返回的是 HTML 页面（{} 字节）：{}",
                body.len(),
                excerpt(body)
            ),
        );
    }
    if looks_like_json(trimmed, content_type) {
        if trimmed.contains(expected) {
            return fail(
                DiagnosisCode::JsonWrapped,
                format!("the echostr inside JSON: {}", excerpt(body)),
                format!("echostr 被包在 JSON 里：{}", excerpt(body)),
            );
        }
        return fail(
            DiagnosisCode::WrongPlaintext,
            format!("JSON without the echostr: {}", excerpt(body)),
            format!("返回的 JSON 中没有 echostr：{}", excerpt(body)),
        );
    }
    if trimmed.contains(expected) {
        return fail(
            DiagnosisCode::WrongPlaintext,
            format!("the echostr with other bytes around it: {}", excerpt(body)),
            format!("echostr 前后还有其他内容：{}", excerpt(body)),
        );
    }
    fail(
        DiagnosisCode::WrongPlaintext,
        format!(
            "expected the {}-byte echostr, got {} bytes: {}",
            expected.len(),
            body.len(),
            excerpt(body)
        ),
        format!(
            "应为 {} 字节的 echostr，实际收到 {} 字节：{}",
            expected.len(),
            body.len(),
            excerpt(body)
        ),
    )
}

/// Judges the status: 200 goes on to the body; redirects (not followed), a login wanted by a
/// gateway (401, 407, or 403 with `WWW-Authenticate` or a login page), 405 and everything else
/// fail.
pub fn status(head: &Head, body: &[u8]) -> Result<(), Failure> {
    let status = head.status;
    let only_status = |code, detail: String, detail_zh: String| {
        Err(Failure::new(
            code,
            params([("status", status.to_string())]),
            detail,
            detail_zh,
        ))
    };
    match status {
        200 => Ok(()),
        300..=399 => {
            let location = head
                .location
                .as_deref()
                .map_or_else(|| "(no Location header)".to_string(), without_signed_query);
            Err(Failure::new(
                DiagnosisCode::Redirect,
                params([
                    ("status", status.to_string()),
                    ("location", location.clone()),
                ]),
                format!("HTTP {status} redirect to {location} (not followed)"),
                format!("HTTP {status} 重定向到 {location}（未跟随）"),
            ))
        }
        401 | 407 => only_status(
            DiagnosisCode::AuthRequired,
            format!("HTTP {status}: authentication required"),
            format!("HTTP {status}：需要身份认证"),
        ),
        403 if head.authenticate || looks_like_login(body) => only_status(
            DiagnosisCode::AuthRequired,
            format!("HTTP 403 with a login prompt: {}", excerpt(body)),
            format!("HTTP 403，并要求登录：{}", excerpt(body)),
        ),
        405 => only_status(
            DiagnosisCode::MethodNotAllowed,
            "HTTP 405 Method Not Allowed".into(),
            "HTTP 405 Method Not Allowed（不允许该方法）".into(),
        ),
        _ => only_status(
            DiagnosisCode::HttpStatus,
            format!("HTTP {status}"),
            format!("HTTP {status}（应为 200）"),
        ),
    }
}

/// A page that asks for a login: a password field or the usual words, in the first 4 KiB.
fn looks_like_login(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_lowercase();
    [
        "type=\"password\"",
        "type='password'",
        "login",
        "log in",
        "sign in",
        "signin",
        "single sign-on",
        "登录",
        "登陆",
    ]
    .iter()
    .any(|w| head.contains(w))
}

/// A `Location` with WeCom's parameters (msg_signature, timestamp, nonce, echostr) taken out:
/// a server that redirects to the same URL copies the signed query, which has no place in a report.
fn without_signed_query(location: &str) -> String {
    let Some((base, query)) = location.split_once('?') else {
        return location.to_string();
    };
    let signed = ["msg_signature", "timestamp", "nonce", "echostr"];
    let pairs: Vec<&str> = query.split('&').collect();
    let kept: Vec<&str> = pairs
        .iter()
        .copied()
        .filter(|p| !signed.contains(&p.split_once('=').map_or(*p, |(name, _)| name)))
        .collect();
    if kept.len() == pairs.len() {
        location.to_string()
    } else if kept.is_empty() {
        format!("{base}?…")
    } else {
        format!("{base}?{}&…", kept.join("&"))
    }
}

/// Judges a 200 reply to an event POST. `Ok` carries the step detail.
pub fn event_reply(body: &[u8], content_type: Option<&str>) -> Result<Accepted, Failure> {
    event_detail(body, content_type).map(Accepted::from)
}

fn event_detail(body: &[u8], content_type: Option<&str>) -> Result<Detail, Failure> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if body.is_empty() {
        return Ok(Text::new(
            "HTTP 200 with an empty body: the event was accepted",
            "HTTP 200，响应体为空：事件已被接收",
        ));
    }
    if looks_like_html(trimmed, content_type) {
        return Err(Failure::new(
            DiagnosisCode::HtmlPage,
            Params::new(),
            format!(
                "an HTML page ({} bytes): the event reached a web front end: {}",
                body.len(),
                excerpt(body)
            ),
            format!(
                "返回的是 HTML 页面（{} 字节），事件落到了网页前端：{}",
                body.len(),
                excerpt(body)
            ),
        ));
    }
    if trimmed.starts_with("<xml") && trimmed.contains("<Encrypt") {
        return Ok(Text::new(
            "HTTP 200 with an encrypted passive reply: the event was accepted",
            "HTTP 200，带加密的被动回复：事件已被接收",
        ));
    }
    Ok(Text::new(
        format!(
            "HTTP 200 with a {}-byte body (WeCom ignores it): the event was accepted",
            body.len()
        ),
        format!(
            "HTTP 200，响应体 {} 字节（企业微信会忽略）：事件已被接收",
            body.len()
        ),
    ))
}

/// `b'…'` / `b"…"` around the plaintext, alone or as the `(0, b'…')` tuple weworkapi_python's
/// `VerifyURL` returns.
fn is_bytes_repr(trimmed: &str, expected: &str) -> bool {
    let inner = python_tuple(trimmed)
        .and_then(|(ret, value)| (ret == "0").then_some(value))
        .unwrap_or(trimmed);
    ['"', '\''].iter().any(|q| {
        inner
            .strip_prefix('b')
            .and_then(|t| t.strip_prefix(*q))
            .and_then(|t| t.strip_suffix(*q))
            .is_some_and(|t| t == expected)
    })
}

/// `(first, second)` of a two-element Python tuple repr.
fn python_tuple(text: &str) -> Option<(&str, &str)> {
    let inside = text.strip_prefix('(')?.strip_suffix(')')?;
    let (first, second) = inside.split_once(',')?;
    Some((first.trim(), second.trim()))
}

/// A WXBizMsgCrypt error code (−40011 … −40001) as a server prints it: `ERR: -40001` (the
/// official PHP sample), a bare `-40005`, or weworkapi_python's `(-40001, None)`.
fn library_code(trimmed: &str) -> Option<i32> {
    let number = match python_tuple(trimmed) {
        Some((ret, _)) => ret,
        None => {
            let lower = trimmed.to_ascii_lowercase();
            let rest = lower.strip_prefix("err").map_or(trimmed, |_| &trimmed[3..]);
            rest.trim_start_matches([':', ' ', '\t'])
        }
    };
    number
        .parse::<i32>()
        .ok()
        .filter(|c| (-40011..=-40001).contains(c))
}

fn is_quoted(trimmed: &str, expected: &str) -> bool {
    ['"', '\''].iter().any(|q| {
        trimmed
            .strip_prefix(*q)
            .and_then(|t| t.strip_suffix(*q))
            .is_some_and(|inner| inner.trim() == expected)
    })
}

fn is_echo(trimmed: &str, echostr: &str) -> bool {
    if trimmed == echostr {
        return true;
    }
    let encoded: String = utf8_percent_encode(echostr, NON_ALPHANUMERIC).collect();
    if trimmed.eq_ignore_ascii_case(&encoded) {
        return true;
    }
    percent_decode(trimmed.as_bytes())
        .decode_utf8()
        .is_ok_and(|d| d == echostr)
}

fn looks_like_html(trimmed: &str, content_type: Option<&str>) -> bool {
    if content_type.is_some_and(|c| c.to_ascii_lowercase().contains("html")) {
        return true;
    }
    let head: String = trimmed
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype")
        || head.starts_with("<html")
        || head.contains("<html")
        || head.contains("<body")
}

fn looks_like_json(trimmed: &str, content_type: Option<&str>) -> bool {
    content_type.is_some_and(|c| c.to_ascii_lowercase().contains("json"))
        || (trimmed.starts_with('{') && trimmed.ends_with('}'))
        || (trimmed.starts_with('[') && trimmed.ends_with(']'))
}

/// The start of a body, printable and bounded, for a step detail.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    format!("\"{out}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "1616140317555161061";
    const C: &str =
        "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

    fn code(body: &[u8], ct: Option<&str>) -> DiagnosisCode {
        match verify_reply(body, ct, P, C) {
            Ok(Accepted { warning: None, .. }) => DiagnosisCode::Ok,
            Ok(Accepted {
                warning: Some(w), ..
            }) => w,
            Err(f) => f.code,
        }
    }

    #[test]
    fn names_every_common_wrong_reply() {
        use DiagnosisCode::*;
        let cases: Vec<(Vec<u8>, Option<&str>, DiagnosisCode)> = vec![
            (P.into(), None, Ok),
            (P.into(), Some("application/json"), Ok),
            (b"".to_vec(), None, EmptyBody),
            ([BOM, P.as_bytes()].concat(), None, Bom),
            ([BOM, P.as_bytes(), b"\r\n"].concat(), None, Bom),
            (format!("{P}\n").into(), None, TrailingNewline),
            (format!("{P}\r\n").into(), None, TrailingNewline),
            (format!("{P}\n\n").into(), None, TrailingWhitespace),
            (format!("{P} \n").into(), None, TrailingWhitespace),
            (format!("\n{P}").into(), None, TrailingWhitespace),
            (format!("{P}\t").into(), None, TrailingWhitespace),
            (format!("b'{P}'").into(), None, BytesRepr),
            (format!("b\"{P}\"\n").into(), None, BytesRepr),
            (format!("(0, b'{P}')").into(), None, BytesRepr),
            (b"b'1234567890123456789'".to_vec(), None, WrongPlaintext),
            (b"ERR: -40001".to_vec(), None, ServerErrorCode),
            (b"err:-40007\n".to_vec(), None, ServerErrorCode),
            (b"-40005".to_vec(), None, ServerErrorCode),
            (b"(-40001, None)".to_vec(), None, ServerErrorCode),
            (b"-40012".to_vec(), None, WrongPlaintext),
            (b"ERR: 40001".to_vec(), None, WrongPlaintext),
            (format!("  {P}  ").into(), None, TrailingWhitespace),
            (format!("\"{P}\"").into(), None, Quoted),
            (format!("'{P}'\n").into(), None, Quoted),
            (format!("{{\"echostr\":\"{P}\"}}").into(), None, JsonWrapped),
            (
                format!("{{\"code\":0,\"data\":{P}}}").into(),
                Some("application/json"),
                JsonWrapped,
            ),
            (
                b"{\"code\":500,\"msg\":\"signature error\"}".to_vec(),
                None,
                WrongPlaintext,
            ),
            (
                b"<!DOCTYPE html><html><body>app</body></html>".to_vec(),
                None,
                HtmlPage,
            ),
            (
                b"whatever".to_vec(),
                Some("text/html; charset=utf-8"),
                HtmlPage,
            ),
            (C.into(), None, CiphertextEchoed),
            (
                utf8_percent_encode(C, NON_ALPHANUMERIC).to_string().into(),
                None,
                CiphertextEchoed,
            ),
            (b"1234567890123456789".to_vec(), None, WrongPlaintext),
            (b"success".to_vec(), None, WrongPlaintext),
            (format!("echostr={P}").into(), None, WrongPlaintext),
            (vec![0xff, 0xfe, 0x00], None, WrongPlaintext),
        ];
        for (body, ct, want) in cases {
            assert_eq!(code(&body, ct), want, "{}", excerpt(&body));
        }
    }

    #[test]
    fn every_verdict_has_a_chinese_detail() {
        const EVENT_BODIES: [&[u8]; 4] = [
            b"",
            b"success",
            b"<xml><Encrypt>x</Encrypt></xml>",
            b"<html>",
        ];
        let bodies: Vec<Vec<u8>> = vec![
            P.into(),
            b"".to_vec(),
            [BOM, P.as_bytes()].concat(),
            format!("{P}\n").into(),
            format!("{P} \n").into(),
            format!("b'{P}'").into(),
            b"ERR: -40001".to_vec(),
            format!("\"{P}\"").into(),
            format!("{{\"echostr\":\"{P}\"}}").into(),
            b"{\"code\":500}".to_vec(),
            b"<html><body>app</body></html>".to_vec(),
            C.into(),
            format!("echostr={P}").into(),
            b"success".to_vec(),
        ];
        let details = bodies
            .iter()
            .map(|body| match verify_reply(body, None, P, C) {
                Ok(a) => a.detail,
                Err(f) => f.detail,
            })
            .chain(
                EVENT_BODIES
                    .iter()
                    .map(|body| match event_reply(body, None) {
                        Ok(a) => a.detail,
                        Err(f) => f.detail,
                    }),
            );
        for Text { en, zh } in details {
            assert!(!en.is_empty() && en != zh, "{en} / {zh}");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
        }
    }

    #[test]
    fn events_accept_any_200_but_a_web_page() {
        assert!(event_reply(b"", None).is_ok());
        assert!(event_reply(b"success", None).is_ok());
        assert!(event_reply(b"<xml><Encrypt><![CDATA[x]]></Encrypt></xml>", None).is_ok());
        assert_eq!(
            event_reply(b"<html></html>", None).map_err(|f| f.code),
            Err(DiagnosisCode::HtmlPage)
        );
    }

    fn head(status: u16, authenticate: bool) -> Head {
        Head {
            status,
            location: None,
            content_type: None,
            content_length: None,
            authenticate,
        }
    }

    #[test]
    fn statuses_name_gateways_and_routes() {
        use DiagnosisCode::*;
        let code = |status, authenticate, body: &[u8]| {
            super::status(&head(status, authenticate), body).map_or_else(|f| f.code, |()| Ok)
        };
        assert_eq!(code(200, false, b""), Ok);
        assert_eq!(code(401, false, b""), AuthRequired);
        assert_eq!(code(407, false, b""), AuthRequired);
        assert_eq!(code(403, true, b""), AuthRequired);
        assert_eq!(
            code(
                403,
                false,
                b"<html><form><input type=\"password\" name=\"pw\"></form></html>"
            ),
            AuthRequired
        );
        assert_eq!(
            code(403, false, "<title>统一身份认证 登录</title>".as_bytes()),
            AuthRequired
        );
        assert_eq!(code(403, false, b"InvalidSignatureException"), HttpStatus);
        assert_eq!(code(405, false, b""), MethodNotAllowed);
        assert_eq!(code(404, false, b""), HttpStatus);
        assert_eq!(code(302, false, b""), Redirect);
    }

    #[test]
    fn a_server_error_code_carries_the_code() {
        let f = verify_reply(b"ERR: -40005", None, P, C).unwrap_err();
        assert_eq!(f.params["code"], "-40005");
    }

    #[test]
    fn excerpts_are_bounded_and_printable() {
        let e = excerpt(&[b'a'; 1000]);
        assert!(e.chars().count() < 100 && e.ends_with("…\""));
        assert_eq!(excerpt(b"a\nb"), "\"a\\nb\"");
    }
}
