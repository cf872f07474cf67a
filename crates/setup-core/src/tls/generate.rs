//! New TLS material: a private key (RSA-2048 by default, what Chinese CAs most commonly expect, or
//! ECDSA P-256), a CSR for the customer's CA, or a self-signed pair for demos.
//!
//! RSA keys come from the RustCrypto `rsa` crate (ring, rcgen's backend, cannot generate RSA);
//! the PKCS#8 document is then loaded into rcgen, which signs with ring. The private key leaves
//! this module only inside a [`Secret`].

use super::fingerprint::sha256_fingerprint;
use super::inspect::rfc3339;
use crate::error_code::ErrorCode;
use crate::secret::Secret;
use rcgen::{
    CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SerialNumber,
};
use rsa::pkcs8::EncodePrivateKey;
use rsa::rand_core::{TryCryptoRng, TryRng};
use rustls_pki_types::PrivatePkcs8KeyDer;
use serde::Deserialize;
use std::net::IpAddr;
use std::time::{Duration, SystemTime};
use time::OffsetDateTime;

/// The RSA modulus size generated.
pub const RSA_BITS: usize = 2048;
/// How long a self-signed demo certificate is valid.
pub const SELF_SIGNED_DAYS: u64 = 365;
/// The organisation written into every self-signed certificate, so no one mistakes it.
pub const DEMO_ORGANIZATION: &str = "QA WeCom Setup DEMO ONLY - not trusted by WeCom";

crate::snake_case_enum! {
    /// The key type to generate.
    #[derive(Default, Deserialize)]
    pub enum KeyAlgorithm {
        /// RSA 2048-bit, signatures with SHA-256: the most widely accepted by CAs.
        #[default]
        Rsa2048,
        /// ECDSA on P-256 with SHA-256: smaller and faster, accepted by most CAs.
        EcdsaP256,
    }
}

impl KeyAlgorithm {
    /// The name in JSON (`rsa2048`, `ecdsa_p256`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn description(self) -> &'static str {
        match self {
            KeyAlgorithm::Rsa2048 => "RSA 2048-bit",
            KeyAlgorithm::EcdsaP256 => "ECDSA P-256",
        }
    }
}

/// Why generation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, error_code_derive::ErrorCode)]
pub enum GenerateError {
    #[error("\"{domain}\" cannot be put in a certificate: {reason}")]
    #[code(TlsDomainInvalid)]
    InvalidDomain { domain: String, reason: String },
    #[error("the system random number generator failed")]
    #[code(TlsRandomFailed)]
    Random,
    #[error("key or certificate generation failed: {0}")]
    #[code(TlsGenerationFailed)]
    Crypto(String),
}

/// A new private key and the CSR to send to the CA.
#[derive(Debug, Clone)]
pub struct CsrMaterial {
    /// The domain as written into the CSR (lowercase, punycode).
    pub domain: String,
    pub algorithm: KeyAlgorithm,
    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    pub private_key_pem: Secret,
    /// `-----BEGIN CERTIFICATE REQUEST-----`.
    pub csr_pem: String,
}

/// A self-signed certificate and its key, for demos only.
#[derive(Debug, Clone)]
pub struct SelfSignedMaterial {
    pub domain: String,
    pub algorithm: KeyAlgorithm,
    /// PKCS#8 PEM.
    pub private_key_pem: Secret,
    pub cert_pem: String,
    /// The names the certificate covers: the domain, `localhost`, `127.0.0.1`.
    pub names: Vec<String>,
    /// `AB:CD:…`
    pub sha256: String,
    /// RFC 3339, UTC.
    pub not_before: String,
    /// RFC 3339, UTC.
    pub not_after: String,
}

/// A new key pair, ready to sign.
pub(crate) fn generate_key(algorithm: KeyAlgorithm) -> Result<KeyPair, GenerateError> {
    match algorithm {
        KeyAlgorithm::EcdsaP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
            .map_err(|e| GenerateError::Crypto(e.to_string())),
        KeyAlgorithm::Rsa2048 => {
            let key = rsa::PrivateKey::new(&mut OsRandom, RSA_BITS).map_err(|e| match e {
                rsa::Error::Rng => GenerateError::Random,
                other => GenerateError::Crypto(other.to_string()),
            })?;
            let doc = key
                .to_pkcs8_der()
                .map_err(|e| GenerateError::Crypto(e.to_string()))?;
            let der = PrivatePkcs8KeyDer::from(doc.as_bytes());
            KeyPair::from_pkcs8_der_and_sign_algo(&der, &rcgen::PKCS_RSA_SHA256)
                .map_err(|e| GenerateError::Crypto(e.to_string()))
        }
    }
}

/// A new key and a CSR for `domain` (subject CN and SAN), for the customer's CA.
pub fn generate_csr(domain: &str, algorithm: KeyAlgorithm) -> Result<CsrMaterial, GenerateError> {
    let domain = certificate_name(domain)?;
    let key = generate_key(algorithm)?;
    let mut params =
        CertificateParams::new(vec![domain.clone()]).map_err(|e| invalid(&domain, e))?;
    params.distinguished_name = DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::CommonName, domain.clone());
    let csr = params
        .serialize_request(&key)
        .map_err(|e| GenerateError::Crypto(e.to_string()))?;
    let csr_pem = csr
        .pem()
        .map_err(|e| GenerateError::Crypto(e.to_string()))?;
    Ok(CsrMaterial {
        domain,
        algorithm,
        private_key_pem: Secret::new(key.serialize_pem()),
        csr_pem,
    })
}

/// A self-signed certificate for `domain`, `localhost` and `127.0.0.1` (the built-in receiver),
/// valid from an hour before `now` for [`SELF_SIGNED_DAYS`] days. Demo only: WeCom will not trust it.
pub fn generate_self_signed(
    domain: &str,
    algorithm: KeyAlgorithm,
    now: SystemTime,
) -> Result<SelfSignedMaterial, GenerateError> {
    let domain = certificate_name(domain)?;
    let mut names = vec![domain.clone()];
    for extra in ["localhost", "127.0.0.1"] {
        if !names.iter().any(|n| n == extra) {
            names.push(extra.to_owned());
        }
    }
    let key = generate_key(algorithm)?;
    let mut params = CertificateParams::new(names.clone()).map_err(|e| invalid(&domain, e))?;
    params.distinguished_name = DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::CommonName, domain.clone());
    params
        .distinguished_name
        .push(DnType::OrganizationName, DEMO_ORGANIZATION);
    // Certificates carry whole seconds.
    let start = OffsetDateTime::from(now)
        .replace_nanosecond(0)
        .unwrap_or_else(|_| OffsetDateTime::from(now));
    let not_before = start - Duration::from_secs(3600);
    let not_after = start + Duration::from_secs(SELF_SIGNED_DAYS * 86_400);
    params.not_before = not_before;
    params.not_after = not_after;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = match algorithm {
        KeyAlgorithm::Rsa2048 => vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ],
        KeyAlgorithm::EcdsaP256 => vec![KeyUsagePurpose::DigitalSignature],
    };
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.serial_number = Some(random_serial()?);
    let cert = params
        .self_signed(&key)
        .map_err(|e| GenerateError::Crypto(e.to_string()))?;
    Ok(SelfSignedMaterial {
        domain,
        algorithm,
        private_key_pem: Secret::new(key.serialize_pem()),
        cert_pem: cert.pem(),
        names,
        sha256: sha256_fingerprint(cert.der()),
        not_before: rfc3339(not_before),
        not_after: rfc3339(not_after),
    })
}

fn invalid(domain: &str, e: rcgen::Error) -> GenerateError {
    GenerateError::InvalidDomain {
        domain: domain.to_owned(),
        reason: e.to_string(),
    }
}

/// The domain as a certificate carries it: an IP address, `localhost`, or the callback domain as
/// the plan validates it (lowercase ASCII, IDN as punycode; `validate::domain`), optionally with a
/// leading `*.` wildcard label.
pub fn certificate_name(domain: &str) -> Result<String, GenerateError> {
    let trimmed = domain.trim();
    if let Ok(ip) = trimmed.parse::<IpAddr>() {
        return Ok(ip.to_string());
    }
    if trimmed.eq_ignore_ascii_case("localhost") {
        return Ok("localhost".to_owned());
    }
    let (wildcard, host) = match trimmed.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    match crate::validate::domain(host) {
        Ok((name, _)) if wildcard => Ok(format!("*.{name}")),
        Ok((name, _)) => Ok(name.as_str().to_owned()),
        Err(finding) => Err(GenerateError::InvalidDomain {
            domain: trimmed.to_owned(),
            reason: finding.into_issue("domain").message.en,
        }),
    }
}

/// A positive 16-byte serial number from the OS CSPRNG.
fn random_serial() -> Result<SerialNumber, GenerateError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| GenerateError::Random)?;
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    Ok(SerialNumber::from_slice(&bytes))
}

/// The OS CSPRNG as the `rand_core` RNG the `rsa` crate takes.
struct OsRandom;

impl TryRng for OsRandom {
    type Error = getrandom::Error;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        getrandom::u32()
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        getrandom::u64()
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        getrandom::fill(dst)
    }
}

impl TryCryptoRng for OsRandom {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_names_are_normalised_or_refused() {
        let ok = |d: &str| certificate_name(d).unwrap_or_else(|e| panic!("{d}: {e}"));
        assert_eq!(ok(" QAWecom.Example.com. "), "qawecom.example.com");
        assert_eq!(ok("*.example.com"), "*.example.com");
        assert_eq!(ok("例子.中国"), "xn--fsqu00a.xn--fiqs8s");
        assert_eq!(ok("127.0.0.1"), "127.0.0.1");
        assert_eq!(ok("localhost"), "localhost");
        for bad in [
            "",
            "https://qa.example.com",
            "qa.example.com:443",
            "intranet",
            "a..b",
            "-a.b",
            "a_b.com",
        ] {
            assert!(
                matches!(
                    certificate_name(bad),
                    Err(GenerateError::InvalidDomain { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_default_algorithm_is_rsa_2048() {
        assert_eq!(KeyAlgorithm::default(), KeyAlgorithm::Rsa2048);
        assert_eq!(KeyAlgorithm::EcdsaP256.as_str(), "ecdsa_p256");
    }

    #[test]
    fn serials_are_positive_and_differ() {
        let a = random_serial().map(|s| s.to_bytes()).unwrap_or_default();
        let b = random_serial().map(|s| s.to_bytes()).unwrap_or_default();
        assert_eq!(a.len(), 16);
        assert!(a[0] & 0x80 == 0 && a[0] != 0);
        assert_ne!(a, b);
    }
}
