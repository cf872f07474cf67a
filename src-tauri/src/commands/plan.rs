//! The open plan: new, open, demo, save, save as, read and change it field by field. Every command
//! answers the whole [`PlanView`] (the core's validation included) and, after a change, writes the
//! autosave. Saves go through the core's atomic writers (plan, then secrets 0600).

use crate::error::AppCode;
use crate::error::IpcError;
use crate::state::{DemoReceiver, OpenPlan, Workspace};
use crate::store::{self, AutosaveInfo};
use crate::view::{PlanView, SecretsView};
use serde_json::Value;
use setup_core::plan::{
    CreateError, FileError, Plan, Secrets, create_plan, load_plan, load_secrets, save_plan,
    save_secrets, secrets_path_for,
};
use std::path::Path;
use tauri::State;

impl From<FileError> for IpcError {
    fn from(e: FileError) -> Self {
        let mut err = IpcError::new(e.code(), e.text().en);
        err.params = e.params();
        err
    }
}

/// Runs `f` on the open plan and answers its view.
fn with_open<T>(
    ws: &Workspace,
    f: impl FnOnce(&mut OpenPlan) -> Result<T, IpcError>,
) -> Result<(T, PlanView), IpcError> {
    ws.with_open_mut(|open| {
        let t = f(open)?;
        Ok((t, PlanView::of(open)))
    })
}

fn replace(ws: &Workspace, open: OpenPlan) -> Result<PlanView, IpcError> {
    store::clear_autosave(ws.data());
    let view = PlanView::of(&open);
    *ws.lock()? = Some(open);
    Ok(view)
}

/// Marks the plan changed (the reports of checks it no longer matches go) and writes the autosave.
pub(crate) fn changed(data: &Path, open: &mut OpenPlan) -> Result<(), IpcError> {
    open.dirty = true;
    open.exported = None;
    open.forget_stale_checks();
    store::autosave(data, open)?;
    Ok(())
}

/// The open plan, or `null` when none is open.
#[tauri::command(rename_all = "snake_case")]
pub fn plan_get(ws: State<'_, Workspace>) -> Result<Option<PlanView>, IpcError> {
    let guard = ws.lock()?;
    Ok(guard.as_ref().map(PlanView::of))
}

/// A new, empty plan with the usual defaults (no Token and EncodingAESKey until the Callback
/// step generates them or takes the admin's own).
#[tauri::command(rename_all = "snake_case")]
pub async fn plan_new(ws: State<'_, Workspace>) -> Result<PlanView, IpcError> {
    replace(&ws, OpenPlan::new_plan())
}

fn open_at(path: &Path) -> Result<OpenPlan, IpcError> {
    let plan = load_plan(path)?;
    let secrets_path = secrets_path_for(path, &plan);
    let secrets = if secrets_path.is_file() {
        load_secrets(&secrets_path)?
    } else {
        Secrets::default()
    };
    Ok(OpenPlan {
        plan,
        secrets,
        path: Some(path.to_path_buf()),
        ..OpenPlan::default()
    })
}

/// Opens a saved plan and its secrets file (when there is one).
#[tauri::command(rename_all = "snake_case")]
pub async fn plan_open(ws: State<'_, Workspace>, path: String) -> Result<PlanView, IpcError> {
    let path = super::chosen_path(&path, "choose the plan file to open")?;
    let open = open_at(&path)?;
    store::push_recent(ws.data(), &path);
    replace(&ws, open)
}

/// The recent plans that still exist, newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn plan_recent(ws: State<'_, Workspace>) -> Result<Vec<String>, IpcError> {
    Ok(store::recent(ws.data())
        .into_iter()
        .map(|p| p.display().to_string())
        .collect())
}

/// Demo mode: the core's demo plan saved in the app-data folder with its self-signed pair, and
/// the built-in receiver started on loopback for its credentials, so Verify goes green offline.
#[tauri::command(rename_all = "snake_case")]
pub async fn plan_demo(
    ws: State<'_, Workspace>,
    demo: State<'_, DemoReceiver>,
) -> Result<PlanView, IpcError> {
    let path = ws.data().join("demo").join("plan.toml");
    let mut plan = Plan::demo();
    let mut secrets = Secrets::demo();
    let now = std::time::SystemTime::now();
    create_plan(&path, &mut plan, &mut secrets, Some(now), true).map_err(|e| match e {
        CreateError::File(e) => IpcError::from(e),
        other => IpcError::new(other.code(), other.to_string()),
    })?;
    let receiver = super::verify::start(&demo, &secrets, &plan, None).await?;
    replace(
        &ws,
        OpenPlan {
            plan,
            secrets,
            path: Some(path),
            demo: true,
            receiver: Some(receiver),
            ..OpenPlan::default()
        },
    )
}

fn save_to(open: &mut OpenPlan, path: &Path) -> Result<(), IpcError> {
    // Secrets first: a plan on disk always finds its secrets.
    save_secrets(&secrets_path_for(path, &open.plan), &open.secrets)?;
    save_plan(path, &open.plan)?;
    open.path = Some(path.to_path_buf());
    open.dirty = false;
    Ok(())
}

/// Saves the plan where it was opened from (or last saved to).
#[tauri::command(rename_all = "snake_case")]
pub async fn plan_save(ws: State<'_, Workspace>) -> Result<PlanView, IpcError> {
    plan_save_inner(&ws)
}

pub(crate) fn plan_save_inner(ws: &Workspace) -> Result<PlanView, IpcError> {
    let (path, view) = with_open(ws, |open| {
        let path = open.path.clone().ok_or_else(|| {
            IpcError::new(
                AppCode::NoPath,
                "the plan has not been saved yet: use Save as",
            )
        })?;
        save_to(open, &path)?;
        Ok(path)
    })?;
    store::clear_autosave(ws.data());
    store::push_recent(ws.data(), &path);
    Ok(view)
}

/// Saves the plan (and its secrets file beside it) to a new path.
#[tauri::command(rename_all = "snake_case")]
pub async fn plan_save_as(ws: State<'_, Workspace>, path: String) -> Result<PlanView, IpcError> {
    let path = super::chosen_path(&path, "enter where to save the plan")?;
    let ((), view) = with_open(&ws, |open| {
        // A plan saved somewhere new keeps its secrets beside it, under its own name.
        open.plan.secrets_file = None;
        save_to(open, &path)
    })?;
    store::clear_autosave(ws.data());
    store::push_recent(ws.data(), &path);
    Ok(view)
}

fn parse<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, IpcError> {
    serde_json::from_value(value).map_err(|e| IpcError::new(AppCode::BadSection, e.to_string()))
}

/// Replaces one section of the plan (`resources`, `tls`, `wecom`, `network`, `database`,
/// `quick_audience`) or the secrets (`secrets`), then validates and autosaves.
///
/// Sync on purpose: edits are applied in the order typed (the IPC runs a sync command at once,
/// in order; async ones run concurrently and could land out of order). Its IO is the autosave's
/// few small files.
#[tauri::command(rename_all = "snake_case")]
pub fn plan_update(
    ws: State<'_, Workspace>,
    section: String,
    value: Value,
) -> Result<PlanView, IpcError> {
    let ((), view) = with_open(&ws, |open| {
        let wecom_inputs = open.wecom_inputs();
        let p = &mut open.plan;
        match section.as_str() {
            "resources" => p.resources = parse(value)?,
            "tls" => p.tls = parse(value)?,
            "wecom" => p.wecom = parse(value)?,
            "network" => p.network = parse(value)?,
            "database" => p.database = parse(value)?,
            "quick_audience" => p.quick_audience = parse(value)?,
            "secrets" => parse::<SecretsView>(value)?.apply(&mut open.secrets),
            other => {
                return Err(
                    IpcError::new(AppCode::BadSection, format!("no section {other}"))
                        .with_param("section", other),
                );
            }
        }
        // The last WeCom check was of other credentials.
        if open.wecom_inputs() != wecom_inputs {
            open.wecom_report = None;
        }
        changed(ws.data(), open)
    })?;
    Ok(view)
}

/// A fresh Token and EncodingAESKey into the open plan's secrets.
#[tauri::command(rename_all = "snake_case")]
pub async fn plan_generate_secrets(ws: State<'_, Workspace>) -> Result<PlanView, IpcError> {
    let ((), view) = with_open(&ws, |open| {
        let fresh = Secrets::generated();
        open.secrets.token = fresh.token;
        open.secrets.encoding_aes_key = fresh.encoding_aes_key;
        changed(ws.data(), open)
    })?;
    Ok(view)
}

/// The autosave left by a session that did not save (crash, kill), if any.
#[tauri::command(rename_all = "snake_case")]
pub async fn autosave_offer(ws: State<'_, Workspace>) -> Result<Option<AutosaveInfo>, IpcError> {
    Ok(store::autosave_info(ws.data()))
}

/// Opens the autosave as unsaved changes of the plan it came from.
#[tauri::command(rename_all = "snake_case")]
pub async fn autosave_restore(ws: State<'_, Workspace>) -> Result<PlanView, IpcError> {
    let open = store::load_autosave(ws.data())?;
    let view = PlanView::of(&open);
    *ws.lock()? = Some(open);
    Ok(view)
}

/// Forgets the autosave.
#[tauri::command(rename_all = "snake_case")]
pub async fn autosave_discard(ws: State<'_, Workspace>) -> Result<(), IpcError> {
    store::clear_autosave(ws.data());
    Ok(())
}

/// Whether the open plan has unsaved changes (asked before the window closes).
pub fn is_dirty(ws: &Workspace) -> bool {
    ws.lock()
        .ok()
        .and_then(|g| g.as_ref().map(|o| o.dirty))
        .unwrap_or(false)
}

/// The window closes after the admin chose to discard the unsaved changes.
#[tauri::command(rename_all = "snake_case")]
pub async fn app_close_discarding<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    ws: State<'_, Workspace>,
) -> Result<(), IpcError> {
    if let Ok(mut g) = ws.lock()
        && let Some(o) = g.as_mut()
    {
        o.dirty = false;
    }
    store::clear_autosave(ws.data());
    app.exit(0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::test_support::{Mock, issue_of, status};
    use serde_json::json;

    #[test]
    fn the_demo_verifies_green_against_its_receiver_and_exports_a_bundle_whose_sums_check() {
        let m = Mock::new();
        let v = m.answer("plan_demo", json!({}));
        assert_eq!(v["demo"], true);
        assert!(
            v["steps"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["status"] != "error"),
            "{v}"
        );
        assert!(
            v["receiver"]["url"]
                .as_str()
                .unwrap()
                .starts_with("https://127.0.0.1:"),
            "{v}"
        );
        let v = m.answer("check_callback", json!({"event": false}));
        let r = &v["verification"];
        assert_eq!(r["ok"], true, "{r}");
        // The demo's loopback receiver is expected: neither private nor "not the plan's EIP".
        assert_eq!(r["warnings"], json!([]), "{r}");
        assert_eq!(status(&v, "verify"), "done", "{v}");
        let out = m.data.path().join("bundle");
        let e = m.export_to(&out, "dir").unwrap();
        assert!(e["sums_bad"].as_array().unwrap().is_empty(), "{e}");
        assert!(e["sums_ok"].as_u64().unwrap() > 5, "{e}");
        assert_eq!(e["with_verification"], true);
        assert!(out.join("report/verification.json").is_file());
    }

    #[test]
    fn an_update_is_validated_by_the_core_autosaved_and_restored_after_a_restart() {
        let m = Mock::new();
        m.answer("plan_new", json!({}));
        m.answer("plan_generate_secrets", json!({}));
        let v = m.update(
            "resources",
            json!({"domain": "https://qa.example.com", "public_ip": null, "wecom_users": 10}),
        );
        assert_eq!(v["dirty"], true);
        let issue = issue_of(&v, "resources.domain");
        assert_eq!(issue["code"], "domain_has_scheme");
        assert!(!issue["fix"]["zh"].as_str().unwrap().is_empty());
        assert_eq!(status(&v, "resources"), "error");
        // The autosave is there for the next start of the app.
        let offer = m.answer("autosave_offer", json!({}));
        assert_eq!(offer["demo"], false);
        let back = m.answer("autosave_restore", json!({}));
        assert_eq!(
            back["plan"]["resources"]["domain"],
            "https://qa.example.com"
        );
        assert_eq!(back["secrets"]["token"], v["secrets"]["token"]);
        // Saved, it is gone from the autosave and reopens with every field.
        let path = m.data.path().join("p/acme.toml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let saved = m.answer("plan_save_as", json!({"path": path.display().to_string()}));
        assert_eq!(saved["dirty"], false);
        assert_eq!(m.answer("autosave_offer", json!({})), json!(null));
        let reopened = m.answer("plan_open", json!({"path": path.display().to_string()}));
        assert_eq!(reopened["plan"], saved["plan"]);
        assert_eq!(
            reopened["secrets"]["encoding_aes_key"],
            v["secrets"]["encoding_aes_key"]
        );
        assert!(!setup_core::plan::is_readable_by_others(
            &m.data.path().join("p/acme.secrets.toml")
        ));
    }

    #[test]
    fn opening_or_saving_at_an_empty_path_asks_for_one_and_keeps_the_open_plan() {
        let m = Mock::new();
        let v = m.answer("plan_demo", json!({}));
        for cmd in ["plan_open", "plan_save_as"] {
            let e = m.invoke(cmd, json!({"path": "  "})).unwrap_err();
            assert_eq!(e["code"], "no_path", "{cmd}");
        }
        let still = m.answer("plan_get", json!({}));
        assert_eq!(still["path"], v["path"]);
        assert_eq!(still["plan"], v["plan"]);
    }
}
