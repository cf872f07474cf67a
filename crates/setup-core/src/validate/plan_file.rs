//! A plan file checked as `plan check` and export read it: the plan, the secrets file beside it,
//! every field with the files the plan names ([`check_with_files`]), and the secrets file's own
//! rules — missing (`secrets_file_missing`, an error) or readable by others
//! (`secrets_file_permissions`, a warning) — so both faces apply the same rules.

use super::{Checked, FileContext, IssueCode, check_with_files, secrets_file_issue};
use crate::plan::{
    FileError, Plan, Secrets, is_readable_by_others, load_plan, load_secrets, secrets_path_for,
};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// A loaded and checked plan file.
#[derive(Debug, Clone)]
pub struct PlanFileCheck {
    /// The plan file, as given.
    pub plan_path: PathBuf,
    pub plan: Plan,
    /// The plan's `secrets_file`, else `<name>.secrets.toml` beside the plan.
    pub secrets_path: PathBuf,
    /// `None` when there is no secrets file.
    pub secrets: Option<Secrets>,
    /// Where the plan's relative paths resolve, and the extra trust anchors.
    pub context: FileContext,
    /// Every issue, the secrets file's own included.
    pub checked: Checked,
    /// How long loading and checking took.
    pub elapsed_ms: u64,
}

/// Loads the plan at `plan_path` and its secrets file and checks both, trusting `ca_certs` too
/// when a provided certificate is inspected (at `now`). A missing secrets file is an issue, a
/// damaged or unreadable one (or plan) the error.
pub fn check_plan_file(
    plan_path: &Path,
    ca_certs: &[PathBuf],
    now: SystemTime,
) -> Result<PlanFileCheck, FileError> {
    let started = Instant::now();
    let plan = load_plan(plan_path)?;
    let secrets_path = secrets_path_for(plan_path, &plan);
    let secrets = if secrets_path.exists() {
        Some(load_secrets(&secrets_path)?)
    } else {
        None
    };
    let context = FileContext {
        ca_certs: ca_certs.to_vec(),
        ..FileContext::for_plan_file(plan_path, &plan)
    };
    let mut checked = check_with_files(&plan, secrets.as_ref(), &context, now);
    let file_rule = match secrets {
        None => Some(IssueCode::SecretsFileMissing),
        Some(_) if is_readable_by_others(&secrets_path) => Some(IssueCode::SecretsFilePermissions),
        Some(_) => None,
    };
    if let Some(code) = file_rule {
        checked.issues.push(secrets_file_issue(code, &secrets_path));
    }
    Ok(PlanFileCheck {
        plan_path: plan_path.to_path_buf(),
        plan,
        secrets_path,
        secrets,
        context,
        checked,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}
