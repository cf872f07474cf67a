//! Demo mode's TLS files, so that a demo plan works end to end offline: a self-signed pair for the
//! plan's domain (and `localhost`, `127.0.0.1`) written into [`DEMO_TLS_DIR`] beside the plan file,
//! the certificate referenced from the plan and the key (0600) from the secrets file only.

use super::file::secrets_path_for;
use super::model::{Plan, Secrets};
use crate::atomic::{Batch, parent_dir};
use crate::error_code::ErrorCode;
use crate::tls::{
    GenerateError, KeyAlgorithm, SELF_SIGNED_CERT_FILE, SELF_SIGNED_KEY_FILE, TlsFileError,
    WrittenFiles, generate_self_signed, stage_self_signed,
};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The folder beside the plan file that holds the demo's self-signed pair (0700).
pub const DEMO_TLS_DIR: &str = "demo-tls";

/// Why the demo TLS files could not be made.
#[derive(Debug, thiserror::Error, error_code_derive::ErrorCode)]
pub enum DemoTlsError {
    #[error("the plan has no domain to make a certificate for")]
    #[code(DomainMissing)]
    NoDomain,
    #[error("{0}")]
    #[code(inner)]
    Generate(#[from] GenerateError),
    /// A demo file is there already and `overwrite` was not asked for.
    #[error("{0}")]
    #[code(FileExists)]
    Exists(TlsFileError),
    #[error("{0}")]
    #[code(FileWriteFailed)]
    File(TlsFileError),
}

/// Generates a self-signed ECDSA P-256 pair for the plan's domain at `now`, stages it in `batch`
/// for `<plan folder>/demo-tls/` (key 0600, never over existing files unless `overwrite`), and
/// points `plan.tls.certificate_file` (relative to the plan's folder) and
/// `secrets.tls.private_key_file` (relative to the secrets file's folder when that is the same
/// folder, else absolute) at it. The caller commits the batch with the plan and secrets file, so
/// all are written in one all-or-nothing step.
pub fn stage_demo_tls(
    batch: &mut Batch,
    plan_path: &Path,
    plan: &mut Plan,
    secrets: &mut Secrets,
    now: SystemTime,
    overwrite: bool,
) -> Result<WrittenFiles, DemoTlsError> {
    let domain = plan
        .resources
        .domain
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .ok_or(DemoTlsError::NoDomain)?;
    let material = generate_self_signed(domain, KeyAlgorithm::EcdsaP256, now)?;
    let plan_dir = parent_dir(plan_path);
    // `demo-tls/…` rather than `./demo-tls/…` for a plan in the current folder.
    let tls_dir = plan_path
        .parent()
        .unwrap_or(Path::new(""))
        .join(DEMO_TLS_DIR);
    let written =
        stage_self_signed(batch, &tls_dir, &material, overwrite).map_err(|e| match e {
            TlsFileError::Exists { .. } => DemoTlsError::Exists(e),
            e => DemoTlsError::File(e),
        })?;
    let relative = |file: &str| format!("{DEMO_TLS_DIR}/{file}");
    plan.tls.certificate_file = Some(relative(SELF_SIGNED_CERT_FILE));
    let secrets_dir = parent_dir(&secrets_path_for(plan_path, plan));
    secrets.tls.private_key_file = Some(if same_dir(&secrets_dir, &plan_dir) {
        relative(SELF_SIGNED_KEY_FILE)
    } else {
        absolute(&written.private_key).display().to_string()
    });
    secrets.tls.private_key_pem = None;
    Ok(written)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    a == b || absolute(a) == absolute(b)
}
