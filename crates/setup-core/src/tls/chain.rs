//! The chain from the leaf up: which certificate issued which (issuer name = subject name, and
//! the signature verifies with the issuer's key), where the walk ends (a trusted anchor, an
//! untrusted self-signed root, or a certificate whose issuer is nowhere: a missing intermediate),
//! and which certificates are out of place or not part of it.
//!
//! When the walk reaches a trusted anchor, `rustls-webpki` (what rustls clients run) verifies the
//! path too, to catch what a link check does not see: usage (serverAuth), CA flags, constraints.

use super::keys::{self, KeyKind};
use super::trust::{TrustStore, anchor_name, der_contents, wrap_sequence};
use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use std::time::Duration;
use x509_parser::error::X509Error;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::x509::SubjectPublicKeyInfo;

/// Where the walk from the leaf stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChainEnd {
    /// At a trusted anchor (named): either the last certificate is one, or it was issued by one.
    Trusted { anchor: String },
    /// At the self-signed certificate with this index, which no anchor matches.
    UntrustedRoot { index: usize },
    /// At the certificate with this index: its issuer is neither in the file nor an anchor.
    Incomplete { index: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChainAnalysis {
    /// Indexes into the file's certificates, leaf first, each followed by its issuer.
    pub path: Vec<usize>,
    pub end: ChainEnd,
    /// Certificates of the file that are not on the path.
    pub extras: Vec<usize>,
}

impl ChainAnalysis {
    /// The file has the path's certificates first and in path order.
    pub fn in_order(&self) -> bool {
        self.path.iter().enumerate().all(|(i, &p)| i == p)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sig {
    Good,
    Bad,
    /// An algorithm ring does not verify here (or an RSA key too small for it): judged by names.
    Unknown,
}

fn check_signature(child: &X509Certificate<'_>, issuer: &SubjectPublicKeyInfo<'_>) -> Sig {
    match child.verify_signature(Some(issuer)) {
        Ok(()) => Sig::Good,
        Err(X509Error::SignatureUnsupportedAlgorithm) => Sig::Unknown,
        Err(_) => {
            let (_, info) = keys::of_spki(issuer);
            if info.kind == KeyKind::Rsa && info.bits < keys::MIN_RSA_BITS {
                Sig::Unknown
            } else {
                Sig::Bad
            }
        }
    }
}

/// `child` names `parent` as its issuer and `parent`'s key signed it.
pub(crate) fn issued_by(child: &X509Certificate<'_>, parent: &X509Certificate<'_>) -> bool {
    child.issuer().as_raw() == parent.subject().as_raw()
        && check_signature(child, parent.public_key()) != Sig::Bad
}

/// Issuer = subject and the certificate's own key signed it.
pub(crate) fn is_self_signed(cert: &X509Certificate<'_>) -> bool {
    issued_by(cert, cert)
}

/// The anchor that *is* this certificate (same subject and key).
fn anchor_matching<'s>(
    cert: &X509Certificate<'_>,
    store: &'s TrustStore,
) -> Option<&'s TrustAnchor<'static>> {
    let subject = der_contents(cert.subject().as_raw())?;
    let spki = der_contents(cert.public_key().raw)?;
    store
        .anchors()
        .iter()
        .find(|a| a.subject.as_ref() == subject && a.subject_public_key_info.as_ref() == spki)
}

/// The anchor that issued this certificate.
fn anchor_issuing<'s>(
    cert: &X509Certificate<'_>,
    store: &'s TrustStore,
) -> Option<&'s TrustAnchor<'static>> {
    let issuer = der_contents(cert.issuer().as_raw())?;
    store
        .anchors()
        .iter()
        .filter(|a| a.subject.as_ref() == issuer)
        .find(|a| {
            let spki_der = wrap_sequence(a.subject_public_key_info.as_ref());
            match SubjectPublicKeyInfo::from_der(&spki_der) {
                Ok((_, spki)) => check_signature(cert, &spki) != Sig::Bad,
                Err(_) => false,
            }
        })
}

/// Walks from `leaf` up through the file's certificates to an anchor, a root, or a gap.
pub(crate) fn analyse(
    certs: &[X509Certificate<'_>],
    leaf: usize,
    store: &TrustStore,
) -> ChainAnalysis {
    let mut path = vec![leaf];
    let mut cur = leaf;
    let end = loop {
        let Some(cert) = certs.get(cur) else {
            break ChainEnd::Incomplete { index: cur };
        };
        if let Some(anchor) = anchor_matching(cert, store) {
            break ChainEnd::Trusted {
                anchor: anchor_name(anchor),
            };
        }
        if is_self_signed(cert) {
            break ChainEnd::UntrustedRoot { index: cur };
        }
        let parent = [cur + 1]
            .into_iter()
            .chain(0..certs.len())
            .filter(|j| *j < certs.len() && !path.contains(j))
            .find(|&j| issued_by(cert, &certs[j]));
        if let Some(j) = parent {
            path.push(j);
            cur = j;
            continue;
        }
        if let Some(anchor) = anchor_issuing(cert, store) {
            break ChainEnd::Trusted {
                anchor: anchor_name(anchor),
            };
        }
        break ChainEnd::Incomplete { index: cur };
    };
    let extras = (0..certs.len()).filter(|i| !path.contains(i)).collect();
    ChainAnalysis { path, end, extras }
}

/// The leaf when the private key does not say: a certificate that issued none of the others,
/// preferring a non-CA, then the first in the file. Names only (cheap, no signatures).
pub(crate) fn guess_leaf(certs: &[X509Certificate<'_>]) -> usize {
    let issues_another = |i: usize| {
        certs
            .iter()
            .enumerate()
            .any(|(j, c)| j != i && c.issuer().as_raw() == certs[i].subject().as_raw())
    };
    let candidates: Vec<usize> = (0..certs.len()).filter(|&i| !issues_another(i)).collect();
    candidates
        .iter()
        .copied()
        .find(|&i| !certs[i].is_ca())
        .or_else(|| candidates.first().copied())
        .unwrap_or(0)
}

/// Why rustls-webpki rejects a path whose links and anchor are fine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WebpkiRejection {
    NotServerAuth,
    CaAsLeaf,
    UnsupportedSignature,
    Other(String),
}

/// Verifies the path like a rustls client (server auth), at `now` moved into the window where
/// every certificate of the path is valid (validity is reported on its own).
pub(crate) fn webpki_check(
    ders: &[CertificateDer<'static>],
    certs: &[X509Certificate<'_>],
    path: &[usize],
    store: &TrustStore,
    now: i64,
) -> Result<(), WebpkiRejection> {
    let Some(leaf_der) = path.first().and_then(|&i| ders.get(i)) else {
        return Ok(());
    };
    let intermediates: Vec<CertificateDer<'static>> = path[1..]
        .iter()
        .filter_map(|&i| ders.get(i).cloned())
        .collect();
    let validities: Vec<_> = path
        .iter()
        .filter_map(|&i| certs.get(i))
        .map(|c| c.validity())
        .collect();
    let start = validities
        .iter()
        .map(|v| v.not_before.timestamp())
        .max()
        .unwrap_or(now);
    let end = validities
        .iter()
        .map(|v| v.not_after.timestamp())
        .min()
        .unwrap_or(now);
    let at = if start <= end {
        now.clamp(start, end)
    } else {
        now
    };
    let time = UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(at).unwrap_or(0)));
    let ee = webpki::EndEntityCert::try_from(leaf_der)
        .map_err(|e| WebpkiRejection::Other(format!("{e:?}")))?;
    match ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        store.anchors(),
        &intermediates,
        time,
        webpki::KeyUsage::server_auth(),
        None,
        None,
    ) {
        Ok(_) => Ok(()),
        Err(e) => classify(e).map_or(Ok(()), Err),
    }
}

/// `None` for what is reported on its own (validity).
fn classify(e: webpki::Error) -> Option<WebpkiRejection> {
    use webpki::Error as E;
    Some(match e {
        E::CertExpired { .. } | E::CertNotValidYet { .. } | E::InvalidCertValidity => return None,
        E::RequiredEkuNotFoundContext(_) => WebpkiRejection::NotServerAuth,
        E::CaUsedAsEndEntity => WebpkiRejection::CaAsLeaf,
        E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
            WebpkiRejection::UnsupportedSignature
        }
        other => WebpkiRejection::Other(format!("{other:?}")),
    })
}
