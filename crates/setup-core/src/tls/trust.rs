//! The roots a chain must lead to.
//!
//! The stand-in for "what WeCom trusts" is the Mozilla root program as shipped in `webpki-roots`:
//! compiled in, so the answer is the same on an admin's Windows laptop, a Linux server, an
//! air-gapped demo machine and CI (reading `/etc/ssl/certs` through `rustls-native-certs` would make
//! it depend on the machine running the wizard, which is not the machine WeCom calls from).
//! Extra anchors, e.g. a company CA, are added from PEM (`--ca-cert`).

use super::pem::{PemError, parse_certificates};
use rustls_pki_types::TrustAnchor;
use x509_parser::prelude::{FromDer, X509Name};

/// A set of trust anchors.
#[derive(Debug, Clone)]
pub struct TrustStore {
    anchors: Vec<TrustAnchor<'static>>,
    extra: usize,
}

impl TrustStore {
    /// The bundled public roots (Mozilla's program, from `webpki-roots`).
    pub fn system() -> Self {
        TrustStore {
            anchors: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            extra: 0,
        }
    }

    /// No anchors at all (tests, or "trust only what I add").
    pub fn empty() -> Self {
        TrustStore {
            anchors: Vec::new(),
            extra: 0,
        }
    }

    /// Adds every certificate of a PEM file as an anchor; returns how many.
    pub fn add_pem(&mut self, pem: &[u8]) -> Result<usize, PemError> {
        let certs = parse_certificates(pem)?;
        let mut added = 0;
        for (i, der) in certs.iter().enumerate() {
            let anchor =
                webpki::anchor_from_trusted_cert(der).map_err(|e| PemError::BadCertificate {
                    position: i + 1,
                    error: format!("{e:?}"),
                })?;
            self.anchors.push(anchor.to_owned());
            added += 1;
        }
        self.extra += added;
        Ok(added)
    }

    /// How many anchors, bundled and added.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// `true` when there is no anchor.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// How many anchors were added beside the bundled ones.
    pub fn extra_len(&self) -> usize {
        self.extra
    }

    pub(crate) fn anchors(&self) -> &[TrustAnchor<'static>] {
        &self.anchors
    }
}

/// `30 len contents`: the DER SEQUENCE around `contents` (webpki keeps names and keys unwrapped).
pub(crate) fn wrap_sequence(contents: &[u8]) -> Vec<u8> {
    let len = contents.len();
    let mut out = Vec::with_capacity(len + 6);
    out.push(0x30);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(contents);
    out
}

/// The contents of a DER TLV (tag and length removed); `None` when it is not one whole TLV.
pub(crate) fn der_contents(tlv: &[u8]) -> Option<&[u8]> {
    let (&first_len, rest) = tlv.get(1..)?.split_first()?;
    let (len, body) = if first_len < 0x80 {
        (usize::from(first_len), rest)
    } else {
        let n = usize::from(first_len & 0x7f);
        if n == 0 || n > std::mem::size_of::<usize>() || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (body.len() == len).then_some(body)
}

/// A readable name for an anchor's subject (`CN=…, O=…`).
pub(crate) fn anchor_name(anchor: &TrustAnchor<'_>) -> String {
    let der = wrap_sequence(anchor.subject.as_ref());
    match X509Name::from_der(&der) {
        Ok((_, name)) => name.to_string(),
        Err(_) => "(unnamed root)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_and_unwrapping_are_inverse_for_short_and_long_lengths() {
        for len in [0usize, 5, 127, 128, 300, 70_000] {
            let body = vec![7u8; len];
            let tlv = wrap_sequence(&body);
            assert_eq!(der_contents(&tlv), Some(&body[..]), "len {len}");
        }
        assert_eq!(der_contents(&[0x30]), None);
        assert_eq!(der_contents(&[0x30, 0x05, 1]), None);
        assert_eq!(der_contents(&[0x30, 0x89, 1]), None);
    }

    #[test]
    fn the_bundled_roots_are_there_and_have_names() {
        let store = TrustStore::system();
        assert!(store.len() > 50);
        assert_eq!(store.extra_len(), 0);
        let named = store
            .anchors()
            .iter()
            .filter(|a| anchor_name(a).contains("CN="))
            .count();
        assert!(named > 50);
    }
}
