//! Key facts: the type and size of a certificate's public key ([`KeyInfo`]), and the public half
//! of a private key, so the two can be compared ("does the key match the leaf?").
//!
//! Private keys are read structurally (PKCS#1 / PKCS#8 / SEC1 by the RustCrypto `der` crates):
//! RSA and EC private keys carry their public values, so no crypto library has to accept the key
//! first (ring refuses RSA below 2048 bits, and a weak key must still be *reported*). Only an
//! Ed25519 key (or an EC key stored without its public point) is handed to ring to derive it.

use super::pem::PemError;
use rsa::pkcs1::RsaPrivateKeyRef;
use rsa::pkcs8::PrivateKeyInfoRef;
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use serde::Serialize;
use ts_rs::TS;
use x509_parser::x509::SubjectPublicKeyInfo;

pub(crate) const OID_RSA: &str = "1.2.840.113549.1.1.1";
pub(crate) const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";
pub(crate) const OID_EC: &str = "1.2.840.10045.2.1";
pub(crate) const OID_ED25519: &str = "1.3.101.112";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
const OID_P521: &str = "1.3.132.0.35";

/// The smallest RSA modulus accepted.
pub const MIN_RSA_BITS: u32 = 2048;

/// The kind of a public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    Rsa,
    Ecdsa,
    Ed25519,
    Other,
}

/// Type and size of a key, e.g. RSA 2048-bit or ECDSA P-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeyInfo {
    pub kind: KeyKind,
    /// Modulus size for RSA, field size for EC (256 for P-256), 256 for Ed25519.
    pub bits: u32,
    /// `P-256`, `P-384`, `P-521` or the curve's OID; `None` for RSA.
    pub curve: Option<String>,
    /// Human-readable, e.g. `RSA 2048-bit`, `ECDSA P-256`.
    pub description: String,
}

impl KeyInfo {
    fn rsa(bits: u32) -> Self {
        KeyInfo {
            kind: KeyKind::Rsa,
            bits,
            curve: None,
            description: format!("RSA {bits}-bit"),
        }
    }

    fn ec(curve_oid: &str) -> Self {
        let (name, bits) = match curve_oid {
            OID_P256 => ("P-256".to_owned(), 256),
            OID_P384 => ("P-384".to_owned(), 384),
            OID_P521 => ("P-521".to_owned(), 521),
            other => (other.to_owned(), 0),
        };
        KeyInfo {
            kind: KeyKind::Ecdsa,
            bits,
            description: format!("ECDSA {name}"),
            curve: Some(name),
        }
    }

    fn ed25519() -> Self {
        KeyInfo {
            kind: KeyKind::Ed25519,
            bits: 256,
            curve: None,
            description: "Ed25519".to_owned(),
        }
    }

    fn other(oid: &str) -> Self {
        KeyInfo {
            kind: KeyKind::Other,
            bits: 0,
            curve: None,
            description: format!("unknown key type {oid}"),
        }
    }

    /// `Some(minimum)` when the key is too small to be accepted.
    pub fn weakness(&self) -> Option<&'static str> {
        match self.kind {
            KeyKind::Rsa if self.bits < MIN_RSA_BITS => Some("RSA 2048-bit"),
            KeyKind::Ecdsa if self.bits != 0 && self.bits < 256 => Some("ECDSA P-256"),
            _ => None,
        }
    }

    /// `true` for keys that common TLS clients (WeCom's included) may not support.
    pub fn is_uncommon(&self) -> bool {
        match self.kind {
            KeyKind::Rsa => false,
            KeyKind::Ecdsa => !matches!(self.bits, 256 | 384),
            KeyKind::Ed25519 | KeyKind::Other => true,
        }
    }
}

/// The public values of a key, comparable between a certificate and a private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PublicMaterial {
    Rsa { n: Vec<u8>, e: Vec<u8> },
    Ec { curve: String, point: Vec<u8> },
    Ed25519(Vec<u8>),
    Other(Vec<u8>),
}

/// The key of a certificate.
pub(crate) fn of_spki(spki: &SubjectPublicKeyInfo<'_>) -> (PublicMaterial, KeyInfo) {
    let alg = spki.algorithm.algorithm.to_id_string();
    let raw = spki.subject_public_key.data.to_vec();
    match alg.as_str() {
        OID_RSA | OID_RSA_PSS => match spki.parsed() {
            Ok(x509_parser::public_key::PublicKey::RSA(rsa)) => {
                let n = strip_zeros(rsa.modulus).to_vec();
                let bits = bit_len(&n);
                (
                    PublicMaterial::Rsa {
                        n,
                        e: strip_zeros(rsa.exponent).to_vec(),
                    },
                    KeyInfo::rsa(bits),
                )
            }
            _ => (PublicMaterial::Other(raw), KeyInfo::other(&alg)),
        },
        OID_EC => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string())
                .unwrap_or_default();
            let info = KeyInfo::ec(&curve);
            (PublicMaterial::Ec { curve, point: raw }, info)
        }
        OID_ED25519 => (PublicMaterial::Ed25519(raw), KeyInfo::ed25519()),
        _ => (PublicMaterial::Other(raw), KeyInfo::other(&alg)),
    }
}

/// The public half of a private key.
pub(crate) fn of_private_key(
    key: &PrivateKeyDer<'_>,
) -> Result<(PublicMaterial, KeyInfo), PemError> {
    match key {
        PrivateKeyDer::Pkcs1(k) => rsa_public(k.secret_pkcs1_der()),
        PrivateKeyDer::Sec1(k) => ec_public(k.secret_sec1_der(), None, None),
        PrivateKeyDer::Pkcs8(k) => pkcs8_public(k.secret_pkcs8_der()),
        _ => Err(PemError::UnsupportedKey {
            algorithm: "unknown".to_owned(),
        }),
    }
}

fn bad_key(what: &str) -> PemError {
    PemError::BadKey {
        error: what.to_owned(),
    }
}

fn rsa_public(pkcs1: &[u8]) -> Result<(PublicMaterial, KeyInfo), PemError> {
    let key = RsaPrivateKeyRef::try_from(pkcs1).map_err(|_| bad_key("not a valid RSA key"))?;
    let n = strip_zeros(key.modulus.as_bytes()).to_vec();
    let e = strip_zeros(key.public_exponent.as_bytes()).to_vec();
    let bits = bit_len(&n);
    Ok((PublicMaterial::Rsa { n, e }, KeyInfo::rsa(bits)))
}

/// `curve` is the PKCS#8 algorithm parameter, when the key came inside PKCS#8.
fn ec_public(
    sec1: &[u8],
    curve: Option<String>,
    pkcs8: Option<&[u8]>,
) -> Result<(PublicMaterial, KeyInfo), PemError> {
    let key = sec1::EcPrivateKey::try_from(sec1).map_err(|_| bad_key("not a valid EC key"))?;
    let curve = curve
        .or_else(|| {
            key.parameters.map(|p| match p {
                sec1::EcParameters::NamedCurve(oid) => oid.to_string(),
            })
        })
        .ok_or_else(|| bad_key("the EC key does not name its curve"))?;
    let point = match (key.public_key, pkcs8) {
        (Some(p), _) => p.to_vec(),
        (None, Some(pkcs8)) => ring_public(pkcs8)?,
        (None, None) => return Err(bad_key("the EC key does not contain its public key")),
    };
    let info = KeyInfo::ec(&curve);
    Ok((PublicMaterial::Ec { curve, point }, info))
}

fn pkcs8_public(der: &[u8]) -> Result<(PublicMaterial, KeyInfo), PemError> {
    let info = PrivateKeyInfoRef::try_from(der).map_err(|_| bad_key("not a valid PKCS#8 key"))?;
    let alg = info.algorithm.oid.to_string();
    let inner = info.private_key.as_bytes();
    match alg.as_str() {
        OID_RSA | OID_RSA_PSS => rsa_public(inner),
        OID_EC => {
            let curve = info.algorithm.parameters.and_then(|p| {
                let oid: rsa::pkcs8::ObjectIdentifier = p.try_into().ok()?;
                Some(oid.to_string())
            });
            ec_public(inner, curve, Some(der))
        }
        OID_ED25519 => Ok((
            PublicMaterial::Ed25519(ring_public(der)?),
            KeyInfo::ed25519(),
        )),
        other => Err(PemError::UnsupportedKey {
            algorithm: other.to_owned(),
        }),
    }
}

/// The raw public key ring derives from a PKCS#8 document (Ed25519, P-256, P-384).
fn ring_public(pkcs8: &[u8]) -> Result<Vec<u8>, PemError> {
    let der = PrivatePkcs8KeyDer::from(pkcs8);
    let pair = rcgen::KeyPair::try_from(&der)
        .map_err(|_| bad_key("the public key cannot be derived from this key"))?;
    Ok(rcgen::PublicKeyData::der_bytes(&pair).to_vec())
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|x| *x != 0).unwrap_or(b.len());
    &b[first..]
}

/// Bit length of a big-endian unsigned integer without leading zero bytes.
fn bit_len(b: &[u8]) -> u32 {
    match b.first() {
        None => 0,
        Some(top) => {
            let len = u32::try_from(b.len()).unwrap_or(u32::MAX / 8);
            (len - 1) * 8 + (8 - top.leading_zeros())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_length_counts_the_top_byte_exactly() {
        assert_eq!(bit_len(&[]), 0);
        assert_eq!(bit_len(&[1]), 1);
        assert_eq!(bit_len(&[0x80, 0]), 16);
        assert_eq!(bit_len(&[0x7f, 0, 0]), 23);
        assert_eq!(strip_zeros(&[0, 0, 5]), &[5]);
    }

    #[test]
    fn weakness_and_rarity_follow_the_key_size_and_curve() {
        assert_eq!(KeyInfo::rsa(1024).weakness(), Some("RSA 2048-bit"));
        assert_eq!(KeyInfo::rsa(2048).weakness(), None);
        assert!(!KeyInfo::ec(OID_P256).is_uncommon());
        assert!(KeyInfo::ec(OID_P521).is_uncommon());
        assert!(KeyInfo::ed25519().is_uncommon());
        assert_eq!(KeyInfo::ec(OID_P384).description, "ECDSA P-384");
    }

    #[test]
    fn damaged_private_keys_are_errors_not_panics() {
        for junk in [&b""[..], b"\x30", b"\x30\x03\x02\x01\x00", b"\xff\xff\xff"] {
            assert!(rsa_public(junk).is_err());
            assert!(ec_public(junk, None, None).is_err());
            assert!(pkcs8_public(junk).is_err());
        }
    }
}
