//! A captured WeCom callback, decrypted offline: `qa-wecom decrypt` and the Troubleshoot page's
//! decrypt tool. The query string (or the whole URL) of the GET with `echostr`, or of an event
//! POST together with its body, is checked and decrypted with the Token, EncodingAESKey and corpid
//! exactly as a receiver would; a failure is the official WXBizMsgCrypt code with the catalogue's
//! meaning and fix in both languages. Nothing here reads a file or opens a socket.

use crate::errcodes;
use crate::error_code::ErrorCode;
use crate::text::Text;
use serde::Serialize;
use ts_rs::TS;
use wecom_crypto::{CallbackQuery, CryptoError, WeComCrypto};

/// Largest body accepted (WeCom event bodies are a few KiB).
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// Which exchange was captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaptureKind {
    /// The GET WeCom sends when the admin saves the callback URL (query with `echostr`).
    UrlVerification,
    /// An event POST (query + XML body).
    Event,
}

/// A capture that cannot be decrypted as given (not a protocol error: the input is inconsistent).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, error_code_derive::ErrorCode)]
pub enum CaptureError {
    #[error(
        "the query carries echostr (URL verification) and a body was given (event): pass one or the other"
    )]
    #[code(EchostrAndBody)]
    EchostrAndBody,
    #[error("the body is larger than {} MiB; a WeCom callback body is a few KiB", MAX_BODY / 1024 / 1024)]
    #[code(BodyTooLarge)]
    BodyTooLarge,
}

/// What the decryption gave: the plaintext, or the official code of the first check that failed.
/// `--json` prints it as it is; the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Decryption {
    pub ok: bool,
    pub kind: CaptureKind,
    /// The plaintext (the echostr's number, or the event XML) when `ok`; else what was wrong and
    /// what to check, in English (never the Token or the EncodingAESKey).
    pub message: String,
    /// On failure: the official code (−40001 … −40011).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub code: Option<i32>,
    /// On failure: the official name, e.g. `ValidateCorpid_Error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    /// On failure: what the code means, in English and Chinese (the error-code catalogue's entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub meaning: Option<Text>,
    /// On failure: how to fix it, in English and Chinese.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fix: Option<Text>,
    /// The query has no `echostr` and no body was given: it is an event POST, decrypt it with its
    /// body.
    pub needs_body: bool,
}

/// Decrypts a capture. `query` is the raw query string as received, or a whole URL (everything up
/// to the first `?` is ignored); `body` is the POST body of an event (`None` for the GET).
pub fn decrypt(
    token: &str,
    encoding_aes_key: &str,
    corp_id: &str,
    query: &str,
    body: Option<&[u8]>,
) -> Result<Decryption, CaptureError> {
    let query = query.trim();
    let query = query.split_once('?').map_or(query, |(_, q)| q);
    if body.is_some_and(|b| b.len() > MAX_BODY) {
        return Err(CaptureError::BodyTooLarge);
    }
    let has_echostr = CallbackQuery::parse(query).echostr.is_some();
    if body.is_some() && has_echostr {
        return Err(CaptureError::EchostrAndBody);
    }
    let needs_body = body.is_none() && !has_echostr;
    let kind = match body {
        Some(_) => CaptureKind::Event,
        None => CaptureKind::UrlVerification,
    };
    let result = WeComCrypto::new(token, encoding_aes_key, corp_id).and_then(|crypto| match body {
        Some(body) => crypto.decrypt_event_query(query, body),
        None => crypto.verify_url_query(query),
    });
    Ok(match result {
        Ok(message) => Decryption {
            ok: true,
            kind,
            message,
            code: None,
            name: None,
            meaning: None,
            fix: None,
            needs_body,
        },
        Err(e) => failed(kind, &e, needs_body),
    })
}

fn failed(kind: CaptureKind, e: &CryptoError, needs_body: bool) -> Decryption {
    let entry = errcodes::lookup(i64::from(e.code()));
    Decryption {
        ok: false,
        kind,
        message: e.to_string(),
        code: Some(e.code()),
        name: Some(e.name().to_owned()),
        meaning: entry.as_ref().map(|i| i.meaning.clone()),
        fix: entry.map(|i| i.fix),
        needs_body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The official WXBizMsgCrypt sample (Token QDG6eK, corpid wx5823bf96d3bd56c7).
    use wecom_crypto::sample::{CORP_ID as CORP, ENCODING_AES_KEY as KEY, GET_QUERY, TOKEN};

    #[test]
    fn the_official_sample_get_decrypts_to_its_echostr_also_from_a_whole_url() {
        let d = decrypt(TOKEN, KEY, CORP, GET_QUERY, None);
        assert_eq!(
            d.as_ref().map(|d| (d.ok, d.kind, d.message.as_str())),
            Ok((true, CaptureKind::UrlVerification, "1616140317555161061"))
        );
        let url = format!("https://qa.example.com/cb/{CORP}?{GET_QUERY}\n");
        assert_eq!(decrypt(TOKEN, KEY, CORP, &url, None), d);
    }

    #[test]
    fn a_wrong_corpid_is_40005_with_the_catalogues_meaning_in_both_languages_and_no_secret() {
        let d = decrypt(TOKEN, KEY, "wwother", GET_QUERY, None).unwrap_or_else(|e| panic!("{e}"));
        assert!(!d.ok);
        assert_eq!(d.code, Some(-40005));
        assert_eq!(d.name.as_deref(), Some("ValidateCorpid_Error"));
        assert!(d.message.contains("\"wwother\""), "{}", d.message);
        let meaning = d.meaning.clone().unwrap_or_else(|| panic!("no meaning"));
        assert!(!meaning.en.is_empty() && !meaning.zh.is_empty());
        assert!(d.fix.is_some());
        let json = serde_json::to_string(&d).unwrap_or_default();
        assert!(!json.contains(KEY) && !json.contains(TOKEN), "{json}");
    }

    #[test]
    fn an_event_query_without_its_body_asks_for_the_body() {
        let q = "msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149";
        let d = decrypt(TOKEN, KEY, CORP, q, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((d.code, d.needs_body), (Some(-40003), true), "{d:?}");
        let get = decrypt(TOKEN, KEY, CORP, GET_QUERY, None).unwrap_or_else(|e| panic!("{e}"));
        assert!(!get.needs_body);
    }

    #[test]
    fn echostr_with_a_body_and_an_oversized_body_are_refused_before_decrypting() {
        assert_eq!(
            decrypt(TOKEN, KEY, CORP, GET_QUERY, Some(b"<xml/>")),
            Err(CaptureError::EchostrAndBody)
        );
        let big = vec![b' '; MAX_BODY + 1];
        assert_eq!(
            decrypt(TOKEN, KEY, CORP, "a=b", Some(&big)).map_err(|e| e.code()),
            Err(ErrorCode::BodyTooLarge)
        );
    }
}
