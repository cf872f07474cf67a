//! The redacting wrapper for secret values (app secret, Token, EncodingAESKey, private-key PEM),
//! and fresh Token / EncodingAESKey generation from the OS CSPRNG (through `wecom-crypto`).
//!
//! `Debug`, `Display` and `Serialize` never show the value; only [`Secret::expose`] does, and only
//! the secrets-file writer, the bundle's `secrets/` files and the crypto call it.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// What `Debug`, `Display` and `Serialize` print instead of a secret.
pub const REDACTED: &str = "[REDACTED]";

/// A secret string. Zeroed on drop (by `secrecy`).
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The value itself. Call it only to write `secrets/`, to show a freshly generated value to
    /// the person who asked for it, or to do crypto.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(REDACTED)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

/// A fresh Token: 32 random letters and digits from the OS CSPRNG.
pub fn generate_token() -> Secret {
    Secret::new(wecom_crypto::generate_token())
}

/// A fresh canonical EncodingAESKey (base64 of 32 CSPRNG bytes, no `=`; see `wecom_crypto`).
pub fn generate_encoding_aes_key() -> Secret {
    Secret::new(wecom_crypto::generate_encoding_aes_key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_display_and_serialize_never_show_the_value() {
        let s = Secret::new("hunter2hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{s}").contains("hunter2"));
        let json = serde_json::to_string(&s).unwrap_or_default();
        assert_eq!(json, format!("\"{REDACTED}\""));
        assert_eq!(s.expose(), "hunter2hunter2");
    }

    #[test]
    fn deserialize_keeps_the_value() {
        let s: Secret = serde_json::from_str("\"abc123\"").unwrap_or_else(|_| Secret::new(""));
        assert_eq!(s.expose(), "abc123");
    }

    #[test]
    fn generated_token_and_key_have_the_console_shapes_and_differ() {
        let (t1, t2) = (generate_token(), generate_token());
        assert_eq!(t1.expose().len(), 32);
        assert!(t1.expose().chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(t1.expose(), t2.expose());
        let k = generate_encoding_aes_key();
        assert_eq!(k.expose().len(), 43);
        assert!(k.expose().chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(wecom_crypto::EncodingAesKey::parse(k.expose()).is_ok());
    }
}
