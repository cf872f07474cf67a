//! What the app keeps between commands: the open plan (plan + secrets + where it lives + whether
//! it has unsaved changes), the app-data folder, and the built-in receiver of demo mode.

use crate::commands::verify::ReceiverInfo;
use live::ReceiverHandle;
use setup_core::plan::{Plan, Secrets};
use std::path::PathBuf;
use tauri::async_runtime::Mutex;

/// The running demo receiver and the certificate it serves.
pub struct RunningReceiver {
    pub handle: ReceiverHandle,
    /// Its self-signed certificate (public), trusted by Verify as an extra anchor. It names only
    /// `localhost` and `127.0.0.1`, so it can vouch for no other host.
    pub cert_pem: Vec<u8>,
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
    /// Where the last export went.
    pub exported: Option<PathBuf>,
}

/// The open plan, if any.
#[derive(Default)]
pub struct Workspace(pub std::sync::Mutex<Option<OpenPlan>>);

impl Workspace {
    /// `read` applied to the open plan, under the lock; `no_plan` when none is open.
    pub fn with_open<T>(
        &self,
        read: impl FnOnce(&OpenPlan) -> T,
    ) -> Result<T, crate::error::IpcError> {
        use crate::error::IpcError;
        let guard = self
            .0
            .lock()
            .map_err(|_| IpcError::new("state", "state poisoned"))?;
        let open = guard
            .as_ref()
            .ok_or_else(|| IpcError::new("no_plan", "no plan is open"))?;
        Ok(read(open))
    }
}

/// The app's own folder (recent plans, the autosave, the demo plan): Tauri's app-data folder.
pub struct AppData(pub PathBuf);
