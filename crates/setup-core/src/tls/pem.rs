//! PEM input as admins actually bring it: a certificate chain file and a private-key file, each
//! possibly binary DER, empty, cut off, encrypted, or the other one of the pair. Every such case is
//! a [`PemError`] with a stable `reason`; nothing here panics on input.
//!
//! Decoding is `rustls-pki-types`' PEM reader; a scan of the `-----BEGIN` labels beforehand names
//! what the reader skips (encrypted keys, CSRs, public keys, unknown blocks).

use rustls_pki_types::pem::{self, PemObject, SectionKind};
use rustls_pki_types::{
    CertificateDer, PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer,
};
use std::borrow::Cow;
use x509_parser::prelude::{FromDer, X509Certificate};

/// Why a PEM file cannot be used. Messages never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PemError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is binary DER, not PEM text")]
    Der,
    #[error("the file contains no PEM block")]
    NoPem,
    #[error("the PEM block \"{label}\" has no END line: the file is cut off")]
    Truncated { label: String },
    #[error("a -----BEGIN line is malformed")]
    BadBeginLine,
    #[error("the base64 text inside a PEM block is damaged")]
    BadBase64,
    #[error("the private key is encrypted with a password")]
    EncryptedKey,
    #[error("expected certificates, found a private key")]
    KeyInsteadOfCert,
    #[error("expected a private key, found a certificate")]
    CertInsteadOfKey,
    #[error("expected certificates, found a certificate signing request")]
    CsrInsteadOfCert,
    #[error("expected a private key, found a public key")]
    PublicKeyInsteadOfPrivate,
    #[error("found a \"{label}\" block, neither a certificate nor a private key")]
    UnexpectedPem { label: String },
    #[error("the file contains {count} private keys")]
    SeveralKeys { count: usize },
    #[error("certificate #{position} is not a valid X.509 certificate: {error}")]
    BadCertificate { position: usize, error: String },
    #[error("the private key cannot be read: {error}")]
    BadKey { error: String },
    #[error("the private key type ({algorithm}) is not supported")]
    UnsupportedKey { algorithm: String },
}

impl PemError {
    /// The stable sub-code of the `parse_error` finding.
    pub fn reason(&self) -> &'static str {
        match self {
            PemError::Empty => "empty",
            PemError::Der => "der",
            PemError::NoPem => "no_pem",
            PemError::Truncated { .. } => "truncated",
            PemError::BadBeginLine => "bad_begin",
            PemError::BadBase64 => "bad_base64",
            PemError::EncryptedKey => "encrypted_key",
            PemError::KeyInsteadOfCert => "key_instead_of_cert",
            PemError::CertInsteadOfKey => "cert_instead_of_key",
            PemError::CsrInsteadOfCert => "csr_instead_of_cert",
            PemError::PublicKeyInsteadOfPrivate => "public_key_instead_of_private",
            PemError::UnexpectedPem { .. } => "unexpected_pem",
            PemError::SeveralKeys { .. } => "several_keys",
            PemError::BadCertificate { .. } => "bad_certificate",
            PemError::BadKey { .. } => "bad_key",
            PemError::UnsupportedKey { .. } => "unsupported_key",
        }
    }

    /// The facts for the finding's message, beside `reason`.
    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut p = vec![("reason", self.reason().to_owned())];
        match self {
            PemError::Truncated { label } | PemError::UnexpectedPem { label } => {
                p.push(("label", label.clone()))
            }
            PemError::SeveralKeys { count } => p.push(("count", count.to_string())),
            PemError::BadCertificate { position, error } => {
                p.push(("position", position.to_string()));
                p.push(("error", error.clone()));
            }
            PemError::BadKey { error } => p.push(("error", error.clone())),
            PemError::UnsupportedKey { algorithm } => p.push(("algorithm", algorithm.clone())),
            _ => {}
        }
        p
    }
}

/// The certificates of a PEM file, in file order, each checked to be a well-formed X.509
/// certificate. Private keys in the same file (a "combined" PEM) are ignored.
pub fn parse_certificates(input: &[u8]) -> Result<Vec<CertificateDer<'static>>, PemError> {
    let text = as_utf8_text(input);
    let input: &[u8] = &text;
    precheck(input)?;
    let labels = begin_labels(input);
    let sections = sections(input, false)?;
    let certs: Vec<CertificateDer<'static>> = sections
        .into_iter()
        .filter(|(kind, _)| *kind == SectionKind::Certificate)
        .map(|(_, der)| CertificateDer::from(der))
        .collect();
    if certs.is_empty() {
        return Err(match labels.first().map(String::as_str) {
            Some(l) if l.contains("PRIVATE KEY") => PemError::KeyInsteadOfCert,
            Some("CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST") => PemError::CsrInsteadOfCert,
            Some(l) => PemError::UnexpectedPem {
                label: l.to_owned(),
            },
            None => PemError::NoPem,
        });
    }
    for (i, der) in certs.iter().enumerate() {
        check_certificate(der, i + 1)?;
    }
    Ok(certs)
}

/// The one private key of a PEM file (PKCS#8, PKCS#1 RSA or SEC1 EC).
pub fn parse_private_key(input: &[u8]) -> Result<PrivateKeyDer<'static>, PemError> {
    let text = zeroizing(as_utf8_text(input));
    let input: &[u8] = &text.0;
    precheck(input)?;
    let labels = begin_labels(input);
    if labels.iter().any(|l| l == "ENCRYPTED PRIVATE KEY") || is_legacy_encrypted(input) {
        return Err(PemError::EncryptedKey);
    }
    let mut keys: Vec<PrivateKeyDer<'static>> = Vec::new();
    for (kind, der) in sections(input, true)? {
        match kind {
            SectionKind::PrivateKey => keys.push(PrivatePkcs8KeyDer::from(der).into()),
            SectionKind::RsaPrivateKey => keys.push(PrivatePkcs1KeyDer::from(der).into()),
            SectionKind::EcPrivateKey => keys.push(PrivateSec1KeyDer::from(der).into()),
            _ => {}
        }
    }
    match keys.len() {
        1 => Ok(keys.remove(0)),
        0 => Err(
            match labels
                .iter()
                .find(|l| *l != "EC PARAMETERS")
                .map(String::as_str)
            {
                Some(l) if l.contains("CERTIFICATE") && !l.contains("REQUEST") => {
                    PemError::CertInsteadOfKey
                }
                Some(l) if l.contains("PUBLIC KEY") => PemError::PublicKeyInsteadOfPrivate,
                Some(l) => PemError::UnexpectedPem {
                    label: l.to_owned(),
                },
                None => PemError::NoPem,
            },
        ),
        count => Err(PemError::SeveralKeys { count }),
    }
}

/// PEM text as Windows editors save it, made plain: a UTF-8 byte-order mark is dropped, UTF-16
/// (with its byte-order mark) is re-encoded as UTF-8. Anything else is returned as is.
fn as_utf8_text(input: &[u8]) -> Cow<'_, [u8]> {
    if let Some(rest) = input.strip_prefix(b"\xEF\xBB\xBF") {
        return Cow::Borrowed(rest);
    }
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| from([c[0], c[1]])).collect();
        Cow::Owned(String::from_utf16_lossy(&units).into_bytes())
    };
    match input {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => Cow::Borrowed(input),
    }
}

/// Holds a re-encoded copy of key text and wipes it when dropped.
struct Zeroizing<'a>(Cow<'a, [u8]>);

fn zeroizing(text: Cow<'_, [u8]>) -> Zeroizing<'_> {
    Zeroizing(text)
}

impl Drop for Zeroizing<'_> {
    fn drop(&mut self) {
        if let Cow::Owned(bytes) = &mut self.0 {
            bytes.iter_mut().for_each(|b| *b = 0);
        }
    }
}

/// Empty, binary, or without any BEGIN line.
fn precheck(input: &[u8]) -> Result<(), PemError> {
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(PemError::Empty);
    }
    if !contains(input, b"-----BEGIN") {
        // A DER certificate or key is an ASN.1 SEQUENCE: 0x30 then a length byte.
        return Err(if input.first() == Some(&0x30) {
            PemError::Der
        } else {
            PemError::NoPem
        });
    }
    Ok(())
}

/// Every `-----BEGIN <label>-----` label, in file order.
fn begin_labels(input: &[u8]) -> Vec<String> {
    input
        .split(|b| *b == b'\n' || *b == b'\r')
        .filter_map(|line| {
            let line = line.trim_ascii();
            let rest = line.strip_prefix(b"-----BEGIN ")?;
            let label = rest.strip_suffix(b"-----")?;
            Some(String::from_utf8_lossy(label).into_owned())
        })
        .collect()
}

/// The pre-PKCS#8 OpenSSL encryption: headers inside a `RSA/EC PRIVATE KEY` block.
fn is_legacy_encrypted(input: &[u8]) -> bool {
    contains(input, b"Proc-Type: 4,ENCRYPTED") || contains(input, b"DEK-Info:")
}

/// The known sections, decoded. Secret sections never have their bytes in an error.
fn sections(input: &[u8], secret: bool) -> Result<Vec<(SectionKind, Vec<u8>)>, PemError> {
    <(SectionKind, Vec<u8>)>::pem_slice_iter(input)
        .map(|r| {
            r.map_err(|e| match e {
                pem::Error::MissingSectionEnd { end_marker } => PemError::Truncated {
                    label: label_of_marker(&end_marker),
                },
                pem::Error::IllegalSectionStart { .. } => PemError::BadBeginLine,
                _ if secret && is_legacy_encrypted(input) => PemError::EncryptedKey,
                _ => PemError::BadBase64,
            })
        })
        .collect()
}

/// `-----END CERTIFICATE-----` → `CERTIFICATE`.
fn label_of_marker(marker: &[u8]) -> String {
    let m = String::from_utf8_lossy(marker);
    m.trim()
        .trim_start_matches("-----END ")
        .trim_end_matches('-')
        .to_owned()
}

fn check_certificate(der: &[u8], position: usize) -> Result<(), PemError> {
    match X509Certificate::from_der(der) {
        Ok(([], _)) => Ok(()),
        Ok(_) => Err(PemError::BadCertificate {
            position,
            error: "trailing data after the certificate".to_owned(),
        }),
        Err(e) => Err(PemError::BadCertificate {
            position,
            error: describe_x509_error(&e),
        }),
    }
}

fn describe_x509_error(e: &x509_parser::nom::Err<x509_parser::error::X509Error>) -> String {
    match e {
        x509_parser::nom::Err::Incomplete(_) => "truncated".to_owned(),
        x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => e.to_string(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The blocks of a PEM file whose label satisfies `keep`, written again as one PEM file (LF line
/// ends, no blank lines); `None` when there is none. Text around the blocks is dropped, so a
/// combined "chain + key" file split this way never puts its key beside the chain.
pub fn select(text: &str, keep: impl Fn(&str) -> bool) -> Option<String> {
    let config = ::pem::EncodeConfig::new().set_line_ending(::pem::LineEnding::LF);
    let picked: String = ::pem::parse_many(text)
        .ok()?
        .iter()
        .filter(|block| keep(block.tag()))
        .map(|block| ::pem::encode_config(block, config))
        .collect();
    (!picked.is_empty()).then_some(picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMBINED: &str = "junk\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n\
        -----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n\
        -----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";

    #[test]
    fn select_keeps_only_the_blocks_asked_for() {
        let certs = select(COMBINED, |l| l == "CERTIFICATE").unwrap_or_default();
        assert_eq!(certs.matches("BEGIN CERTIFICATE").count(), 2);
        assert!(!certs.contains("PRIVATE KEY"));
        assert!(!certs.contains("junk"));
        assert!(certs.ends_with("-----END CERTIFICATE-----\n") && !certs.contains("\n\n"));
        let key = select(COMBINED, |l| l.ends_with("PRIVATE KEY")).unwrap_or_default();
        assert!(key.contains("BBBB") && !key.contains("AAAA"));
        assert!(select("no pem here", |_| true).is_none());
    }

    #[test]
    fn a_truncated_block_is_not_selected() {
        assert!(select("-----BEGIN CERTIFICATE-----\nAAAA\n", |_| true).is_none());
    }

    #[test]
    fn labels_are_found_with_crlf_and_spaces() {
        let pem = b"junk\r\n  -----BEGIN EC PARAMETERS-----\r\nBggqhkjOPQMBBw==\r\n-----END EC PARAMETERS-----\r\n";
        assert_eq!(begin_labels(pem), vec!["EC PARAMETERS".to_owned()]);
    }

    #[test]
    fn empty_binary_and_text_without_pem_are_told_apart() {
        assert_eq!(parse_certificates(b"  \n"), Err(PemError::Empty));
        assert_eq!(parse_certificates(&[0x30, 0x82, 0x01]), Err(PemError::Der));
        assert_eq!(parse_certificates(b"hello"), Err(PemError::NoPem));
        assert_eq!(parse_private_key(&[0x30, 0x82]), Err(PemError::Der));
    }

    #[test]
    fn a_missing_end_line_is_truncation() {
        let pem = b"-----BEGIN CERTIFICATE-----\nMIIB\n";
        assert_eq!(
            parse_certificates(pem),
            Err(PemError::Truncated {
                label: "CERTIFICATE".to_owned()
            })
        );
    }

    #[test]
    fn a_csr_or_a_public_key_is_named() {
        let csr = b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n";
        assert_eq!(parse_certificates(csr), Err(PemError::CsrInsteadOfCert));
        let pubkey = b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
        assert_eq!(
            parse_private_key(pubkey),
            Err(PemError::PublicKeyInsteadOfPrivate)
        );
        let enc =
            b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(parse_private_key(enc), Err(PemError::EncryptedKey));
    }

    #[test]
    fn byte_order_marks_and_utf16_from_windows_editors_are_read() {
        let pem =
            "-----BEGIN CERTIFICATE REQUEST-----\r\nAAAA\r\n-----END CERTIFICATE REQUEST-----\r\n";
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(pem.as_bytes());
        assert_eq!(parse_certificates(&bom), Err(PemError::CsrInsteadOfCert));
        let mut le = vec![0xFF, 0xFE];
        le.extend(pem.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(parse_certificates(&le), Err(PemError::CsrInsteadOfCert));
        let mut be = vec![0xFE, 0xFF];
        be.extend(pem.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(parse_certificates(&be), Err(PemError::CsrInsteadOfCert));
        assert_eq!(
            parse_private_key(&[0xFF, 0xFE, 0x41, 0x00]),
            Err(PemError::NoPem)
        );
    }

    #[test]
    fn garbage_inside_a_certificate_block_is_a_bad_certificate() {
        let pem = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(matches!(
            parse_certificates(pem),
            Err(PemError::BadCertificate { position: 1, .. })
        ));
        let bad = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        assert_eq!(parse_certificates(bad), Err(PemError::BadBase64));
    }
}
