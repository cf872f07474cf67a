//! The TLS inspection feeding the plan check and the bundle: `validate::check_with_files` turns the
//! findings on a provided chain into plan issues (`tls_` + finding code, `params.finding`), the
//! export refuses a provided certificate that fails, keeps `tls/fingerprints.txt`, and demo mode's
//! self-signed pair makes a demo plan that checks and exports with `tls/` offline.

mod common;
#[path = "tls_support/mod.rs"]
mod tls_support;

use common::{TestResult, walk};
use setup_core::bundle::{BundleError, ExportFormat, ExportRequest, export_plan};
use setup_core::generate::NginxOptions;
use setup_core::plan::{
    DEMO_TLS_DIR, DemoTlsError, Plan, SecretTls, Secrets, TlsMode, render_plan, save_plan,
    save_secrets, secrets_path_for, stage_demo_tls,
};
use setup_core::secret::Secret;
use setup_core::tls::{
    SELF_SIGNED_CERT_FILE, SELF_SIGNED_KEY_FILE, WrittenFiles, parse_certificates,
};
use setup_core::validate::{
    Checked, FileContext, Issue, IssueCode, Severity, check, check_with_files, field,
    inspect_plan_tls,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};
use tls_support::{DAY, NOW_SECS, Node, ca, chain, ecdsa, leaf, leaf_with, now};

const DOMAIN: &str = "qa.example.com";

/// Root → intermediate → leaf for `names`, written into `dir`: `root.pem`, `chain.pem` (leaf +
/// intermediate), `leaf.key`. Valid around the fixed test instant and around today.
struct Files {
    root: PathBuf,
    chain: PathBuf,
    key: PathBuf,
    leaf: Node,
}

/// Whole days from the fixed test instant to the real clock (negative before 2030).
fn today() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    (secs - NOW_SECS as i64) / DAY as i64
}

fn pki_files(dir: &Path, names: &[&str]) -> Result<Files, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let root = ca("Plan TLS Root", None);
    let inter = ca("Plan TLS Intermediate", Some(&root));
    // From 30 days before today to 335 days after the fixed instant: valid at both.
    let leaf = leaf_with(names, &inter, ecdsa(), today().min(0) - 30, 335);
    let files = Files {
        root: dir.join("root.pem"),
        chain: dir.join("chain.pem"),
        key: dir.join("leaf.key"),
        leaf,
    };
    std::fs::write(&files.root, &root.pem)?;
    std::fs::write(&files.chain, chain(&[&files.leaf, &inter]))?;
    std::fs::write(&files.key, files.leaf.key_pem())?;
    Ok(files)
}

fn provided_plan(domain: &str, cert: &str) -> Plan {
    let mut plan = Plan::demo();
    plan.resources.domain = Some(domain.to_owned());
    plan.tls.mode = Some(TlsMode::Provided);
    plan.tls.certificate_file = Some(cert.to_owned());
    plan
}

fn secrets_with_key(key_file: Option<&str>, key_pem: Option<String>) -> Secrets {
    Secrets {
        app_secret: Some(Secret::new(common::APP_SECRET)),
        tls: SecretTls {
            private_key_file: key_file.map(str::to_owned),
            private_key_pem: key_pem.map(Secret::new),
        },
        ..Secrets::generated()
    }
}

fn ctx(dir: &Path, ca_certs: &[&Path]) -> FileContext {
    FileContext {
        plan_dir: dir.to_path_buf(),
        secrets_dir: dir.to_path_buf(),
        ca_certs: ca_certs.iter().map(|p| p.to_path_buf()).collect(),
    }
}

/// The TLS inspection issues of a check, as (code, field, finding).
fn tls_of(checked: &Checked) -> Vec<(String, String, String)> {
    checked
        .issues
        .iter()
        .filter(|i| i.code.tls_finding().is_some())
        .map(|i| {
            (
                i.code.as_str().to_owned(),
                i.field.clone(),
                i.params.get("finding").cloned().unwrap_or_default(),
            )
        })
        .collect()
}

/// The first issue of a check with `code`, or an error naming the code.
fn issue_of(checked: &Checked, code: IssueCode) -> Result<&Issue, String> {
    checked
        .issues
        .iter()
        .find(|i| i.code == code)
        .ok_or_else(|| format!("no {} issue", code.as_str()))
}

#[test]
fn a_certificate_for_another_domain_is_a_name_mismatch_error_on_the_certificate_field() -> TestResult
{
    let dir = tempfile::tempdir()?;
    let f = pki_files(dir.path(), &["other.example.com"])?;
    let plan = provided_plan(DOMAIN, "chain.pem");
    let secrets = secrets_with_key(Some("leaf.key"), None);
    let checked = check_with_files(&plan, Some(&secrets), &ctx(dir.path(), &[&f.root]), now());
    assert_eq!(
        tls_of(&checked),
        vec![(
            "tls_name_mismatch".to_owned(),
            field::TLS_CERTIFICATE_FILE.to_owned(),
            "name_mismatch".to_owned()
        )]
    );
    let issue = issue_of(&checked, IssueCode::TlsNameMismatch)?;
    assert_eq!(issue.severity, Severity::Error);
    assert_eq!(issue.params.get("domain").map(String::as_str), Some(DOMAIN));
    assert!(
        issue.message.en.contains("other.example.com"),
        "{:?}",
        issue.message
    );
    assert!(!issue.fix.zh.is_empty());
    assert!(!checked.is_ok());
    assert!(
        checked.plan.is_none(),
        "a plan with errors has no checked plan"
    );
    // The pure check does not read the file: no TLS issue there.
    assert!(tls_of(&check(&plan, Some(&secrets))).is_empty());
    Ok(())
}

#[test]
fn a_good_chain_trusted_through_ca_certs_gives_no_tls_issue_and_keeps_the_checked_plan()
-> TestResult {
    let dir = tempfile::tempdir()?;
    let f = pki_files(dir.path(), &[DOMAIN])?;
    let plan = provided_plan(DOMAIN, "chain.pem");
    let secrets = secrets_with_key(Some("leaf.key"), None);
    let checked = check_with_files(&plan, Some(&secrets), &ctx(dir.path(), &[&f.root]), now());
    assert!(tls_of(&checked).is_empty(), "{:?}", tls_of(&checked));
    assert!(checked.is_ok(), "{:?}", checked.issues);
    assert!(checked.plan.is_some());

    // Without the company root the chain leads nowhere trusted: an error, not silence.
    let untrusted = check_with_files(&plan, Some(&secrets), &ctx(dir.path(), &[]), now());
    let codes: Vec<String> = tls_of(&untrusted).into_iter().map(|t| t.0).collect();
    assert!(
        codes
            .iter()
            .any(|c| c == "tls_chain_incomplete" || c == "tls_untrusted_root"),
        "{codes:?}"
    );
    assert!(!untrusted.is_ok());
    Ok(())
}

#[test]
fn a_key_of_another_certificate_is_a_key_mismatch_on_the_key_field_from_a_file_or_pem() -> TestResult
{
    let dir = tempfile::tempdir()?;
    let f = pki_files(dir.path(), &[DOMAIN])?;
    let other = leaf(&[DOMAIN], &ca("Other", None));
    std::fs::write(dir.path().join("other.key"), other.key_pem())?;
    let plan = provided_plan(DOMAIN, "chain.pem");
    let expected = vec![(
        "tls_key_mismatch".to_owned(),
        field::TLS_PRIVATE_KEY.to_owned(),
        "key_mismatch".to_owned(),
    )];
    let c = ctx(dir.path(), &[&f.root]);

    let from_file = secrets_with_key(Some("other.key"), None);
    let checked = check_with_files(&plan, Some(&from_file), &c, now());
    assert_eq!(tls_of(&checked), expected);

    let from_pem = secrets_with_key(None, Some(other.key_pem()));
    assert_eq!(
        tls_of(&check_with_files(&plan, Some(&from_pem), &c, now())),
        expected
    );

    let right_pem = secrets_with_key(None, Some(f.leaf.key_pem()));
    assert!(tls_of(&check_with_files(&plan, Some(&right_pem), &c, now())).is_empty());

    // No secrets at all: the chain is still inspected, without the key check.
    assert!(tls_of(&check_with_files(&plan, None, &c, now())).is_empty());
    Ok(())
}

#[test]
fn the_clock_given_decides_expired_errors_and_expiring_soon_warnings() -> TestResult {
    let dir = tempfile::tempdir()?;
    let f = pki_files(dir.path(), &[DOMAIN])?;
    let plan = provided_plan(DOMAIN, "chain.pem");
    let secrets = secrets_with_key(Some("leaf.key"), None);
    let c = ctx(dir.path(), &[&f.root]);
    let at = |days: u64| UNIX_EPOCH + std::time::Duration::from_secs(NOW_SECS + days * DAY);

    let soon = check_with_files(&plan, Some(&secrets), &c, at(320));
    assert_eq!(
        tls_of(&soon),
        vec![(
            "tls_expiring_soon".to_owned(),
            field::TLS_CERTIFICATE_FILE.to_owned(),
            "expiring_soon".to_owned()
        )]
    );
    assert!(soon.is_ok(), "a warning does not block");
    assert!(
        soon.issues
            .iter()
            .any(|i| i.code == IssueCode::TlsExpiringSoon && i.severity == Severity::Warning)
    );

    let late = check_with_files(&plan, Some(&secrets), &c, at(400));
    assert!(
        tls_of(&late).iter().any(|t| t.0 == "tls_expired"),
        "{:?}",
        tls_of(&late)
    );
    assert!(!late.is_ok());
    Ok(())
}

#[test]
fn relative_paths_resolve_against_the_plan_and_the_secrets_folders() -> TestResult {
    let dir = tempfile::tempdir()?;
    let f = pki_files(&dir.path().join("plans/certs"), &[DOMAIN])?;
    std::fs::create_dir_all(dir.path().join("private/keys"))?;
    std::fs::rename(&f.key, dir.path().join("private/keys/leaf.key"))?;
    let mut plan = provided_plan(DOMAIN, "certs/chain.pem");
    plan.secrets_file = Some("../private/plan.secrets.toml".to_owned());
    let plan_path = dir.path().join("plans/plan.toml");
    save_plan(&plan_path, &plan)?;
    let secrets = secrets_with_key(Some("keys/leaf.key"), None);
    save_secrets(&secrets_path_for(&plan_path, &plan), &secrets)?;

    let mut c = FileContext::for_plan_file(&plan_path, &plan);
    c.ca_certs.push(f.root.clone());
    assert!(c.secrets_dir.ends_with("private"), "{:?}", c.secrets_dir);
    let checked = check_with_files(&plan, Some(&secrets), &c, now());
    assert!(tls_of(&checked).is_empty(), "{:?}", tls_of(&checked));

    // The same names from the wrong folder are not found.
    let wrong = check_with_files(&plan, Some(&secrets), &ctx(dir.path(), &[&f.root]), now());
    let issue = issue_of(&wrong, IssueCode::TlsParseError)?;
    assert_eq!(issue.field, field::TLS_CERTIFICATE_FILE);
    assert_eq!(
        issue.params.get("reason").map(String::as_str),
        Some("unreadable")
    );
    assert_eq!(
        issue.params.get("finding").map(String::as_str),
        Some("parse_error")
    );
    Ok(())
}

#[test]
fn only_provided_mode_with_a_certificate_file_is_inspected() -> TestResult {
    let dir = tempfile::tempdir()?;
    let f = pki_files(dir.path(), &["other.example.com"])?;
    let secrets = secrets_with_key(Some("leaf.key"), None);
    let c = ctx(dir.path(), &[&f.root]);
    for mode in [TlsMode::SelfSigned, TlsMode::Csr, TlsMode::None] {
        let mut plan = provided_plan(DOMAIN, "chain.pem");
        plan.tls.mode = Some(mode);
        assert!(
            inspect_plan_tls(&plan, Some(&secrets), &c, now()).is_none(),
            "{mode:?}"
        );
    }
    let mut unset = provided_plan(DOMAIN, "");
    unset.tls.certificate_file = None;
    assert!(inspect_plan_tls(&unset, Some(&secrets), &c, now()).is_none());
    assert!(
        check_with_files(&unset, Some(&secrets), &c, now())
            .issues
            .iter()
            .any(|i| i.code == IssueCode::TlsCertificateMissing)
    );
    Ok(())
}

fn request(plan_path: &Path, output: &Path, ca_certs: Vec<PathBuf>) -> ExportRequest {
    ExportRequest {
        plan_path: plan_path.to_path_buf(),
        output: output.to_path_buf(),
        format: ExportFormat::Dir,
        nginx: NginxOptions::default(),
        verification_report: None,
        callback_ips: None,
        ca_certs,
        force: false,
    }
}

/// A provided plan in `dir` for [`DOMAIN`] with a chain for `names`; returns (plan path, files).
fn saved_provided(
    dir: &Path,
    names: &[&str],
) -> Result<(PathBuf, Files), Box<dyn std::error::Error>> {
    let f = pki_files(&dir.join("certs"), names)?;
    let plan = provided_plan(DOMAIN, "certs/chain.pem");
    let secrets = secrets_with_key(Some("certs/leaf.key"), None);
    let plan_path = common::save(dir, &plan, &secrets)?;
    Ok((plan_path, f))
}

#[test]
fn a_provided_export_whose_certificate_fails_inspection_is_refused_and_writes_nothing() -> TestResult
{
    let dir = tempfile::tempdir()?;
    let (plan_path, f) = saved_provided(dir.path(), &["other.example.com"])?;
    let out = dir.path().join("bundle");
    let err = export_plan(&request(&plan_path, &out, vec![f.root.clone()])).err();
    let Some(BundleError::Invalid { issues }) = &err else {
        return Err(format!("expected Invalid, got {err:?}").into());
    };
    assert!(
        issues
            .iter()
            .any(|i| i.code == IssueCode::TlsNameMismatch && i.severity == Severity::Error),
        "{issues:?}"
    );
    assert_eq!(
        err.as_ref().map(|e| e.code().as_str()),
        Some("plan_invalid")
    );
    assert!(!out.exists());
    Ok(())
}

/// The SHA-256 of the first certificate of `pem`, as `AB:CD:…`.
fn leaf_fingerprint(pem: &str) -> Result<String, Box<dyn std::error::Error>> {
    let certs = parse_certificates(pem.as_bytes())?;
    let der = certs.first().ok_or("no certificate")?;
    let hex = hex::encode_upper(Sha256::digest(der.as_ref()));
    let pairs: Vec<&str> = (0..hex.len())
        .step_by(2)
        .filter_map(|i| hex.get(i..i + 2))
        .collect();
    Ok(pairs.join(":"))
}

#[test]
fn a_provided_export_that_passes_has_the_chain_and_its_fingerprints_in_tls() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (plan_path, f) = saved_provided(dir.path(), &[DOMAIN])?;
    let out = dir.path().join("bundle");
    let summary = export_plan(&request(&plan_path, &out, vec![f.root.clone()]))?;
    assert!(
        summary
            .warnings
            .iter()
            .all(|w| w.code.tls_finding().is_none()),
        "{:?}",
        summary.warnings
    );
    let fps = std::fs::read_to_string(out.join("tls/fingerprints.txt"))?;
    let lines: Vec<&str> = fps.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 2, "{fps}");
    assert!(lines[0].starts_with("1  "), "{fps}");
    assert!(lines[0].contains(&leaf_fingerprint(&f.leaf.pem)?), "{fps}");
    let readme = std::fs::read_to_string(out.join("README.md"))?;
    assert!(readme.contains("inspected at export"), "{readme}");
    assert!(readme.contains("`tls/fingerprints.txt`"));
    for (rel, path) in walk(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
        assert_eq!(
            text.contains("PRIVATE KEY"),
            rel == "secrets/tls/private.key",
            "{rel}"
        );
    }
    Ok(())
}

/// Writes the demo TLS pair next to `plan_path`, dated now; `overwrite` replaces existing files.
fn write_demo_tls_now(
    plan_path: &Path,
    plan: &mut Plan,
    secrets: &mut Secrets,
    overwrite: bool,
) -> Result<WrittenFiles, DemoTlsError> {
    let mut batch = setup_core::atomic::Batch::new();
    let written = stage_demo_tls(
        &mut batch,
        plan_path,
        plan,
        secrets,
        SystemTime::now(),
        overwrite,
    )?;
    batch
        .commit()
        .expect("the staged demo TLS files are written");
    Ok(written)
}

#[test]
fn the_demo_tls_files_make_a_demo_plan_that_checks_without_tls_warnings_and_exports_tls()
-> TestResult {
    let dir = tempfile::tempdir()?;
    let plan_path = dir.path().join("demo.toml");
    let mut plan = Plan::demo();
    let mut secrets = Secrets::demo();
    let written = write_demo_tls_now(&plan_path, &mut plan, &mut secrets, false)?;
    let expected_cert = format!("{DEMO_TLS_DIR}/{SELF_SIGNED_CERT_FILE}");
    assert_eq!(
        plan.tls.certificate_file.as_deref(),
        Some(expected_cert.as_str())
    );
    assert_eq!(
        secrets.tls.private_key_file.as_deref(),
        Some(format!("{DEMO_TLS_DIR}/{SELF_SIGNED_KEY_FILE}").as_str())
    );
    assert!(written.private_key.is_file());
    #[cfg(unix)]
    {
        assert_eq!(common::mode(&written.private_key), 0o600);
        assert_eq!(common::mode(&dir.path().join(DEMO_TLS_DIR)), 0o700);
    }
    let plan_text = render_plan(&plan);
    assert!(!plan_text.contains("PRIVATE KEY") && !plan_text.contains(SELF_SIGNED_KEY_FILE));
    save_secrets(&secrets_path_for(&plan_path, &plan), &secrets)?;
    save_plan(&plan_path, &plan)?;

    let c = FileContext::for_plan_file(&plan_path, &plan);
    let checked = check_with_files(&plan, Some(&secrets), &c, SystemTime::now());
    assert!(checked.is_ok(), "{:?}", checked.issues);
    let codes: Vec<&str> = checked.issues.iter().map(|i| i.code.as_str()).collect();
    assert!(!codes.contains(&"tls_files_not_set"), "{codes:?}");
    assert!(codes.contains(&"tls_self_signed"), "{codes:?}");

    let out = dir.path().join("bundle");
    export_plan(&request(&plan_path, &out, Vec::new()))?;
    let found: Vec<String> = walk(&out).into_iter().map(|(rel, _)| rel).collect();
    for f in [
        "tls/certificate.pem",
        "tls/fingerprints.txt",
        "secrets/tls/private.key",
    ] {
        assert!(found.iter().any(|p| p == f), "{f} not in {found:?}");
    }
    let key = std::fs::read_to_string(&written.private_key)?;
    let key_line = key
        .lines()
        .find(|l| !l.starts_with("-----"))
        .ok_or("empty key")?;
    for (rel, path) in walk(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
        if !rel.starts_with("secrets/") {
            assert!(
                !text.contains("PRIVATE KEY") && !text.contains(key_line),
                "{rel}"
            );
        }
    }
    assert_eq!(
        std::fs::read_to_string(out.join("secrets/tls/private.key"))?.trim(),
        key.trim()
    );
    Ok(())
}

#[test]
fn the_demo_tls_files_are_never_overwritten_unless_asked() -> TestResult {
    let dir = tempfile::tempdir()?;
    let plan_path = dir.path().join("plan.toml");
    let (mut plan, mut secrets) = (Plan::demo(), Secrets::demo());
    let first = write_demo_tls_now(&plan_path, &mut plan, &mut secrets, false)?;
    let before = std::fs::read(&first.private_key)?;
    let again = write_demo_tls_now(&plan_path, &mut plan, &mut secrets, false);
    assert_eq!(again.err().map(|e| e.code().as_str()), Some("file_exists"));
    assert_eq!(std::fs::read(&first.private_key)?, before);
    write_demo_tls_now(&plan_path, &mut plan, &mut secrets, true)?;
    assert_ne!(std::fs::read(&first.private_key)?, before);
    Ok(())
}
