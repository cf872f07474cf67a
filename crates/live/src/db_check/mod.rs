//! The analysis-database encoding check (vendor manual §5.1): connect to the database QA will use
//! as its analysis source (GaussDB speaks the PostgreSQL protocol), read `server_encoding` — plus
//! `client_encoding`, the collation and the server version for information — and judge it: `UTF8`
//! passes, `SQL_ASCII` fails (QA's scheduled WeCom import breaks on Unicode and the encoding cannot
//! be changed after creation), anything else warns.
//!
//! Connection failures are diagnosed (refused, DNS, timeout, authentication, missing database,
//! access rules, TLS). The connection string is libpq's (URI or key/value form, `sslmode` with all
//! six libpq values, `sslrootcert`); the password comes from it or from the request (the CLI fills
//! that from `PGPASSWORD` or a prompt) and never appears in a report or an error: the target is
//! shown through [`redact_url`].

use setup_core::error_code::ErrorCode;
pub mod catalogue;
pub mod conninfo;
pub mod tls;

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use setup_core::report::{CheckKind, Finding, Report, Status, Step, scrub_in};
use setup_core::text::{Lang, Text};
use tokio::time::Instant;
use tokio_postgres::SimpleQueryMessage;
use tokio_postgres::config::Host;
use ts_rs::TS;

use crate::wecom_api::report::millis;
pub use conninfo::{InvalidConnInfo, SslMode, redact as redact_url};
pub use tls::TlsSetupError;

/// What to check. The URL may carry the password, so it is held as a secret too.
#[derive(Debug, Clone)]
pub struct DbCheckRequest {
    /// libpq connection string: `postgresql://user[:password]@host[:port]/db[?sslmode=…]` or
    /// `host=… port=… user=… dbname=…`.
    pub url: SecretString,
    /// Used when the URL carries no password.
    pub password: Option<SecretString>,
    /// Budget of the whole check (connect and queries).
    pub timeout: Duration,
    /// The language the report's JSON spells out (both are always in `text`).
    pub lang: Lang,
}

impl DbCheckRequest {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: SecretString::from(url.into()),
            password: None,
            timeout: crate::limits::DEFAULT_TIMEOUT,
            lang: Lang::En,
        }
    }
}

/// Input the check refuses before connecting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, error_code_derive::ErrorCode)]
pub enum DbCheckError {
    #[error(transparent)]
    #[code(InvalidUrl)]
    InvalidUrl(#[from] InvalidConnInfo),
    #[error(transparent)]
    #[code(TlsSetup)]
    TlsSetup(#[from] TlsSetupError),
    #[error("the time budget must be greater than zero")]
    #[code(ZeroTimeout)]
    ZeroTimeout,
}

/// Names of the database check's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum DbStepName {
    /// TCP, TLS (per sslmode) and authentication.
    Connect,
    /// `server_encoding` judged; `client_encoding` and collation reported.
    Encoding,
}

/// The stable list of diagnosis codes of the database check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum DbDiagnosisCode {
    /// Connected; `server_encoding` is UTF8.
    Ok,
    /// `server_encoding` is SQL_ASCII: QA's import will fail.
    EncodingSqlAscii,
    /// Another encoding than UTF8 (a warning).
    EncodingNotUtf8,
    /// Nothing listens at the address.
    ConnectRefused,
    /// The host name does not resolve.
    DnsFailed,
    /// No answer within the budget.
    Timeout,
    /// Another network-level failure.
    ConnectFailed,
    /// Wrong user or password (SQLSTATE 28P01).
    AuthFailed,
    /// The server wants a password and none was given.
    PasswordMissing,
    /// The database does not exist (SQLSTATE 3D000).
    DatabaseMissing,
    /// Refused by the server's access rules, or unknown role (SQLSTATE 28000).
    AccessDenied,
    /// sslmode requires TLS and the server does not offer it.
    TlsUnavailable,
    /// The TLS handshake failed (certificate not trusted, name mismatch, …).
    TlsFailed,
    /// Another error reported by the server (its SQLSTATE is in the summary).
    ServerError,
}

/// What is particular to the database check's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DbFacts {
    /// The connection string with the password masked.
    pub target: String,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub database: Option<String>,
    /// The libpq sslmode in force (`prefer` unless the URL says otherwise).
    pub ssl_mode: String,
    /// Whether the session was encrypted.
    pub tls: bool,
    pub server_encoding: Option<String>,
    pub client_encoding: Option<String>,
    /// The database's collation (`pg_database.datcollate`).
    pub lc_collate: Option<String>,
    pub server_version: Option<String>,
}

/// The result of [`check`]: `ok` when no step failed (a non-UTF8, non-SQL_ASCII encoding only
/// warns).
pub type DbCheckReport = Report<DbFacts>;

type Diagnosis = Finding;

struct AbortOnDrop(tokio::task::JoinHandle<()>);
impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs the check. Connection and encoding problems are part of the report; only an unusable
/// connection string (or TLS root file) is an error.
pub async fn check(req: &DbCheckRequest) -> Result<DbCheckReport, DbCheckError> {
    let raw = req.url.expose_secret();
    let target = redact_url(raw);
    if req.timeout.is_zero() {
        return Err(DbCheckError::ZeroTimeout);
    }
    let info = conninfo::parse(raw).map_err(|e| {
        let mut message = e.0;
        let needles = password_needles(raw, None);
        let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
        scrub_in(&mut message, &needles);
        DbCheckError::InvalidUrl(InvalidConnInfo(message))
    })?;
    let conninfo::ConnInfo {
        mut config,
        ssl_mode,
        root_cert,
    } = info;
    if let (None, Some(password)) = (config.get_password(), &req.password) {
        config.password(password.expose_secret());
    }
    if config.get_hosts().is_empty() {
        config.host("localhost");
    }
    let password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let addr = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let user = config.get_user().map(str::to_owned);
    let database = config
        .get_dbname()
        .map(str::to_owned)
        .or_else(|| user.clone());
    let connector = match ssl_mode {
        SslMode::Disable => None,
        mode => Some(tls::RustlsConnect::new(tls::client_config(
            mode,
            root_cert.as_deref(),
        )?)),
    };

    let started = Instant::now();
    let deadline = started + req.timeout;
    config.connect_timeout(req.timeout);
    let budget_ms = millis(req.timeout);

    let mut steps = Vec::new();
    let mut report_diag: Option<Diagnosis> = None;
    let mut encodings = Encodings::default();

    // 1. connect
    let t0 = Instant::now();
    let connected = tokio::time::timeout_at(deadline, async {
        match &connector {
            None => config
                .connect(tokio_postgres::NoTls)
                .await
                .map(|(client, conn)| {
                    (
                        client,
                        AbortOnDrop(tokio::spawn(async move {
                            let _ = conn.await;
                        })),
                    )
                }),
            Some(connector) => config
                .connect(connector.clone())
                .await
                .map(|(client, conn)| {
                    (
                        client,
                        AbortOnDrop(tokio::spawn(async move {
                            let _ = conn.await;
                        })),
                    )
                }),
        }
    })
    .await;
    let connect_ms = millis(t0.elapsed());
    let tls_used = connector
        .as_ref()
        .is_some_and(|c| c.encrypted.load(std::sync::atomic::Ordering::SeqCst));
    let connection = match connected {
        Err(_) => {
            let d = catalogue::timeout(&addr, budget_ms);
            steps.push(fail_step(DbStepName::Connect, &d, t0));
            report_diag = Some(d);
            None
        }
        Ok(Err(e)) => {
            let d = diagnose(&e, &addr, &host, user.as_deref(), database.as_deref());
            steps.push(fail_step(DbStepName::Connect, &d, t0));
            report_diag = Some(d);
            None
        }
        Ok(Ok(pair)) => Some(pair),
    };

    // 2. encoding
    match connection {
        None => steps.push(Step::new(
            DbStepName::Encoding,
            Status::Skip,
            Text::new("skipped: not connected", "已跳过：未连接"),
            0,
        )),
        Some((client, _conn)) => {
            let t1 = Instant::now();
            let read = tokio::time::timeout_at(deadline, read_encodings(&client)).await;
            let connect_detail = Text::new(
                format!(
                    "connected to {addr} as {} to database {}; {}; TLS {}",
                    user.as_deref().unwrap_or("(default user)"),
                    database.as_deref().unwrap_or("(default)"),
                    read.as_ref()
                        .ok()
                        .and_then(|r| r.as_ref().ok())
                        .and_then(|e| e.server_version.clone())
                        .map_or_else(
                            || "server version unknown".to_owned(),
                            |v| format!("server {v}")
                        ),
                    if tls_used { "on" } else { "off" },
                ),
                format!(
                    "已连接到 {addr}，用户 {}，数据库 {}；TLS {}",
                    user.as_deref().unwrap_or("（默认用户）"),
                    database.as_deref().unwrap_or("（默认）"),
                    if tls_used { "已启用" } else { "未启用" },
                ),
            );
            steps.push(Step::new(
                DbStepName::Connect,
                Status::Pass,
                connect_detail,
                connect_ms,
            ));
            match read {
                Err(_) => {
                    let d = catalogue::timeout(&addr, budget_ms);
                    steps.push(fail_step(DbStepName::Encoding, &d, t1));
                    report_diag = Some(d);
                }
                Ok(Err(e)) => {
                    let d = diagnose(&e, &addr, &host, user.as_deref(), database.as_deref());
                    steps.push(fail_step(DbStepName::Encoding, &d, t1));
                    report_diag = Some(d);
                }
                Ok(Ok(found)) => {
                    let (status, d) = judge(found.server_encoding.as_deref().unwrap_or(""));
                    let info = |unknown: &str| {
                        (
                            found
                                .server_encoding
                                .clone()
                                .unwrap_or_else(|| unknown.to_owned()),
                            found
                                .client_encoding
                                .clone()
                                .unwrap_or_else(|| unknown.to_owned()),
                            found
                                .lc_collate
                                .clone()
                                .unwrap_or_else(|| unknown.to_owned()),
                        )
                    };
                    let (se, ce, lc) = info("unknown");
                    let (se_zh, ce_zh, lc_zh) = info("未知");
                    let detail = Text::new(
                        format!("server_encoding {se} (client_encoding {ce}, lc_collate {lc})"),
                        format!(
                            "server_encoding 为 {se_zh}（client_encoding {ce_zh}，lc_collate {lc_zh}）"
                        ),
                    );
                    steps.push(Step::new(
                        DbStepName::Encoding,
                        status,
                        detail,
                        millis(t1.elapsed()),
                    ));
                    report_diag = Some(d);
                    encodings = found;
                }
            }
        }
    }

    let ok = !steps.iter().any(|s| s.status == Status::Fail);
    let mut report = DbCheckReport {
        ok,
        check: CheckKind::Database,
        lang: req.lang,
        elapsed_ms: millis(started.elapsed()),
        steps,
        diagnosis: report_diag.unwrap_or_else(catalogue::ok),
        warnings: Vec::new(),
        facts: DbFacts {
            target,
            host,
            port,
            user,
            database,
            ssl_mode: ssl_mode.as_str().to_owned(),
            tls: tls_used,
            server_encoding: encodings.server_encoding,
            client_encoding: encodings.client_encoding,
            lc_collate: encodings.lc_collate,
            server_version: encodings.server_version,
        },
    };
    let needles = password_needles(raw, password.as_deref());
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    report.scrub(&needles);
    scrub_in(&mut report.facts.target, &needles);
    Ok(report)
}

/// Passwords to scrub from any text: the parsed one, plus whatever the raw string's password
/// position holds (so an unparseable string cannot leak either).
fn password_needles(raw: &str, parsed: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = parsed
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .into_iter()
        .collect();
    let from_raw = conninfo::parse(raw).ok().and_then(|info| {
        info.config
            .get_password()
            .map(|p| String::from_utf8_lossy(p).into_owned())
    });
    out.extend(from_raw.filter(|p| !p.is_empty()));
    out
}

fn fail_step(name: DbStepName, d: &Diagnosis, started: Instant) -> Step {
    Step::new(
        name,
        Status::Fail,
        d.summary.clone(),
        millis(started.elapsed()),
    )
}

/// `UTF8` passes, `SQL_ASCII` fails, anything else warns.
fn judge(server_encoding: &str) -> (Status, Diagnosis) {
    let norm: String = server_encoding
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    match norm.as_str() {
        "UTF8" => (Status::Pass, catalogue::ok()),
        "SQLASCII" => (Status::Fail, catalogue::sql_ascii()),
        _ => (Status::Warn, catalogue::not_utf8(server_encoding)),
    }
}

#[derive(Debug, Default)]
struct Encodings {
    server_encoding: Option<String>,
    client_encoding: Option<String>,
    lc_collate: Option<String>,
    server_version: Option<String>,
}

fn first_row(messages: &[SimpleQueryMessage]) -> Option<&tokio_postgres::SimpleQueryRow> {
    messages.iter().find_map(|m| match m {
        SimpleQueryMessage::Row(row) => Some(row),
        _ => None,
    })
}

/// Reads the settings with the simple-query protocol (no prepared statements: works through
/// poolers and on GaussDB).
async fn read_encodings(
    client: &tokio_postgres::Client,
) -> Result<Encodings, tokio_postgres::Error> {
    let messages = client
        .simple_query(
            "SELECT current_setting('server_encoding'), current_setting('client_encoding'), \
             current_setting('server_version')",
        )
        .await?;
    let row = first_row(&messages);
    let col = |i: usize| row.and_then(|r| r.get(i)).map(str::to_owned);
    let mut found = Encodings {
        server_encoding: col(0),
        client_encoding: col(1),
        lc_collate: None,
        server_version: col(2),
    };
    // Informational only: a failure here does not fail the check.
    if let Ok(messages) = client
        .simple_query("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        .await
    {
        found.lc_collate = first_row(&messages)
            .and_then(|r| r.get(0))
            .map(str::to_owned);
    }
    Ok(found)
}

/// The diagnosis for a connection or query error.
fn diagnose(
    e: &tokio_postgres::Error,
    addr: &str,
    host: &str,
    user: Option<&str>,
    database: Option<&str>,
) -> Diagnosis {
    if let Some(db) = e.as_db_error() {
        return match db.code().code() {
            "28P01" => catalogue::auth_failed(user.unwrap_or("(default user)")),
            "3D000" => catalogue::database_missing(database.unwrap_or("(default)")),
            "28000" => catalogue::access_denied(db.message()),
            code => catalogue::server_error(code, db.message()),
        };
    }
    // tokio-postgres' Display omits the cause: spell out the whole chain.
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        text.push_str(": ");
        text.push_str(&err.to_string());
        source = err.source();
    }
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return catalogue::connect_refused(addr),
                std::io::ErrorKind::TimedOut => return catalogue::timeout(addr, 0),
                _ => {}
            }
        }
        source = err.source();
    }
    if text.contains("lookup address") || text.contains("Name or service not known") {
        return catalogue::dns_failed(host);
    }
    if text.contains("password missing") {
        return catalogue::password_missing();
    }
    if text.contains("server does not support TLS") {
        return catalogue::tls_unavailable();
    }
    if let Some(rest) = text.strip_prefix("error performing TLS handshake") {
        return catalogue::tls_failed(host, rest.trim_start_matches(": ").trim());
    }
    catalogue::connect_failed(addr, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_sql_ascii_fails_others_warn() {
        assert_eq!(judge("UTF8").0, Status::Pass);
        assert_eq!(judge("utf-8").0, Status::Pass);
        let (status, d) = judge("SQL_ASCII");
        assert_eq!(status, Status::Fail);
        assert!(d.is(DbDiagnosisCode::EncodingSqlAscii));
        assert!(d.fix.en.contains("cannot be changed"));
        assert!(d.fix.en.contains(catalogue::CREATE_SQL_PATH));
        let (status, d) = judge("LATIN1");
        assert_eq!(status, Status::Warn);
        assert!(d.is(DbDiagnosisCode::EncodingNotUtf8));
        assert!(d.summary.en.contains("LATIN1"));
    }
}
