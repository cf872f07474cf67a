//! The EncodingAESKey: parsing the 43-character console value into the 32-byte AES key, telling
//! canonical keys (the two unused bits of the last character zero, accepted by strict base64
//! decoders too) from the rest, and generating fresh Tokens and canonical keys from the OS CSPRNG.

use crate::error::CryptoError;
use crate::random;
use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use secrecy::{ExposeSecret, SecretBox};
use std::fmt;

/// Length of an EncodingAESKey in characters.
pub const ENCODING_AES_KEY_LEN: usize = 43;
/// Length of a generated Token in characters (the console allows at most 32).
pub const TOKEN_LEN: usize = 32;

/// Standard base64 that, like every official WeCom library, ignores the two unused trailing bits
/// of the key's 43rd character and accepts padding or its absence.
pub(crate) const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The 32-byte AES key decoded from an EncodingAESKey. `Debug` never shows it; the bytes are
/// zeroed on drop.
pub struct EncodingAesKey(SecretBox<[u8; 32]>);

impl EncodingAesKey {
    /// Parses the console value: exactly 43 characters of `[A-Za-z0-9]`, base64 of the key with
    /// the `=` removed. The two unused bits of the last character may be anything.
    pub fn parse(encoding_aes_key: &str) -> Result<Self, CryptoError> {
        let chars = encoding_aes_key.chars().count();
        if chars != ENCODING_AES_KEY_LEN {
            return Err(CryptoError::IllegalAesKey {
                detail: format!(
                    "it has {chars} characters, it must have exactly {ENCODING_AES_KEY_LEN}"
                ),
            });
        }
        if let Some((index, c)) = encoding_aes_key
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_alphanumeric())
        {
            let shown = if c.is_whitespace() || c.is_control() {
                format!("{:?}", c.escape_default().to_string())
            } else {
                format!("{c:?}")
            };
            return Err(CryptoError::IllegalAesKey {
                detail: format!(
                    "character {} is {shown}; only letters A-Z, a-z and digits 0-9 are allowed",
                    index + 1
                ),
            });
        }
        let mut key = Box::new([0u8; 32]);
        match BASE64.decode_slice(encoding_aes_key.as_bytes(), &mut key[..]) {
            Ok(32) => Ok(Self(SecretBox::new(key))),
            // Unreachable for 43 alphanumerics, kept so that no input can panic.
            Ok(n) => Err(CryptoError::IllegalAesKey {
                detail: format!("it decodes to {n} bytes instead of 32"),
            }),
            Err(e) => Err(CryptoError::IllegalAesKey {
                detail: format!("it is not base64 ({e})"),
            }),
        }
    }

    /// Whether `encoding_aes_key` is canonical: strict base64 (Java commons-codec 1.13+ in strict
    /// mode, Go's `Strict()`, Rust's `STANDARD`) decodes it, i.e. the two unused bits of its last
    /// character are zero (it is one of `AEIMQUYcgkosw048`). WeCom's console generates keys that
    /// are not, 3 times in 4; they work with every official library.
    pub fn is_canonical(encoding_aes_key: &str) -> bool {
        encoding_aes_key.len() == ENCODING_AES_KEY_LEN
            && encoding_aes_key.bytes().all(|b| b.is_ascii_alphanumeric())
            && STANDARD_NO_PAD.decode(encoding_aes_key).is_ok()
    }

    /// The raw 32-byte AES key. Only crypto code should call this.
    pub fn expose_secret(&self) -> &[u8; 32] {
        self.0.expose_secret()
    }

    /// The IV WeCom uses: the first 16 bytes of the key.
    pub(crate) fn iv(&self) -> [u8; 16] {
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&self.expose_secret()[..16]);
        iv
    }
}

impl fmt::Debug for EncodingAesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EncodingAesKey([REDACTED])")
    }
}

impl std::str::FromStr for EncodingAesKey {
    type Err = CryptoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A fresh Token: 32 random letters and digits from the OS CSPRNG.
///
/// # Panics
/// Only if the operating system cannot supply random bytes (no secret can be made then).
pub fn generate_token() -> String {
    #[allow(clippy::expect_used)]
    random::alphanumeric(TOKEN_LEN).expect("the OS random number generator is unavailable")
}

/// A fresh canonical EncodingAESKey: base64 of 32 bytes from the OS CSPRNG without the `=`,
/// drawn again until it has no `+` or `/` (the console's alphabet is letters and digits), so the
/// key is uniform over the canonical keys and every base64 decoder, strict or not, accepts it.
///
/// # Panics
/// Only if the operating system cannot supply random bytes (no secret can be made then).
pub fn generate_encoding_aes_key() -> String {
    loop {
        #[allow(clippy::expect_used)]
        let bytes = random::bytes::<32>().expect("the OS random number generator is unavailable");
        let key = STANDARD_NO_PAD.encode(bytes);
        if key.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return key;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICIAL: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    #[test]
    fn official_key_with_nonzero_trailing_bits_decodes_like_the_official_libraries() {
        let key = EncodingAesKey::parse(OFFICIAL).unwrap();
        assert_eq!(
            hex::encode(key.expose_secret()),
            "8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760"
        );
        assert_eq!(key.iv(), key.expose_secret()[..16]);
    }

    #[test]
    fn keys_differing_only_in_trailing_bits_decode_to_the_same_bytes() {
        let a = EncodingAesKey::parse("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR").unwrap();
        let b = EncodingAesKey::parse("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aQ").unwrap();
        assert_eq!(a.expose_secret(), b.expose_secret());
    }

    #[test]
    fn wrong_length_is_40004_with_the_count() {
        for (input, count) in [
            ("", 0),
            (&OFFICIAL[..42], 42),
            ("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C=", 44),
        ] {
            let err = EncodingAesKey::parse(input).unwrap_err();
            assert_eq!(err.code(), -40004);
            let message = err.to_string();
            assert!(
                message.contains(&format!("it has {count} characters")),
                "{message}"
            );
            assert!(message.contains("exactly 43"), "{message}");
        }
    }

    #[test]
    fn wrong_alphabet_is_40004_naming_the_position_not_the_key() {
        let cases = [
            (format!("{}+", &OFFICIAL[..42]), "character 43 is '+'"),
            (format!("/{}", &OFFICIAL[1..]), "character 1 is '/'"),
            (
                format!("{} {}", &OFFICIAL[..10], &OFFICIAL[11..]),
                "character 11 is \" \"",
            ),
            (format!("{}é", &OFFICIAL[..42]), "character 43 is 'é'"),
        ];
        for (input, expected) in cases {
            let err = EncodingAesKey::parse(&input).unwrap_err();
            assert_eq!(err.code(), -40004, "{input}");
            let message = err.to_string();
            assert!(message.contains(expected), "{message}");
            assert!(
                !message.contains(&OFFICIAL[..20]),
                "the key leaked: {message}"
            );
        }
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let key = EncodingAesKey::parse(OFFICIAL).unwrap();
        let shown = format!("{key:?}");
        assert_eq!(shown, "EncodingAesKey([REDACTED])");
    }

    #[test]
    fn generated_token_is_32_alphanumerics_and_fresh() {
        let a = generate_token();
        let b = generate_token();
        assert_eq!(a.len(), TOKEN_LEN);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn generated_encoding_aes_key_parses_and_is_fresh() {
        let a = generate_encoding_aes_key();
        assert_eq!(a.len(), ENCODING_AES_KEY_LEN);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()), "{a}");
        EncodingAesKey::parse(&a).unwrap();
        assert_ne!(a, generate_encoding_aes_key());
    }

    #[test]
    fn every_generated_key_is_canonical_and_strict_base64_decodes_it_to_the_same_bytes() {
        // A key of 43 random alphanumerics would fail this 3 times in 4: 200 draws leave a
        // non-canonical generator no chance.
        for _ in 0..200 {
            let key = generate_encoding_aes_key();
            assert!(EncodingAesKey::is_canonical(&key), "{key}");
            assert!(b"AEIMQUYcgkosw048".contains(&key.as_bytes()[42]), "{key}");
            let strict = base64::engine::general_purpose::STANDARD
                .decode(format!("{key}="))
                .unwrap();
            assert_eq!(strict, EncodingAesKey::parse(&key).unwrap().expose_secret());
        }
    }

    #[test]
    fn canonical_means_the_unused_bits_are_zero() {
        // The official sample key ends in C (bits 10): valid, not canonical.
        assert!(!EncodingAesKey::is_canonical(OFFICIAL));
        assert!(EncodingAesKey::parse(OFFICIAL).is_ok());
        let canonical = format!("{}A", &OFFICIAL[..42]);
        assert!(EncodingAesKey::is_canonical(&canonical));
        for bad in [
            "",
            &OFFICIAL[..42],
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2A=",
        ] {
            assert!(!EncodingAesKey::is_canonical(bad), "{bad}");
        }
        assert!(!EncodingAesKey::is_canonical(&format!(
            "{}+A",
            &OFFICIAL[..41]
        )));
    }
}
