//! The checks that read files and the clock, kept apart from the pure [`super::check`]: with TLS
//! mode `provided`, the certificate chain the plan names (and the private key of the secrets) is
//! inspected against the plan's domain at a given time ([`crate::tls::inspect_files`]), and every
//! error or warning finding becomes an [`Issue`] whose code is `tls_` + the finding's code
//! (`tls_name_mismatch`, …) and whose `params.finding` is the finding's code itself.
//!
//! Relative paths resolve as the bundle resolves them: the plan's against the plan file's folder,
//! the secrets' against the secrets file's folder.

use super::{Checked, Issue, IssueCode, PrivateKey, Severity, check, domain, field};
use crate::atomic::parent_dir;
use crate::bundle::resolve;
use crate::plan::{Plan, Secrets, TlsMode, secrets_path_for};
use crate::tls::{self, FindingCode, InspectInput, Inspection, TrustStore};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where the files a plan names are, and what else to trust.
#[derive(Debug, Clone, Default)]
pub struct FileContext {
    /// The plan file's folder: relative TLS paths of the plan resolve against it.
    pub plan_dir: PathBuf,
    /// The secrets file's folder: a relative `tls.private_key_file` resolves against it.
    pub secrets_dir: PathBuf,
    /// Extra trust anchors (PEM files, e.g. a company CA) beside the bundled public roots.
    pub ca_certs: Vec<PathBuf>,
}

impl FileContext {
    /// The folders of the plan file at `plan_path` and of its secrets file; no extra anchors.
    pub fn for_plan_file(plan_path: &Path, plan: &Plan) -> Self {
        FileContext {
            plan_dir: parent_dir(plan_path),
            secrets_dir: parent_dir(&secrets_path_for(plan_path, plan)),
            ca_certs: Vec::new(),
        }
    }
}

/// The TLS inspection of a plan, or `None` when there is nothing to inspect: the mode is not
/// `provided`, or the certificate file is not set (or not a valid path). The private key of
/// `secrets` is checked too when it is set. An unreadable certificate or key file is the
/// `parse_error` finding (`params.reason` `unreadable`).
pub fn inspect_plan_tls(
    plan: &Plan,
    secrets: Option<&Secrets>,
    ctx: &FileContext,
    now: SystemTime,
) -> Option<Inspection> {
    if plan.tls.mode != Some(TlsMode::Provided) {
        return None;
    }
    let cert_file = plan
        .tls
        .certificate_file
        .as_deref()
        .filter(|f| !f.trim().is_empty())?;
    // A path with control characters is already an error of `check`.
    super::local_file(cert_file).ok()?;
    let cert = resolve(&ctx.plan_dir, cert_file);
    // The name check needs a valid domain; an invalid one is already an error of `check`.
    let host = plan
        .resources
        .domain
        .as_deref()
        .and_then(|d| domain(d).ok())
        .map(|(h, _)| h.as_str().to_owned())
        .unwrap_or_default();
    let key = secrets.and_then(private_key);
    Some(match key {
        Some(PrivateKey::File(f)) => {
            let key_path = resolve(&ctx.secrets_dir, &f);
            tls::inspect_files(&cert, Some(&key_path), &ctx.ca_certs, &host, now)
        }
        Some(PrivateKey::Pem(pem)) => {
            // Read the chain and anchors as `inspect_files` does, then inspect with the PEM key.
            let without_key = tls::inspect_files(&cert, None, &ctx.ca_certs, &host, now);
            let trust = trust_store(&ctx.ca_certs);
            match (tls::read_pem_file(&cert), trust) {
                (Ok(chain), Some(trust)) => {
                    let input = InspectInput {
                        chain_pem: &chain,
                        key_pem: Some(pem.expose().as_bytes()),
                        domain: &host,
                    };
                    tls::inspect(&input, &trust, now)
                }
                _ => without_key,
            }
        }
        None => tls::inspect_files(&cert, None, &ctx.ca_certs, &host, now),
    })
}

/// The bundled roots plus `ca_certs`; `None` when one of them cannot be used (the inspection
/// without the key reports why).
fn trust_store(ca_certs: &[PathBuf]) -> Option<TrustStore> {
    let mut trust = TrustStore::system();
    for ca in ca_certs {
        let pem = tls::read_pem_file(ca).ok()?;
        trust.add_pem(&pem).ok()?;
    }
    Some(trust)
}

/// The private key of the secrets, as [`super::check_secrets`] picks it: the file, else the PEM.
fn private_key(secrets: &Secrets) -> Option<PrivateKey> {
    let file = secrets
        .tls
        .private_key_file
        .as_deref()
        .filter(|f| !f.trim().is_empty() && super::local_file(f).is_ok());
    match file {
        Some(f) => Some(PrivateKey::File(f.to_owned())),
        None => secrets
            .tls
            .private_key_pem
            .clone()
            .filter(|p| !p.expose().trim().is_empty())
            .map(PrivateKey::Pem),
    }
}

/// The error and warning findings of an inspection as plan issues.
pub fn inspection_issues(inspection: &Inspection) -> Vec<Issue> {
    inspection
        .findings
        .iter()
        .filter_map(|f| {
            let code = IssueCode::from_tls_finding(f.code)?;
            let about_key = f.code == FindingCode::KeyMismatch || f.param("file") == "key";
            let field = if about_key {
                field::TLS_PRIVATE_KEY
            } else {
                field::TLS_CERTIFICATE_FILE
            };
            let mut params = f.params.clone();
            params.insert("finding".to_owned(), f.code.as_str().to_owned());
            let severity = code.severity();
            Some(Issue {
                code,
                severity,
                field: field.to_owned(),
                message: f.message.clone(),
                fix: f.fix.clone(),
                params,
            })
        })
        .collect()
}

/// [`check`] plus the checks that read files ([`inspect_plan_tls`]) at time `now`. The TLS issues come
/// right after the plan's own issues; `plan` is `None` when any issue is an error.
pub fn check_with_files(
    plan: &Plan,
    secrets: Option<&Secrets>,
    ctx: &FileContext,
    now: SystemTime,
) -> Checked {
    let mut checked = check(plan, secrets);
    let tls = inspect_plan_tls(plan, secrets, ctx, now)
        .map(|i| inspection_issues(&i))
        .unwrap_or_default();
    if tls.is_empty() {
        return checked;
    }
    let at = checked
        .issues
        .iter()
        .position(|i| i.field.starts_with("secrets"))
        .unwrap_or(checked.issues.len());
    checked.issues.splice(at..at, tls);
    if checked.issues.iter().any(|i| i.severity == Severity::Error) {
        checked.plan = None;
    }
    checked
}
