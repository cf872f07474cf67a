//! The plan as the admin enters it (every field optional, so a half-filled plan can be saved and
//! reopened) and the secrets that live beside it. Field names are snake_case everywhere: in the
//! TOML files, in JSON and in the TypeScript declarations. A field left out of a file is its
//! default (`None`, empty).

use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The plan file format this build writes; it reads this one and every older one.
pub const PLAN_VERSION: u32 = 1;
/// The secrets file format this build writes.
pub const SECRETS_VERSION: u32 = 1;

/// Everything the admin enters, without secrets. Saved as the shareable `plan.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct Plan {
    /// The file format version (`1`).
    pub version: u32,
    /// The secrets file, relative to the plan file's folder; `None` means `<plan name>.secrets.toml`.
    pub secrets_file: Option<String>,
    pub resources: Resources,
    pub tls: Tls,
    pub wecom: WeCom,
    pub network: Network,
    pub database: Database,
    pub quick_audience: QuickAudience,
}

/// Seed §2.1: the domain, the EIP and the user count that sizes its bandwidth.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct Resources {
    /// The callback's second-level domain, a host name only (IDN allowed; used as punycode).
    pub domain: Option<String>,
    /// The public IP (EIP, IPv4 or IPv6) the domain points to; optional.
    pub public_ip: Option<String>,
    /// The number of WeCom users (members of the enterprise); sizes the EIP bandwidth.
    #[ts(type = "number | null")]
    pub wecom_users: Option<i64>,
}

/// How the callback is served: TLS mode, the local PEM files and where nginx reads them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct Tls {
    pub mode: Option<TlsMode>,
    /// The certificate chain (PEM, leaf first) on this machine; copied into the bundle's `tls/`.
    pub certificate_file: Option<String>,
    /// The certificate signing request (PEM) on this machine, for mode `csr`.
    pub csr_file: Option<String>,
    /// Where nginx reads the certificate chain on the server; default `/etc/nginx/tls/<domain>.crt`.
    pub server_certificate_path: Option<String>,
    /// Where nginx reads the private key on the server; default `/etc/nginx/tls/<domain>.key`.
    pub server_key_path: Option<String>,
}

crate::snake_case_enum! {
    /// The four TLS choices of the Resources step.
    #[derive(Deserialize)]
    pub enum TlsMode {
        /// The customer's own certificate chain and key.
        Provided,
        /// A generated key and CSR for the customer's CA (the certificate comes later).
        Csr,
        /// A self-signed pair, for demos and staging only.
        SelfSigned,
        /// Plain HTTP: allowed with a warning (no session archive).
        None,
    }
}

impl TlsMode {
    /// `true` unless the mode is plain HTTP.
    pub fn uses_tls(self) -> bool {
        self != TlsMode::None
    }

    /// The value as written in the plan file.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Seed §2.2: the WeCom self-built app (the secret is in the secrets file).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct WeCom {
    /// The enterprise ID (corpid), e.g. `ww` + 16 hex digits.
    pub corp_id: Option<String>,
    /// The self-built app's AgentId.
    #[ts(type = "number | null")]
    pub agent_id: Option<i64>,
    /// The admin-console steps already done (the wizard's tick boxes), by [`CONSOLE_STEPS`] id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub console_done: Vec<String>,
}

/// The admin-console steps of seed §4 the wizard lists with a tick box, in their order.
pub const CONSOLE_STEPS: [&str; 4] = [
    "visible_range",
    "customer_contact",
    "developer_id",
    "api_receive",
];

/// Seed §3: where the callback prefix is forwarded, and by what.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct Network {
    /// The QA service (or its SLB) as `host:port`; IPv6 as `[addr]:port`.
    pub qa_upstream: Option<String>,
    /// The reverse proxy in front of QA; `None` means nginx.
    pub proxy: Option<ProxyKind>,
}

crate::snake_case_enum! {
    /// The reverse proxy kinds the bundle knows.
    #[derive(Deserialize)]
    pub enum ProxyKind {
        /// nginx: `network/nginx.conf` is applied as is.
        Nginx,
        /// Another proxy or gateway: `network/nginx.conf` is the reference to translate by hand.
        Other,
    }
}

impl ProxyKind {
    /// The value as written in the plan file.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Seed §5.1: the QA analysis-source database.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct Database {
    pub kind: Option<DatabaseKind>,
    /// The database name (a lowercase SQL identifier).
    pub name: Option<String>,
}

crate::snake_case_enum! {
    /// The analysis-source databases the SQL is written for.
    #[derive(Deserialize)]
    pub enum DatabaseKind {
        /// Huawei Cloud GaussDB.
        Gaussdb,
        /// PostgreSQL.
        Postgresql,
    }
}

impl DatabaseKind {
    /// The value as written in the plan file.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The product name people know.
    pub fn display_name(self) -> &'static str {
        match self {
            DatabaseKind::Gaussdb => "GaussDB",
            DatabaseKind::Postgresql => "PostgreSQL",
        }
    }
}

/// Seed §6.2: the IDs the manual data-import trigger needs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct QuickAudience {
    /// The QA organization ID (UUID).
    pub organization_id: Option<String>,
    /// The QA workspace (space) ID (UUID).
    pub workspace_id: Option<String>,
}

/// The secrets beside a plan. `Debug` and `Serialize` redact every secret value.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct Secrets {
    /// The file format version (`1`).
    #[serde(default = "secrets_version")]
    pub version: u32,
    /// The self-built app's Secret (corpsecret).
    #[ts(type = "string | null")]
    pub app_secret: Option<Secret>,
    /// The callback Token.
    #[ts(type = "string | null")]
    pub token: Option<Secret>,
    /// The callback EncodingAESKey.
    #[ts(type = "string | null")]
    pub encoding_aes_key: Option<Secret>,
    pub tls: SecretTls,
}

fn secrets_version() -> u32 {
    SECRETS_VERSION
}

/// The TLS private key: a file on this machine, or the PEM itself.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct SecretTls {
    /// The private key (PEM) on this machine, relative to the secrets file's folder or absolute.
    pub private_key_file: Option<String>,
    /// The private key PEM itself (used when there is no file).
    #[ts(type = "string | null")]
    pub private_key_pem: Option<Secret>,
}

impl Plan {
    /// An empty plan of the current version with the usual defaults (TLS bring-your-own, nginx,
    /// PostgreSQL database `qa_analysis`).
    pub fn template() -> Self {
        Plan {
            version: PLAN_VERSION,
            tls: Tls {
                mode: Some(TlsMode::Provided),
                ..Tls::default()
            },
            network: Network {
                proxy: Some(ProxyKind::Nginx),
                ..Network::default()
            },
            database: Database {
                kind: Some(DatabaseKind::Postgresql),
                name: Some("qa_analysis".to_owned()),
            },
            ..Plan::default()
        }
    }

    /// The pre-filled plan of demo mode: sample values from the manual, self-signed TLS, the QA
    /// service on loopback. It passes `check` with warnings only. Its TLS files are made on disk by
    /// [`super::stage_demo_tls`].
    pub fn demo() -> Self {
        Plan {
            version: PLAN_VERSION,
            secrets_file: None,
            resources: Resources {
                domain: Some("qawecom.example.com".to_owned()),
                public_ip: Some("203.0.113.10".to_owned()),
                wecom_users: Some(120_000),
            },
            tls: Tls {
                mode: Some(TlsMode::SelfSigned),
                ..Tls::default()
            },
            wecom: WeCom {
                corp_id: Some("wwb697d33134e48cfc".to_owned()),
                agent_id: Some(1_000_002),
                console_done: Vec::new(),
            },
            network: Network {
                qa_upstream: Some("127.0.0.1:8080".to_owned()),
                proxy: Some(ProxyKind::Nginx),
            },
            database: Database {
                kind: Some(DatabaseKind::Gaussdb),
                name: Some("qa_analysis".to_owned()),
            },
            quick_audience: QuickAudience {
                organization_id: Some("0a27b751-db52-4ec2-b2bc-e7b747c0bfb6".to_owned()),
                workspace_id: Some("5a3e3999-fccb-43ef-b232-9cbbae053e8b".to_owned()),
            },
        }
    }
}

impl Secrets {
    /// Secrets with a fresh Token and EncodingAESKey and nothing else.
    pub fn generated() -> Self {
        Secrets {
            version: SECRETS_VERSION,
            token: Some(crate::secret::generate_token()),
            encoding_aes_key: Some(crate::secret::generate_encoding_aes_key()),
            ..Secrets::default()
        }
    }

    /// Demo secrets: fresh Token and EncodingAESKey and an obviously fake app secret.
    pub fn demo() -> Self {
        Secrets {
            app_secret: Some(Secret::new("DemoAppSecretNotRealDemoAppSecretNotReal123")),
            ..Secrets::generated()
        }
    }
}
