//! Certificate inspection in the one report shape (`crate::report`): the findings grouped into
//! five steps (read → name → validity → key → chain, each pass / fail / warn, or skip when nothing
//! was checked), the first error as the diagnosis, the warnings as warnings, and the inspection
//! itself (domain, chain, key, every finding) as the facts.

use super::findings::{Finding as TlsFinding, FindingCode, Severity};
use super::inspect::{CertSummary, Inspection};
use super::keys::KeyInfo;
use crate::report::{CheckKind, Finding, Report, Status, Step, params};
use crate::text::{Lang, Text};
use serde::Serialize;
use strum::IntoEnumIterator;
use ts_rs::TS;

/// The steps of a certificate inspection, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum CertStep {
    /// The files could be read as PEM.
    Read,
    /// The server certificate covers the domain.
    Name,
    /// Every certificate is within its validity window.
    Validity,
    /// The key belongs to the certificate, is strong enough and widely supported.
    Key,
    /// The chain is in order and complete up to a trusted root.
    Chain,
}

impl CertStep {
    /// The step a finding belongs to.
    pub fn of(code: FindingCode) -> CertStep {
        use FindingCode::*;
        match code {
            ParseError => CertStep::Read,
            NameMismatch | NameOk => CertStep::Name,
            Expired | NotYetValid | ExpiringSoon | ValidityOk => CertStep::Validity,
            KeyMismatch | WeakKey | KeyUnsupported | KeyMatch | KeyType => CertStep::Key,
            ChainOrder | ChainIncomplete | UntrustedRoot | WeakSignature | ChainInvalid
            | ChainExtra | ChainOk => CertStep::Chain,
        }
    }
}

/// What is particular to the report of an inspection: the inspection without its `ok`.
#[derive(Debug, Serialize, TS)]
pub struct CertFacts<'a> {
    pub domain: &'a str,
    /// RFC 3339, UTC: the `now` the validity was judged at.
    pub checked_at: &'a str,
    pub leaf_position: Option<u32>,
    pub chain: &'a [CertSummary],
    pub key: &'a Option<KeyInfo>,
    /// Every finding, errors first (the inspection's own shape: `message`, `fix`).
    pub findings: &'a [TlsFinding],
}

impl Inspection {
    /// The inspection as a report whose JSON spells out `lang`.
    pub fn report(&self, lang: Lang) -> Report<CertFacts<'_>> {
        let steps = CertStep::iter().map(|s| self.step(s)).collect();
        let as_finding = |f: &TlsFinding| {
            Finding::new(
                f.code,
                f.severity,
                f.message.clone(),
                f.fix.clone(),
                f.params.clone(),
            )
        };
        let diagnosis = self
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .map_or_else(|| self.passed(), as_finding);
        Report {
            ok: self.ok,
            check: CheckKind::Certificate,
            lang,
            elapsed_ms: 0,
            steps,
            diagnosis,
            warnings: self
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .map(as_finding)
                .collect(),
            facts: CertFacts {
                domain: &self.domain,
                checked_at: &self.checked_at,
                leaf_position: self.leaf_position,
                chain: &self.chain,
                key: &self.key,
                findings: &self.findings,
            },
        }
    }

    /// The findings of `step` as one step: failed on an error, warned on a warning, passed on
    /// passed checks only, skipped when the inspection did not get that far.
    fn step(&self, step: CertStep) -> Step {
        let found: Vec<&TlsFinding> = self
            .findings
            .iter()
            .filter(|f| CertStep::of(f.code) == step)
            .collect();
        let worst = found.iter().map(|f| f.severity).max();
        let status = match worst {
            Some(Severity::Error) => Status::Fail,
            Some(Severity::Warning) => Status::Warn,
            Some(Severity::Info) => Status::Pass,
            None if step == CertStep::Read => Status::Pass,
            None => Status::Skip,
        };
        let detail = match (found.is_empty(), step) {
            (false, _) => Text::joined(found.iter().map(|f| &f.message)),
            (true, CertStep::Read) => Text::new("the files were read", "文件已读取"),
            (true, _) => Text::new("not checked", "未检查"),
        };
        Step::new(step, status, detail, 0)
    }

    /// The diagnosis when no finding is an error.
    fn passed(&self) -> Finding {
        Finding::new(
            "ok",
            Severity::Info,
            Text::new(
                format!(
                    "The certificate chain and key are in order for {}.",
                    self.domain
                ),
                format!("{} 的证书链和私钥均正常。", self.domain),
            ),
            Text::new("Nothing to do.", "无需处理。"),
            params([("domain", self.domain.clone())]),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    #[test]
    fn a_parse_error_fails_the_read_step_and_skips_the_rest() {
        let finding = TlsFinding::new(
            FindingCode::ParseError,
            [("reason", "empty"), ("file", "cert")],
        );
        let i = Inspection::failed("qa.example.com", SystemTime::now(), vec![finding]);
        let r = i.report(Lang::Zh);
        let statuses: Vec<(&str, Status)> = r
            .steps
            .iter()
            .map(|s| (s.name.as_str(), s.status))
            .collect();
        assert_eq!(
            statuses,
            [
                ("read", Status::Fail),
                ("name", Status::Skip),
                ("validity", Status::Skip),
                ("key", Status::Skip),
                ("chain", Status::Skip),
            ]
        );
        assert!(!r.ok && r.diagnosis.is(FindingCode::ParseError));
        assert!(
            r.steps[0].detail.zh.contains("证书链文件是空的"),
            "{:?}",
            r.steps[0].detail
        );
        let json = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(json["check"], "certificate");
        assert_eq!(json["domain"], "qa.example.com");
        assert_eq!(json["findings"][0]["code"], "parse_error");
        assert_eq!(json["diagnosis"]["summary"], r.diagnosis.summary.zh);
    }

    #[test]
    fn every_finding_code_belongs_to_one_step() {
        for code in FindingCode::iter() {
            let step: &str = CertStep::of(code).into();
            assert!(!step.is_empty(), "{code:?}");
        }
        assert_eq!(CertStep::of(FindingCode::ChainExtra), CertStep::Chain);
    }
}
