//! The deployment bundle end to end: export from a plan file on disk to a folder and to a zip,
//! then check the layout, permissions, checksums, the generated scripts, and that no file outside
//! `secrets/` holds a secret.

mod common;

use common::*;
use setup_core::bundle::{
    BundleError, ExportFormat, ExportRequest, ExportSummary, MARKER, export_plan,
};
use setup_core::generate::NginxOptions;
use setup_core::plan::{FileError, TlsMode, load_plan, load_secrets, secrets_path_for};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn request(plan_path: &Path, output: &Path, format: ExportFormat) -> ExportRequest {
    ExportRequest {
        plan_path: plan_path.to_path_buf(),
        output: output.to_path_buf(),
        format,
        nginx: NginxOptions::default(),
        verification_report: Some("{\"ok\":true}\n".to_owned()),
        callback_ips: None,
        ca_certs: Vec::new(),
        force: false,
    }
}

/// Exports `plan_path` to `output` as `format`, expecting the export to be refused; the refusal.
fn export_error(plan_path: &Path, output: &Path, format: ExportFormat) -> BundleError {
    export_plan(&request(plan_path, output, format)).expect_err("the export should be refused")
}

/// A plan with a self-signed TLS pair (real openssl) saved in `dir`; returns (plan path, key path).
/// (Mode `self_signed`: in mode `provided` the export inspects the chain, and this one is trusted
/// by nobody; `plan_tls.rs` covers provided chains.)
fn provided_plan(
    dir: &Path,
) -> Result<(std::path::PathBuf, std::path::PathBuf), Box<dyn std::error::Error>> {
    let (cert, key) = openssl_pair(dir, "qawecom.example.com")?;
    let plan_path = save(
        dir,
        &plan(TlsMode::SelfSigned, Some(&cert)),
        &secrets(Some(&key)),
    )?;
    Ok((plan_path, key))
}

/// A plan in a fresh folder, exported as a folder to `<dir>/bundle` (the folder is deleted when
/// this drops).
struct Exported {
    dir: tempfile::TempDir,
    plan_path: PathBuf,
    out: PathBuf,
    summary: ExportSummary,
}

/// The plan `write_plan` writes into the fresh folder, exported.
fn exported_plan(
    write_plan: impl FnOnce(&Path) -> Result<PathBuf, Box<dyn std::error::Error>>,
) -> Result<Exported, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let plan_path = write_plan(dir.path())?;
    let out = dir.path().join("bundle");
    let summary = export_plan(&request(&plan_path, &out, ExportFormat::Dir))?;
    Ok(Exported {
        dir,
        plan_path,
        out,
        summary,
    })
}

/// The provided-certificate plan, exported.
fn exported_folder() -> Result<Exported, Box<dyn std::error::Error>> {
    exported_plan(|dir| Ok(provided_plan(dir)?.0))
}

/// The secret values of the plan at `plan_path`.
fn secret_values(plan_path: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let plan = load_plan(plan_path)?;
    let s = load_secrets(&secrets_path_for(plan_path, &plan))?;
    Ok([s.app_secret, s.token, s.encoding_aes_key]
        .into_iter()
        .flatten()
        .map(|v| v.expose().to_owned())
        .collect())
}

const EXPECTED: &[&str] = &[
    "README.md",
    "SHA256SUMS",
    "database/create-analysis-db.sql",
    "diagram/topology.svg",
    "network/nginx.conf",
    "network/waf-allowlist.json",
    "network/waf-allowlist.md",
    "network/wecom-callback-ips.txt",
    "ops/trigger-import.sh",
    "plan.toml",
    "report/verification.json",
    "secrets/secrets.toml",
    "secrets/tls/private.key",
    "secrets/wecom-console.md",
    "tls/certificate.pem",
    "tls/fingerprints.txt",
    "wecom-console.md",
];

#[test]
fn the_exported_folder_has_every_file_of_the_layout() -> TestResult {
    let bundle = exported_folder()?;
    let found: Vec<String> = walk(&bundle.out).into_iter().map(|(rel, _)| rel).collect();
    // Every file of the layout, and the marker that makes the folder a bundle.
    let mut expected = vec![MARKER];
    expected.extend(EXPECTED);
    assert_eq!(found, expected);
    assert_eq!(bundle.summary.files.len(), EXPECTED.len());
    assert!(
        bundle
            .summary
            .files
            .iter()
            .filter(|f| f.secret)
            .all(|f| f.path.starts_with("secrets/"))
    );
    Ok(())
}

#[test]
fn no_file_outside_secrets_contains_a_secret_in_the_folder_or_the_zip() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (plan_path, key) = provided_plan(dir.path())?;
    let mut needles = secret_values(&plan_path)?;
    assert_eq!(needles.len(), 3);
    // The key's first base64 lines too: they hold the private scalar (later ones hold the public
    // point, which the certificate shares).
    let key_pem = std::fs::read_to_string(&key)?;
    needles.extend(
        key_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .take(2)
            .map(str::to_owned),
    );
    needles.push("PRIVATE KEY".to_owned());

    let out = dir.path().join("bundle");
    export_plan(&request(&plan_path, &out, ExportFormat::Dir))?;
    let mut scanned = 0;
    let mut secret_files = 0;
    for (rel, path) in walk(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
        if rel.starts_with("secrets/") {
            secret_files += 1;
            continue;
        }
        scanned += 1;
        for n in &needles {
            assert!(!text.contains(n.as_str()), "{rel} contains a secret");
        }
    }
    assert_eq!((scanned, secret_files), (15, 3)); // 14 files and the marker
    // The secrets are where they belong.
    let secrets_toml = std::fs::read_to_string(out.join("secrets/secrets.toml"))?;
    let console = std::fs::read_to_string(out.join("secrets/wecom-console.md"))?;
    for n in &needles[..3] {
        assert!(secrets_toml.contains(n.as_str()));
    }
    assert!(console.contains(needles[1].as_str()) && console.contains(needles[2].as_str()));
    assert_eq!(
        std::fs::read_to_string(out.join("secrets/tls/private.key"))?.trim(),
        key_pem.trim()
    );

    let zip_path = dir.path().join("bundle.zip");
    export_plan(&request(&plan_path, &zip_path, ExportFormat::Zip))?;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path)?)?;
    let mut zip_files = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let name = entry.name()?.into_owned();
        if entry.is_dir() {
            let mode = entry.unix_mode().unwrap_or(0) & 0o777;
            let expected = if name.starts_with("secrets") {
                0o700
            } else {
                0o755
            };
            assert_eq!(mode, expected, "{name}");
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text)?;
        if name.starts_with("secrets/") {
            assert_eq!(entry.unix_mode().unwrap_or(0) & 0o777, 0o600, "{name}");
        } else {
            for n in &needles {
                assert!(
                    !text.contains(n.as_str()),
                    "{name} in the zip contains a secret"
                );
            }
        }
        zip_files.push(name);
    }
    zip_files.sort();
    assert_eq!(zip_files, EXPECTED);
    #[cfg(unix)]
    assert_eq!(mode(&zip_path), 0o600);
    Ok(())
}

#[cfg(unix)]
#[test]
fn secrets_are_0700_and_0600_and_the_script_is_executable() -> TestResult {
    let bundle = exported_folder()?;
    assert_eq!(mode(&bundle.out.join("secrets")), 0o700);
    assert_eq!(mode(&bundle.out.join("secrets/tls")), 0o700);
    for (rel, path) in walk(&bundle.out) {
        let expected = if rel.starts_with("secrets/") {
            0o600
        } else if rel.ends_with(".sh") {
            0o755
        } else {
            0o644
        };
        assert_eq!(mode(&path), expected, "{rel}");
    }
    assert_eq!(mode(&bundle.out), 0o755);
    assert_eq!(mode(&bundle.out.join("tls")), 0o755);
    Ok(())
}

#[test]
fn sha256sums_verifies_with_the_real_sha256sum() -> TestResult {
    let bundle = exported_folder()?;
    let sums = std::fs::read_to_string(bundle.out.join("SHA256SUMS"))?;
    assert_eq!(sums.lines().count(), EXPECTED.len() - 1);
    let status = Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&bundle.out)
        .status()?;
    assert!(status.success());
    Ok(())
}

#[test]
fn fingerprints_match_openssl_and_the_private_key_never_lands_in_tls() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (cert, key) = openssl_pair(dir.path(), "qawecom.example.com")?;
    // A combined file: chain and key together, as some admins keep them.
    let combined = dir.path().join("combined.pem");
    std::fs::write(
        &combined,
        format!(
            "{}{}",
            std::fs::read_to_string(&cert)?,
            std::fs::read_to_string(&key)?
        ),
    )?;
    let plan_path = save(
        dir.path(),
        &plan(TlsMode::SelfSigned, Some(&combined)),
        &secrets(Some(&key)),
    )?;
    let out = dir.path().join("bundle");
    export_plan(&request(&plan_path, &out, ExportFormat::Dir))?;
    let chain = std::fs::read_to_string(out.join("tls/certificate.pem"))?;
    assert!(chain.contains("BEGIN CERTIFICATE") && !chain.contains("PRIVATE KEY"));
    let openssl = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(&cert)
        .output()?;
    let expected = String::from_utf8(openssl.stdout)?;
    let expected = expected
        .trim()
        .rsplit('=')
        .next()
        .unwrap_or_default()
        .to_owned();
    let fps = std::fs::read_to_string(out.join("tls/fingerprints.txt"))?;
    assert!(fps.contains(&expected), "{fps}\n{expected}");
    Ok(())
}

#[test]
fn an_existing_folder_that_is_not_a_bundle_is_refused_and_left_alone() -> TestResult {
    let dir = tempfile::tempdir()?;
    let plan_path = save(dir.path(), &plan(TlsMode::None, None), &secrets(None))?;
    let out = dir.path().join("precious");
    std::fs::create_dir(&out)?;
    std::fs::write(out.join("notes.txt"), "mine")?;
    let err = export_error(&plan_path, &out, ExportFormat::Dir);
    assert!(
        matches!(err, BundleError::TargetNotABundle { .. }),
        "{err:?}"
    );
    assert_eq!(walk(&out).len(), 1);
    assert_eq!(std::fs::read_to_string(out.join("notes.txt"))?, "mine");
    Ok(())
}

#[test]
fn a_previous_bundle_is_replaced_whole_and_a_failed_export_leaves_it_intact() -> TestResult {
    let bundle = exported_folder()?;
    std::fs::write(bundle.out.join("stale.txt"), "from an older export")?;
    let first_sums = std::fs::read_to_string(bundle.out.join("SHA256SUMS"))?;

    // A failing export (the certificate file is gone) changes nothing.
    let mut p = load_plan(&bundle.plan_path)?;
    p.tls.certificate_file = Some(bundle.dir.path().join("missing.crt").display().to_string());
    setup_core::plan::save_plan(&bundle.plan_path, &p)?;
    let err = export_error(&bundle.plan_path, &bundle.out, ExportFormat::Dir);
    assert!(matches!(err, BundleError::TlsRead { .. }), "{err:?}");
    assert_eq!(
        std::fs::read_to_string(bundle.out.join("SHA256SUMS"))?,
        first_sums
    );
    assert!(bundle.out.join("stale.txt").exists());

    // A successful one refuses the file export did not write, by name, unless forced; then it
    // replaces the folder entirely.
    p.tls.mode = Some(TlsMode::None);
    setup_core::plan::save_plan(&bundle.plan_path, &p)?;
    match export_plan(&request(&bundle.plan_path, &bundle.out, ExportFormat::Dir)) {
        Err(BundleError::BundleHasOtherFiles { files, .. }) => assert_eq!(files, ["stale.txt"]),
        other => panic!("{other:?}"),
    }
    assert!(bundle.out.join("stale.txt").exists());
    export_plan(&ExportRequest {
        force: true,
        ..request(&bundle.plan_path, &bundle.out, ExportFormat::Dir)
    })?;
    assert!(!bundle.out.join("stale.txt").exists());
    assert!(!bundle.out.join("tls").exists());
    // No temporary folders are left next to it.
    let leftovers: Vec<_> = std::fs::read_dir(bundle.dir.path())?
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".qa-wecom-bundle")
        })
        .collect();
    assert!(leftovers.is_empty());
    Ok(())
}

#[test]
fn an_invalid_plan_or_missing_secrets_file_writes_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut bad = plan(TlsMode::None, None);
    bad.resources.domain = Some("qa example".into());
    let plan_path = save(dir.path(), &bad, &secrets(None))?;
    let out = dir.path().join("bundle");
    match export_error(&plan_path, &out, ExportFormat::Dir) {
        BundleError::Invalid { issues } => {
            assert!(issues.iter().any(|i| i.field == "resources.domain"))
        }
        other => panic!("{other:?}"),
    }
    assert!(!out.exists());
    std::fs::remove_file(dir.path().join("plan.secrets.toml"))?;
    let err = export_error(&plan_path, &out, ExportFormat::Zip);
    assert!(
        matches!(err, BundleError::File(FileError::SecretsMissing { .. })),
        "{err:?}"
    );
    assert!(!out.exists());
    Ok(())
}

#[test]
fn a_secret_reused_as_a_plan_value_stops_the_export() -> TestResult {
    let dir = tempfile::tempdir()?;
    let s = secrets(None);
    let mut p = plan(TlsMode::None, None);
    // The Token pasted as the corpid would end up in the shareable URL.
    p.wecom.corp_id = s.token.as_ref().map(|t| t.expose().to_owned());
    let plan_path = save(dir.path(), &p, &s)?;
    let out = dir.path().join("bundle");
    let err = export_error(&plan_path, &out, ExportFormat::Dir);
    assert!(matches!(err, BundleError::SecretLeak { .. }), "{err:?}");
    assert!(!out.exists());
    Ok(())
}

#[test]
fn the_bundle_plan_reloads_and_exports_again_from_inside_the_bundle() -> TestResult {
    let bundle = exported_folder()?;
    let again = bundle.dir.path().join("again");
    export_plan(&request(
        &bundle.out.join("plan.toml"),
        &again,
        ExportFormat::Dir,
    ))?;
    for f in [
        "tls/certificate.pem",
        "secrets/tls/private.key",
        "network/nginx.conf",
        "plan.toml",
    ] {
        assert_eq!(
            std::fs::read(bundle.out.join(f))?,
            std::fs::read(again.join(f))?,
            "{f}"
        );
    }
    Ok(())
}

#[test]
fn trigger_import_runs_the_manuals_curl_with_the_plan_ids_and_refuses_bad_ids() -> TestResult {
    let bundle = exported_plan(|dir| save(dir, &plan(TlsMode::None, None), &secrets(None)))?;
    // A stand-in curl that prints its arguments.
    let bin = bundle.dir.path().join("bin");
    std::fs::create_dir(&bin)?;
    std::fs::write(bin.join("curl"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n")?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(bin.join("curl"), std::fs::Permissions::from_mode(0o755))?;
    }
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let script = bundle.out.join("ops/trigger-import.sh");
    let run = |args: &[&str]| {
        Command::new("sh")
            .arg(&script)
            .args(args)
            .env("PATH", &path)
            .output()
    };
    let ok = run(&[])?;
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(
        String::from_utf8(ok.stdout)?,
        "--location\nhttp://127.0.0.1:9001/swagger/test/invoke/day/dataimport/0a27b751-db52-4ec2-b2bc-e7b747c0bfb6/5a3e3999-fccb-43ef-b232-9cbbae053e8b/WECHAT_WECOM\n"
    );
    let other = run(&[
        "27edd606-d875-42a1-812b-e823a2727e75",
        "27c4853e-f2c5-44c8-866d-42488e9ef999",
    ])?;
    assert!(String::from_utf8(other.stdout)?.contains(
        "/27edd606-d875-42a1-812b-e823a2727e75/27c4853e-f2c5-44c8-866d-42488e9ef999/WECHAT_WECOM"
    ));
    for bad in [
        "nope",
        "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6\n; rm -rf /",
        "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6/../x",
    ] {
        let r = run(&[bad, "5a3e3999-fccb-43ef-b232-9cbbae053e8b"])?;
        assert_eq!(r.status.code(), Some(2), "{bad:?}");
        assert!(r.stdout.is_empty());
    }
    Ok(())
}

#[test]
fn the_diagram_is_well_formed_xml_with_the_plan_values() -> TestResult {
    let bundle = exported_plan(|dir| save(dir, &plan(TlsMode::SelfSigned, None), &secrets(None)))?;
    let svg = std::fs::read_to_string(bundle.out.join("diagram/topology.svg"))?;
    let mut reader = quick_xml::Reader::from_str(&svg);
    let mut elements = 0;
    loop {
        match reader.read_event()? {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_) => {
                elements += 1
            }
            _ => {}
        }
    }
    assert!(elements > 20);
    for v in [
        "qawecom.example.com",
        "203.0.113.10",
        "127.0.0.1:8080",
        "WAF",
        "/restapi/thirdservice/we/com",
        "GaussDB",
        "WeCom",
    ] {
        assert!(svg.contains(v), "{v}");
    }
    let sql = std::fs::read_to_string(bundle.out.join("database/create-analysis-db.sql"))?;
    assert!(sql.contains("CREATE DATABASE qa_analysis WITH ENCODING 'UTF8' TEMPLATE template0;"));
    assert!(sql.contains("cannot be changed after"));
    let waf: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(
        bundle.out.join("network/waf-allowlist.json"),
    )?)?;
    assert_eq!(
        waf["rules"][0]["match"]["path_prefix"],
        "/restapi/thirdservice/we/com"
    );
    assert_eq!(waf["rules"][0]["action"], "allow");
    let console = std::fs::read_to_string(bundle.out.join("wecom-console.md"))?;
    assert!(console.contains("https://qawecom.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/wwb697d33134e48cfc"));
    assert!(console.contains("secrets/secrets.toml"));
    Ok(())
}
