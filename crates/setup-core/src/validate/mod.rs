//! Validation of the whole plan and its secrets: every field is checked, every problem is
//! reported at once with a stable code, the field path and a bilingual message and fix. A plan
//! without errors becomes a [`CheckedPlan`] of typed, safe values that the generators take.
//!
//! [`check`] is pure (no files, no clock); [`check_with_files`] adds what needs both: the
//! inspection of a provided TLS certificate against the plan's domain; [`check_plan_file`] loads a
//! plan file and its secrets file and adds the secrets file's own rules, and its report is the one
//! report shape every check prints.

/// A validated text value: the string a rule accepted, readable (`as_str`, `Display`) but made
/// only by the rules of this module.
macro_rules! validated_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, ts_rs::TS)]
        #[ts(type = "string")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

mod address;
mod codes;
mod files;
mod hostname;
mod plan_file;
mod report;
mod values;

pub use address::{Upstream, UpstreamHost, public_ip, upstream};
pub use codes::{IssueCode, Severity};
pub use files::{FileContext, check_with_files, inspect_plan_tls, inspection_issues};
pub use hostname::{Hostname, domain};
pub use plan_file::{PlanFileCheck, check_plan_file};
pub use report::{PlanFacts, PlanStep};
pub use values::{
    CorpId, DbName, ServerPath, agent_id, app_secret, corp_id, database_name, encoding_aes_key,
    local_file, server_path, token, uuid, wecom_users,
};

use crate::callback::callback_url;
use crate::plan::{DatabaseKind, Plan, ProxyKind, Secrets, TlsMode};
use crate::secret::Secret;
use crate::sizing::{BandwidthAdvice, recommend_bandwidth};
use crate::text::Text;
use serde::Serialize;
use std::collections::BTreeMap;
use std::net::IpAddr;
use ts_rs::TS;

/// One problem found by a rule, before it is tied to a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: IssueCode,
    pub params: Vec<(&'static str, String)>,
}

impl Finding {
    pub fn new(code: IssueCode) -> Self {
        Finding {
            code,
            params: Vec::new(),
        }
    }

    pub fn with(mut self, key: &'static str, value: String) -> Self {
        self.params.push((key, value));
        self
    }

    pub fn param(&self, key: &str) -> Option<String> {
        self.params
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }

    /// The finding as an issue of `field`.
    pub fn into_issue(self, field: &str) -> Issue {
        let params: BTreeMap<String, String> = self
            .params
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let (message, fix) = self.code.describe(&params);
        Issue {
            code: self.code,
            severity: self.code.severity(),
            field: field.to_owned(),
            message,
            fix,
            params,
        }
    }
}

/// What a rule returns: the typed value and any warnings, or the one error.
pub type Rule<T> = Result<(T, Vec<Finding>), Finding>;

/// A problem with one field of the plan or secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Issue {
    pub code: IssueCode,
    pub severity: Severity,
    /// The field path, e.g. `resources.domain` or `secrets.token`.
    pub field: String,
    /// What is wrong.
    pub message: Text,
    /// How to fix it.
    pub fix: Text,
    /// The values the message is built from (never a secret).
    pub params: BTreeMap<String, String>,
}

/// Each issue as its field and code, for tests to compare with what they expect.
#[cfg(test)]
pub(crate) fn field_codes(issues: &[Issue]) -> Vec<(&str, IssueCode)> {
    issues.iter().map(|i| (i.field.as_str(), i.code)).collect()
}

/// Field paths, as the issues name them.
pub mod field {
    pub const SECRETS_FILE: &str = "secrets_file";
    pub const DOMAIN: &str = "resources.domain";
    pub const PUBLIC_IP: &str = "resources.public_ip";
    pub const WECOM_USERS: &str = "resources.wecom_users";
    pub const TLS_MODE: &str = "tls.mode";
    pub const TLS_CERTIFICATE_FILE: &str = "tls.certificate_file";
    pub const TLS_CSR_FILE: &str = "tls.csr_file";
    pub const TLS_SERVER_CERTIFICATE_PATH: &str = "tls.server_certificate_path";
    pub const TLS_SERVER_KEY_PATH: &str = "tls.server_key_path";
    pub const CORP_ID: &str = "wecom.corp_id";
    pub const AGENT_ID: &str = "wecom.agent_id";
    pub const QA_UPSTREAM: &str = "network.qa_upstream";
    pub const PROXY: &str = "network.proxy";
    pub const DATABASE_KIND: &str = "database.kind";
    pub const DATABASE_NAME: &str = "database.name";
    pub const ORGANIZATION_ID: &str = "quick_audience.organization_id";
    pub const WORKSPACE_ID: &str = "quick_audience.workspace_id";
    pub const APP_SECRET: &str = "secrets.app_secret";
    pub const TOKEN: &str = "secrets.token";
    pub const ENCODING_AES_KEY: &str = "secrets.encoding_aes_key";
    pub const TLS_PRIVATE_KEY: &str = "secrets.tls.private_key_file";
}

/// Collects issues for a check.
#[derive(Default)]
struct Sink(Vec<Issue>);

impl Sink {
    fn push(&mut self, field: &str, finding: Finding) {
        self.0.push(finding.into_issue(field));
    }

    /// Runs a rule on `field`: records its warnings or its error, returns the value if valid.
    fn rule<T>(&mut self, field: &str, result: Rule<T>) -> Option<T> {
        match result {
            Ok((value, warnings)) => {
                for w in warnings {
                    self.push(field, w);
                }
                Some(value)
            }
            Err(e) => {
                self.push(field, e);
                None
            }
        }
    }

    /// A required field: `missing` when absent (text: absent or blank, see [`present`]), else
    /// the rule.
    fn required<V, T>(
        &mut self,
        field: &str,
        value: Option<V>,
        missing: IssueCode,
        rule: impl FnOnce(V) -> Rule<T>,
    ) -> Option<T> {
        match value {
            Some(v) => self.rule(field, rule(v)),
            None => {
                self.push(field, Finding::new(missing));
                None
            }
        }
    }

    /// An optional field: nothing when absent or blank, else the rule.
    fn optional<T>(
        &mut self,
        field: &str,
        value: Option<&str>,
        rule: impl FnOnce(&str) -> Rule<T>,
    ) -> Result<Option<T>, ()> {
        match present(value) {
            Some(v) => self.rule(field, rule(v)).map(Some).ok_or(()),
            None => Ok(None),
        }
    }
}

/// `None` for an absent or blank value.
fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// The TLS part of a checked plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CheckedTls {
    pub mode: TlsMode,
    pub certificate_file: Option<String>,
    pub csr_file: Option<String>,
    pub server_certificate_path: ServerPath,
    pub server_key_path: ServerPath,
}

impl CheckedTls {
    /// Whether the bundle needs the private key: some certificate or CSR file is part of it.
    pub fn needs_private_key(&self) -> bool {
        self.mode.uses_tls() && (self.certificate_file.is_some() || self.csr_file.is_some())
    }
}

/// A plan without errors, as typed values that are safe to write into any generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CheckedPlan {
    pub domain: Hostname,
    #[ts(type = "string | null")]
    pub public_ip: Option<IpAddr>,
    #[ts(type = "number")]
    pub wecom_users: u64,
    pub bandwidth: BandwidthAdvice,
    pub tls: CheckedTls,
    pub corp_id: CorpId,
    pub agent_id: u32,
    pub qa_upstream: Upstream,
    pub proxy: ProxyKind,
    pub database_kind: DatabaseKind,
    pub database_name: DbName,
    #[ts(type = "string | null")]
    pub organization_id: Option<uuid::Uuid>,
    #[ts(type = "string | null")]
    pub workspace_id: Option<uuid::Uuid>,
    /// The URL to enter in the WeCom console.
    pub callback_url: String,
}

/// The TLS private key of the secrets: a file on this machine or the PEM itself.
#[derive(Debug, Clone)]
pub enum PrivateKey {
    File(String),
    Pem(Secret),
}

/// Secrets without errors.
#[derive(Debug, Clone)]
pub struct CheckedSecrets {
    pub app_secret: Secret,
    pub token: Secret,
    pub encoding_aes_key: Secret,
    pub private_key: Option<PrivateKey>,
}

/// The result of checking a plan (and its secrets, when given).
#[derive(Debug, Clone)]
pub struct Checked {
    /// `Some` when the plan has no errors.
    pub plan: Option<CheckedPlan>,
    /// `Some` when secrets were given and have no errors.
    pub secrets: Option<CheckedSecrets>,
    /// Every problem, errors and warnings, in field order.
    pub issues: Vec<Issue>,
}

impl Checked {
    pub fn error_count(&self) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.issues.len() - self.error_count()
    }

    pub fn is_ok(&self) -> bool {
        self.error_count() == 0
    }
}

/// Checks every field of the plan; reports all problems at once.
pub fn check_plan(plan: &Plan) -> (Option<CheckedPlan>, Vec<Issue>) {
    let mut s = Sink::default();
    let r = &plan.resources;
    let domain_v = s.required(
        field::DOMAIN,
        present(r.domain.as_deref()),
        IssueCode::DomainMissing,
        domain,
    );
    let public_ip_v = s.optional(field::PUBLIC_IP, r.public_ip.as_deref(), public_ip);
    let users_v = s.required(
        field::WECOM_USERS,
        r.wecom_users,
        IssueCode::UsersMissing,
        wecom_users,
    );

    let t = &plan.tls;
    let mode = t.mode;
    match mode {
        None => s.push(field::TLS_MODE, Finding::new(IssueCode::TlsModeMissing)),
        Some(TlsMode::None) => s.push(field::TLS_MODE, Finding::new(IssueCode::TlsNone)),
        Some(TlsMode::SelfSigned) => {
            s.push(field::TLS_MODE, Finding::new(IssueCode::TlsSelfSigned))
        }
        Some(TlsMode::Provided | TlsMode::Csr) => {}
    }
    let uses_tls = mode.is_some_and(TlsMode::uses_tls);
    let cert_file = s.optional(
        field::TLS_CERTIFICATE_FILE,
        t.certificate_file.as_deref().filter(|_| uses_tls),
        local_file,
    );
    let csr_file = s.optional(
        field::TLS_CSR_FILE,
        t.csr_file.as_deref().filter(|_| uses_tls),
        local_file,
    );
    match mode {
        Some(TlsMode::Provided) if matches!(cert_file, Ok(None)) => s.push(
            field::TLS_CERTIFICATE_FILE,
            Finding::new(IssueCode::TlsCertificateMissing),
        ),
        Some(TlsMode::SelfSigned) if matches!(cert_file, Ok(None)) => s.push(
            field::TLS_CERTIFICATE_FILE,
            Finding::new(IssueCode::TlsFilesNotSet),
        ),
        Some(TlsMode::Csr) if matches!(csr_file, Ok(None)) => {
            s.push(field::TLS_CSR_FILE, Finding::new(IssueCode::TlsFilesNotSet))
        }
        _ => {}
    }
    let cert_path = s.optional(
        field::TLS_SERVER_CERTIFICATE_PATH,
        t.server_certificate_path.as_deref(),
        server_path,
    );
    let key_path = s.optional(
        field::TLS_SERVER_KEY_PATH,
        t.server_key_path.as_deref(),
        server_path,
    );

    let w = &plan.wecom;
    let corp_v = s.required(
        field::CORP_ID,
        present(w.corp_id.as_deref()),
        IssueCode::CorpIdMissing,
        corp_id,
    );
    let agent_v = s.required(
        field::AGENT_ID,
        w.agent_id,
        IssueCode::AgentIdMissing,
        agent_id,
    );

    let upstream_v = s.required(
        field::QA_UPSTREAM,
        present(plan.network.qa_upstream.as_deref()),
        IssueCode::UpstreamMissing,
        upstream,
    );
    let proxy = plan.network.proxy.unwrap_or(ProxyKind::Nginx);
    if proxy == ProxyKind::Other {
        s.push(field::PROXY, Finding::new(IssueCode::ProxyOther));
    }

    let db_kind = plan.database.kind;
    if db_kind.is_none() {
        s.push(
            field::DATABASE_KIND,
            Finding::new(IssueCode::DatabaseKindMissing),
        );
    }
    let db_name = s.required(
        field::DATABASE_NAME,
        present(plan.database.name.as_deref()),
        IssueCode::DatabaseNameMissing,
        database_name,
    );

    let qa = &plan.quick_audience;
    let org = id_field(
        &mut s,
        field::ORGANIZATION_ID,
        qa.organization_id.as_deref(),
        IssueCode::OrganizationIdMissing,
        IssueCode::OrganizationIdInvalid,
    );
    let ws = id_field(
        &mut s,
        field::WORKSPACE_ID,
        qa.workspace_id.as_deref(),
        IssueCode::WorkspaceIdMissing,
        IssueCode::WorkspaceIdInvalid,
    );

    let issues = s.0;
    if issues.iter().any(|i| i.severity == Severity::Error) {
        return (None, issues);
    }
    let checked = (|| {
        let domain = domain_v?;
        let corp_id = corp_v?;
        let mode = mode?;
        let wecom_users = users_v?;
        let bandwidth = recommend_bandwidth(wecom_users).ok()?;
        let server_certificate_path = cert_path.ok()?.unwrap_or_else(|| {
            ServerPath::trusted(format!("/etc/nginx/tls/{}.crt", domain.as_str()))
        });
        let server_key_path = key_path.ok()?.unwrap_or_else(|| {
            ServerPath::trusted(format!("/etc/nginx/tls/{}.key", domain.as_str()))
        });
        Some(CheckedPlan {
            callback_url: callback_url(&domain, &corp_id, mode.uses_tls()),
            public_ip: public_ip_v.ok()?,
            wecom_users,
            bandwidth,
            tls: CheckedTls {
                mode,
                certificate_file: cert_file.ok()?,
                csr_file: csr_file.ok()?,
                server_certificate_path,
                server_key_path,
            },
            agent_id: agent_v?,
            qa_upstream: upstream_v?,
            proxy,
            database_kind: db_kind?,
            database_name: db_name?,
            organization_id: org.ok()?,
            workspace_id: ws.ok()?,
            domain,
            corp_id,
        })
    })();
    (checked, issues)
}

fn id_field(
    s: &mut Sink,
    field: &str,
    value: Option<&str>,
    missing: IssueCode,
    invalid: IssueCode,
) -> Result<Option<uuid::Uuid>, ()> {
    if present(value).is_none() {
        s.push(field, Finding::new(missing));
    }
    s.optional(field, value, |v| uuid(v, invalid))
}

/// Checks the secrets. `needs_private_key` comes from the plan (see
/// [`CheckedTls::needs_private_key`]).
pub fn check_secrets(
    secrets: &Secrets,
    needs_private_key: bool,
) -> (Option<CheckedSecrets>, Vec<Issue>) {
    let mut s = Sink::default();
    let mut secret =
        |field: &str, value: &Option<Secret>, missing: IssueCode, rule: fn(&Secret) -> Rule<()>| {
            match value {
                Some(v) if !v.expose().is_empty() => s.rule(field, rule(v)).map(|()| v.clone()),
                _ => {
                    s.push(field, Finding::new(missing));
                    None
                }
            }
        };
    let app = secret(
        field::APP_SECRET,
        &secrets.app_secret,
        IssueCode::AppSecretMissing,
        app_secret,
    );
    let tok = secret(field::TOKEN, &secrets.token, IssueCode::TokenMissing, token);
    let key = secret(
        field::ENCODING_AES_KEY,
        &secrets.encoding_aes_key,
        IssueCode::AesKeyMissing,
        encoding_aes_key,
    );
    let file = s.optional(
        field::TLS_PRIVATE_KEY,
        secrets.tls.private_key_file.as_deref(),
        local_file,
    );
    let pem = secrets
        .tls
        .private_key_pem
        .clone()
        .filter(|p| !p.expose().trim().is_empty());
    let private_key = match (file, pem) {
        (Ok(Some(f)), _) => Some(PrivateKey::File(f)),
        (Ok(None), Some(p)) => Some(PrivateKey::Pem(p)),
        _ => None,
    };
    if needs_private_key && private_key.is_none() {
        s.push(
            field::TLS_PRIVATE_KEY,
            Finding::new(IssueCode::TlsPrivateKeyMissing),
        );
    }
    let issues = s.0;
    let checked = match (app, tok, key) {
        (Some(app_secret), Some(token), Some(encoding_aes_key))
            if !issues.iter().any(|i| i.severity == Severity::Error) =>
        {
            Some(CheckedSecrets {
                app_secret,
                token,
                encoding_aes_key,
                private_key,
            })
        }
        _ => None,
    };
    (checked, issues)
}

/// Checks the plan and, when given, its secrets: every problem of both at once.
pub fn check(plan: &Plan, secrets: Option<&Secrets>) -> Checked {
    let (checked_plan, mut issues) = check_plan(plan);
    let needs_key = needs_private_key(plan);
    let checked_secrets = secrets.and_then(|sec| {
        let (c, more) = check_secrets(sec, needs_key);
        issues.extend(more);
        c
    });
    Checked {
        plan: checked_plan,
        secrets: checked_secrets,
        issues,
    }
}

/// Whether the plan's TLS files call for a private key (decided on the raw plan so that it works
/// for a plan with errors too).
fn needs_private_key(plan: &Plan) -> bool {
    plan.tls.mode.is_some_and(TlsMode::uses_tls)
        && (present(plan.tls.certificate_file.as_deref()).is_some()
            || present(plan.tls.csr_file.as_deref()).is_some())
}

/// An issue about the secrets file itself (missing, or readable by others).
fn secrets_file_issue(code: IssueCode, path: &std::path::Path) -> Issue {
    Finding::new(code)
        .with("path", path.display().to_string())
        .into_issue(field::SECRETS_FILE)
}

/// Validates one value on its own and returns its issues (for the CLI and live form checks).
pub fn issues_of<T>(field: &str, result: Rule<T>) -> (Option<T>, Vec<Issue>) {
    let mut s = Sink::default();
    let v = s.rule(field, result);
    (v, s.0)
}

#[cfg(test)]
mod tests;
