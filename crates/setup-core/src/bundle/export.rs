//! Export in one call, as the CLI and the desktop do it: load the plan and its secrets, check
//! both as `plan check` does ([`check_plan_file`]: a `provided` certificate is inspected against
//! the domain, now; a secrets file readable by others is a warning),
//! build the bundle, write it atomically, and report what was written.
//!
//! A plan with any error is refused ([`BundleError::Invalid`] with every issue), and that includes
//! a provided certificate whose inspection finds an error (`tls_name_mismatch`, `tls_expired`,
//! `tls_key_mismatch`, `tls_untrusted_root`, …): such a bundle could not be applied as is. The
//! inspection's warnings (e.g. `tls_expiring_soon`) are in [`ExportSummary::warnings`].

use super::{BundleError, BundleOptions, build, write_dir, write_zip};
use crate::generate::NginxOptions;
use crate::plan::FileError;
use crate::validate::{Issue, Severity, check_plan_file};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use ts_rs::TS;

/// A folder or a zip file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Dir,
    Zip,
}

/// What to export, and where.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub plan_path: PathBuf,
    /// The bundle folder, or the zip file.
    pub output: PathBuf,
    pub format: ExportFormat,
    pub nginx: NginxOptions,
    /// The last live verification (JSON text), if any.
    pub verification_report: Option<String>,
    /// WeCom's callback source addresses from a WeCom check, if one was run.
    pub callback_ips: Option<crate::generate::callback_ips::CallbackIps>,
    /// Extra trust anchors (PEM) for the inspection of a provided certificate, e.g. a CA that
    /// WeCom trusts but the bundled public roots do not list.
    pub ca_certs: Vec<PathBuf>,
    /// Replace a bundle folder that holds files export did not write, or a file at the zip path
    /// that export did not write. Never the plan or its secrets file.
    pub force: bool,
}

/// One written file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportedFile {
    pub path: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Under `secrets/`.
    pub secret: bool,
}

impl From<&super::BundleFile> for ExportedFile {
    fn from(f: &super::BundleFile) -> Self {
        ExportedFile {
            path: f.path.clone(),
            sha256: hex::encode(Sha256::digest(&f.contents)),
            bytes: u64::try_from(f.contents.len()).unwrap_or(u64::MAX),
            secret: f.secret,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportSummary {
    #[ts(type = "string")]
    pub output: PathBuf,
    pub format: ExportFormat,
    pub files: Vec<ExportedFile>,
    /// The plan's warnings (errors stop the export).
    pub warnings: Vec<Issue>,
}

/// Refuses an output that is (a zip) or contains (a folder) one of `keep`: the plan and its
/// secrets file are never replaced, whatever `force` says.
fn refuse_over_plan(req: &ExportRequest, keep: &[&Path]) -> Result<(), BundleError> {
    let Ok(out) = std::fs::canonicalize(&req.output) else {
        return Ok(());
    };
    for file in keep {
        let Ok(file) = std::fs::canonicalize(file) else {
            continue;
        };
        let over = match req.format {
            ExportFormat::Dir => file.starts_with(&out),
            ExportFormat::Zip => file == out,
        };
        if over {
            return Err(BundleError::OutputHoldsPlan {
                path: req.output.clone(),
                file,
            });
        }
    }
    Ok(())
}

/// Loads, checks, builds and writes. Nothing is written unless everything succeeds.
pub fn export_plan(req: &ExportRequest) -> Result<ExportSummary, BundleError> {
    let file = check_plan_file(&req.plan_path, &req.ca_certs, SystemTime::now())?;
    let Some(secrets_path) = file.secrets.is_some().then_some(&file.secrets_path) else {
        return Err(FileError::SecretsMissing {
            path: file.secrets_path,
        }
        .into());
    };
    refuse_over_plan(req, &[&req.plan_path, secrets_path])?;
    let checked = &file.checked;
    let (Some(checked_plan), Some(checked_secrets), true) =
        (&checked.plan, &checked.secrets, checked.is_ok())
    else {
        return Err(BundleError::Invalid {
            issues: checked.issues.clone(),
        });
    };
    let opts = BundleOptions {
        plan_dir: file.context.plan_dir.clone(),
        secrets_dir: file.context.secrets_dir.clone(),
        nginx: req.nginx.clone(),
        verification_report: req.verification_report.clone(),
        callback_ips: req.callback_ips.clone(),
    };
    let bundle = build(checked_plan, checked_secrets, &opts)?;
    match req.format {
        ExportFormat::Dir => write_dir(&bundle, &req.output, req.force)?,
        ExportFormat::Zip => write_zip(&bundle, &req.output, req.force)?,
    }
    Ok(ExportSummary {
        output: req.output.clone(),
        format: req.format,
        files: bundle.files.iter().map(ExportedFile::from).collect(),
        warnings: checked
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
            .cloned()
            .collect(),
    })
}
