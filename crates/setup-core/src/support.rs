//! The support pack: one zip an admin can hand to QA support. It holds the plan (no secrets by
//! construction), its check, the reports the admin adds (`verification.json`, …), the tool's version
//! and the OS, whether the secrets file is there and owner-only, and the SHA-256 of every
//! shareable generated file, so support can compare them with what was deployed.
//!
//! Before anything is written the pack goes through the bundle's secret scan
//! (`bundle::scan_shareable`) with every secret value of the secrets file and of the previous pair
//! a rotation kept: a pack that would hold one is refused. No file of `secrets/` is ever included.

use crate::atomic::parent_dir;
use crate::bundle::{
    Bundle, BundleError, BundleFile, BundleOptions, ExportedFile, build, scan_shareable,
    sha256sums, write_zip,
};
use crate::error_code::ErrorCode;
use crate::plan::{
    Secrets, is_readable_by_others, load_plan, load_secrets, render_plan, secrets_path_for,
};
use crate::rotate::previous_path;
use crate::secret::Secret;
use crate::text::Text;
use crate::validate::{FileContext, Issue, check_with_files};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The largest report file a pack takes.
pub use crate::fsread::MAX_REPORT_BYTES;

/// What to pack, and where.
#[derive(Debug, Clone)]
pub struct SupportRequest {
    pub plan_path: PathBuf,
    /// The zip file to write.
    pub output: PathBuf,
    /// Report files to include (e.g. `qa-wecom verify --json` output), as `reports/<name>`.
    pub reports: Vec<PathBuf>,
    /// The tool that makes the pack and its version, e.g. `qa-wecom 0.1.0`.
    pub tool: String,
}

/// Why no pack was written.
#[derive(Debug, thiserror::Error, error_code_derive::ErrorCode)]
pub enum SupportError {
    #[error("{0}")]
    #[code(inner)]
    Bundle(#[from] BundleError),
    #[error("cannot read the report {}: {reason}", path.display())]
    #[code(ReportUnreadable)]
    Report { path: PathBuf, reason: String },
}

impl SupportError {
    /// What is wrong and what to do.
    pub fn text(&self) -> Text {
        match self {
            SupportError::Bundle(e) => e.text(),
            SupportError::Report { path, reason } => Text::new(
                format!(
                    "Cannot read the report {}: {reason}. Name a report file written by `qa-wecom … --json` (at most 16 MiB).",
                    path.display()
                ),
                format!(
                    "无法读取报告 {}：{reason}。请指定由 `qa-wecom … --json` 写出的报告文件（不超过 16 MiB）。",
                    path.display()
                ),
            ),
        }
    }
}

/// What the pack says about the tool, the machine and the secrets file (no value of it).
#[derive(Serialize)]
struct About<'a> {
    tool: &'a str,
    os: &'static str,
    arch: &'static str,
    created_unix_s: u64,
    plan_file: String,
    secrets_file: String,
    secrets_file_present: bool,
    secrets_file_readable_by_others: bool,
    previous_pair_present: bool,
}

/// The plan check as the pack holds it.
#[derive(Serialize)]
struct PlanCheck<'a> {
    errors: usize,
    warnings: usize,
    issues: &'a [Issue],
}

/// Builds the pack, scans it, writes it atomically (0600) and lists what is inside.
pub fn support_pack(req: &SupportRequest) -> Result<Vec<ExportedFile>, SupportError> {
    let plan = load_plan(&req.plan_path).map_err(BundleError::from)?;
    let secrets_path = secrets_path_for(&req.plan_path, &plan);
    let secrets = secrets_path
        .is_file()
        .then(|| load_secrets(&secrets_path))
        .transpose()
        .map_err(BundleError::from)?;
    let previous_file = previous_path(&secrets_path);
    let previous = previous_file
        .is_file()
        .then(|| load_secrets(&previous_file))
        .transpose()
        .map_err(BundleError::from)?;

    let ctx = FileContext::for_plan_file(&req.plan_path, &plan);
    let checked = check_with_files(&plan, secrets.as_ref(), &ctx, SystemTime::now());
    let about = About {
        tool: &req.tool,
        os: std::env::consts::OS,
        arch: std::env::consts::ARCH,
        created_unix_s: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        plan_file: req.plan_path.display().to_string(),
        secrets_file: secrets_path.display().to_string(),
        secrets_file_present: secrets.is_some(),
        secrets_file_readable_by_others: is_readable_by_others(&secrets_path),
        previous_pair_present: previous.is_some(),
    };
    let check = PlanCheck {
        errors: checked.error_count(),
        warnings: checked.warning_count(),
        issues: &checked.issues,
    };
    let checksums = match (&checked.plan, &checked.secrets, checked.is_ok()) {
        (Some(p), Some(s), true) => {
            let opts = BundleOptions {
                plan_dir: ctx.plan_dir.clone(),
                secrets_dir: parent_dir(&secrets_path),
                ..BundleOptions::default()
            };
            match build(p, s, &opts) {
                Ok(bundle) => shareable_checksums(&bundle),
                Err(e) => format!("# not generated: {e}\n"),
            }
        }
        _ => "# not generated: the plan has errors (see plan-check.json)\n".to_owned(),
    };

    let mut files = vec![
        BundleFile::new("about.json", json(&about)),
        BundleFile::new("plan.toml", render_plan(&plan)),
        BundleFile::new("plan-check.json", json(&check)),
        BundleFile::new("generated-checksums.txt", checksums),
    ];
    for path in &req.reports {
        files.push(BundleFile::new(
            &format!("reports/{}", report_name(path)),
            read_report(path)?,
        ));
    }
    let needles = needles(secrets.as_ref(), previous.as_ref());
    scan_shareable(&files, &needles)?;
    let bundle = Bundle { files };
    write_zip(&bundle, &req.output, false)?;
    Ok(bundle.files.iter().map(ExportedFile::from).collect())
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

/// `sha256  path` of every generated file outside `secrets/` (`sha256sum -c` format).
fn shareable_checksums(bundle: &Bundle) -> String {
    let shareable: Vec<BundleFile> = bundle
        .files
        .iter()
        .filter(|f| !f.secret && f.path != "SHA256SUMS")
        .cloned()
        .collect();
    sha256sums(&shareable)
}

/// The report's file name, without folders (a pack never writes outside `reports/`).
fn report_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().replace(['/', '\\'], "_"))
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .unwrap_or_else(|| "report.json".to_owned())
}

fn read_report(path: &Path) -> Result<Vec<u8>, SupportError> {
    let error = |reason: String| SupportError::Report {
        path: path.to_path_buf(),
        reason,
    };
    crate::fsread::read_capped(path, MAX_REPORT_BYTES).map_err(|e| error(e.to_string()))
}

/// Every secret value the pack must not contain: the secrets file's and the previous pair's.
fn needles<'a>(secrets: Option<&'a Secrets>, previous: Option<&'a Secrets>) -> Vec<&'a str> {
    let values = |s: &'a Secrets| -> Vec<&'a Secret> {
        [
            &s.app_secret,
            &s.token,
            &s.encoding_aes_key,
            &s.tls.private_key_pem,
        ]
        .into_iter()
        .flatten()
        .collect()
    };
    secrets
        .into_iter()
        .chain(previous)
        .flat_map(values)
        .map(Secret::expose)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Plan, save_plan, save_secrets};
    use std::io::Read;

    fn entries(zip_path: &Path) -> Vec<(String, Vec<u8>)> {
        let file = std::fs::File::open(zip_path).expect("zip");
        let mut zip = zip::ZipArchive::new(file).expect("archive");
        (0..zip.len())
            .filter_map(|i| {
                let mut e = zip.by_index(i).ok()?;
                let mut bytes = Vec::new();
                e.read_to_end(&mut bytes).ok()?;
                Some((e.name().ok()?.into_owned(), bytes))
            })
            .collect()
    }

    fn request(dir: &Path, plan: &Plan, secrets: &Secrets) -> SupportRequest {
        let plan_path = dir.join("plan.toml");
        save_plan(&plan_path, plan).expect("plan");
        save_secrets(&dir.join("plan.secrets.toml"), secrets).expect("secrets");
        SupportRequest {
            plan_path,
            output: dir.join("pack.zip"),
            reports: vec![],
            tool: "qa-wecom test".into(),
        }
    }

    #[test]
    fn a_pack_holds_plan_check_about_and_reports_but_no_secret() {
        let dir = tempfile::tempdir().expect("temp dir");
        let secrets = Secrets::demo();
        let mut req = request(dir.path(), &Plan::demo(), &secrets);
        let report = dir.path().join("verification.json");
        std::fs::write(&report, r#"{"ok":true,"check":"verify"}"#).expect("report");
        req.reports.push(report);
        let listed = support_pack(&req).expect("pack");
        let names: Vec<&str> = listed.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "about.json",
                "plan.toml",
                "plan-check.json",
                "generated-checksums.txt",
                "reports/verification.json"
            ]
        );
        let inside = entries(&req.output);
        let token = secrets.token.as_ref().map(Secret::expose).unwrap_or("x");
        for (name, bytes) in &inside {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains(token), "{name}");
            assert!(!name.starts_with("secrets"), "{name}");
        }
        let about = &inside
            .iter()
            .find(|(n, _)| n == "about.json")
            .expect("about")
            .1;
        let about: serde_json::Value = serde_json::from_slice(about).expect("json");
        assert_eq!(about["os"], std::env::consts::OS);
        assert_eq!(about["tool"], "qa-wecom test");
    }

    #[test]
    fn a_secret_pasted_into_the_plan_refuses_the_pack_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let secrets = Secrets::demo();
        let mut plan = Plan::demo();
        plan.database.name = secrets.token.as_ref().map(|t| t.expose().to_owned());
        let req = request(dir.path(), &plan, &secrets);
        let e = support_pack(&req).expect_err("leak");
        assert_eq!(e.code(), ErrorCode::SecretLeak);
        assert!(!req.output.exists());
    }
}
