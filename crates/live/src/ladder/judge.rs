//! The last rung: is the reply body what WeCom accepts? For the URL verification it must be the
//! decrypted echostr byte for byte; everything else is named by the most likely cause (a BOM, a
//! newline, quotes, JSON, an HTML page, the ciphertext sent back, another value). For an event any
//! 200 is accepted unless it is a web page (the request never reached the callback).

use crate::diagnosis::{DiagnosisCode, Params};
use crate::transport::Failure;
use percent_encoding::{NON_ALPHANUMERIC, percent_decode, utf8_percent_encode};
use setup_core::text::Text;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const EXCERPT_CHARS: usize = 80;

/// A step detail in English and Simplified Chinese.
pub type Detail = Text;

/// Judges a 200 reply to the URL-verification GET. `Ok` carries the step detail.
pub fn verify_reply(
    body: &[u8],
    content_type: Option<&str>,
    expected: &str,
    echostr: &str,
) -> Result<Detail, Failure> {
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
        ));
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

/// Judges a 200 reply to an event POST. `Ok` carries the step detail.
pub fn event_reply(body: &[u8], content_type: Option<&str>) -> Result<Detail, Failure> {
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
            Ok(_) => DiagnosisCode::Ok,
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
            (format!("{P}\n").into(), None, TrailingWhitespace),
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
                Ok(d) => d,
                Err(f) => f.detail,
            })
            .chain(
                EVENT_BODIES
                    .iter()
                    .map(|body| match event_reply(body, None) {
                        Ok(d) => d,
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

    #[test]
    fn excerpts_are_bounded_and_printable() {
        let e = excerpt(&[b'a'; 1000]);
        assert!(e.chars().count() < 100 && e.ends_with("…\""));
        assert_eq!(excerpt(b"a\nb"), "\"a\\nb\"");
    }
}
