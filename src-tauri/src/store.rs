//! The app's files in its app-data folder: the recent plans (`recent.json`) and the autosave of
//! the open plan (`autosave/plan.toml`, `autosave/plan.secrets.toml` 0600, `autosave/meta.json`),
//! written atomically by the core's writers after every change and offered back on the next start.

use crate::state::OpenPlan;
use serde::{Deserialize, Serialize};
use setup_core::atomic::{MODE_SHARED, write_atomic};
use setup_core::plan::{FileError, load_plan, load_secrets, save_plan, save_secrets};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// How many recent plans are remembered.
pub const RECENT_MAX: usize = 8;

/// What the autosave holds besides the plan: where the plan was saved, and whether it was the demo.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AutosaveInfo {
    #[ts(type = "string | null")]
    pub path: Option<PathBuf>,
    pub demo: bool,
}

fn autosave_dir(data: &Path) -> PathBuf {
    data.join("autosave")
}

/// Writes the open plan into the autosave (secrets file 0600). Called after every change.
pub fn autosave(data: &Path, open: &OpenPlan) -> Result<(), FileError> {
    let dir = autosave_dir(data);
    let mut plan = open.plan.clone();
    plan.secrets_file = None;
    create_private_dir(&dir).map_err(|source| FileError::Write {
        kind: setup_core::plan::FileKind::Secrets,
        path: dir.clone(),
        source,
    })?;
    save_secrets(&dir.join("plan.secrets.toml"), &open.secrets)?;
    save_plan(&dir.join("plan.toml"), &plan)?;
    let meta = AutosaveInfo {
        path: open.path.clone(),
        demo: open.demo,
    };
    let json = serde_json::to_vec(&meta).unwrap_or_default();
    let meta_path = dir.join("meta.json");
    write_atomic(&meta_path, &json, MODE_SHARED).map_err(|source| FileError::Write {
        kind: setup_core::plan::FileKind::Plan,
        path: meta_path,
        source,
    })
}

/// The autosave folder, owner-only (it holds a secrets file).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// The autosave, if one is there.
pub fn autosave_info(data: &Path) -> Option<AutosaveInfo> {
    let dir = autosave_dir(data);
    if !dir.join("plan.toml").is_file() {
        return None;
    }
    let meta = std::fs::read(dir.join("meta.json")).ok();
    Some(
        meta.and_then(|m| serde_json::from_slice(&m).ok())
            .unwrap_or(AutosaveInfo {
                path: None,
                demo: false,
            }),
    )
}

/// The autosaved plan, as unsaved changes of the plan it came from.
pub fn load_autosave(data: &Path) -> Result<OpenPlan, FileError> {
    let dir = autosave_dir(data);
    let info = autosave_info(data);
    let mut plan = load_plan(&dir.join("plan.toml"))?;
    let secrets = load_secrets(&dir.join("plan.secrets.toml"))?;
    let info = info.unwrap_or(AutosaveInfo {
        path: None,
        demo: false,
    });
    // The plan file it came from decides where its secrets go on the next save.
    if let Some(p) = &info.path
        && let Ok(original) = load_plan(p)
    {
        plan.secrets_file = original.secrets_file;
    }
    Ok(OpenPlan {
        plan,
        secrets,
        path: info.path,
        dirty: true,
        demo: info.demo,
        ..OpenPlan::default()
    })
}

/// Forgets the autosave (after a save, or when the admin declines it).
pub fn clear_autosave(data: &Path) {
    let _ = std::fs::remove_dir_all(autosave_dir(data));
}

/// The recent plans that still exist, newest first.
pub fn recent(data: &Path) -> Vec<PathBuf> {
    let list: Vec<PathBuf> = std::fs::read(data.join("recent.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    list.into_iter().filter(|p| p.is_file()).collect()
}

/// Puts `path` first in the recent plans.
pub fn push_recent(data: &Path, path: &Path) {
    let mut list = recent(data);
    list.retain(|p| p != path);
    list.insert(0, path.to_path_buf());
    list.truncate(RECENT_MAX);
    if let Ok(json) = serde_json::to_vec(&list) {
        let _ = create_private_dir(data)
            .and_then(|()| write_atomic(&data.join("recent.json"), &json, MODE_SHARED));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use setup_core::plan::{Plan, Secrets};

    #[test]
    fn the_autosave_round_trips_with_its_secrets_file_owner_only() {
        let data = tempfile::tempdir().unwrap();
        let open = OpenPlan {
            plan: Plan::demo(),
            secrets: Secrets::demo(),
            path: Some(data.path().join("x.toml")),
            demo: true,
            ..OpenPlan::default()
        };
        assert!(autosave_info(data.path()).is_none());
        autosave(data.path(), &open).unwrap();
        let back = load_autosave(data.path()).unwrap();
        assert_eq!(back.plan, open.plan);
        assert_eq!(
            back.secrets.token.as_ref().unwrap().expose(),
            open.secrets.token.as_ref().unwrap().expose()
        );
        assert!(back.dirty && back.demo);
        assert_eq!(back.path, open.path);
        let secrets = data.path().join("autosave/plan.secrets.toml");
        assert!(!setup_core::plan::is_readable_by_others(&secrets));
        clear_autosave(data.path());
        assert!(autosave_info(data.path()).is_none());
    }

    #[test]
    fn recent_plans_are_newest_first_without_duplicates_or_missing_files() {
        let data = tempfile::tempdir().unwrap();
        let a = data.path().join("a.toml");
        let b = data.path().join("b.toml");
        std::fs::write(&a, "").unwrap();
        std::fs::write(&b, "").unwrap();
        push_recent(data.path(), &a);
        push_recent(data.path(), &b);
        push_recent(data.path(), &a);
        assert_eq!(recent(data.path()), vec![a.clone(), b.clone()]);
        std::fs::remove_file(&b).unwrap();
        assert_eq!(recent(data.path()), vec![a]);
    }
}
