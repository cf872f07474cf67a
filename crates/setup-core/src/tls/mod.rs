//! TLS material for the callback domain (seed §2.1: an SSL certificate is required for WeCom
//! session archiving), in the three situations admins arrive with:
//!
//! - **Bring your own** ([`inspect`], [`inspect_files`]): a PEM chain and key, checked against the
//!   plan's domain: names (SAN, wildcard rules), validity window, key match, chain order and
//!   completeness up to a trusted root ([`TrustStore`]), key type and size. Each result is a
//!   [`Finding`] with a stable [`FindingCode`] and a bilingual message and fix.
//! - **Generate for a CA** ([`generate_csr`]): a new RSA-2048 (default) or ECDSA P-256 key and a
//!   CSR for the domain, written with the key owner-only ([`write_csr`]).
//! - **Self-signed for demos** ([`generate_self_signed`]): for the domain, `localhost` and
//!   `127.0.0.1`, labelled demo-only: WeCom will not trust it ([`write_self_signed`]).
//!
//! [`chain_fingerprints`] gives the SHA-256 fingerprints for the bundle's `tls/`.
//!
//! Not here: serving TLS or connecting anywhere (that is the `live` crate).

mod catalogue;
mod chain;
mod files;
mod findings;
mod fingerprint;
mod generate;
mod inspect;
mod keys;
mod names;
pub(crate) mod pem;
mod report;
mod trust;

pub use files::{
    CSR_FILE, DEMO_NOTE_FILE, KEY_FILE, MAX_PEM_FILE_BYTES, SELF_SIGNED_CERT_FILE,
    SELF_SIGNED_KEY_FILE, TlsFileError, WrittenFiles, demo_note, inspect_files, read_pem_file,
    stage_self_signed, write_csr, write_self_signed,
};
pub use findings::{Finding, FindingCode, Severity};
pub use fingerprint::{CertFingerprint, chain_fingerprints, sha256_fingerprint};
pub use generate::{
    CsrMaterial, DEMO_ORGANIZATION, GenerateError, KeyAlgorithm, RSA_BITS, SELF_SIGNED_DAYS,
    SelfSignedMaterial, certificate_name, generate_csr, generate_self_signed,
};
pub use inspect::{CertSummary, EXPIRY_WARNING_DAYS, InspectInput, Inspection, inspect};
pub use keys::{KeyInfo, KeyKind, MIN_RSA_BITS};
pub use names::{Host, dns_name_matches};
pub use pem::{PemError, parse_certificates, parse_private_key};
pub use report::{CertFacts, CertStep};
pub use trust::TrustStore;
