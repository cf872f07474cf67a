//! The encrypted payload: AES-256-CBC (IV = key[0..16]) over
//! `random16 | u32 BE msg_len | msg | receiveid`, padded with PKCS#7 to a multiple of 32 bytes,
//! carried as base64. Every length is checked before it is used: no input can panic.

use crate::error::{CryptoError, for_display};
use crate::key::{BASE64, EncodingAesKey};
use aes::Aes256;
use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, InnerIvInit, KeyInit};
use base64::Engine as _;
use std::ops::Range;

/// WeCom's PKCS#7 block size (twice the AES block).
pub const PAD_BLOCK: usize = 32;
/// `random16 | msg_len`.
const HEADER: usize = 20;

/// The expanded AES key and the IV, derived once per configuration. Each message borrows the
/// expanded key (`cbc` over `&Aes256`): nothing is re-derived or copied per call.
#[derive(Clone)]
pub(crate) struct PayloadCipher {
    aes: Aes256,
    iv: [u8; 16],
}

impl PayloadCipher {
    pub(crate) fn new(key: &EncodingAesKey) -> Self {
        let aes = Aes256::new(key.expose_secret().into());
        Self { aes, iv: key.iv() }
    }

    /// Encrypts `msg` for `receive_id` with the given random prefix; returns base64.
    pub(crate) fn encrypt(
        &self,
        random16: [u8; 16],
        msg: &[u8],
        receive_id: &[u8],
    ) -> Result<String, CryptoError> {
        let msg_len = u32::try_from(msg.len()).map_err(|_| CryptoError::EncryptAes {
            detail: format!("the message is {} bytes; at most 4 GiB fits", msg.len()),
        })?;
        let unpadded = HEADER
            .checked_add(msg.len())
            .and_then(|n| n.checked_add(receive_id.len()))
            .ok_or_else(|| CryptoError::EncryptAes {
                detail: "the message is too long".to_owned(),
            })?;
        let pad = PAD_BLOCK - unpadded % PAD_BLOCK; // 1..=32
        let mut buf = Vec::with_capacity(unpadded + pad);
        buf.extend_from_slice(&random16);
        buf.extend_from_slice(&msg_len.to_be_bytes());
        buf.extend_from_slice(msg);
        buf.extend_from_slice(receive_id);
        // `pad` is in 1..=32, so the cast is lossless.
        buf.resize(unpadded + pad, pad as u8);

        let unpadded_len = buf.len();
        cbc::Encryptor::<&Aes256>::inner_iv_init(&self.aes, (&self.iv).into())
            .encrypt_padded_mut::<NoPadding>(&mut buf, unpadded_len)
            .map_err(|_| CryptoError::EncryptAes {
                detail: "internal: padded length is not a multiple of 16".to_owned(),
            })?;
        Ok(BASE64.encode(&buf))
    }

    /// Decrypts base64 `encrypted` and checks the layout and the receiveid; returns the message.
    ///
    /// Callback-sized ciphertexts (the GET echostr, small events) are decoded into a stack buffer
    /// and the only allocation is the returned message; larger ones are decoded into the returned
    /// vector and decrypted in place.
    pub(crate) fn decrypt(
        &self,
        encrypted: &str,
        receive_id: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        const STACK: usize = 192;
        let base64_error = |e: &dyn std::fmt::Display| CryptoError::DecodeBase64 {
            detail: e.to_string(),
        };
        if encrypted.len() <= STACK / 3 * 4 {
            let mut stack = [0u8; STACK];
            let decoded = BASE64
                .decode_slice(encrypted.as_bytes(), &mut stack)
                .map_err(|e| base64_error(&e))?;
            let buf = stack.get_mut(..decoded).unwrap_or_default();
            let msg = self.open(buf, receive_id)?;
            return Ok(buf.get(msg).unwrap_or_default().to_vec());
        }
        let mut buf = Vec::with_capacity(encrypted.len() / 4 * 3 + 3);
        BASE64
            .decode_vec(encrypted.as_bytes(), &mut buf)
            .map_err(|e| base64_error(&e))?;
        let msg = self.open(&mut buf, receive_id)?;
        buf.truncate(msg.end);
        buf.drain(..msg.start);
        Ok(buf)
    }

    /// Decrypts `buf` (raw ciphertext) in place, checks padding, layout and receiveid, and
    /// returns where the message lies in `buf`.
    fn open(&self, buf: &mut [u8], receive_id: &[u8]) -> Result<Range<usize>, CryptoError> {
        let len = buf.len();
        if len == 0 || !len.is_multiple_of(PAD_BLOCK) {
            return Err(CryptoError::DecryptAes {
                detail: format!(
                    "the ciphertext is {len} bytes; it must be a non-zero multiple of {PAD_BLOCK}"
                ),
            });
        }
        cbc::Decryptor::<&Aes256>::inner_iv_init(&self.aes, (&self.iv).into())
            .decrypt_padded_mut::<NoPadding>(buf)
            .map_err(|_| CryptoError::DecryptAes {
                detail: format!("the ciphertext is {len} bytes, not whole AES blocks"),
            })?;

        let pad = buf.last().copied().map_or(0, usize::from);
        if pad == 0 || pad > PAD_BLOCK || pad > len {
            return Err(CryptoError::DecryptAes {
                detail: format!("the PKCS#7 pad byte is {pad}; it must be 1..=32"),
            });
        }
        let content_len = len - pad;
        if buf
            .get(content_len..)
            .is_none_or(|tail| tail.iter().any(|&b| usize::from(b) != pad))
        {
            return Err(CryptoError::DecryptAes {
                detail: format!("the last {pad} bytes are not all {pad} (bad PKCS#7 padding)"),
            });
        }
        let too_short = || CryptoError::IllegalBuffer {
            detail: format!(
                "the plaintext is {content_len} bytes; at least {HEADER} (random16 + msg_len) are needed"
            ),
        };
        if content_len < HEADER {
            return Err(too_short());
        }
        let Some(len_bytes) = buf.get(16..HEADER) else {
            return Err(too_short());
        };
        let mut be = [0u8; 4];
        be.copy_from_slice(len_bytes);
        let msg_len = u32::from_be_bytes(be) as usize;
        let msg_end = match HEADER.checked_add(msg_len) {
            Some(end) if end <= content_len => end,
            _ => {
                return Err(CryptoError::IllegalBuffer {
                    detail: format!(
                        "msg_len says {msg_len} bytes but only {} follow the header",
                        content_len - HEADER
                    ),
                });
            }
        };
        let found = buf.get(msg_end..content_len).unwrap_or_default();
        if found != receive_id {
            return Err(CryptoError::ReceiveIdMismatch {
                decrypted: for_display(&String::from_utf8_lossy(found)),
                expected: for_display(&String::from_utf8_lossy(receive_id)),
            });
        }
        Ok(HEADER..msg_end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORP: &[u8] = b"wx5823bf96d3bd56c7";

    fn cipher() -> PayloadCipher {
        PayloadCipher::new(
            &EncodingAesKey::parse("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").unwrap(),
        )
    }

    /// Encrypts `plain` (a multiple of 16 bytes) as is, so tests control every decrypted byte.
    fn raw_encrypt(c: &PayloadCipher, plain: &[u8]) -> String {
        let mut buf = plain.to_vec();
        cbc::Encryptor::<&Aes256>::inner_iv_init(&c.aes, (&c.iv).into())
            .encrypt_padded_mut::<NoPadding>(&mut buf, plain.len())
            .unwrap();
        BASE64.encode(&buf)
    }

    /// `random16 | len | msg | id` padded with `pad` bytes of value `pad_value`.
    fn layout(len_field: u32, msg: &[u8], id: &[u8], pad: usize, pad_value: u8) -> Vec<u8> {
        let mut v = b"0123456789abcdef".to_vec();
        v.extend_from_slice(&len_field.to_be_bytes());
        v.extend_from_slice(msg);
        v.extend_from_slice(id);
        v.extend(std::iter::repeat_n(pad_value, pad));
        v
    }

    /// The error decrypting `plain` (encrypted as is) gives.
    fn refusal(plain: &[u8]) -> CryptoError {
        let c = cipher();
        c.decrypt(&raw_encrypt(&c, plain), CORP).unwrap_err()
    }

    /// `err` is the official `code` and its message says `what` (the detail a user needs).
    fn assert_refused(err: &CryptoError, code: i32, what: &str) {
        assert_eq!(err.code(), code, "{err}");
        assert!(err.to_string().contains(what), "{what:?} not in {err}");
    }

    #[test]
    fn round_trip_with_every_pad_value_1_to_32() {
        let c = cipher();
        for n in 0..64 {
            let msg = vec![b'm'; n];
            let out = c.encrypt(*b"0123456789abcdef", &msg, CORP).unwrap();
            let raw = BASE64.decode(&out).unwrap();
            assert_eq!(raw.len() % 32, 0);
            assert_eq!(c.decrypt(&out, CORP).unwrap(), msg);
        }
    }

    #[test]
    fn ciphertext_not_a_multiple_of_32_is_40007_with_its_length() {
        let c = cipher();
        for len in [16usize, 48, 31] {
            let err = c.decrypt(&BASE64.encode(vec![0u8; len]), CORP).unwrap_err();
            assert_refused(&err, -40007, &format!("{len} bytes"));
        }
    }

    #[test]
    fn empty_ciphertext_is_40007() {
        assert_eq!(cipher().decrypt("", CORP).unwrap_err().code(), -40007);
    }

    #[test]
    fn non_base64_is_40010() {
        for text in ["not base64!", "P9nA zCzy", "%2B%2F", "A"] {
            assert_eq!(
                cipher().decrypt(text, CORP).unwrap_err().code(),
                -40010,
                "{text}"
            );
        }
    }

    #[test]
    fn pad_byte_zero_or_above_32_is_40007() {
        for pad_value in [0u8, 33, 255] {
            // 20 + 8 + 18 = 46 → 18 bytes of pad to reach 64, but with a wrong value.
            let mut plain = layout(8, b"12345678", CORP, 18, 0);
            if let Some(last) = plain.last_mut() {
                *last = pad_value;
            }
            let err = refusal(&plain);
            assert_refused(&err, -40007, &format!("pad byte is {pad_value}"));
        }
    }

    #[test]
    fn inconsistent_pad_bytes_are_40007() {
        let mut plain = layout(8, b"12345678", CORP, 18, 18);
        plain[50] = 17;
        assert_eq!(refusal(&plain).code(), -40007);
    }

    #[test]
    fn plaintext_shorter_than_the_header_is_40008() {
        // 32 bytes, 19 of them padding: 13 bytes of content < 20.
        let mut plain = vec![b'r'; 13];
        plain.extend(std::iter::repeat_n(19u8, 19));
        assert_refused(&refusal(&plain), -40008, "13 bytes");
    }

    #[test]
    fn msg_len_beyond_the_buffer_is_40008() {
        for len_field in [27u32, 1000, u32::MAX] {
            let err = refusal(&layout(len_field, b"12345678", CORP, 18, 18));
            assert_refused(&err, -40008, &format!("msg_len says {len_field}"));
        }
    }

    #[test]
    fn shorter_msg_len_moves_bytes_into_the_receiveid_and_is_40005() {
        let err = refusal(&layout(7, b"12345678", CORP, 18, 18));
        assert_eq!(
            err,
            CryptoError::ReceiveIdMismatch {
                decrypted: "8wx5823bf96d3bd56c7".into(),
                expected: "wx5823bf96d3bd56c7".into()
            }
        );
    }

    #[test]
    fn receiveid_comparison_is_case_sensitive() {
        let c = cipher();
        let out = c.encrypt([7; 16], b"hi", b"WX5823BF96D3BD56C7").unwrap();
        assert_eq!(c.decrypt(&out, CORP).unwrap_err().code(), -40005);
    }

    #[test]
    fn base64_with_or_without_padding_is_accepted() {
        let c = cipher();
        let out = c.encrypt([7; 16], b"hello", CORP).unwrap();
        assert!(out.ends_with('='));
        assert_eq!(
            c.decrypt(out.trim_end_matches('='), CORP).unwrap(),
            b"hello"
        );
    }
}
