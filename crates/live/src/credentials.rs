//! The three values WeCom and the callback share — Token, EncodingAESKey, corpid — held so that the
//! Token and the key never reach `Debug` output, logs or reports (`secrecy`), and turned into the
//! crypto only where it is needed.

use crate::error::LiveError;
use secrecy::{ExposeSecret, SecretString};
use wecom_crypto::WeComCrypto;

/// Token, EncodingAESKey and corpid (the receiveid of a self-built app).
#[derive(Debug, Clone)]
pub struct Credentials {
    token: SecretString,
    aes_key: SecretString,
    corp_id: String,
}

impl Credentials {
    pub fn new(
        token: impl Into<String>,
        aes_key: impl Into<String>,
        corp_id: impl Into<String>,
    ) -> Self {
        Credentials {
            token: SecretString::from(token.into()),
            aes_key: SecretString::from(aes_key.into()),
            corp_id: corp_id.into(),
        }
    }

    pub fn corp_id(&self) -> &str {
        &self.corp_id
    }

    /// The crypto for these values; −40004 when the EncodingAESKey is not 43 letters and digits.
    pub fn crypto(&self) -> Result<WeComCrypto, LiveError> {
        Ok(WeComCrypto::new(
            self.token.expose_secret(),
            self.aes_key.expose_secret(),
            &self.corp_id,
        )?)
    }

    /// Replaces the Token and the key wherever they appear in `text` (defence in depth for texts
    /// that quote what a server sent back), whatever their length: a short secret is still one.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in [self.token.expose_secret(), self.aes_key.expose_secret()] {
            if !secret.is_empty() && out.contains(secret) {
                out = out.replace(secret, "[REDACTED]");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_redact_hide_the_secrets() {
        let c = Credentials::new(
            "TokenToken123",
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
            "ww1",
        );
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("TokenToken123") && !dbg.contains("jWmYm7qr"));
        assert_eq!(c.redact("a TokenToken123 b"), "a [REDACTED] b");
    }

    #[test]
    fn a_short_token_is_redacted_too() {
        let c = Credentials::new("q7z", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "ww1");
        assert_eq!(c.redact("the token was q7z"), "the token was [REDACTED]");
        assert!(c.crypto().is_ok());
        assert!(Credentials::new("t", "short", "ww1").crypto().is_err());
    }
}
