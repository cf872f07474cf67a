//! What the app keeps between commands: the open plan (plan + secrets + where it lives + whether
//! it has unsaved changes, the last check reports) with the app-data folder, and demo mode's built-in
//! receiver and fake WeCom API.

use crate::commands::verify::ReceiverInfo;
use crate::error::{AppCode, IpcError};
use live::ReceiverHandle;
use setup_core::plan::{Plan, Secrets};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tauri::async_runtime::Mutex;

/// The running demo receiver and the certificate it serves.
pub struct RunningReceiver {
    pub handle: ReceiverHandle,
    /// Its self-signed certificate (public), trusted by Verify as an extra anchor. It names only
    /// `localhost` and `127.0.0.1`, so it can vouch for no other host.
    pub cert_pem: Vec<u8>,
    /// [`Digest32`] of the Token, EncodingAESKey and corpid it answers for.
    pub serves: Digest32,
}

/// A SHA-256 digest: what a report or the receiver was made for, compared without keeping a
/// second copy of any secret.
pub type Digest32 = [u8; 32];

/// The digest of `parts`, each length-prefixed so no two lists share one.
pub fn digest(parts: &[&str]) -> Digest32 {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().into()
}

/// The running demo receiver, if any. Replaced on a second start; stopped on app exit (dropping
/// the handle stops it).
#[derive(Default)]
pub struct DemoReceiver(pub Mutex<Option<RunningReceiver>>);

/// The plan being edited. Every screen reads and changes it through the `plan_*` commands.
#[derive(Debug, Clone, Default)]
pub struct OpenPlan {
    pub plan: Plan,
    pub secrets: Secrets,
    /// Where it is saved; `None` until the first Save as.
    pub path: Option<PathBuf>,
    /// Changed since it was opened or saved.
    pub dirty: bool,
    /// Opened with Demo: the built-in receiver stands in for the customer's server.
    pub demo: bool,
    /// The built-in receiver while it runs (Verify targets it).
    pub receiver: Option<ReceiverInfo>,
    /// The last verification report (JSON), included in the export.
    pub verification: Option<serde_json::Value>,
    /// The last test-event report (JSON).
    pub event_report: Option<serde_json::Value>,
    /// [`OpenPlan::check_inputs`] when `verification` / `event_report` were made: a change of
    /// URL, Token, EncodingAESKey or corpid makes them stale.
    pub checked_for: Option<Digest32>,
    /// The last database check (JSON; the URL in it masked, no password).
    pub database_check: Option<serde_json::Value>,
    /// The last WeCom API check's report (JSON): shown again on the WeCom app step, and its
    /// callback IPs go into the export (`network/wecom-callback-ips.txt`). Forgotten when the
    /// corpid, AgentId or app Secret change.
    pub wecom_report: Option<serde_json::Value>,
    /// Where the last export went.
    pub exported: Option<PathBuf>,
}

impl OpenPlan {
    /// A new plan: the template's defaults and no secrets yet; the Callback step generates the
    /// Token and EncodingAESKey or takes the admin's own, so until then it is not started.
    pub fn new_plan() -> Self {
        OpenPlan {
            plan: Plan::template(),
            secrets: Secrets {
                version: setup_core::plan::SECRETS_VERSION,
                ..Secrets::default()
            },
            ..OpenPlan::default()
        }
    }

    /// The callback URL of the plan, when its domain and corpid are valid.
    pub fn callback_url(&self) -> Option<String> {
        let p = &self.plan;
        setup_core::callback::check(
            p.resources.domain.as_deref().unwrap_or_default(),
            p.wecom.corp_id.as_deref().unwrap_or_default(),
            p.tls.mode.is_none_or(|m| m.uses_tls()),
        )
        .url
    }

    /// The URL Verify checks: the built-in receiver's while it stands in (demo), else the
    /// callback URL.
    pub fn verify_url(&self) -> Option<String> {
        if self.demo {
            self.receiver.as_ref().map(|r| r.url.clone())
        } else {
            self.callback_url()
        }
    }

    /// The digest of the Token, EncodingAESKey and corpid (what the receiver must answer for).
    pub fn credentials_digest(&self) -> Digest32 {
        let expose = |s: &Option<setup_core::secret::Secret>| {
            s.as_ref()
                .map(|v| v.expose().to_owned())
                .unwrap_or_default()
        };
        digest(&[
            &expose(&self.secrets.token),
            &expose(&self.secrets.encoding_aes_key),
            self.plan
                .wecom
                .corp_id
                .as_deref()
                .unwrap_or_default()
                .trim(),
        ])
    }

    /// The digest of everything a verification depends on: the URL and the credentials.
    pub fn check_inputs(&self) -> Digest32 {
        let url = self.verify_url().unwrap_or_default();
        digest(&[&url, &hex::encode(self.credentials_digest())])
    }

    /// Forgets the verification and event reports once what they checked has changed (they would
    /// vouch for a URL or a pair that is no longer the plan's).
    pub fn forget_stale_checks(&mut self) {
        if self.checked_for != Some(self.check_inputs()) {
            self.verification = None;
            self.event_report = None;
            self.checked_for = None;
        }
    }

    /// Keeps a verification (`event` false) or test-event report made for `inputs`; the other
    /// report goes when it was made for other inputs.
    pub fn keep_check(&mut self, event: bool, inputs: Digest32, report: serde_json::Value) {
        if self.checked_for != Some(inputs) {
            self.verification = None;
            self.event_report = None;
        }
        self.checked_for = Some(inputs);
        if event {
            self.event_report = Some(report);
        } else {
            self.verification = Some(report);
        }
    }

    /// What a WeCom check depends on (corpid, AgentId, app Secret), to notice a change.
    pub fn wecom_inputs(&self) -> (Option<String>, Option<i64>, Option<String>) {
        (
            self.plan.wecom.corp_id.clone(),
            self.plan.wecom.agent_id,
            self.secrets
                .app_secret
                .as_ref()
                .map(|s| s.expose().to_owned()),
        )
    }
}

/// Demo mode's fake WeCom API on loopback (`live::wecom_api::fake`), started by the first WeCom
/// check of a demo plan; dropping it stops it.
#[derive(Default)]
pub struct DemoWecomApi(pub std::sync::Mutex<Option<live::wecom_api::fake::FakeWecomApi>>);

/// The open plan, if any, and the app's own folder (recent plans, the autosave, the demo plan):
/// Tauri's app-data folder.
pub struct Workspace {
    open: std::sync::Mutex<Option<OpenPlan>>,
    data: PathBuf,
}

impl Workspace {
    /// No plan open yet; the app's own files go under `data`.
    pub fn new(data: PathBuf) -> Self {
        Workspace {
            open: std::sync::Mutex::default(),
            data,
        }
    }

    /// The app's own folder.
    pub fn data(&self) -> &Path {
        &self.data
    }

    /// The lock on the open-plan slot; `state` when a panic poisoned it.
    pub fn lock(&self) -> Result<std::sync::MutexGuard<'_, Option<OpenPlan>>, IpcError> {
        self.open
            .lock()
            .map_err(|_| IpcError::new(AppCode::State, "state poisoned"))
    }

    /// `read` applied to the open plan, under the lock; `no_plan` when none is open.
    pub fn with_open<T>(&self, read: impl FnOnce(&OpenPlan) -> T) -> Result<T, IpcError> {
        let guard = self.lock()?;
        guard.as_ref().map(read).ok_or_else(no_plan)
    }

    /// `change` applied to the open plan, under the lock; `no_plan` when none is open.
    pub fn with_open_mut<T>(
        &self,
        change: impl FnOnce(&mut OpenPlan) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        let mut guard = self.lock()?;
        change(guard.as_mut().ok_or_else(no_plan)?)
    }
}

/// The answer when a command needs an open plan and none is.
pub fn no_plan() -> IpcError {
    IpcError::new(
        AppCode::NoPlan,
        "no plan is open: choose New, Open or Demo on the Start step",
    )
}
