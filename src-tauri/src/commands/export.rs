//! The Export step: the open plan saved, then the core's one export (`bundle::export_plan`) to a
//! folder or a zip with the last verification report and the callback IPs of the last WeCom check,
//! then the written `SHA256SUMS` checked against the files on disk, and the folder revealed in the
//! file manager (xdg-open).

use super::plan::plan_save_inner;
use crate::error::AppCode;
use crate::error::IpcError;
use crate::jobs::Jobs;
use crate::state::Workspace;
use serde::Serialize;
use setup_core::bundle::{BundleError, ExportFormat, ExportRequest, ExportSummary, export_plan};
use setup_core::generate::NginxOptions;
use setup_core::generate::callback_ips::CallbackIps;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tauri::State;
use ts_rs::TS;

impl From<BundleError> for IpcError {
    fn from(e: BundleError) -> Self {
        let err = IpcError::new(e.code(), e.text().en);
        match &e {
            BundleError::File(f) => IpcError {
                params: f.params(),
                ..err
            },
            BundleError::Invalid { issues } => err.with_param(
                "errors",
                issues
                    .iter()
                    .filter(|i| i.severity == setup_core::validate::Severity::Error)
                    .count(),
            ),
            BundleError::TargetNotABundle { path, files }
            | BundleError::BundleHasOtherFiles { path, files } => err
                .with_param("path", path.display())
                .with_param("files", setup_core::bundle::name_files(files)),
            BundleError::OutputHoldsPlan { path, file } => err
                .with_param("path", path.display())
                .with_param("file", file.display()),
            BundleError::TargetExists { path }
            | BundleError::TlsRead { path, .. }
            | BundleError::TlsContent { path, .. } => err.with_param("path", path.display()),
            BundleError::Write { path, source } => err
                .with_param("path", path.display())
                .with_param("reason", source),
            BundleError::SecretLeak { path } => err.with_param("path", path),
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
    /// Whether `network/wecom-callback-ips.txt` lists the callback IPs of the last WeCom check
    /// (otherwise it says how to fetch them).
    pub with_callback_ips: bool,
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
///
/// The writing runs on a blocking thread. `cancel_job(job)` answers `cancelled` at once and the
/// plan is not marked exported; a write already under way runs to its end there, and the core
/// builds the bundle under a temporary name renamed into place last, so `output` then holds the
/// whole bundle or none of it — never a half-written one.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_bundle(
    ws: State<'_, Workspace>,
    jobs: State<'_, Jobs>,
    output: String,
    format: ExportFormat,
    job: Option<String>,
) -> Result<ExportResult, IpcError> {
    let output = super::chosen_path(&output, "choose where to write the bundle")?;
    let (plan_path, verification, wecom_report) = ws.with_open(|open| {
        (
            open.path.clone(),
            open.verification.clone(),
            open.wecom_report.clone(),
        )
    })?;
    let plan_path = plan_path
        .ok_or_else(|| IpcError::new(AppCode::PlanNotSaved, "save the plan first (Save as)"))?;
    let callback_ips = wecom_report
        .and_then(|r| CallbackIps::from_wecom_report(&r.to_string()).ok())
        .filter(|ips| !ips.addresses.is_empty());
    plan_save_inner(&ws)?;
    let request = ExportRequest {
        plan_path,
        output: output.clone(),
        format,
        nginx: NginxOptions::default(),
        verification_report: verification.as_ref().map(|v| v.to_string()),
        callback_ips: callback_ips.clone(),
        ca_certs: Vec::new(),
        // The desktop never deletes what it did not write: it shows the refusal instead.
        force: false,
    };
    let write = tokio::task::spawn_blocking(move || {
        let summary = export_plan(&request)?;
        let sums = match request.format {
            ExportFormat::Dir => verify_dir(&request.output),
            ExportFormat::Zip => verify_zip(&request.output),
        };
        Ok::<_, IpcError>((summary, sums))
    });
    let (summary, (sums_ok, sums_bad)) = jobs
        .run(job, async {
            write
                .await
                .map_err(|e| IpcError::new(AppCode::ExportFailed, e.to_string()))?
        })
        .await?;
    if let Ok(mut g) = ws.lock()
        && let Some(open) = g.as_mut()
    {
        open.exported = Some(output);
    }
    Ok(ExportResult {
        summary,
        sums_ok,
        sums_bad,
        with_verification: verification.is_some(),
        with_callback_ips: callback_ips.is_some(),
    })
}

/// Shows the exported folder (or zip) in the system's file manager.
#[tauri::command(rename_all = "snake_case")]
pub async fn reveal_export(path: String) -> Result<(), IpcError> {
    crate::reveal::reveal_with("xdg-open", &PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::check_sums;
    use crate::commands::test_support::Mock;
    use serde_json::json;

    #[test]
    fn an_unsaved_plan_or_a_foreign_folder_is_refused_with_a_code_and_the_path() {
        let m = Mock::new();
        m.answer("plan_new", json!({}));
        let e = m
            .invoke(
                "export_bundle",
                json!({"output": "/tmp/x", "format": "dir"}),
            )
            .unwrap_err();
        assert_eq!(e["code"], "plan_not_saved");
        let e = m
            .invoke("export_bundle", json!({"output": " ", "format": "zip"}))
            .unwrap_err();
        assert_eq!(e["code"], "no_path");

        m.answer("plan_demo", json!({}));
        let foreign = m.data.path().join("photos");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("holiday.jpg"), b"not a bundle").unwrap();
        let e = m.export_to(&foreign, "dir").unwrap_err();
        assert_eq!(e["code"], "target_not_a_bundle", "{e}");
        assert_eq!(e["params"]["path"], foreign.display().to_string());
        assert_eq!(
            std::fs::read(foreign.join("holiday.jpg")).unwrap(),
            b"not a bundle"
        );
    }

    #[test]
    fn a_zip_export_checks_its_sums_inside_the_archive_and_names_what_it_includes() {
        let m = Mock::new();
        m.answer("plan_demo", json!({}));
        let zip = m.data.path().join("bundle.zip");
        let e = m.export_to(&zip, "zip").unwrap();
        assert!(zip.is_file());
        assert_eq!(e["summary"]["format"], "zip");
        assert!(e["sums_bad"].as_array().unwrap().is_empty(), "{e}");
        assert_eq!(
            e["sums_ok"].as_u64().unwrap() + 1,
            e["summary"]["files"].as_array().unwrap().len() as u64,
            "every file but SHA256SUMS itself: {e}"
        );
        assert_eq!(e["with_verification"], false);
        assert_eq!(e["with_callback_ips"], false);
        let v = m.answer("plan_get", json!({}));
        assert_eq!(v["exported"], zip.display().to_string());
    }

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
