//! SHA-256 fingerprints of certificates, formatted as `openssl x509 -noout -fingerprint -sha256`
//! prints them (uppercase hex pairs joined by `:`), for the bundle's `tls/` and for the admin to
//! compare with what the CA or the server shows.

use super::pem::{PemError, parse_certificates};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use x509_parser::prelude::{FromDer, X509Certificate};

/// One certificate's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CertFingerprint {
    /// 1-based position in the PEM file.
    pub position: u32,
    pub subject: String,
    /// e.g. `AB:CD:…` (32 pairs).
    pub sha256: String,
}

/// The SHA-256 fingerprint of DER bytes, `AB:CD:…`.
pub fn sha256_fingerprint(der: &[u8]) -> String {
    let digest = Sha256::digest(der);
    let mut out = String::with_capacity(digest.len() * 3);
    for (i, b) in digest.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push_str(&format!("{b:02X}"));
    }
    out
}

/// The fingerprint of every certificate in a PEM chain, in file order.
pub fn chain_fingerprints(pem: &[u8]) -> Result<Vec<CertFingerprint>, PemError> {
    let certs = parse_certificates(pem)?;
    Ok(certs
        .iter()
        .enumerate()
        .map(|(i, der)| CertFingerprint {
            position: u32::try_from(i + 1).unwrap_or(u32::MAX),
            subject: X509Certificate::from_der(der)
                .map(|(_, c)| c.subject().to_string())
                .unwrap_or_default(),
            sha256: sha256_fingerprint(der),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_uppercase_pairs_joined_by_colons() {
        // SHA-256 of the empty string.
        assert_eq!(
            sha256_fingerprint(b""),
            "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55"
        );
    }

    #[test]
    fn a_bad_chain_is_an_error() {
        assert_eq!(chain_fingerprints(b""), Err(PemError::Empty));
    }
}
