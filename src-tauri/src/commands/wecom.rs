//! The WeCom app step's live check: the open plan's corpid, AgentId and app Secret against the
//! WeCom API (`live::wecom_api::check`: gettoken once, then the customer-contact and visible-range
//! probes). The API base is an advanced setting so tests point it at the local fake.

use crate::error::IpcError;
use crate::state::Workspace;
use live::wecom_api::{self, WecomCheckRequest};
use secrecy::SecretString;
use tauri::State;

/// Runs the check and answers its report (no secret or access_token in it).
#[tauri::command]
pub async fn wecom_check(
    ws: State<'_, Workspace>,
    api_base: Option<String>,
) -> Result<serde_json::Value, IpcError> {
    let request = ws.with_open(|open| {
        let secret = open
            .secrets
            .app_secret
            .as_ref()
            .map(|s| s.expose().to_owned())
            .unwrap_or_default();
        WecomCheckRequest {
            agent_id: open.plan.wecom.agent_id.and_then(|a| u64::try_from(a).ok()),
            api_base: api_base
                .filter(|b| !b.trim().is_empty())
                .map(|b| b.trim().to_owned()),
            ..WecomCheckRequest::new(
                open.plan.wecom.corp_id.clone().unwrap_or_default(),
                SecretString::from(secret),
            )
        }
    })?;
    let report = wecom_api::check(&request)
        .await
        .map_err(|e| IpcError::new(e.code(), e.to_string()))?;
    serde_json::to_value(&report).map_err(|e| IpcError::new("internal", e.to_string()))
}

/// The API base the check uses unless told otherwise.
#[tauri::command]
pub fn wecom_default_api_base() -> String {
    wecom_api::DEFAULT_API_BASE.to_owned()
}
