//! `qa-wecom plan check` / `export` with a provided TLS chain (made here with rcgen) and
//! `plan new --demo`'s self-signed pair, run as the built binary: the inspection's findings as
//! issues (`tls_name_mismatch`, `params.finding`), exit codes, `--ca-cert`, and a demo plan that
//! checks and exports with `tls/` offline.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

mod common;

use common::{TestResult, all_files, json, plan_new_demo, qa, stderr};
fn dn(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn
}

/// A root CA, and a leaf for `names` signed by it (rcgen's default validity spans today), written
/// to `certs/root.pem`, `certs/chain.pem` and `certs/leaf.key` under `dir`; also `certs/other.key`,
/// a key of no certificate here.
fn write_pki(dir: &Path, names: &[&str]) -> Result<(), Box<dyn std::error::Error>> {
    let certs = dir.join("certs");
    std::fs::create_dir_all(&certs)?;
    let root_key = KeyPair::generate()?;
    let mut root = CertificateParams::default();
    root.distinguished_name = dn("CLI Test Root");
    root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    root.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let root_cert = root.self_signed(&root_key)?;
    let leaf_key = KeyPair::generate()?;
    let mut leaf = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
    leaf.distinguished_name = dn(names.first().copied().unwrap_or("leaf"));
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let leaf_cert = leaf.signed_by(&leaf_key, &Issuer::from_params(&root, &root_key))?;
    std::fs::write(certs.join("root.pem"), root_cert.pem())?;
    std::fs::write(certs.join("chain.pem"), leaf_cert.pem())?;
    std::fs::write(certs.join("leaf.key"), leaf_key.serialize_pem())?;
    std::fs::write(
        certs.join("other.key"),
        KeyPair::generate()?.serialize_pem(),
    )?;
    Ok(())
}

/// A complete plan for `qa.example.com` with TLS mode `provided` and its secrets, in `dir`.
fn write_plan(dir: &Path, key_file: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let plan = r#"version = 1

[resources]
domain = "qa.example.com"
wecom_users = 1000

[tls]
mode = "provided"
certificate_file = "certs/chain.pem"

[wecom]
corp_id = "wwb697d33134e48cfc"
agent_id = 1000002

[network]
qa_upstream = "10.0.0.12:8080"

[database]
kind = "postgresql"
name = "qa_analysis"

[quick_audience]
organization_id = "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6"
workspace_id = "5a3e3999-fccb-43ef-b232-9cbbae053e8b"
"#;
    let secrets = format!(
        "version = 1\napp_secret = \"AppSecretValue0123456789abcdefghijklmnopqrs\"\n\
         token = \"QDG6eK5z1Ubyq1Mm3BsRSeKJqd3S7ZRL\"\n\
         encoding_aes_key = \"jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C\"\n\n\
         [tls]\nprivate_key_file = \"{key_file}\"\n"
    );
    let path = dir.join("plan.toml");
    std::fs::write(&path, plan)?;
    let secrets_path = dir.join("plan.secrets.toml");
    std::fs::write(&secrets_path, secrets)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secrets_path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(path)
}

/// The issues of a `--json` output whose code is a TLS inspection code (`params.finding` set).
fn tls_issues(v: &Value) -> Vec<Value> {
    v["issues"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i["params"]["finding"].is_string())
        .collect()
}

/// A temporary folder with a PKI whose leaf is for `names` and a provided-TLS plan using `key_file`.
fn provided_dir(names: &[&str], key_file: &str) -> Result<TempDir, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    write_pki(dir.path(), names)?;
    write_plan(dir.path(), key_file)?;
    Ok(dir)
}

/// Runs `qa-wecom` with `args` in `dir`, trusting the test root with `--ca-cert`.
fn qa_trusting_root(args: &[&str], dir: &Path) -> std::io::Result<Output> {
    qa(&[args, &["--ca-cert", "certs/root.pem"]].concat(), dir)
}

#[test]
fn plan_check_json_reports_a_certificate_for_another_domain_as_name_mismatch_and_exits_1()
-> TestResult {
    let dir = provided_dir(&["other.example.com"], "certs/leaf.key")?;
    let o = qa_trusting_root(&["plan", "check", "plan.toml", "--json"], dir.path())?;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o)?;
    assert_eq!(v["ok"], false);
    assert_eq!(v["callback_url"], Value::Null);
    let tls = tls_issues(&v);
    assert_eq!(tls.len(), 1, "{tls:?}");
    let i = &tls[0];
    assert_eq!(i["code"], "tls_name_mismatch");
    assert_eq!(i["params"]["finding"], "name_mismatch");
    assert_eq!(i["params"]["domain"], "qa.example.com");
    assert_eq!(i["severity"], "error");
    assert_eq!(i["field"], "tls.certificate_file");
    assert!(
        i["message"]["en"]
            .as_str()
            .unwrap_or_default()
            .contains("other.example.com")
    );
    assert!(i["fix"]["zh"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(v["error_count"], 1);
    Ok(())
}

#[test]
fn plan_check_passes_a_chain_trusted_with_ca_cert_and_fails_it_without() -> TestResult {
    let dir = provided_dir(&["qa.example.com"], "certs/leaf.key")?;
    let o = qa_trusting_root(&["plan", "check", "plan.toml"], dir.path())?;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("[tls_"), "{}", stderr(&o));

    let o = qa(&["plan", "check", "plan.toml"], dir.path())?;
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error: tls.certificate_file [tls_untrusted_root]")
            || err.contains("error: tls.certificate_file [tls_chain_incomplete]"),
        "{err}"
    );
    assert!(err.contains("  fix: "), "{err}");
    Ok(())
}

#[test]
fn plan_check_reports_a_key_mismatch_on_the_key_field() -> TestResult {
    let dir = provided_dir(&["qa.example.com"], "certs/other.key")?;
    let o = qa_trusting_root(&["plan", "check", "plan.toml", "--json"], dir.path())?;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let tls = tls_issues(&json(&o)?);
    assert_eq!(tls.len(), 1, "{tls:?}");
    assert_eq!(tls[0]["code"], "tls_key_mismatch");
    assert_eq!(tls[0]["params"]["finding"], "key_mismatch");
    assert_eq!(tls[0]["field"], "secrets.tls.private_key_file");
    Ok(())
}

#[test]
fn export_refuses_a_provided_certificate_that_fails_inspection_and_accepts_a_good_one() -> TestResult
{
    let dir = provided_dir(&["other.example.com"], "certs/leaf.key")?;
    let o = qa_trusting_root(
        &["export", "plan.toml", "-o", "bundle", "--json"],
        dir.path(),
    )?;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o)?;
    assert_eq!(v["error"]["code"], "plan_invalid");
    assert!(
        tls_issues(&v)
            .iter()
            .any(|i| i["params"]["finding"] == "name_mismatch"),
        "{v}"
    );
    assert!(!dir.path().join("bundle").exists());

    let good = provided_dir(&["qa.example.com"], "certs/leaf.key")?;
    let o = qa_trusting_root(&["export", "plan.toml", "-o", "bundle"], good.path())?;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let fps = std::fs::read_to_string(good.path().join("bundle/tls/fingerprints.txt"))?;
    assert!(fps.contains("1  "), "{fps}");
    Ok(())
}

#[test]
fn plan_new_demo_writes_a_self_signed_pair_that_check_and_export_use() -> TestResult {
    let dir = tempfile::tempdir()?;
    let o = plan_new_demo(dir.path(), &["--json"])?;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o)?;
    let key = dir
        .path()
        .join(v["tls"]["private_key"].as_str().ok_or("no key")?);
    let cert = dir
        .path()
        .join(v["tls"]["certificate"].as_str().ok_or("no cert")?);
    assert!(key.ends_with("demo-tls/demo-only.key"), "{}", key.display());
    assert!(cert.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key)?.permissions().mode() & 0o777, 0o600);
    }
    let plan = std::fs::read_to_string(dir.path().join("plan.toml"))?;
    assert!(
        plan.contains("certificate_file = \"demo-tls/demo-only.crt\""),
        "{plan}"
    );
    assert!(!plan.contains("PRIVATE KEY") && !plan.contains("demo-only.key"));
    let secrets = std::fs::read_to_string(dir.path().join("plan.secrets.toml"))?;
    assert!(
        secrets.contains("private_key_file = \"demo-tls/demo-only.key\""),
        "{secrets}"
    );
    assert!(!secrets.contains("PRIVATE KEY"));

    let o = qa(&["plan", "check", "plan.toml", "--json"], dir.path())?;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o)?;
    assert_eq!(v["error_count"], 0);
    let codes: Vec<&str> = v["issues"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(!codes.contains(&"tls_files_not_set"), "{codes:?}");
    assert!(codes.contains(&"tls_self_signed"), "{codes:?}");

    let o = qa(&["export", "plan.toml", "-o", "bundle"], dir.path())?;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bundle = dir.path().join("bundle");
    for f in [
        "tls/certificate.pem",
        "tls/fingerprints.txt",
        "secrets/tls/private.key",
    ] {
        assert!(bundle.join(f).is_file(), "{f}");
    }
    for p in all_files(&bundle) {
        let rel = p.strip_prefix(&bundle)?.to_string_lossy().into_owned();
        let text = String::from_utf8_lossy(&std::fs::read(&p)?).into_owned();
        assert_eq!(
            text.contains("PRIVATE KEY"),
            rel == "secrets/tls/private.key",
            "{rel}"
        );
    }
    Ok(())
}

#[test]
fn plan_new_demo_does_not_replace_existing_demo_tls_files_without_force() -> TestResult {
    let dir = tempfile::tempdir()?;
    std::fs::create_dir(dir.path().join("demo-tls"))?;
    std::fs::write(dir.path().join("demo-tls/demo-only.key"), "mine")?;
    let o = plan_new_demo(dir.path(), &["--json"])?;
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json(&o)?["error"]["code"], "file_exists");
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert!(!dir.path().join("plan.toml").exists());
    assert!(!dir.path().join("plan.secrets.toml").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("demo-tls/demo-only.key"))?,
        "mine"
    );
    let o = plan_new_demo(dir.path(), &["--force"])?;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(dir.path().join("demo-tls/demo-only.key"))?.contains("PRIVATE KEY")
    );
    Ok(())
}
