//! The validation codes: one stable snake_case code per problem, its severity, and what it means
//! and how to fix it in English and Chinese (the texts are data: `codes.toml`). The UI may
//! translate by code; the CLI prints these.

use crate::catalogue::Catalogue;
use crate::text::Text;
use crate::tls::FindingCode;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// How bad a problem is: errors block export, warnings are shown and allowed (validation never
/// reports `info`).
pub use crate::report::Severity;

crate::snake_case_enum! {
    /// Every problem validation can report. The serialized names are stable.
    #[derive(Deserialize, strum::EnumString)]
    pub enum IssueCode {
        DomainMissing,
        DomainHasScheme,
        DomainHasPort,
        DomainHasPath,
        DomainForbiddenChar,
        DomainInvalidChar,
        DomainIsIp,
        DomainTooLong,
        DomainLabelTooLong,
        DomainEmptyLabel,
        DomainLabelHyphen,
        DomainSingleLabel,
        DomainNumericTld,
        DomainIdnInvalid,
        DomainIdnConverted,
        PublicIpInvalid,
        PublicIpNotPublic,
        UsersMissing,
        UsersNotPositive,
        TlsModeMissing,
        TlsNone,
        TlsSelfSigned,
        TlsCertificateMissing,
        TlsFilesNotSet,
        TlsPrivateKeyMissing,
        ServerPathNotAbsolute,
        ServerPathForbiddenChar,
        FilePathInvalid,
        CorpIdMissing,
        CorpIdInvalid,
        CorpIdUnusualShape,
        AgentIdMissing,
        AgentIdInvalid,
        UpstreamMissing,
        UpstreamHasScheme,
        UpstreamHasPath,
        UpstreamForbiddenChar,
        UpstreamPortMissing,
        UpstreamPortInvalid,
        UpstreamIpv6Brackets,
        UpstreamHostInvalid,
        ProxyOther,
        DatabaseKindMissing,
        DatabaseNameMissing,
        DatabaseNameInvalid,
        OrganizationIdMissing,
        OrganizationIdInvalid,
        WorkspaceIdMissing,
        WorkspaceIdInvalid,
        SecretsFileMissing,
        SecretsFilePermissions,
        AppSecretMissing,
        AppSecretInvalid,
        TokenMissing,
        TokenInvalidChar,
        TokenTooLong,
        AesKeyMissing,
        AesKeyWrongLength,
        AesKeyInvalidChar,
        /// The EncodingAESKey ends with `=` (base64 padding the console never shows).
        AesKeyPadded,
        /// A valid EncodingAESKey whose unused last bits are not zero: strict decoders refuse it
        /// (warning).
        AesKeyNoncanonical,
        /// TLS inspection (mode `provided`): a file is unreadable or not the right PEM.
        TlsParseError,
        /// TLS inspection: the certificate does not cover the plan's domain.
        TlsNameMismatch,
        /// TLS inspection: a certificate of the chain has expired.
        TlsExpired,
        /// TLS inspection: a certificate of the chain is not valid yet.
        TlsNotYetValid,
        /// TLS inspection: a certificate of the chain expires soon (warning).
        TlsExpiringSoon,
        /// TLS inspection: the private key does not belong to the certificate.
        TlsKeyMismatch,
        /// TLS inspection: the chain is not leaf first, each followed by its issuer.
        TlsChainOrder,
        /// TLS inspection: an intermediate certificate is missing.
        TlsChainIncomplete,
        /// TLS inspection: the chain ends at a root that is not trusted.
        TlsUntrustedRoot,
        /// TLS inspection: a key that is too small.
        TlsWeakKey,
        /// TLS inspection: a certificate signed with SHA-1 or MD5.
        TlsWeakSignature,
        /// TLS inspection: a TLS client rejects the chain (usage, CA flags…).
        TlsChainInvalid,
        /// TLS inspection: certificates that are not part of the chain (warning).
        TlsChainExtra,
        /// TLS inspection: a key type many clients cannot use (warning).
        TlsKeyUnsupported,
    }
}

static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::embedded(include_str!("codes.toml")));

impl IssueCode {
    /// The issue code of a TLS inspection finding: `tls_` + the finding's code
    /// (`name_mismatch` → `tls_name_mismatch`). `None` for passed checks (`name_ok`, …).
    pub fn from_tls_finding(code: FindingCode) -> Option<IssueCode> {
        let finding: &'static str = code.into();
        format!("tls_{finding}").parse().ok()
    }

    /// The TLS inspection finding this code stands for, if it is one.
    pub fn tls_finding(self) -> Option<FindingCode> {
        self.as_str().strip_prefix("tls_")?.parse().ok()
    }

    /// The stable name, as serialized (`domain_has_scheme`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Errors block export; warnings do not.
    pub fn severity(self) -> Severity {
        use IssueCode::*;
        match self {
            DomainIdnConverted
            | PublicIpNotPublic
            | TlsNone
            | TlsSelfSigned
            | TlsFilesNotSet
            | CorpIdUnusualShape
            | ProxyOther
            | OrganizationIdMissing
            | WorkspaceIdMissing
            | SecretsFilePermissions
            | TlsExpiringSoon
            | TlsChainExtra
            | TlsKeyUnsupported
            | AesKeyNoncanonical => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// What is wrong, and how to fix it, built from the issue's parameters.
    pub fn describe(self, params: &BTreeMap<String, String>) -> (Text, Text) {
        match self.tls_finding() {
            // The certificate inspection's own catalogue: one wording for `cert inspect` and here.
            Some(finding) => {
                let f = crate::tls::Finding::new(finding, params.clone());
                (f.message, f.fix)
            }
            None => CATALOGUE.render(self.as_str(), params),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_code_has_a_distinct_name_and_non_empty_texts_in_both_languages() {
        let mut names = std::collections::BTreeSet::new();
        for code in IssueCode::iter() {
            assert!(names.insert(code.as_str()), "duplicate {code:?}");
            let json = serde_json::to_value(code).unwrap_or_default();
            assert_eq!(json, code.as_str(), "serde and strum agree");
            let (msg, fix) = code.describe(&BTreeMap::new());
            for s in [&msg.en, &msg.zh, &fix.en, &fix.zh] {
                assert!(!s.trim().is_empty(), "{code:?}");
            }
        }
        assert_eq!(IssueCode::UsersNotPositive.as_str(), "users_not_positive");
    }

    #[test]
    fn the_catalogue_has_every_non_tls_code_and_nothing_else() {
        let own = IssueCode::iter().filter(|c| c.tls_finding().is_none());
        assert_eq!(CATALOGUE.complete(include_str!("codes.toml"), own), Ok(()));
    }

    #[test]
    fn params_fill_the_texts() {
        let params = BTreeMap::from([("suggestion".to_owned(), "qa.example.com".to_owned())]);
        let (_, fix) = IssueCode::DomainHasScheme.describe(&params);
        assert_eq!(fix.en, "Enter the host name only: qa.example.com.");
        assert_eq!(fix.zh, "只填写主机名：qa.example.com。");
    }

    #[test]
    fn tls_issue_codes_are_tls_plus_the_finding_code_with_the_same_severity() {
        let mut mapped = 0;
        for f in FindingCode::iter() {
            let Some(code) = IssueCode::from_tls_finding(f) else {
                assert_eq!(f.severity(), Severity::Info, "{f:?}");
                continue;
            };
            mapped += 1;
            assert_eq!(code.as_str(), format!("tls_{}", f.as_str()));
            assert_eq!(code.tls_finding(), Some(f));
            let warning = f.severity() == Severity::Warning;
            assert_eq!(code.severity() == Severity::Warning, warning, "{f:?}");
        }
        assert_eq!(mapped, 14);
        assert_eq!(IssueCode::DomainMissing.tls_finding(), None);
    }
}
