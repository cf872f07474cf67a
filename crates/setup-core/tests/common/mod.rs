//! Helpers shared by the integration tests: real certificates from `openssl`, plans on disk,
//! walking an exported bundle.
#![allow(dead_code)]

use setup_core::plan::{
    Plan, SecretTls, Secrets, TlsMode, save_plan, save_secrets, secrets_path_for,
};
use setup_core::secret::Secret;
use std::path::{Path, PathBuf};
use std::process::Command;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub const APP_SECRET: &str = "AppSecretValue0123456789abcdefghijklmnopqrs";

/// A self-signed ECDSA certificate and its key, made by the real `openssl`.
pub fn openssl_pair(
    dir: &Path,
    cn: &str,
) -> Result<(PathBuf, PathBuf), Box<dyn std::error::Error>> {
    let cert = dir.join(format!("{cn}.crt"));
    let key = dir.join(format!("{cn}.key"));
    let out = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "2",
        ])
        .arg("-subj")
        .arg(format!("/CN={cn}"))
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()?;
    if !out.status.success() {
        return Err(format!("openssl: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok((cert, key))
}

/// Secrets with a fresh Token and key and a fixed app secret.
pub fn secrets(private_key_file: Option<&Path>) -> Secrets {
    Secrets {
        app_secret: Some(Secret::new(APP_SECRET)),
        tls: SecretTls {
            private_key_file: private_key_file.map(|p| p.display().to_string()),
            private_key_pem: None,
        },
        ..Secrets::generated()
    }
}

/// The demo plan with the given TLS mode and certificate file.
pub fn plan(mode: TlsMode, certificate_file: Option<&Path>) -> Plan {
    let mut plan = Plan::demo();
    plan.tls.mode = Some(mode);
    plan.tls.certificate_file = certificate_file.map(|p| p.display().to_string());
    plan
}

/// Saves a plan and its secrets in `dir`; returns the plan path.
pub fn save(
    dir: &Path,
    plan: &Plan,
    secrets: &Secrets,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let path = dir.join("plan.toml");
    save_plan(&path, plan)?;
    save_secrets(&secrets_path_for(&path, plan), secrets)?;
    Ok(path)
}

/// Every file under `root`, as (relative path with `/`, absolute path), sorted.
pub fn walk(root: &Path) -> Vec<(String, PathBuf)> {
    fn go(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                go(root, &p, out);
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push((rel.to_string_lossy().replace('\\', "/"), p));
            }
        }
    }
    let mut out = Vec::new();
    go(root, root, &mut out);
    out.sort();
    out
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or(0)
}
