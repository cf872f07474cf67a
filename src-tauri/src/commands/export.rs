//! The Export step: the open plan saved, then the core's one export (`bundle::export_plan`) to a
//! folder or a zip with the last verification report, then the written `SHA256SUMS` checked
//! against the files on disk, and the folder revealed in the file manager (xdg-open).

use super::plan::plan_save_inner;
use crate::error::IpcError;
use crate::state::{AppData, Workspace};
use serde::Serialize;
use setup_core::bundle::{BundleError, ExportFormat, ExportRequest, ExportSummary, export_plan};
use setup_core::generate::NginxOptions;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tauri::State;
use ts_rs::TS;

impl From<BundleError> for IpcError {
    fn from(e: BundleError) -> Self {
        let err = IpcError::new(e.code(), e.text().en);
        match &e {
            BundleError::Invalid { issues } => err.with_param("errors", issues.len()),
            _ => err,
        }
    }
}

/// What the export wrote and what the check of its `SHA256SUMS` found.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportResult {
    pub summary: ExportSummary,
    /// Files whose SHA-256 matches their `SHA256SUMS` line (folder exports; a zip is checked
    /// inside the archive by the same lines).
    pub sums_ok: u32,
    /// Lines whose file is missing or differs.
    pub sums_bad: Vec<String>,
    /// Whether the last verification report went into `report/verification.json`.
    pub with_verification: bool,
}

/// Each `<hex>  <path>` line of `sums` checked against `read(path)`.
fn check_sums(sums: &str, read: impl Fn(&str) -> Option<Vec<u8>>) -> (u32, Vec<String>) {
    let mut ok = 0;
    let mut bad = Vec::new();
    for line in sums.lines().filter(|l| !l.is_empty()) {
        let (hash, path) = line.split_once("  ").unwrap_or((line, ""));
        match read(path) {
            Some(bytes) if hex::encode(Sha256::digest(&bytes)) == hash => ok += 1,
            _ => bad.push(path.to_owned()),
        }
    }
    (ok, bad)
}

fn verify_dir(dir: &Path) -> (u32, Vec<String>) {
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap_or_default();
    check_sums(&sums, |p| std::fs::read(dir.join(p)).ok())
}

fn verify_zip(file: &Path) -> (u32, Vec<String>) {
    use std::io::Read;
    let Ok(mut zip) = std::fs::File::open(file).map(zip::ZipArchive::new) else {
        return (0, vec!["SHA256SUMS".into()]);
    };
    let Ok(zip) = zip.as_mut() else {
        return (0, vec!["SHA256SUMS".into()]);
    };
    let mut read = |p: &str| -> Option<Vec<u8>> {
        let mut f = zip.by_name(p).ok()?;
        let mut v = Vec::new();
        f.read_to_end(&mut v).ok()?;
        Some(v)
    };
    let sums = read("SHA256SUMS")
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    let files: Vec<(String, Option<Vec<u8>>)> = sums
        .lines()
        .filter_map(|l| l.split_once("  ").map(|(_, p)| p.to_owned()))
        .map(|p| {
            let b = read(&p);
            (p, b)
        })
        .collect();
    check_sums(&sums, |p| {
        files
            .iter()
            .find(|(q, _)| q == p)
            .and_then(|(_, b)| b.clone())
    })
}

/// Saves the open plan, then writes the bundle to `output` (a folder, or a zip file).
#[tauri::command]
pub fn export_bundle(
    ws: State<'_, Workspace>,
    data: State<'_, AppData>,
    output: String,
    format: ExportFormat,
) -> Result<ExportResult, IpcError> {
    let output = PathBuf::from(output.trim());
    if output.as_os_str().is_empty() {
        return Err(IpcError::new("no_path", "choose where to write the bundle"));
    }
    let (plan_path, verification) =
        ws.with_open(|open| (open.path.clone(), open.verification.clone()))?;
    let plan_path =
        plan_path.ok_or_else(|| IpcError::new("no_path", "save the plan first (Save as)"))?;
    plan_save_inner(&ws, &data)?;
    let summary = export_plan(&ExportRequest {
        plan_path,
        output: output.clone(),
        format,
        nginx: NginxOptions::default(),
        verification_report: verification.as_ref().map(|v| v.to_string()),
        callback_ips: None,
        ca_certs: Vec::new(),
    })?;
    let (sums_ok, sums_bad) = match format {
        ExportFormat::Dir => verify_dir(&output),
        ExportFormat::Zip => verify_zip(&output),
    };
    if let Ok(mut g) = ws.0.lock()
        && let Some(open) = g.as_mut()
    {
        open.exported = Some(output);
    }
    Ok(ExportResult {
        summary,
        sums_ok,
        sums_bad,
        with_verification: verification.is_some(),
    })
}

/// Shows the exported folder (or zip) in the system's file manager.
#[tauri::command]
pub fn reveal_export(path: String) -> Result<(), IpcError> {
    crate::reveal::reveal_with("xdg-open", &PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::check_sums;

    #[test]
    fn a_changed_or_missing_file_fails_its_sha256sums_line() {
        let sums = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  a\n\
                    2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  b\n\
                    2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  c\n";
        let (ok, bad) = check_sums(sums, |p| match p {
            "a" => Some(b"hello".to_vec()),
            "b" => Some(b"hellO".to_vec()),
            _ => None,
        });
        assert_eq!(ok, 1);
        assert_eq!(bad, ["b", "c"]);
    }
}
