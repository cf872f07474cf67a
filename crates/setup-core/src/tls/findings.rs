//! What an inspection found: a stable [`FindingCode`], a [`Severity`], the facts behind it
//! (`params`, machine-readable) and the bilingual message and fix rendered from the catalogue.
//!
//! The codes are a public contract (`qa-wecom cert inspect --json`, the UI translates by code);
//! never rename one, only add.

use super::catalogue;
use crate::text::Text;
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

/// How bad a finding is. `Error` means WeCom (or a strict client) will refuse the TLS material.
pub use crate::report::Severity;

crate::snake_case_enum! {
    /// The stable finding codes of a certificate inspection, in catalogue order.
    #[derive(strum::EnumString)]
    pub enum FindingCode {
        /// A file is unreadable, not PEM, the wrong kind of PEM, encrypted, truncated or damaged.
        ParseError,
        /// The leaf does not cover the domain (SAN, wildcard rules).
        NameMismatch,
        /// A certificate of the chain is past its `notAfter`.
        Expired,
        /// A certificate of the chain is before its `notBefore`.
        NotYetValid,
        /// A certificate of the chain expires within [`super::EXPIRY_WARNING_DAYS`] days.
        ExpiringSoon,
        /// The private key does not belong to any certificate in the chain file.
        KeyMismatch,
        /// The certificates are all there but not leaf first, each followed by its issuer.
        ChainOrder,
        /// The chain stops at a certificate whose issuer is neither in the file nor trusted.
        ChainIncomplete,
        /// The chain ends at a self-signed root that is not trusted.
        UntrustedRoot,
        /// A key too small to be accepted (RSA below 2048 bits, EC below 256 bits).
        WeakKey,
        /// A certificate signed with SHA-1 or MD5.
        WeakSignature,
        /// The chain links up to a trusted root but a TLS client still rejects it (usage, CA flags…).
        ChainInvalid,
        /// Certificates in the file that are not part of the chain from the leaf.
        ChainExtra,
        /// A key type that many TLS clients cannot use (Ed25519, P-521, other curves).
        KeyUnsupported,
        /// Passed: the leaf covers the domain.
        NameOk,
        /// Passed: every certificate of the chain is currently valid.
        ValidityOk,
        /// Passed: the private key belongs to the leaf.
        KeyMatch,
        /// Passed: the chain is in order and complete up to a trusted root.
        ChainOk,
        /// The leaf's key type and size.
        KeyType,
    }
}

impl FindingCode {
    /// The code as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The severity every finding with this code has.
    pub fn severity(self) -> Severity {
        match self {
            FindingCode::ParseError
            | FindingCode::NameMismatch
            | FindingCode::Expired
            | FindingCode::NotYetValid
            | FindingCode::KeyMismatch
            | FindingCode::ChainOrder
            | FindingCode::ChainIncomplete
            | FindingCode::UntrustedRoot
            | FindingCode::WeakKey
            | FindingCode::WeakSignature
            | FindingCode::ChainInvalid => Severity::Error,
            FindingCode::ExpiringSoon | FindingCode::ChainExtra | FindingCode::KeyUnsupported => {
                Severity::Warning
            }
            FindingCode::NameOk
            | FindingCode::ValidityOk
            | FindingCode::KeyMatch
            | FindingCode::ChainOk
            | FindingCode::KeyType => Severity::Info,
        }
    }
}

/// One result of an inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    /// The facts the message is built from (domain, names, dates, positions…): stable keys per
    /// code, values as text. Never contains key material.
    pub params: BTreeMap<String, String>,
    /// What is wrong (or what passed).
    pub message: Text,
    /// What to do about it; empty for passing checks.
    pub fix: Text,
}

impl Finding {
    /// A finding with its texts rendered from the catalogue.
    pub(crate) fn new<K: Into<String>, V: Into<String>>(
        code: FindingCode,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let params: BTreeMap<String, String> = params
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let (message, fix) = catalogue::render(code, &params);
        Finding {
            code,
            severity: code.severity(),
            params,
            message,
            fix,
        }
    }

    /// The value of a parameter, or `""`.
    pub fn param(&self, key: &str) -> &str {
        self.params.get(key).map(String::as_str).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls::{CertSummary, Inspection, KeyInfo};
    use strum::IntoEnumIterator;

    #[test]
    fn the_json_name_of_every_code_is_its_strum_name() {
        for code in FindingCode::iter() {
            assert_eq!(serde_json::to_value(code).ok(), Some(code.as_str().into()));
        }
        assert_eq!(FindingCode::ChainIncomplete.as_str(), "chain_incomplete");
    }

    #[test]
    fn typescript_declarations_use_the_json_names() {
        let cfg = ts_rs::Config::new();
        let code = FindingCode::decl(&cfg);
        assert!(
            code.contains("\"chain_incomplete\"") && code.contains("\"parse_error\""),
            "{code}"
        );
        let finding = Finding::decl(&cfg);
        assert!(
            finding.contains("message: Text") && finding.contains("fix: Text"),
            "{finding}"
        );
        let inspection = Inspection::decl(&cfg);
        assert!(
            inspection.contains("leaf_position: number | null"),
            "{inspection}"
        );
        assert!(CertSummary::decl(&cfg).contains("days_left: number"));
        assert!(KeyInfo::decl(&cfg).contains("curve: string | null"));
    }
}
