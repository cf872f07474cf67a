//! A new plan on disk: the plan file, its secrets file beside it (0600) and, for demo mode, the
//! self-signed pair in [`super::DEMO_TLS_DIR`], all staged under temporary names and renamed into
//! place last, so a failure at any point leaves every file as it was. `qa-wecom plan new` and the
//! app's demo plan both write through [`create_plan`].

use super::demo::{DemoTlsError, stage_demo_tls};
use super::file::{FileError, FileKind, secrets_path_for};
use super::model::{Plan, Secrets};
use super::render::{render_plan, render_secrets};
use crate::atomic::{Batch, MODE_SECRET, MODE_SHARED};
use crate::error_code::ErrorCode;
use crate::tls::WrittenFiles;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Why the new plan was not written (nothing was, then).
#[derive(Debug, thiserror::Error, error_code_derive::ErrorCode)]
pub enum CreateError {
    /// The plan or its secrets file is there already and `overwrite` was not asked for.
    #[error("{} already exists", path.display())]
    #[code(FileExists)]
    Exists { path: PathBuf },
    #[error("cannot write the demo TLS files: {0}")]
    #[code(inner)]
    DemoTls(#[from] DemoTlsError),
    #[error("{0}")]
    #[code(inner)]
    File(#[from] FileError),
}

/// What [`create_plan`] wrote besides the plan.
#[derive(Debug)]
pub struct CreatedPlan {
    pub secrets_path: PathBuf,
    /// Demo mode's self-signed pair, when asked for.
    pub demo_tls: Option<WrittenFiles>,
}

/// Writes `plan` to `plan_path` and `secrets` to the secrets file the plan names (or beside it).
/// With `demo_tls_at`, a self-signed pair valid from then is made first and the plan and secrets
/// point at it. Existing files are replaced only when `overwrite` is set.
pub fn create_plan(
    plan_path: &Path,
    plan: &mut Plan,
    secrets: &mut Secrets,
    demo_tls_at: Option<SystemTime>,
    overwrite: bool,
) -> Result<CreatedPlan, CreateError> {
    let secrets_path = secrets_path_for(plan_path, plan);
    if !overwrite
        && let Some(existing) = [plan_path, &secrets_path].into_iter().find(|p| p.exists())
    {
        return Err(CreateError::Exists {
            path: existing.to_path_buf(),
        });
    }
    let mut batch = Batch::new();
    let demo_tls = match demo_tls_at {
        Some(now) => Some(stage_demo_tls(
            &mut batch, plan_path, plan, secrets, now, overwrite,
        )?),
        None => None,
    };
    fn write_error(kind: FileKind, path: &Path) -> impl FnOnce(std::io::Error) -> FileError + '_ {
        move |source| FileError::Write {
            kind,
            path: path.to_path_buf(),
            source,
        }
    }
    batch
        .stage(
            &secrets_path,
            render_secrets(secrets).as_bytes(),
            MODE_SECRET,
        )
        .map_err(write_error(FileKind::Secrets, &secrets_path))?;
    batch
        .stage(plan_path, render_plan(plan).as_bytes(), MODE_SHARED)
        .map_err(write_error(FileKind::Plan, plan_path))?;
    batch
        .commit()
        .map_err(write_error(FileKind::Plan, plan_path))?;
    Ok(CreatedPlan {
        secrets_path,
        demo_tls,
    })
}
