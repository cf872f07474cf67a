//! Plan validation in the one report shape (`crate::report`): one step per section of the plan
//! (the secrets file, resources, TLS, WeCom, network, database, Quick Audience, the secrets), each
//! failed by an error issue of its fields and warned by a warning; the first error is the
//! diagnosis, the warnings are the warnings, and every issue (with its field) is in the facts.

use super::plan_file::PlanFileCheck;
use super::{Issue, Severity};
use crate::report::{CheckKind, Finding, Report, Status, Step, params};
use crate::sizing::BandwidthAdvice;
use crate::text::{Lang, Text};
use serde::Serialize;
use std::path::Path;
use strum::IntoEnumIterator;
use ts_rs::TS;

/// The steps of a plan check: the sections of the plan file, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum PlanStep {
    SecretsFile,
    Resources,
    Tls,
    Wecom,
    Network,
    Database,
    QuickAudience,
    Secrets,
}

impl PlanStep {
    /// The step an issue's field belongs to (`resources.domain` → resources).
    pub fn of(field: &str) -> PlanStep {
        let section = field.split('.').next().unwrap_or(field);
        PlanStep::iter()
            .find(|s| <&str>::from(*s) == section)
            .unwrap_or(PlanStep::Secrets)
    }
}

/// What is particular to the report of a plan check.
#[derive(Debug, Serialize, TS)]
pub struct PlanFacts<'a> {
    #[ts(type = "string")]
    pub plan: &'a Path,
    #[ts(type = "string")]
    pub secrets_file: &'a Path,
    pub error_count: usize,
    pub warning_count: usize,
    /// Every problem, errors and warnings, in field order (with the field each is about).
    pub issues: &'a [Issue],
    /// `None` when the plan has errors.
    pub callback_url: Option<&'a str>,
    pub bandwidth: Option<BandwidthAdvice>,
}

impl Issue {
    /// The issue as a report finding; `params.field` names the field.
    pub fn finding(&self) -> Finding {
        let mut params = self.params.clone();
        params.insert("field".to_owned(), self.field.clone());
        Finding::new(
            self.code,
            self.severity,
            self.message.clone(),
            self.fix.clone(),
            params,
        )
    }
}

impl PlanFileCheck {
    /// The check as a report whose JSON spells out `lang`.
    pub fn report(&self, lang: Lang) -> Report<PlanFacts<'_>> {
        let checked = &self.checked;
        let of = |severity: Severity| {
            checked
                .issues
                .iter()
                .filter(move |i| i.severity == severity)
        };
        let diagnosis = of(Severity::Error)
            .next()
            .map_or_else(|| self.passed(), Issue::finding);
        Report {
            ok: checked.is_ok(),
            check: CheckKind::Plan,
            lang,
            elapsed_ms: self.elapsed_ms,
            steps: PlanStep::iter().map(|s| self.step(s)).collect(),
            diagnosis,
            warnings: of(Severity::Warning).map(Issue::finding).collect(),
            facts: PlanFacts {
                plan: &self.plan_path,
                secrets_file: &self.secrets_path,
                error_count: checked.error_count(),
                warning_count: checked.warning_count(),
                issues: &checked.issues,
                callback_url: checked.plan.as_ref().map(|p| p.callback_url.as_str()),
                bandwidth: checked.plan.as_ref().map(|p| p.bandwidth),
            },
        }
    }

    /// The issues of one section as a step; the secrets are skipped when there is no file.
    fn step(&self, step: PlanStep) -> Step {
        let found: Vec<&Issue> = self
            .checked
            .issues
            .iter()
            .filter(|i| PlanStep::of(&i.field) == step)
            .collect();
        let status = match found.iter().map(|i| i.severity).max() {
            Some(Severity::Error) => Status::Fail,
            Some(_) => Status::Warn,
            None if step == PlanStep::Secrets && self.secrets.is_none() => Status::Skip,
            None => Status::Pass,
        };
        let detail = match status {
            Status::Skip => Text::new("not checked: no secrets file", "未检查：没有密钥文件"),
            Status::Pass => Text::new("in order", "无问题"),
            _ => Text::joined(found.iter().map(|i| &i.message)),
        };
        Step::new(step, status, detail, 0)
    }

    /// The diagnosis when no issue is an error.
    fn passed(&self) -> Finding {
        let warnings = self.checked.warning_count();
        Finding::new(
            "ok",
            Severity::Info,
            Text::new(
                format!("The plan is complete ({warnings} warning(s)): it can be exported."),
                format!("方案已完整（{warnings} 个警告），可以导出部署包。"),
            ),
            Text::new(
                "Nothing to do; review the warnings, if any.",
                "无需处理；如有警告，请逐条查看。",
            ),
            params([("warnings", warnings.to_string())]),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Plan, Secrets};
    use crate::validate::{FileContext, check};

    fn file_check(plan: Plan, secrets: Option<Secrets>) -> PlanFileCheck {
        let checked = check(&plan, secrets.as_ref());
        PlanFileCheck {
            plan_path: "plan.toml".into(),
            plan,
            secrets_path: "plan.secrets.toml".into(),
            secrets,
            context: FileContext::default(),
            checked,
            elapsed_ms: 0,
        }
    }

    fn statuses<X>(r: &Report<X>) -> Vec<(&str, Status)> {
        r.steps
            .iter()
            .map(|s| (s.name.as_str(), s.status))
            .collect()
    }

    #[test]
    fn a_template_plan_fails_on_its_first_error_and_skips_the_missing_secrets() {
        let file = file_check(Plan::template(), None);
        let r = file.report(Lang::En);
        assert!(!r.ok);
        let first = &r.facts.issues[0];
        assert_eq!(first.severity, Severity::Error, "{first:?}");
        assert_eq!(r.diagnosis.code, first.code.as_str());
        assert_eq!(r.diagnosis.param("field"), first.field);
        assert_eq!(r.diagnosis.summary, first.message);
        let s = statuses(&r);
        assert!(s.contains(&("resources", Status::Fail)), "{s:?}");
        assert!(s.contains(&("secrets", Status::Skip)), "{s:?}");
        assert_eq!(r.facts.callback_url, None);
        assert_eq!(
            r.facts.error_count,
            r.facts
                .issues
                .iter()
                .filter(|i| i.severity == Severity::Error)
                .count()
        );
    }

    #[test]
    fn a_demo_plan_passes_with_its_warnings_as_findings_and_the_facts_on_the_wire() {
        let file = file_check(Plan::demo(), Some(Secrets::demo()));
        let r = file.report(Lang::Zh);
        assert!(r.ok, "{:?}", r.facts.issues);
        assert_eq!(r.diagnosis.code, "ok");
        assert!(!r.warnings.is_empty());
        for w in &r.warnings {
            assert_eq!(w.severity, Severity::Warning);
            assert!(!w.param("field").is_empty(), "{w:?}");
        }
        let tls = r.step(PlanStep::Tls).map(|s| s.status);
        assert_eq!(tls, Some(Status::Warn));
        assert_eq!(
            r.step(PlanStep::Wecom).map(|s| s.status),
            Some(Status::Pass)
        );
        let json = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(json["check"], "plan");
        assert_eq!(json["lang"], "zh");
        assert_eq!(json["plan"], "plan.toml");
        assert_eq!(json["warning_count"], r.warnings.len());
        assert!(
            json["callback_url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://"))
        );
        assert_eq!(json["warnings"][0]["summary"], r.warnings[0].summary.zh);
        assert_eq!(json["steps"].as_array().map(Vec::len), Some(8));
    }

    #[test]
    fn every_field_has_its_own_step() {
        use crate::validate::field;
        for (f, step) in [
            (field::SECRETS_FILE, PlanStep::SecretsFile),
            (field::DOMAIN, PlanStep::Resources),
            (field::TLS_CERTIFICATE_FILE, PlanStep::Tls),
            (field::CORP_ID, PlanStep::Wecom),
            (field::PROXY, PlanStep::Network),
            (field::DATABASE_NAME, PlanStep::Database),
            (field::WORKSPACE_ID, PlanStep::QuickAudience),
            (field::TLS_PRIVATE_KEY, PlanStep::Secrets),
            (field::TOKEN, PlanStep::Secrets),
        ] {
            assert_eq!(PlanStep::of(f), step, "{f}");
        }
    }
}
