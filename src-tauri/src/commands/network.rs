//! The Network step's generated files: `network/nginx.conf` and the WAF allow-list, exactly as the
//! bundle will hold them, from the open plan once it has no error.

use crate::error::IpcError;
use crate::state::Workspace;
use serde::Serialize;
use setup_core::generate::{NginxOptions, nginx_conf, waf};
use setup_core::validate::check;
use tauri::State;
use ts_rs::TS;

/// The generated network files.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NetworkFiles {
    pub nginx_conf: String,
    pub waf_json: String,
    pub waf_steps: String,
}

/// The files, or `plan_invalid` while the plan has errors (the screens show which).
#[tauri::command]
pub fn network_files(ws: State<'_, Workspace>) -> Result<NetworkFiles, IpcError> {
    let checked = ws.with_open(|open| check(&open.plan, None))?;
    let plan = checked.plan.ok_or_else(|| {
        IpcError::new("plan_invalid", "the plan has errors: fix them first").with_param(
            "errors",
            checked
                .issues
                .iter()
                .filter(|i| i.severity == setup_core::report::Severity::Error)
                .count(),
        )
    })?;
    Ok(NetworkFiles {
        nginx_conf: nginx_conf(&plan, &NginxOptions::default()),
        waf_json: waf::waf_json(&plan),
        waf_steps: waf::waf_steps(&plan),
    })
}
