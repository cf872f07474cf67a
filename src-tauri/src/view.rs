//! What every `plan_*` command answers: the open plan as the screens show it, with the core's
//! validation of every field (`setup_core::validate`) and each wizard step's status derived from
//! it. The UI holds no rule: it shows these issues next to their fields and these statuses in the
//! sidebar, and lets Next through unless the current step's status is `error`.

use crate::commands::verify::ReceiverInfo;
use crate::state::OpenPlan;
use serde::{Deserialize, Serialize};
use setup_core::plan::{Plan, Secrets};
use setup_core::secret::Secret;
use setup_core::sizing::{BandwidthAdvice, recommend_bandwidth};
use setup_core::text::Text;
use setup_core::validate::{FileContext, Issue, Severity, check_with_files};
use std::path::Path;
use std::time::SystemTime;
use ts_rs::TS;

/// The steps of the wizard, in order (`ui/src/lib/steps.ts` has the same ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, strum::EnumIter)]
#[serde(rename_all = "camelCase")]
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
    pub exported: Option<String>,
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

/// Whether the admin has entered anything that belongs to the step.
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
        WizardStep::Callback => s.token.is_some() || s.encoding_aes_key.is_some(),
        WizardStep::Database => p.database.kind.is_some() || set(&p.database.name),
        WizardStep::Verify => o.verification.is_some(),
        WizardStep::Export => o.exported.is_some(),
    }
}

fn state_of(step: WizardStep, o: &OpenPlan, issues: &[Issue]) -> StepState {
    let mine: Vec<&Issue> = issues
        .iter()
        .filter(|i| step_of(&i.field) == step)
        .collect();
    let error = mine.iter().find(|i| i.severity == Severity::Error);
    let verification_failed = (step == WizardStep::Verify)
        .then_some(o.verification.as_ref())
        .flatten()
        .filter(|r| r["ok"] != serde_json::Value::Bool(true));
    let (status, reason) = if !touched(step, o) {
        (StepStatus::NotStarted, None)
    } else if let Some(e) = error {
        (StepStatus::Error, Some(e.message.clone()))
    } else if let Some(r) = verification_failed {
        // A failed verification does not block the export: the server may not be deployed yet.
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
        let callback_url = setup_core::callback::check(
            o.plan.resources.domain.as_deref().unwrap_or_default(),
            o.plan.wecom.corp_id.as_deref().unwrap_or_default(),
            o.plan.tls.mode.is_none_or(|m| m.uses_tls()),
        )
        .url;
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
            exported: o.exported.as_ref().map(|p| p.display().to_string()),
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

    #[test]
    fn a_new_plan_has_untouched_steps_and_the_demo_plan_has_no_error_anywhere() {
        let new = PlanView::of(&OpenPlan {
            plan: Plan::template(),
            ..OpenPlan::default()
        });
        let status =
            |v: &PlanView, s: WizardStep| v.steps.iter().find(|x| x.step == s).unwrap().status;
        assert_eq!(status(&new, WizardStep::Resources), StepStatus::NotStarted);
        assert_eq!(status(&new, WizardStep::Verify), StepStatus::NotStarted);
        let demo = PlanView::of(&OpenPlan {
            plan: Plan::demo(),
            secrets: Secrets::demo(),
            ..OpenPlan::default()
        });
        // Even before its TLS files are written, the demo plan shows no error on any step.
        for s in &demo.steps {
            assert_ne!(s.status, StepStatus::Error, "{:?}: {:?}", s.step, s.reason);
        }
        assert_eq!(status(&demo, WizardStep::Callback), StepStatus::Done);
        assert!(
            demo.callback_url
                .unwrap()
                .starts_with("https://qawecom.example.com/")
        );
        assert_eq!(demo.bandwidth.unwrap().mbps, 5);
    }
}
