//! The callback query string: reading `msg_signature`, `timestamp`, `nonce` and `echostr` out of a
//! raw query (percent-decoded exactly once) and writing one the way WeCom does.

use crate::error::CryptoError;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use std::borrow::Cow;

/// Everything except the RFC 3986 unreserved characters is percent-encoded, so base64's `+`, `/`
/// and `=` become `%2B`, `%2F` and `%3D`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The callback parameters of a raw query string, percent-decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackQuery {
    /// `msg_signature`.
    pub msg_signature: Option<String>,
    /// `timestamp`.
    pub timestamp: Option<String>,
    /// `nonce`.
    pub nonce: Option<String>,
    /// `echostr` (only on the URL-verification GET).
    pub echostr: Option<String>,
}

impl CallbackQuery {
    /// Parses `a=b&c=d` (a leading `?` is allowed). Values are percent-decoded once; a literal
    /// `+` stays `+` (base64 never contains spaces, so reading it as a space could only break the
    /// signature). The first occurrence of a parameter wins; unknown parameters are ignored.
    pub fn parse(raw_query: &str) -> Self {
        let [msg_signature, timestamp, nonce, echostr] =
            fields(raw_query).map(|v| v.map(Cow::into_owned));
        Self {
            msg_signature,
            timestamp,
            nonce,
            echostr,
        }
    }

    /// The parameter's value, or −40003 naming it when it is missing or empty.
    pub fn require<'a>(
        value: &'a Option<String>,
        parameter: &'static str,
    ) -> Result<&'a str, CryptoError> {
        require(value.as_deref(), parameter)
    }
}

/// `msg_signature`, `timestamp`, `nonce`, `echostr` of a raw query, in that order, borrowed from
/// it unless a value has percent escapes (the hot path of the receiver: on a WeCom GET only
/// echostr is copied).
pub(crate) fn fields(raw_query: &str) -> [Option<Cow<'_, str>>; 4] {
    let raw_query = raw_query.strip_prefix('?').unwrap_or(raw_query);
    let mut out: [Option<Cow<'_, str>>; 4] = [None, None, None, None];
    for pair in raw_query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let index = match &*decode(name) {
            "msg_signature" => 0,
            "timestamp" => 1,
            "nonce" => 2,
            "echostr" => 3,
            _ => continue,
        };
        if let Some(slot @ None) = out.get_mut(index) {
            *slot = Some(decode(value));
        }
    }
    out
}

/// The value, or −40003 naming the parameter when it is missing or empty.
pub(crate) fn require<'a>(
    value: Option<&'a str>,
    parameter: &'static str,
) -> Result<&'a str, CryptoError> {
    match value {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(CryptoError::MissingParameter { parameter }),
    }
}

/// Percent-decodes once (invalid UTF-8 after decoding becomes U+FFFD); borrows when there is
/// nothing to decode.
fn decode(text: &str) -> Cow<'_, str> {
    if !text.as_bytes().contains(&b'%') {
        return Cow::Borrowed(text);
    }
    let bytes: Vec<u8> = percent_decode_str(text).collect();
    match String::from_utf8(bytes) {
        Ok(s) => Cow::Owned(s),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// `name=value&…` with every value percent-encoded as WeCom does.
pub(crate) fn encode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.extend(utf8_percent_encode(value, QUERY_VALUE));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `query` and checks every callback parameter: those named in `expected` have
    /// that value, the others are absent. A failure names the parameter and the query.
    fn assert_parsed(query: &str, expected: &[(&str, &str)]) {
        let q = CallbackQuery::parse(query);
        let got = [
            ("msg_signature", &q.msg_signature),
            ("timestamp", &q.timestamp),
            ("nonce", &q.nonce),
            ("echostr", &q.echostr),
        ];
        for (name, _) in expected {
            assert!(got.iter().any(|(n, _)| n == name), "no parameter {name}");
        }
        for (name, value) in got {
            let want = expected.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
            assert_eq!(value.as_deref(), want, "{name} of {query:?}");
        }
    }

    #[test]
    fn values_are_percent_decoded_exactly_once() {
        assert_parsed(
            "msg_signature=s&timestamp=1&nonce=n&echostr=a%2Bb%2Fc%3D%3D%252B",
            &[
                ("msg_signature", "s"),
                ("timestamp", "1"),
                ("nonce", "n"),
                ("echostr", "a+b/c==%2B"),
            ],
        );
    }

    #[test]
    fn invalid_utf8_after_decoding_becomes_replacement_characters() {
        assert_parsed(
            "nonce=%FF%FEok&timestamp=%E4%BD%A0",
            &[("nonce", "\u{fffd}\u{fffd}ok"), ("timestamp", "你")],
        );
    }

    #[test]
    fn unescaped_values_are_borrowed_and_escaped_names_are_recognised() {
        let [sig, _, _, echostr] = fields("msg%5Fsignature=abc&echostr=a%2Bb");
        assert!(matches!(sig, Some(Cow::Borrowed("abc"))));
        assert!(matches!(echostr, Some(Cow::Owned(ref s)) if s == "a+b"));
    }

    #[test]
    fn a_literal_plus_stays_a_plus() {
        assert_parsed("echostr=a+b", &[("echostr", "a+b")]);
    }

    #[test]
    fn leading_question_mark_unknown_and_repeated_parameters() {
        assert_parsed(
            "?x=1&nonce=first&nonce=second&timestamp&&msg_signature=s",
            &[
                ("nonce", "first"),
                ("timestamp", ""),
                ("msg_signature", "s"),
            ],
        );
    }

    #[test]
    fn require_reports_missing_or_empty_as_40003() {
        let q = CallbackQuery::parse("timestamp=");
        for (value, name) in [(&q.timestamp, "timestamp"), (&q.nonce, "nonce")] {
            let err = CallbackQuery::require(value, name).unwrap_err();
            assert_eq!(err, CryptoError::MissingParameter { parameter: name });
        }
    }

    #[test]
    fn encode_escapes_base64_like_wecom() {
        assert_eq!(
            encode(&[("echostr", "a+b/c=="), ("nonce", "1-2._~")]),
            "echostr=a%2Bb%2Fc%3D%3D&nonce=1-2._~"
        );
    }
}
