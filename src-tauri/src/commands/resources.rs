//! The Resources step's TLS actions on the open plan: inspect a provided certificate (the core's
//! inspection as a report), generate a key + CSR (RSA-2048 or P-256) or a self-signed pair into a
//! folder, and point the plan (certificate / CSR) and its secrets (key file) at what was written.
//! Every failure crosses IPC with its own `tls_*` code and the values its message needs (never a
//! key), so the screen can say what went wrong and what to do in either language.

use super::plan::changed;
use crate::error::AppCode;
use crate::error::IpcError;
use crate::jobs::Jobs;
use crate::state::{OpenPlan, Workspace, no_plan};
use crate::view::PlanView;
use serde::Serialize;
use setup_core::error_code::ErrorCode;
use setup_core::plan::TlsMode;
use setup_core::text::Lang;
use setup_core::tls::{
    CsrMaterial, GenerateError, KeyAlgorithm, SelfSignedMaterial, TlsFileError, WrittenFiles,
    generate_csr, generate_self_signed, write_csr, write_self_signed,
};
use setup_core::validate::{FileContext, domain, inspect_plan_tls};
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

fn mode_name(mode: Option<TlsMode>) -> &'static str {
    match mode {
        Some(TlsMode::Provided) => "provided",
        Some(TlsMode::Csr) => "csr",
        Some(TlsMode::SelfSigned) => "self_signed",
        Some(TlsMode::None) => "none",
        None => "",
    }
}

/// A file that could not be written (or was already there), by the core's code, naming the file.
fn file_error(e: TlsFileError) -> IpcError {
    let err = IpcError::new(e.code(), e.to_string());
    match e {
        TlsFileError::Exists { path } | TlsFileError::TooLarge { path } => {
            err.with_param("path", path.display())
        }
        TlsFileError::Io { path, source } => err
            .with_param("path", path.display())
            .with_param("reason", source),
    }
}

/// A generation failure by the core's code (`tls_domain_invalid`, `tls_random_failed`,
/// `tls_generation_failed`).
fn generate_error(e: GenerateError) -> IpcError {
    let err = IpcError::new(e.code(), e.to_string());
    match e {
        GenerateError::InvalidDomain { domain, .. } => err.with_param("domain", domain),
        GenerateError::Random => err,
        GenerateError::Crypto(reason) => err.with_param("reason", reason),
    }
}

/// The certificate inspection of a `provided` plan as a report. Refuses `tls_inspect_not_provided`
/// in another mode and `tls_inspect_no_certificate` before a chain file is set; a file that cannot
/// be read is not an error but the report's failed `read` step.
#[tauri::command(rename_all = "snake_case")]
pub async fn tls_inspect(ws: State<'_, Workspace>) -> Result<serde_json::Value, IpcError> {
    ws.with_open(inspect)?
}

fn inspect(open: &OpenPlan) -> Result<serde_json::Value, IpcError> {
    if open.plan.tls.mode != Some(TlsMode::Provided) {
        return Err(IpcError::new(
            AppCode::TlsInspectNotProvided,
            "only a provided certificate is inspected",
        )
        .with_param("mode", mode_name(open.plan.tls.mode)));
    }
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
    )
    .ok_or_else(|| {
        IpcError::new(
            AppCode::TlsInspectNoCertificate,
            "choose the certificate chain file first",
        )
    })?;
    serde_json::to_value(inspection.report(Lang::En))
        .map_err(|e| IpcError::new(AppCode::TlsReportFailed, e.to_string()))
}

fn absolute(p: &Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// Where the files go: `folder` when absolute; relative to the saved plan's folder otherwise; the
/// plan's `tls/` folder when empty.
fn target_folder(open: &OpenPlan, folder: &str) -> Result<PathBuf, IpcError> {
    let plan_dir = open.path.as_deref().and_then(Path::parent);
    let folder = folder.trim();
    if folder.is_empty() {
        return plan_dir.map(|d| d.join("tls")).ok_or_else(|| {
            IpcError::new(
                AppCode::TlsNoFolder,
                "choose a folder for the files, or save the plan first",
            )
        });
    }
    let path = PathBuf::from(folder);
    if path.is_absolute() {
        return Ok(path);
    }
    plan_dir.map(|d| d.join(&path)).ok_or_else(|| {
        IpcError::new(
            AppCode::TlsFolderRelative,
            "a relative folder needs a saved plan: enter a full path",
        )
        .with_param("folder", folder)
    })
}

/// The plan's domain as it goes into a certificate (lowercase, punycode).
fn certificate_domain(open: &OpenPlan) -> Result<String, IpcError> {
    let raw = open.plan.resources.domain.as_deref().unwrap_or_default();
    if raw.trim().is_empty() {
        return Err(IpcError::new(
            AppCode::TlsDomainMissing,
            "enter the domain first: the certificate is made for it",
        ));
    }
    domain(raw)
        .map(|(host, _)| host.as_str().to_owned())
        .map_err(|_| {
            IpcError::new(ErrorCode::TlsDomainInvalid, "the domain has an error")
                .with_param("domain", raw)
        })
}

/// The generated key and CSR or certificate, not yet written.
enum Material {
    Csr(CsrMaterial),
    SelfSigned(SelfSignedMaterial),
}

/// Generates the material (CPU-bound: an RSA key takes a while). Runs off the async threads.
fn generate(mode: TlsMode, algorithm: KeyAlgorithm, domain: &str) -> Result<Material, IpcError> {
    match mode {
        TlsMode::Csr => generate_csr(domain, algorithm)
            .map(Material::Csr)
            .map_err(generate_error),
        TlsMode::SelfSigned => {
            generate_self_signed(domain, algorithm, std::time::SystemTime::now())
                .map(Material::SelfSigned)
                .map_err(generate_error)
        }
        TlsMode::Provided | TlsMode::None => Err(bad_mode(mode)),
    }
}

fn write(material: &Material, folder: &Path) -> Result<WrittenFiles, IpcError> {
    match material {
        Material::Csr(m) => write_csr(folder, m, false),
        Material::SelfSigned(m) => write_self_signed(folder, m, false),
    }
    .map_err(file_error)
}

fn bad_mode(mode: TlsMode) -> IpcError {
    IpcError::new(
        AppCode::TlsBadMode,
        "only csr and self_signed generate files",
    )
    .with_param("mode", mode_name(Some(mode)))
}

/// Generates TLS material for the plan's domain into `folder` (see [`target_folder`]): `mode`
/// `csr` writes a key and a CSR for the customer's CA, `self_signed` a demo pair. Existing files
/// are never overwritten; nothing in the plan changes unless every file was written.
///
/// The key is made on a blocking thread; `cancel_job(job)` during it answers `cancelled` at once
/// and nothing is written (the generation itself runs to its end on that thread and is dropped).
/// The files are written, and the plan changed, in one go after it: a cancel comes before or
/// after both.
#[tauri::command(rename_all = "snake_case")]
pub async fn tls_generate(
    ws: State<'_, Workspace>,
    jobs: State<'_, Jobs>,
    mode: TlsMode,
    algorithm: KeyAlgorithm,
    folder: String,
    job: Option<String>,
) -> Result<TlsWritten, IpcError> {
    let (domain, folder) = ws.with_open(|open| {
        if !matches!(mode, TlsMode::Csr | TlsMode::SelfSigned) {
            return Err(bad_mode(mode));
        }
        Ok((certificate_domain(open)?, target_folder(open, &folder)?))
    })??;
    let work = async {
        let material = tokio::task::spawn_blocking(move || generate(mode, algorithm, &domain))
            .await
            .map_err(|e| IpcError::new(AppCode::TlsGenerateFailed, e.to_string()))??;
        // No await from here on: the files and the plan change together or not at all.
        let written = write(&material, &folder)?;
        let mut guard = ws.lock()?;
        let open = guard.as_mut().ok_or_else(no_plan)?;
        open.plan.tls.mode = Some(mode);
        open.plan.tls.csr_file = written.csr.as_deref().map(absolute);
        open.plan.tls.certificate_file = written.certificate.as_deref().map(absolute);
        open.secrets.tls.private_key_file = Some(absolute(&written.private_key));
        open.secrets.tls.private_key_pem = None;
        changed(ws.data(), open)?;
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
    };
    jobs.run(job, work).await
}

#[cfg(test)]
mod tests {
    use crate::commands::test_support::Mock;
    use serde_json::{Value, json};
    use std::path::Path;

    /// A new plan with `domain`, saved at `<app data>/p/plan.toml` when `save`.
    fn plan_with(m: &Mock, domain: Option<&str>, save: bool) -> Value {
        m.answer("plan_new", json!({}));
        let v = m.update(
            "resources",
            json!({"domain": domain, "public_ip": null, "wecom_users": 1000}),
        );
        if !save {
            return v;
        }
        let path = m.data.path().join("p/plan.toml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        m.answer("plan_save_as", json!({"path": path.display().to_string()}))
    }

    fn generate(m: &Mock, mode: &str, algorithm: &str, folder: &Path) -> Result<Value, Value> {
        m.invoke(
            "tls_generate",
            json!({"mode": mode, "algorithm": algorithm, "folder": folder.display().to_string()}),
        )
    }

    fn code(e: &Value) -> &str {
        e["code"].as_str().unwrap_or_default()
    }

    fn issues_of<'a>(v: &'a Value, prefix: &str) -> Vec<&'a Value> {
        v["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["field"].as_str().unwrap().starts_with(prefix))
            .collect()
    }

    #[test]
    fn without_a_plan_both_commands_answer_no_plan() {
        let m = Mock::new();
        assert_eq!(
            code(&m.invoke("tls_inspect", json!({})).unwrap_err()),
            "no_plan"
        );
        let e = generate(&m, "csr", "rsa2048", m.data.path()).unwrap_err();
        assert_eq!(code(&e), "no_plan");
    }

    #[test]
    fn generation_needs_a_generating_mode_a_valid_domain_and_a_folder() {
        let m = Mock::new();
        plan_with(&m, None, false);
        let dir = m.data.path().join("out");
        let e = generate(&m, "provided", "rsa2048", &dir).unwrap_err();
        assert_eq!(
            (code(&e), e["params"]["mode"].as_str()),
            ("tls_bad_mode", Some("provided"))
        );
        let e = generate(&m, "csr", "rsa2048", &dir).unwrap_err();
        assert_eq!(code(&e), "tls_domain_missing");
        plan_with(&m, Some("https://qa.example.com"), false);
        let e = generate(&m, "self_signed", "ecdsa_p256", &dir).unwrap_err();
        assert_eq!(code(&e), "tls_domain_invalid");
        assert_eq!(e["params"]["domain"], "https://qa.example.com");
        plan_with(&m, Some("qa.example.com"), false);
        let e = generate(&m, "csr", "rsa2048", Path::new("  ")).unwrap_err();
        assert_eq!(code(&e), "tls_no_folder");
        let e = generate(&m, "csr", "rsa2048", Path::new("certs")).unwrap_err();
        assert_eq!(
            (code(&e), e["params"]["folder"].as_str()),
            ("tls_folder_relative", Some("certs"))
        );
        // Nothing was written and the plan is as it was.
        assert!(!dir.exists());
        let v = m.answer("plan_get", json!({}));
        assert_eq!(v["plan"]["tls"]["mode"], "provided");
        assert_eq!(v["plan"]["tls"]["csr_file"], Value::Null);
        assert_eq!(v["secrets"]["private_key_file"], Value::Null);
    }

    #[test]
    fn a_csr_and_its_key_go_beside_the_saved_plan_never_over_existing_files() {
        let m = Mock::new();
        plan_with(&m, Some("QAWeCom.Example.com"), true);
        let w = generate(&m, "csr", "ecdsa_p256", Path::new("")).unwrap();
        let tls = m.data.path().join("p/tls");
        let (key, csr) = (tls.join("privkey.pem"), tls.join("request.csr"));
        let files: Vec<&str> = w["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert_eq!(
            files,
            [key.display().to_string(), csr.display().to_string()]
        );
        assert!(!setup_core::plan::is_readable_by_others(&key));
        let csr_pem = std::fs::read_to_string(&csr).unwrap();
        assert!(
            csr_pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----"),
            "{csr_pem}"
        );
        // The plan points at them; the view has no TLS error and never the key itself.
        let v = &w["view"];
        assert_eq!(v["plan"]["tls"]["mode"], "csr");
        assert_eq!(v["plan"]["tls"]["csr_file"], csr.display().to_string());
        assert_eq!(v["secrets"]["private_key_file"], key.display().to_string());
        assert_eq!(v["dirty"], true);
        let errors: Vec<_> = issues_of(v, "tls")
            .into_iter()
            .chain(issues_of(v, "secrets.tls"))
            .filter(|i| i["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(!w.to_string().contains("PRIVATE KEY"));
        // A second run finds the files and refuses, naming the first one; they are unchanged.
        let before = std::fs::read(&key).unwrap();
        let e = generate(&m, "csr", "rsa2048", Path::new("")).unwrap_err();
        assert_eq!(code(&e), "tls_file_exists");
        assert_eq!(e["params"]["path"], key.display().to_string());
        assert_eq!(std::fs::read(&key).unwrap(), before);
        // A relative folder is taken from the plan's folder.
        let w = generate(&m, "csr", "rsa2048", Path::new("ca-request")).unwrap();
        assert!(
            m.data.path().join("p/ca-request/request.csr").is_file(),
            "{w}"
        );
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_tls_write_failed_naming_it() {
        let m = Mock::new();
        plan_with(&m, Some("qa.example.com"), false);
        let blocker = m.data.path().join("a-file");
        std::fs::write(&blocker, "not a folder").unwrap();
        let e = generate(&m, "self_signed", "rsa2048", &blocker.join("tls")).unwrap_err();
        assert_eq!(code(&e), "tls_write_failed", "{e}");
        assert!(
            e["params"]["path"].as_str().unwrap().contains("a-file"),
            "{e}"
        );
        assert!(!e["params"]["reason"].as_str().unwrap().is_empty(), "{e}");
    }

    #[test]
    fn a_generated_self_signed_pair_used_as_provided_is_inspected_rung_by_rung() {
        let m = Mock::new();
        plan_with(&m, Some("qa.example.com"), false);
        let dir = m.data.path().join("demo-tls");
        let w = generate(&m, "self_signed", "ecdsa_p256", &dir).unwrap();
        assert_eq!(
            w["files"].as_array().unwrap().len(),
            3,
            "key, certificate, note: {w}"
        );
        // Not provided yet: nothing to inspect.
        let e = m.invoke("tls_inspect", json!({})).unwrap_err();
        assert_eq!(
            (code(&e), e["params"]["mode"].as_str()),
            ("tls_inspect_not_provided", Some("self_signed"))
        );
        let mut tls = w["view"]["plan"]["tls"].clone();
        tls["mode"] = json!("provided");
        m.update("tls", tls.clone());
        let r = m.answer("tls_inspect", json!({}));
        assert_eq!(r["check"], "certificate");
        let steps: Vec<(String, String)> = r["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["name"].as_str().unwrap().into(),
                    s["status"].as_str().unwrap().into(),
                )
            })
            .collect();
        let names: Vec<&str> = steps.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["read", "name", "validity", "key", "chain"]);
        let status = |n: &str| steps.iter().find(|(s, _)| s == n).unwrap().1.clone();
        for rung in ["read", "name", "validity", "key"] {
            assert_eq!(status(rung), "pass", "{rung}: {r}");
        }
        // Self-signed: no public CA vouches for it.
        assert_eq!(status("chain"), "fail", "{r}");
        assert_eq!(r["ok"], false);
        assert!(
            !r["diagnosis"]["text"]["fix"]["zh"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        // A chain file that is not there is the read rung failing, not an error.
        tls["certificate_file"] = json!(dir.join("missing.crt").display().to_string());
        m.update("tls", tls.clone());
        let r = m.answer("tls_inspect", json!({}));
        assert_eq!(r["steps"][0]["status"], "fail", "{r}");
        assert_eq!(r["ok"], false);
        // No chain file at all.
        tls["certificate_file"] = Value::Null;
        m.update("tls", tls);
        let e = m.invoke("tls_inspect", json!({})).unwrap_err();
        assert_eq!(code(&e), "tls_inspect_no_certificate");
    }

    /// Every code the TLS commands answer has a message in both languages of the UI.
    #[test]
    fn a_cancelled_rsa_generation_answers_cancelled_and_writes_nothing_not_even_later() {
        let m = Mock::new();
        plan_with(&m, Some("qa.example.com"), false);
        // How long one RSA generation takes here (the cancelled one must be waited out).
        let t0 = std::time::Instant::now();
        let done = m.data.path().join("done");
        generate(&m, "self_signed", "rsa2048", &done).unwrap();
        let one = t0.elapsed();
        let before = m.answer("plan_get", json!({}));

        let folder = m.data.path().join("cancelled");
        let invoke = m.invoker();
        let args = json!({"mode": "csr", "algorithm": "rsa2048", "folder": folder.display().to_string(), "job": "tls-1"});
        let started = std::time::Instant::now();
        let running = std::thread::spawn(move || (invoke("tls_generate", args), started.elapsed()));
        // Cancel as soon as the job is registered (well within one generation).
        while m.answer("cancel_job", json!({"job": "tls-1"})) != json!(true) {
            assert!(
                !running.is_finished(),
                "finished before it could be cancelled"
            );
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let (answer, took) = running.join().unwrap();
        assert_eq!(answer.unwrap_err()["code"], "cancelled");
        // The generation still running on its thread is waited out: nothing appears afterwards.
        std::thread::sleep(one * 2 + std::time::Duration::from_millis(300));
        assert!(!folder.exists(), "nothing written after the cancel");
        let after = m.answer("plan_get", json!({}));
        assert_eq!(
            after["plan"]["tls"], before["plan"]["tls"],
            "the plan is unchanged"
        );
        assert_eq!(after["secrets"], before["secrets"]);
        assert!(
            took < std::time::Duration::from_millis(500),
            "answered after {took:?}"
        );
    }
}
