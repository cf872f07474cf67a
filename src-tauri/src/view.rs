//! What every `plan_*` command answers: the open plan as the screens show it, with the core's
//! validation of every field (`setup_core::validate`) and each wizard step's status derived from
//! it. The UI holds no rule: it shows these issues next to their fields and these statuses in the
//! sidebar, and lets Next through unless the current step's status is `error`.

use crate::commands::verify::ReceiverInfo;
use crate::state::OpenPlan;
use serde::{Deserialize, Serialize};
use setup_core::plan::{CONSOLE_STEPS, Plan, Secrets};
use setup_core::secret::Secret;
use setup_core::sizing::{BandwidthAdvice, recommend_bandwidth};
use setup_core::text::Text;
use setup_core::validate::{FileContext, Issue, Severity, check_with_files};
use std::path::Path;
use std::time::SystemTime;
use ts_rs::TS;

/// The steps of the wizard, in order (`ui/src/lib/steps.ts` has the same ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, strum::EnumIter)]
#[serde(rename_all = "snake_case")]
pub enum WizardStep {
    Start,
    Resources,
    WecomApp,
    Network,
    Callback,
    Verify,
    Database,
    Export,
}

/// How far a step is: shown as a mark in the sidebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    NotStarted,
    Done,
    Warning,
    Error,
}

/// One step's status, and when it is an error, why (the first error, in both languages).
#[derive(Debug, Clone, Serialize, TS)]
pub struct StepState {
    pub step: WizardStep,
    pub status: StepStatus,
    pub reason: Option<Text>,
}

/// The secrets as the screens edit them. They cross IPC to the window on purpose (the admin
/// copies them into the console); `Debug` redacts them.
#[derive(Clone, Default, Serialize, Deserialize, TS)]
pub struct SecretsView {
    pub app_secret: Option<String>,
    pub token: Option<String>,
    pub encoding_aes_key: Option<String>,
    /// The TLS private key file on this machine.
    pub private_key_file: Option<String>,
}

impl std::fmt::Debug for SecretsView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretsView([REDACTED])")
    }
}

fn shown(s: &Option<Secret>) -> Option<String> {
    s.as_ref().map(|v| v.expose().to_owned())
}

fn kept(s: Option<String>) -> Option<Secret> {
    s.filter(|v| !v.is_empty()).map(Secret::new)
}

impl SecretsView {
    pub fn of(s: &Secrets) -> Self {
        SecretsView {
            app_secret: shown(&s.app_secret),
            token: shown(&s.token),
            encoding_aes_key: shown(&s.encoding_aes_key),
            private_key_file: s.tls.private_key_file.clone(),
        }
    }

    /// Writes these values into `secrets` (a PEM kept inline stays unless a key file is set).
    pub fn apply(self, secrets: &mut Secrets) {
        secrets.app_secret = kept(self.app_secret);
        secrets.token = kept(self.token);
        secrets.encoding_aes_key = kept(self.encoding_aes_key);
        secrets.tls.private_key_file = self.private_key_file.filter(|v| !v.trim().is_empty());
        if secrets.tls.private_key_file.is_some() {
            secrets.tls.private_key_pem = None;
        }
    }
}

/// The open plan as the screens show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanView {
    pub plan: Plan,
    pub secrets: SecretsView,
    /// Where it is saved; `null` until the first Save as.
    pub path: Option<String>,
    pub dirty: bool,
    pub demo: bool,
    /// Every problem of the plan and its secrets (a provided certificate inspected too).
    pub issues: Vec<Issue>,
    /// Each wizard step's status, in order.
    pub steps: Vec<StepState>,
    /// The URL to enter in the WeCom console, once domain and corpid are valid.
    pub callback_url: Option<String>,
    pub bandwidth: Option<BandwidthAdvice>,
    /// The built-in receiver while it runs: Verify targets it.
    pub receiver: Option<ReceiverInfo>,
    /// The last verification report, kept for the export.
    #[ts(type = "Report<LadderFacts> | null")]
    pub verification: Option<serde_json::Value>,
    /// The last WeCom API check's report; its callback IPs go into the export.
    #[ts(type = "Report<WecomFacts> | null")]
    pub wecom_report: Option<serde_json::Value>,
    pub exported: Option<String>,
    /// What Verify checks, and what keeps it from running.
    pub verify_target: VerifyTarget,
    /// The last test-event report.
    #[ts(type = "Report<LadderFacts> | null")]
    pub event_report: Option<serde_json::Value>,
    /// The last database encoding check (its URL masked, no password).
    #[ts(type = "Report<DbFacts> | null")]
    pub database_check: Option<serde_json::Value>,
    /// The admin-console steps the Callback step lists with a tick box, in order (the ids
    /// `plan.wecom.console_done` holds).
    pub console_steps: Vec<String>,
}

/// What Verify checks and whether it can run.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VerifyTarget {
    /// The URL checked: the built-in receiver's while it runs (demo mode), else the callback URL;
    /// `null` while unknown (no valid callback URL, or the receiver not started yet).
    pub url: Option<String>,
    /// The built-in receiver stands in for the customer's server (demo mode); it is started by
    /// the first check when it is not running.
    pub receiver: bool,
    /// The errors of the fields the check needs (corpid, Token, EncodingAESKey, and the domain
    /// unless the receiver stands in): while there are any, the check refuses to run.
    pub blockers: Vec<Issue>,
}

impl VerifyTarget {
    fn of(o: &OpenPlan, issues: &[Issue]) -> Self {
        use setup_core::validate::field;
        let needs: &[&str] = if o.demo {
            &[field::CORP_ID, field::TOKEN, field::ENCODING_AES_KEY]
        } else {
            &[
                field::DOMAIN,
                field::CORP_ID,
                field::TOKEN,
                field::ENCODING_AES_KEY,
            ]
        };
        VerifyTarget {
            url: o.verify_url(),
            receiver: o.demo,
            blockers: issues
                .iter()
                .filter(|i| i.severity == Severity::Error && needs.contains(&i.field.as_str()))
                .cloned()
                .collect(),
        }
    }
}

/// The step a field belongs to.
fn step_of(field: &str) -> WizardStep {
    let section = field.split('.').next().unwrap_or_default();
    match (section, field) {
        (_, "secrets.app_secret") | ("wecom", _) => WizardStep::WecomApp,
        (_, "secrets.token" | "secrets.encoding_aes_key") => WizardStep::Callback,
        ("resources" | "tls" | "secrets", _) => WizardStep::Resources,
        ("network" | "quick_audience", _) => WizardStep::Network,
        ("database", _) => WizardStep::Database,
        _ => WizardStep::Export,
    }
}

fn set(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// Whether the admin has entered anything that belongs to the step. A new plan's defaults (the
/// template's database) count as untouched, so a step the admin has not visited shows
/// `not_started`; a check run from the step counts as touching it.
fn touched(step: WizardStep, o: &OpenPlan) -> bool {
    let (p, s) = (&o.plan, &o.secrets);
    match step {
        WizardStep::Start => true,
        WizardStep::Resources => {
            set(&p.resources.domain)
                || set(&p.resources.public_ip)
                || p.resources.wecom_users.is_some()
        }
        WizardStep::WecomApp => {
            set(&p.wecom.corp_id) || p.wecom.agent_id.is_some() || s.app_secret.is_some()
        }
        WizardStep::Network => {
            set(&p.network.qa_upstream)
                || set(&p.quick_audience.organization_id)
                || set(&p.quick_audience.workspace_id)
        }
        WizardStep::Callback => {
            s.token.is_some() || s.encoding_aes_key.is_some() || !p.wecom.console_done.is_empty()
        }
        WizardStep::Database => {
            p.database != Plan::template().database || o.database_check.is_some()
        }
        WizardStep::Verify => o.verification.is_some(),
        WizardStep::Export => o.exported.is_some(),
    }
}

/// The last report of the step's own check when it failed: Verify's verification, Database's
/// encoding check.
fn failed_check(step: WizardStep, o: &OpenPlan) -> Option<&serde_json::Value> {
    let report = match step {
        WizardStep::Verify => o.verification.as_ref(),
        WizardStep::Database => o.database_check.as_ref(),
        WizardStep::WecomApp => o.wecom_report.as_ref(),
        _ => None,
    };
    report.filter(|r| r["ok"] != serde_json::Value::Bool(true))
}

fn state_of(step: WizardStep, o: &OpenPlan, issues: &[Issue]) -> StepState {
    let mine: Vec<&Issue> = issues
        .iter()
        .filter(|i| step_of(&i.field) == step)
        .collect();
    let error = mine.iter().find(|i| i.severity == Severity::Error);
    let (status, reason) = if !touched(step, o) {
        (StepStatus::NotStarted, None)
    } else if let Some(e) = error {
        (StepStatus::Error, Some(e.message.clone()))
    } else if let Some(r) = failed_check(step, o) {
        // A failed check does not block the export: the server or the database may not be
        // deployed yet.
        let summary = &r["diagnosis"]["text"]["summary"];
        let text = |k: &str| summary[k].as_str().unwrap_or_default().to_owned();
        (StepStatus::Warning, Some(Text::new(text("en"), text("zh"))))
    } else if mine.is_empty() {
        (StepStatus::Done, None)
    } else {
        (StepStatus::Warning, None)
    };
    StepState {
        step,
        status,
        reason,
    }
}

impl PlanView {
    pub fn of(o: &OpenPlan) -> Self {
        use strum::IntoEnumIterator;
        let ctx = match &o.path {
            Some(p) => FileContext::for_plan_file(p, &o.plan),
            None => FileContext::for_plan_file(Path::new("plan.toml"), &o.plan),
        };
        let checked = check_with_files(&o.plan, Some(&o.secrets), &ctx, SystemTime::now());
        let callback_url = o.callback_url();
        let bandwidth = o
            .plan
            .resources
            .wecom_users
            .and_then(|n| u64::try_from(n).ok())
            .and_then(|n| recommend_bandwidth(n).ok());
        PlanView {
            steps: WizardStep::iter()
                .map(|s| state_of(s, o, &checked.issues))
                .collect(),
            verify_target: VerifyTarget::of(o, &checked.issues),
            plan: o.plan.clone(),
            secrets: SecretsView::of(&o.secrets),
            path: o.path.as_ref().map(|p| p.display().to_string()),
            dirty: o.dirty,
            demo: o.demo,
            issues: checked.issues,
            callback_url,
            bandwidth,
            receiver: o.receiver.clone(),
            verification: o.verification.clone(),
            wecom_report: o.wecom_report.clone(),
            exported: o.exported.as_ref().map(|p| p.display().to_string()),
            event_report: o.event_report.clone(),
            database_check: o.database_check.clone(),
            console_steps: CONSOLE_STEPS.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_validation_belongs_to_the_step_that_edits_it() {
        use setup_core::validate::field as f;
        let cases = [
            (f::DOMAIN, WizardStep::Resources),
            (f::TLS_CERTIFICATE_FILE, WizardStep::Resources),
            (f::TLS_PRIVATE_KEY, WizardStep::Resources),
            (f::CORP_ID, WizardStep::WecomApp),
            (f::AGENT_ID, WizardStep::WecomApp),
            (f::APP_SECRET, WizardStep::WecomApp),
            (f::QA_UPSTREAM, WizardStep::Network),
            (f::ORGANIZATION_ID, WizardStep::Network),
            (f::TOKEN, WizardStep::Callback),
            (f::ENCODING_AES_KEY, WizardStep::Callback),
            (f::DATABASE_NAME, WizardStep::Database),
            (f::SECRETS_FILE, WizardStep::Export),
        ];
        for (field, step) in cases {
            assert_eq!(step_of(field), step, "{field}");
        }
    }

    fn status(v: &PlanView, s: WizardStep) -> StepStatus {
        v.steps.iter().find(|x| x.step == s).unwrap().status
    }

    #[test]
    fn a_new_plan_has_every_step_but_start_not_started_until_the_admin_touches_it() {
        let mut open = OpenPlan::new_plan();
        let new = PlanView::of(&open);
        for s in &new.steps {
            let want = if s.step == WizardStep::Start {
                StepStatus::Done
            } else {
                StepStatus::NotStarted
            };
            assert_eq!(s.status, want, "{:?}", s.step);
        }
        // The template's database is a default, not the admin's choice; picking one touches it.
        open.plan.database.kind = Some(setup_core::plan::DatabaseKind::Gaussdb);
        assert_eq!(
            status(&PlanView::of(&open), WizardStep::Database),
            StepStatus::Done
        );
        // A ticked console step touches Callback, which then shows its missing pair.
        open.plan.wecom.console_done = vec!["visible_range".to_owned()];
        let v = PlanView::of(&open);
        assert_eq!(status(&v, WizardStep::Callback), StepStatus::Error);
        assert_eq!(status(&v, WizardStep::WecomApp), StepStatus::NotStarted);
        // Generated, the pair makes the step done.
        open.secrets = Secrets::generated();
        assert_eq!(
            status(&PlanView::of(&open), WizardStep::Callback),
            StepStatus::Done
        );
        // A database check touches Database even with the defaults; a failed one warns.
        let mut open = OpenPlan::new_plan();
        open.database_check = Some(
            serde_json::json!({"ok": false, "diagnosis": {"text": {"summary": {"en": "SQL_ASCII", "zh": "SQL_ASCII 编码"}}}}),
        );
        let v = PlanView::of(&open);
        let db = v
            .steps
            .iter()
            .find(|x| x.step == WizardStep::Database)
            .unwrap();
        assert_eq!(db.status, StepStatus::Warning);
        assert_eq!(db.reason.as_ref().unwrap().zh, "SQL_ASCII 编码");
    }

    #[test]
    fn the_demo_plan_has_no_error_anywhere_and_verify_targets_its_receiver() {
        let demo = PlanView::of(&OpenPlan {
            plan: Plan::demo(),
            secrets: Secrets::demo(),
            demo: true,
            receiver: Some(ReceiverInfo {
                url: "https://127.0.0.1:4000/cb".to_owned(),
                fault: None,
            }),
            ..OpenPlan::default()
        });
        // Even before its TLS files are written, the demo plan shows no error on any step.
        for s in &demo.steps {
            assert_ne!(s.status, StepStatus::Error, "{:?}: {:?}", s.step, s.reason);
        }
        assert_eq!(status(&demo, WizardStep::Callback), StepStatus::Done);
        assert_eq!(status(&demo, WizardStep::Database), StepStatus::Done);
        // The callback URL is the demo domain's (valid); the check goes to the receiver.
        assert!(
            demo.callback_url
                .unwrap()
                .starts_with("https://qawecom.example.com/")
        );
        assert_eq!(
            demo.verify_target.url.as_deref(),
            Some("https://127.0.0.1:4000/cb")
        );
        assert!(demo.verify_target.receiver);
        assert!(demo.verify_target.blockers.is_empty());
        assert_eq!(demo.bandwidth.unwrap().mbps, 5);
        assert_eq!(demo.console_steps, CONSOLE_STEPS);
    }
}
