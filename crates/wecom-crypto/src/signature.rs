//! `msg_signature`: lowercase hex of sha1 over the token, timestamp, nonce and ciphertext, sorted
//! bytewise and concatenated; verified in constant time.

use crate::error::{CryptoError, for_display};
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

/// The signature as 40 lowercase hex digits, without allocating. Callback-sized inputs are
/// concatenated on the stack and hashed in one call; longer ones are streamed.
pub(crate) fn signature_hex(
    token: &str,
    timestamp: &str,
    nonce: &str,
    encrypted: &str,
) -> [u8; 40] {
    const STACK: usize = 256;
    let mut parts = [
        token.as_bytes(),
        timestamp.as_bytes(),
        nonce.as_bytes(),
        encrypted.as_bytes(),
    ];
    sort4(&mut parts);
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let digest = if total <= STACK {
        let mut buf = [0u8; STACK];
        let mut at = 0;
        for part in parts {
            if let Some(dst) = buf.get_mut(at..at + part.len()) {
                dst.copy_from_slice(part);
            }
            at += part.len();
        }
        Sha1::digest(buf.get(..total).unwrap_or_default())
    } else {
        let mut hasher = Sha1::new();
        for part in parts {
            hasher.update(part);
        }
        hasher.finalize()
    };
    let mut out = [0u8; 40];
    // 20 digest bytes always fill the 40 hex digits exactly, so this cannot fail.
    let _ = hex::encode_to_slice(digest, &mut out);
    out
}

/// Bytewise `a < b`, deciding on the first byte inline (it almost always differs).
fn less(a: &[u8], b: &[u8]) -> bool {
    match (a.first(), b.first()) {
        (Some(x), Some(y)) if x != y => x < y,
        _ => a < b,
    }
}

/// Sorts four slices bytewise with a five-comparison network.
fn sort4(p: &mut [&[u8]; 4]) {
    for (i, j) in [(0, 1), (2, 3), (0, 2), (1, 3), (1, 2)] {
        if less(p[j], p[i]) {
            p.swap(i, j);
        }
    }
}

/// `msg_signature = lowercase_hex(sha1(concat(sort([token, timestamp, nonce, encrypted]))))`.
pub fn signature(token: &str, timestamp: &str, nonce: &str, encrypted: &str) -> String {
    let hex = signature_hex(token, timestamp, nonce, encrypted);
    hex.iter().map(|&b| char::from(b)).collect()
}

/// Constant-time equality of the expected hex with the received bytes (`subtle`); the length is
/// public (always 40 for a real signature) and a different one is simply unequal.
fn hex_eq(expected: &[u8; 40], received: &[u8]) -> bool {
    bool::from(expected.as_slice().ct_eq(received))
}

/// Checks `msg_signature` in constant time (for a given length). Empty parameters are reported as
/// missing (−40003), a wrong signature as −40001.
pub(crate) fn verify(
    token: &str,
    msg_signature: &str,
    timestamp: &str,
    nonce: &str,
    encrypted: &str,
) -> Result<(), CryptoError> {
    for (name, value) in [
        ("msg_signature", msg_signature),
        ("timestamp", timestamp),
        ("nonce", nonce),
    ] {
        if value.is_empty() {
            return Err(CryptoError::MissingParameter { parameter: name });
        }
    }
    let expected = signature_hex(token, timestamp, nonce, encrypted);
    if hex_eq(&expected, msg_signature.as_bytes()) {
        Ok(())
    } else {
        Err(CryptoError::SignatureMismatch {
            received: for_display(msg_signature),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_sha1_over_the_bytewise_sorted_concatenation() {
        // Bytewise order puts digits before upper case before lower case.
        let expected = {
            let mut h = Sha1::new();
            h.update(b"1409659589263014780QDG6eKabc");
            hex::encode(h.finalize())
        };
        assert_eq!(
            signature("QDG6eK", "1409659589", "263014780", "abc"),
            expected
        );
        assert_eq!(
            signature("abc", "263014780", "1409659589", "QDG6eK"),
            expected
        );
    }

    #[test]
    fn sort4_agrees_with_the_standard_sort_on_every_order() {
        let words: [&[u8]; 4] = [b"", b"a", b"ab", b"b"];
        let cases: [[&[u8]; 4]; 6] = [
            [b"b", b"ab", b"a", b""],
            [b"a", b"a", b"", b"a"],
            [b"zz", b"z", b"Z", b"0"],
            [b"\xff", b"\x00", b"\x7f", b"\x80"],
            words,
            [b"ab", b"", b"b", b"a"],
        ];
        for case in cases {
            let mut ours = case;
            sort4(&mut ours);
            let mut std = case;
            std.sort();
            assert_eq!(ours, std);
        }
    }

    #[test]
    fn official_vector_signature() {
        assert_eq!(
            signature(
                "QDG6eK",
                "1409659589",
                "263014780",
                "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
            ),
            "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
        );
    }

    #[test]
    fn verify_accepts_the_right_signature_and_rejects_others_with_40001() {
        let good = signature("t", "1", "n", "e");
        verify("t", &good, "1", "n", "e").unwrap();
        let mut flipped = good.clone().into_bytes();
        flipped[39] = if flipped[39] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        for wrong in [flipped.as_str(), &good[..39], &good.to_uppercase(), "x"] {
            let err = verify("t", wrong, "1", "n", "e").unwrap_err();
            assert_eq!(err.code(), -40001, "{wrong}");
        }
    }

    #[test]
    fn verify_reports_an_empty_parameter_as_40003_naming_it() {
        let good = signature("t", "1", "n", "e");
        for (sig, ts, nonce, name) in [
            ("", "1", "n", "msg_signature"),
            (&good[..], "", "n", "timestamp"),
            (&good[..], "1", "", "nonce"),
        ] {
            let err = verify("t", sig, ts, nonce, "e").unwrap_err();
            assert_eq!(err, CryptoError::MissingParameter { parameter: name });
            assert_eq!(err.code(), -40003);
        }
    }
}
