//! Randomness from the OS CSPRNG (`getrandom`): alphanumeric strings, the 16-byte prefix,
//! decimal nonces and echostr values like the ones WeCom sends.

use crate::error::CryptoError;

const ALPHANUMERIC: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn fill(buf: &mut [u8]) -> Result<(), CryptoError> {
    getrandom::fill(buf).map_err(|e| CryptoError::EncryptAes {
        detail: format!("the OS random number generator failed: {e}"),
    })
}

/// `N` random bytes.
pub(crate) fn bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}

/// `len` characters drawn uniformly from `[A-Za-z0-9]` (rejection sampling, no modulo bias).
pub(crate) fn alphanumeric(len: usize) -> Result<String, CryptoError> {
    let mut out = String::with_capacity(len);
    let mut pool = [0u8; 64];
    while out.len() < len {
        fill(&mut pool)?;
        for &b in &pool {
            // 248 = 4 × 62: accept only bytes that map uniformly.
            if b < 248 {
                if let Some(&c) = ALPHANUMERIC.get(usize::from(b % 62)) {
                    out.push(char::from(c));
                }
                if out.len() == len {
                    break;
                }
            }
        }
    }
    Ok(out)
}

/// The 16-byte random prefix, as the official libraries make it: 16 random letters and digits.
pub(crate) fn random16() -> Result<[u8; 16], CryptoError> {
    let text = alphanumeric(16)?;
    let mut out = [0u8; 16];
    out.copy_from_slice(text.as_bytes());
    Ok(out)
}

/// A uniformly random integer in `[low, high)`; `low < high`.
fn in_range(low: u64, high: u64) -> Result<u64, CryptoError> {
    let span = high.saturating_sub(low).max(1);
    // Rejection sampling: discard draws from the incomplete top zone.
    let zone = u64::MAX - (u64::MAX % span);
    loop {
        let mut bytes = [0u8; 8];
        fill(&mut bytes)?;
        let draw = u64::from_le_bytes(bytes);
        if draw < zone {
            return Ok(low + draw % span);
        }
    }
}

/// A 19-digit decimal number, the shape of the echostr plaintext WeCom sends on Save.
pub(crate) fn echostr_plain() -> Result<String, CryptoError> {
    Ok(in_range(1_000_000_000_000_000_000, 10_000_000_000_000_000_000)?.to_string())
}

/// A 10-digit decimal nonce, the shape WeCom uses.
pub(crate) fn nonce() -> Result<String, CryptoError> {
    Ok(in_range(1_000_000_000, 10_000_000_000)?.to_string())
}
