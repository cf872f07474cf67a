//! The "Keep it working" page: one round of the watch checks, key rotation and the support pack —
//! each one core call (`live::watch::round`, `setup_core::rotate`, `setup_core::support`), with the
//! same results as `qa-wecom watch --count 1`, `rotate` and `support-pack`. Nothing returned here
//! holds a secret: reports never do, a rotation names files, a pack lists its entries.

use crate::error::IpcError;
use live::LadderOptions;
use live::watch::{self, CheckReport, WatchTargets};
use setup_core::bundle::ExportedFile;
use setup_core::error_code::ErrorCode;
use setup_core::rotate::{self, Rotation};
use setup_core::support::{self, SupportRequest};
use setup_core::text::Text;
use std::path::PathBuf;

/// A core error as IPC's `{code, message}` (English message; the UI translates by code).
fn ipc(code: ErrorCode, text: Text) -> IpcError {
    IpcError::new(code, text.en)
}

/// One round of `qa-wecom watch` for the plan: the verification (against `url` when given, else
/// the plan's callback URL) and the WeCom check when the secrets hold an app Secret.
#[tauri::command(rename_all = "snake_case")]
pub async fn watch_once(
    plan_path: String,
    url: Option<String>,
) -> Result<Vec<CheckReport>, IpcError> {
    let url = url.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
    let targets = WatchTargets::from_plan(
        &PathBuf::from(plan_path),
        url,
        None,
        LadderOptions::default(),
    )
    .map_err(|e| IpcError::new(e.code(), e.to_string()))?;
    let round = watch::round(&targets, 1)
        .await
        .map_err(|e| IpcError::new(e.code(), e.to_string()))?;
    Ok(round.reports)
}

/// `qa-wecom rotate` (or `--rollback`): which files changed and the steps, never the values.
#[tauri::command(rename_all = "snake_case")]
pub async fn rotate_pair(plan_path: String, rollback: bool) -> Result<Rotation, IpcError> {
    let path = PathBuf::from(plan_path);
    let result = if rollback {
        rotate::rollback(&path)
    } else {
        rotate::rotate(&path)
    };
    result.map_err(|e| ipc(e.code(), e.text()))
}

/// `qa-wecom support-pack`: writes the zip and lists what is inside.
#[tauri::command(rename_all = "snake_case")]
pub async fn support_pack(
    plan_path: String,
    output: String,
) -> Result<Vec<ExportedFile>, IpcError> {
    let req = SupportRequest {
        plan_path: PathBuf::from(plan_path),
        output: PathBuf::from(output),
        reports: Vec::new(),
        tool: format!("QA WeCom Setup {}", env!("CARGO_PKG_VERSION")),
    };
    support::support_pack(&req).map_err(|e| ipc(e.code(), e.text()))
}

#[cfg(test)]
mod tests {
    use crate::commands::test_support::Mock;
    use serde_json::json;
    use setup_core::plan::{Plan, Secrets, load_secrets, save_plan, save_secrets};
    use std::path::Path;

    /// A demo plan with fresh secrets and no app Secret (no WeCom API call); its pair.
    fn plan(dir: &Path) -> (String, String, String) {
        let path = dir.join("plan.toml");
        save_plan(&path, &Plan::demo()).unwrap();
        let secrets = Secrets::generated();
        save_secrets(&dir.join("plan.secrets.toml"), &secrets).unwrap();
        let token = secrets.token.unwrap().expose().to_owned();
        let key = secrets.encoding_aes_key.unwrap().expose().to_owned();
        (path.display().to_string(), token, key)
    }

    #[test]
    fn watch_once_verifies_the_plans_pair_against_a_receiver() {
        let dir = tempfile::tempdir().unwrap();
        let (plan, token, key) = plan(dir.path());
        let corp = Plan::demo().wecom.corp_id.unwrap();
        let handle = tauri::async_runtime::block_on(live::receiver::bind(
            live::ReceiverConfig {
                credentials: live::Credentials::new(&token, &key, &corp),
                tls: None,
                fault: None,
                path: None,
            },
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
        let m = Mock::new();
        let url = handle.callback_url(None);
        let r = m.answer("watch_once", json!({"plan_path": plan, "url": url}));
        let reports = r.as_array().unwrap();
        assert_eq!(reports.len(), 1, "no app Secret: no WeCom check");
        assert_eq!(reports[0]["check"], "verify");
        assert_eq!(reports[0]["ok"], true, "{r}");
        assert!(!r.to_string().contains(&token) && !r.to_string().contains(&key));
        assert_eq!(
            handle.stats().verifications_answered,
            live::VERIFY_PROBES as u64
        );
        let e = m
            .invoke(
                "watch_once",
                json!({"plan_path": dir.path().join("none.toml")}),
            )
            .unwrap_err();
        assert_eq!(e["code"], "file_read_failed");
    }

    #[test]
    fn rotate_pair_changes_the_pair_returns_no_value_and_rolls_back() {
        let dir = tempfile::tempdir().unwrap();
        let (plan, token, key) = plan(dir.path());
        let m = Mock::new();
        let r = m.answer("rotate_pair", json!({"plan_path": plan, "rollback": false}));
        assert_eq!(r["rollback"], false);
        assert_eq!(r["steps"].as_array().unwrap().len(), 4);
        let now = load_secrets(&dir.path().join("plan.secrets.toml")).unwrap();
        let new_token = now.token.unwrap().expose().to_owned();
        assert_ne!(new_token, token);
        let text = r.to_string();
        assert!(!text.contains(&new_token) && !text.contains(&token) && !text.contains(&key));
        m.answer("rotate_pair", json!({"plan_path": plan, "rollback": true}));
        let back = load_secrets(&dir.path().join("plan.secrets.toml")).unwrap();
        assert_eq!(back.token.unwrap().expose(), token);
    }

    #[test]
    fn a_remote_page_may_not_call_the_day2_commands() {
        let m = Mock::new();
        for cmd in ["watch_once", "rotate_pair", "support_pack"] {
            let e = m
                .invoke_from("https://example.com", cmd, json!({}))
                .unwrap_err();
            assert!(
                e.as_str().unwrap_or_default().contains("not allowed"),
                "{cmd}: {e}"
            );
        }
    }

    #[test]
    fn support_pack_writes_the_zip_and_lists_it_without_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let (plan, token, key) = plan(dir.path());
        let out = dir.path().join("pack.zip");
        let m = Mock::new();
        let r = m.answer("support_pack", json!({"plan_path": plan, "output": out}));
        let names: Vec<&str> = r
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "about.json",
                "plan.toml",
                "plan-check.json",
                "generated-checksums.txt"
            ]
        );
        let bytes = std::fs::read(&out).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        assert!(!raw.contains(&token) && !raw.contains(&key));
    }
}
