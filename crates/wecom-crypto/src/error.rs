//! The one error type of the crate. Each variant is one of the official WXBizMsgCrypt codes
//! (−40001 … −40011), and each message says what to check.

use thiserror::Error;

/// Everything that can go wrong in the callback protocol, one variant per official code.
///
/// `code()` returns the number the official libraries use; `name()` returns a stable
/// identifier for machines (IPC, `--json`). The `Display` text is for people: it names what was
/// wrong and what to check. It never contains the Token or the EncodingAESKey.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CryptoError {
    /// −40001: the `msg_signature` does not match sha1 over the sorted token, timestamp, nonce and
    /// ciphertext.
    #[error(
        "msg_signature {received:?} does not match sha1(sort(Token, timestamp, nonce, encrypted)): \
         check that the Token is exactly the one entered in the WeCom console (case-sensitive) and \
         that echostr was URL-decoded exactly once"
    )]
    SignatureMismatch {
        /// The signature that came with the request (truncated for display).
        received: String,
    },

    /// −40002: the POST body is not the `<xml>…<Encrypt>…</Encrypt>…</xml>` envelope.
    #[error("the callback body is not a WeCom XML envelope: {detail}")]
    XmlParse {
        /// What the parser found.
        detail: String,
    },

    /// −40003: the signature could not be computed, in practice because a parameter is missing.
    #[error(
        "cannot compute the signature: query parameter `{parameter}` is missing or empty; a WeCom \
         callback carries msg_signature, timestamp and nonce (and echostr on the GET)"
    )]
    MissingParameter {
        /// The missing parameter's name.
        parameter: &'static str,
    },

    /// −40004: the EncodingAESKey is not 43 characters of `[A-Za-z0-9]`.
    #[error(
        "illegal EncodingAESKey: {detail}; copy it again from the WeCom console (43 letters and digits)"
    )]
    IllegalAesKey {
        /// What is wrong with it (length or the offending character position; never the key).
        detail: String,
    },

    /// −40005: the receiveid inside the plaintext is not the configured corpid.
    #[error(
        "decrypted receiveid {decrypted:?} does not match corpid {expected:?}: check the corpid \
         (case-sensitive; My Company → Company Information → Company ID)"
    )]
    ReceiveIdMismatch {
        /// The receiveid found after the message (lossy UTF-8, truncated for display).
        decrypted: String,
        /// The corpid this instance was configured with.
        expected: String,
    },

    /// −40006: encryption failed (message too long, or no OS randomness).
    #[error("AES encryption failed: {detail}")]
    EncryptAes {
        /// Why.
        detail: String,
    },

    /// −40007: decryption failed: wrong EncodingAESKey or corrupt ciphertext.
    #[error(
        "AES decryption failed: {detail}; check the EncodingAESKey (wrong key or corrupted data)"
    )]
    DecryptAes {
        /// Why (length or padding).
        detail: String,
    },

    /// −40008: the decrypted buffer does not have the `random16 | len | msg | receiveid` layout.
    #[error(
        "illegal buffer after decryption: {detail}; the data was probably encrypted with another \
         EncodingAESKey or is not a WeCom ciphertext"
    )]
    IllegalBuffer {
        /// Which length or field is inconsistent.
        detail: String,
    },

    /// −40009: base64 encoding failed (kept for the one-to-one mapping; cannot happen in practice).
    #[error("base64 encoding failed: {detail}")]
    EncodeBase64 {
        /// Why.
        detail: String,
    },

    /// −40010: the ciphertext is not base64.
    #[error(
        "the ciphertext is not valid base64: {detail}; check that echostr was URL-decoded exactly \
         once (`+` must arrive as %2B, `/` as %2F, `=` as %3D)"
    )]
    DecodeBase64 {
        /// What the decoder found.
        detail: String,
    },

    /// −40011: the passive reply XML could not be built.
    #[error("cannot build the reply XML: {detail}")]
    GenReturnXml {
        /// Why.
        detail: String,
    },
}

impl CryptoError {
    /// Every official code, in order, for tables and tests.
    pub const ALL_CODES: [i32; 11] = [
        -40001, -40002, -40003, -40004, -40005, -40006, -40007, -40008, -40009, -40010, -40011,
    ];

    /// The official WXBizMsgCrypt error code (−40001 … −40011).
    pub fn code(&self) -> i32 {
        match self {
            Self::SignatureMismatch { .. } => -40001,
            Self::XmlParse { .. } => -40002,
            Self::MissingParameter { .. } => -40003,
            Self::IllegalAesKey { .. } => -40004,
            Self::ReceiveIdMismatch { .. } => -40005,
            Self::EncryptAes { .. } => -40006,
            Self::DecryptAes { .. } => -40007,
            Self::IllegalBuffer { .. } => -40008,
            Self::EncodeBase64 { .. } => -40009,
            Self::DecodeBase64 { .. } => -40010,
            Self::GenReturnXml { .. } => -40011,
        }
    }

    /// The official name of the code, as in the WXBizMsgCrypt samples (stable, for machines).
    pub fn name(&self) -> &'static str {
        code_name(self.code()).unwrap_or("Unknown_Error")
    }
}

/// The official name of a WXBizMsgCrypt code, or `None` if `code` is not one of them.
pub fn code_name(code: i32) -> Option<&'static str> {
    Some(match code {
        -40001 => "ValidateSignature_Error",
        -40002 => "ParseXml_Error",
        -40003 => "ComputeSignature_Error",
        -40004 => "IllegalAesKey",
        -40005 => "ValidateCorpid_Error",
        -40006 => "EncryptAES_Error",
        -40007 => "DecryptAES_Error",
        -40008 => "IllegalBuffer",
        -40009 => "EncodeBase64_Error",
        -40010 => "DecodeBase64_Error",
        -40011 => "GenReturnXml_Error",
        _ => return None,
    })
}

/// Shortens peer-controlled text before it goes into an error message.
pub(crate) fn for_display(text: &str) -> String {
    const MAX_CHARS: usize = 80;
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(MAX_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_of_each() -> Vec<CryptoError> {
        let d = || "d".to_owned();
        vec![
            CryptoError::SignatureMismatch { received: d() },
            CryptoError::XmlParse { detail: d() },
            CryptoError::MissingParameter { parameter: "nonce" },
            CryptoError::IllegalAesKey { detail: d() },
            CryptoError::ReceiveIdMismatch {
                decrypted: "X".into(),
                expected: "Y".into(),
            },
            CryptoError::EncryptAes { detail: d() },
            CryptoError::DecryptAes { detail: d() },
            CryptoError::IllegalBuffer { detail: d() },
            CryptoError::EncodeBase64 { detail: d() },
            CryptoError::DecodeBase64 { detail: d() },
            CryptoError::GenReturnXml { detail: d() },
        ]
    }

    #[test]
    fn variants_map_one_to_one_onto_the_official_codes() {
        let codes: Vec<i32> = one_of_each().iter().map(CryptoError::code).collect();
        assert_eq!(codes, CryptoError::ALL_CODES);
    }

    #[test]
    fn every_code_has_its_official_name() {
        let names: Vec<&str> = one_of_each().iter().map(CryptoError::name).collect();
        assert_eq!(names[0], "ValidateSignature_Error");
        assert_eq!(names[4], "ValidateCorpid_Error");
        assert_eq!(names[10], "GenReturnXml_Error");
        assert!(names.iter().all(|n| *n != "Unknown_Error"));
        assert_eq!(code_name(-40012), None);
    }

    #[test]
    fn receiveid_message_names_both_ids() {
        let e = CryptoError::ReceiveIdMismatch {
            decrypted: "X".into(),
            expected: "Y".into(),
        };
        assert!(
            e.to_string()
                .starts_with("decrypted receiveid \"X\" does not match corpid \"Y\"")
        );
    }

    #[test]
    fn for_display_truncates_long_peer_text() {
        let long = "a".repeat(500);
        let shown = for_display(&long);
        assert_eq!(shown.chars().count(), 81);
        assert!(shown.ends_with('…'));
        assert_eq!(for_display("短"), "短");
    }
}
