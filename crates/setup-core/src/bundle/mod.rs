//! The deployment bundle: every file of `product.md`'s table, built in memory from a checked plan
//! and its secrets ([`build`]), then written to a folder or a zip in one atomic step
//! ([`write_dir`], [`write_zip`]), or all of it from a plan file with [`export_plan`].
//!
//! Secrets go only under `secrets/` (0700, files 0600); before anything is written, every other
//! file is scanned for the secret values and for private-key PEM, and the export fails if one
//! appears.

mod error;
mod export;
mod tls;
mod write;

pub use error::BundleError;
pub use export::{ExportFormat, ExportRequest, ExportSummary, ExportedFile, export_plan};
pub use write::{MARKER, name_files, write_dir, write_zip};

use crate::generate::callback_ips::{CALLBACK_IPS_FILE, CallbackIps, callback_ips_txt};
use crate::generate::console::{ConsoleValues, console_checklist};
use crate::generate::{
    NginxOptions, diagram::topology_svg, nginx_conf, readme::readme, sql::create_database_sql,
    trigger::trigger_import_sh, waf::waf_json, waf::waf_steps,
};
use crate::plan::{
    Database, Network, PLAN_VERSION, Plan, QuickAudience, Resources, SECRETS_VERSION, SecretTls,
    Secrets, Tls, WeCom, render_plan, render_secrets,
};
use crate::validate::{CheckedPlan, CheckedSecrets};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The secrets folder of a bundle.
pub const SECRETS_DIR: &str = "secrets";

/// One file of the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    /// Relative path with `/` separators.
    pub path: String,
    pub contents: Vec<u8>,
    /// Under `secrets/`: 0600 in a 0700 folder.
    pub secret: bool,
    /// A script: 0755.
    pub executable: bool,
}

impl BundleFile {
    pub(crate) fn new(path: &str, contents: impl Into<Vec<u8>>) -> Self {
        BundleFile {
            secret: path.starts_with("secrets/"),
            path: path.to_owned(),
            contents: contents.into(),
            executable: path.ends_with(".sh"),
        }
    }

    /// The Unix permissions the file gets.
    pub fn mode(&self) -> u32 {
        if self.secret {
            0o600
        } else if self.executable {
            0o755
        } else {
            0o644
        }
    }
}

/// The files of a bundle, `SHA256SUMS` last.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub files: Vec<BundleFile>,
}

impl Bundle {
    pub fn get(&self, path: &str) -> Option<&BundleFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// What the bundle is built from besides the plan and secrets.
#[derive(Debug, Clone, Default)]
pub struct BundleOptions {
    /// The folder relative TLS paths of the plan are resolved against (the plan file's folder).
    pub plan_dir: std::path::PathBuf,
    /// The folder the private-key path of the secrets is resolved against.
    pub secrets_dir: std::path::PathBuf,
    /// Listen address/port and certificate paths of `network/nginx.conf`.
    pub nginx: NginxOptions,
    /// The last live verification (JSON), for `report/verification.json`.
    pub verification_report: Option<String>,
    /// WeCom's callback source addresses from a WeCom check, for
    /// `network/wecom-callback-ips.txt` (without them the file says how to fetch them).
    pub callback_ips: Option<CallbackIps>,
}

/// The plan as the bundle's `plan.toml` holds it: normalized values, secrets in
/// `secrets/secrets.toml`, TLS files pointing at the bundle's copies.
fn bundle_plan(plan: &CheckedPlan, tls: &tls::TlsFiles) -> Plan {
    Plan {
        version: PLAN_VERSION,
        secrets_file: Some("secrets/secrets.toml".to_owned()),
        resources: Resources {
            domain: Some(plan.domain.to_string()),
            public_ip: plan.public_ip.map(|ip| ip.to_string()),
            wecom_users: i64::try_from(plan.wecom_users).ok(),
        },
        tls: Tls {
            mode: Some(plan.tls.mode),
            certificate_file: tls.certificate.then(|| tls::CERTIFICATE.to_owned()),
            csr_file: tls.csr.then(|| tls::CSR.to_owned()),
            server_certificate_path: Some(plan.tls.server_certificate_path.as_str().to_owned()),
            server_key_path: Some(plan.tls.server_key_path.as_str().to_owned()),
        },
        wecom: WeCom {
            corp_id: Some(plan.corp_id.to_string()),
            agent_id: Some(i64::from(plan.agent_id)),
            console_done: Vec::new(),
        },
        network: Network {
            qa_upstream: Some(plan.qa_upstream.to_string()),
            proxy: Some(plan.proxy),
        },
        database: Database {
            kind: Some(plan.database_kind),
            name: Some(plan.database_name.as_str().to_owned()),
        },
        quick_audience: QuickAudience {
            organization_id: plan.organization_id.map(|u| u.to_string()),
            workspace_id: plan.workspace_id.map(|u| u.to_string()),
        },
    }
}

fn bundle_secrets(secrets: &CheckedSecrets, tls: &tls::TlsFiles) -> Secrets {
    Secrets {
        version: SECRETS_VERSION,
        app_secret: Some(secrets.app_secret.clone()),
        token: Some(secrets.token.clone()),
        encoding_aes_key: Some(secrets.encoding_aes_key.clone()),
        tls: SecretTls {
            // Relative to secrets/, where secrets.toml is.
            private_key_file: tls.key.then(|| "tls/private.key".to_owned()),
            private_key_pem: None,
        },
    }
}

/// Builds every file of the bundle in memory. Reads the TLS files the plan names; writes nothing.
pub fn build(
    plan: &CheckedPlan,
    secrets: &CheckedSecrets,
    opts: &BundleOptions,
) -> Result<Bundle, BundleError> {
    let tls = tls::collect(plan, secrets, &opts.plan_dir, &opts.secrets_dir)?;
    let mut files = vec![
        BundleFile::new("plan.toml", render_plan(&bundle_plan(plan, &tls))),
        BundleFile::new(
            "secrets/secrets.toml",
            render_secrets(&bundle_secrets(secrets, &tls)),
        ),
        BundleFile::new(
            "secrets/wecom-console.md",
            console_checklist(plan, ConsoleValues::Shown(secrets)),
        ),
        BundleFile::new(
            "wecom-console.md",
            console_checklist(plan, ConsoleValues::Referenced),
        ),
        BundleFile::new("network/nginx.conf", nginx_conf(plan, &opts.nginx)),
        BundleFile::new("network/waf-allowlist.json", waf_json(plan)),
        BundleFile::new("network/waf-allowlist.md", waf_steps(plan)),
        BundleFile::new(
            CALLBACK_IPS_FILE,
            callback_ips_txt(opts.callback_ips.as_ref()),
        ),
    ];
    files.extend(tls.files);
    files.push(BundleFile::new(
        "database/create-analysis-db.sql",
        create_database_sql(plan.database_kind, &plan.database_name),
    ));
    files.push(BundleFile::new(
        "ops/trigger-import.sh",
        trigger_import_sh(plan),
    ));
    files.push(BundleFile::new("diagram/topology.svg", topology_svg(plan)));
    if let Some(report) = &opts.verification_report {
        files.push(BundleFile::new("report/verification.json", report.as_str()));
    }
    let mut paths: Vec<&str> = vec!["README.md"];
    paths.extend(files.iter().map(|f| f.path.as_str()));
    paths.push("SHA256SUMS");
    let readme = BundleFile::new("README.md", readme(plan, &paths));
    files.insert(0, readme);

    scan_for_secrets(&files, secrets)?;
    files.push(BundleFile::new("SHA256SUMS", sha256sums(&files)));
    Ok(Bundle { files })
}

/// `<sha256 hex>  <path>` lines for every file, sorted by path (`sha256sum -c` format).
pub(crate) fn sha256sums(files: &[BundleFile]) -> String {
    let mut lines: Vec<String> = files
        .iter()
        .map(|f| format!("{}  {}\n", hex::encode(Sha256::digest(&f.contents)), f.path))
        .collect();
    lines.sort_by(|a, b| a.get(66..).cmp(&b.get(66..)));
    lines.concat()
}

/// Fails if a file outside `secrets/` contains a secret value or private-key PEM.
fn scan_for_secrets(files: &[BundleFile], secrets: &CheckedSecrets) -> Result<(), BundleError> {
    let needles = [
        secrets.app_secret.expose(),
        secrets.token.expose(),
        secrets.encoding_aes_key.expose(),
    ];
    scan_shareable(files, &needles)
}

/// Fails if a file outside `secrets/` contains one of `needles` or private-key PEM (the bundle's
/// scan; the support pack runs it too).
pub(crate) fn scan_shareable(files: &[BundleFile], needles: &[&str]) -> Result<(), BundleError> {
    // Every secret, whatever its length (an empty one matches everything and means no value).
    let needles: Vec<&str> = needles.iter().copied().filter(|n| !n.is_empty()).collect();
    for f in files.iter().filter(|f| !f.secret) {
        let text = String::from_utf8_lossy(&f.contents);
        if text.contains("PRIVATE KEY-----") || needles.iter().any(|n| text.contains(n)) {
            return Err(BundleError::SecretLeak {
                path: f.path.clone(),
            });
        }
    }
    Ok(())
}

/// Checks the plan file's folder-relative paths: `base.join(path)` unless `path` is absolute.
pub(crate) fn resolve(base: &Path, path: &str) -> std::path::PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

#[cfg(test)]
mod tests;
