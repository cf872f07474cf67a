//! The database check's diagnoses: the texts are data (`catalogue.toml`, with the network
//! summaries of `../network.toml`), rendered here with the values each one names. The encoding
//! texts follow the vendor manual §5.1: SQL_ASCII breaks QA's scheduled WeCom import on Unicode
//! data, and a database's encoding cannot be changed after it is created.

use std::sync::LazyLock;

use setup_core::catalogue::Catalogue;
use setup_core::report::{Finding, Params, Severity, params};

use super::DbDiagnosisCode as Code;
use crate::diagnosis::raw_reason;

/// Where the bundle keeps the creation SQL (setup-core writes it).
pub const CREATE_SQL_PATH: &str = "database/create-analysis-db.sql";

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    Catalogue::layered(&[
        include_str!("../network.toml"),
        include_str!("catalogue.toml"),
    ])
});

/// The diagnosis `code` rendered with `params` (plus `create_sql`, the path of the creation SQL).
fn diag(code: Code, mut params: Params) -> Finding {
    let severity = match code {
        Code::Ok => Severity::Info,
        Code::EncodingNotUtf8 => Severity::Warning,
        _ => Severity::Error,
    };
    let key: &'static str = code.into();
    params.insert("create_sql".into(), CREATE_SQL_PATH.into());
    let (summary, fix) = CATALOGUE.render(key, &params);
    Finding::new(code, severity, summary, fix, params)
}

pub fn ok() -> Finding {
    diag(Code::Ok, Params::new())
}

pub fn sql_ascii() -> Finding {
    diag(Code::EncodingSqlAscii, Params::new())
}

pub fn not_utf8(encoding: &str) -> Finding {
    diag(
        Code::EncodingNotUtf8,
        params([("encoding", encoding.into())]),
    )
}

pub fn connect_refused(addr: &str) -> Finding {
    diag(Code::ConnectRefused, params([("addr", addr.into())]))
}

pub fn dns_failed(host: &str) -> Finding {
    diag(Code::DnsFailed, params([("host", host.into())]))
}

pub fn timeout(addr: &str, ms: u64) -> Finding {
    diag(
        Code::Timeout,
        params([("addr", addr.into()), ("timeout_ms", ms.to_string())]),
    )
}

pub fn connect_failed(addr: &str, message: &str) -> Finding {
    diag(
        Code::ConnectFailed,
        with_reason(params([("addr", addr.into())]), message),
    )
}

pub fn auth_failed(user: &str) -> Finding {
    diag(Code::AuthFailed, params([("user", user.into())]))
}

pub fn password_missing() -> Finding {
    diag(Code::PasswordMissing, Params::new())
}

pub fn database_missing(db: &str) -> Finding {
    diag(Code::DatabaseMissing, params([("database", db.into())]))
}

pub fn access_denied(message: &str) -> Finding {
    diag(Code::AccessDenied, with_reason(Params::new(), message))
}

pub fn tls_unavailable() -> Finding {
    diag(Code::TlsUnavailable, Params::new())
}

pub fn tls_failed(host: &str, message: &str) -> Finding {
    diag(
        Code::TlsFailed,
        with_reason(params([("host", host.into())]), message),
    )
}

pub fn server_error(sqlstate: &str, message: &str) -> Finding {
    diag(
        Code::ServerError,
        with_reason(params([("sqlstate", sqlstate.into())]), message),
    )
}

/// `params` with the server's or the OS's message as `reason` (and its Chinese lead-in).
fn with_reason(mut params: Params, message: &str) -> Params {
    let reason = raw_reason(message);
    params.insert("reason".into(), reason.en);
    params.insert("reason_zh".into(), reason.zh);
    params
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_code_has_both_languages_and_every_entry_a_code() {
        let own = include_str!("catalogue.toml");
        assert_eq!(CATALOGUE.complete(own, Code::iter()), Ok(()));
    }

    #[test]
    fn raw_server_text_gets_a_chinese_lead_in() {
        let d = server_error("42501", "permission denied for database qa");
        assert_eq!(d.param("reason"), "permission denied for database qa");
        let zh = &d.summary.zh;
        assert!(
            zh.contains("系统返回的错误为“permission denied for database qa”"),
            "{zh}"
        );
        assert!(d.summary.en.contains("(SQLSTATE 42501)"));
        assert!(sql_ascii().fix.en.contains(CREATE_SQL_PATH));
    }
}
