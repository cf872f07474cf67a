//! The Resources step's TLS actions on the open plan: inspect a provided certificate (the core's
//! inspection as a report), generate a key + CSR (RSA-2048 or P-256) or a self-signed pair into a
//! folder, and point the plan (certificate / CSR) and its secrets (key file) at what was written.

use super::plan::changed;
use crate::error::IpcError;
use crate::state::{AppData, Workspace};
use crate::view::PlanView;
use serde::Serialize;
use setup_core::plan::TlsMode;
use setup_core::text::Lang;
use setup_core::tls::{
    KeyAlgorithm, generate_csr, generate_self_signed, write_csr, write_self_signed,
};
use setup_core::validate::{FileContext, inspect_plan_tls};
use std::path::{Path, PathBuf};
use tauri::State;
use ts_rs::TS;

/// What a TLS generation wrote.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TlsWritten {
    pub view: PlanView,
    /// Every file written, the private key (0600) first.
    pub files: Vec<String>,
}

fn lock_err() -> IpcError {
    IpcError::new("state", "state poisoned")
}

/// The certificate inspection of a `provided` plan as a report (`null` when there is nothing to
/// inspect yet: another mode, or no certificate file).
#[tauri::command]
pub fn tls_inspect(ws: State<'_, Workspace>) -> Result<Option<serde_json::Value>, IpcError> {
    let guard = ws.0.lock().map_err(|_| lock_err())?;
    let open = guard
        .as_ref()
        .ok_or_else(|| IpcError::new("no_plan", "no plan is open"))?;
    let plan_path = open
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from("plan.toml"));
    let ctx = FileContext::for_plan_file(&plan_path, &open.plan);
    let inspection = inspect_plan_tls(
        &open.plan,
        Some(&open.secrets),
        &ctx,
        std::time::SystemTime::now(),
    );
    Ok(inspection.and_then(|i| serde_json::to_value(i.report(Lang::En)).ok()))
}

fn absolute(p: &Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// Generates TLS material for the plan's domain into `folder` (or, when empty, the plan file's
/// folder): `mode` `csr` writes a key and a CSR for the customer's CA, `self_signed` a demo pair.
/// Existing files are never overwritten.
#[tauri::command]
pub fn tls_generate(
    ws: State<'_, Workspace>,
    data: State<'_, AppData>,
    mode: TlsMode,
    algorithm: KeyAlgorithm,
    folder: String,
) -> Result<TlsWritten, IpcError> {
    let mut guard = ws.0.lock().map_err(|_| lock_err())?;
    let open = guard
        .as_mut()
        .ok_or_else(|| IpcError::new("no_plan", "no plan is open"))?;
    let folder = match folder.trim() {
        "" => open
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(|d| d.join("tls"))
            .ok_or_else(|| {
                IpcError::new(
                    "no_folder",
                    "choose a folder for the files, or save the plan first",
                )
            })?,
        f => PathBuf::from(f),
    };
    let domain = open.plan.resources.domain.clone().unwrap_or_default();
    let file_err = |e: setup_core::tls::TlsFileError| IpcError::new(e.code(), e.to_string());
    let gen_err = |e: setup_core::tls::GenerateError| IpcError::new(e.code(), e.to_string());
    let written = match mode {
        TlsMode::Csr => {
            let m = generate_csr(&domain, algorithm).map_err(gen_err)?;
            write_csr(&folder, &m, false).map_err(file_err)?
        }
        TlsMode::SelfSigned => {
            let m = generate_self_signed(&domain, algorithm, std::time::SystemTime::now())
                .map_err(gen_err)?;
            write_self_signed(&folder, &m, false).map_err(file_err)?
        }
        TlsMode::Provided | TlsMode::None => {
            return Err(IpcError::new(
                "bad_mode",
                "only csr and self_signed generate files",
            ));
        }
    };
    open.plan.tls.mode = Some(mode);
    open.plan.tls.csr_file = written.csr.as_deref().map(absolute);
    open.plan.tls.certificate_file = written.certificate.as_deref().map(absolute);
    open.secrets.tls.private_key_file = Some(absolute(&written.private_key));
    open.secrets.tls.private_key_pem = None;
    changed(&data, open)?;
    let files = [
        Some(&written.private_key),
        written.csr.as_ref(),
        written.certificate.as_ref(),
        written.note.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|p| absolute(p))
    .collect();
    Ok(TlsWritten {
        view: PlanView::of(open),
        files,
    })
}
