//! The Database step: the creation SQL for a database kind and name (the bundle's
//! `database/create-analysis-db.sql`, `setup_core::generate::sql`), and the live encoding check of
//! a connection URL (`qa-wecom db check`, `live::db_check`).
//!
//! The password is an argument of the check only: it is never stored (not in the plan, not in the
//! secrets file, not in the app's state) and never appears in a report or an error (the core
//! masks the URL and scrubs its messages).

use crate::error::IpcError;
use live::db_check::{self, DbCheckReport, DbCheckRequest};
use secrecy::SecretString;
use setup_core::generate::sql::{self, DatabaseSql};
use setup_core::plan::DatabaseKind;

/// The script that creates the analysis database with UTF8, or the name's issues.
#[tauri::command]
pub fn database_sql(kind: DatabaseKind, name: String) -> DatabaseSql {
    sql::check(kind, &name)
}

/// Connects and judges the encoding: UTF8 passes, SQL_ASCII fails, anything else warns; a
/// connection failure is the report's diagnosis. `password` is used when the URL has none (a blank
/// one counts as none). Only an unusable URL is an error (`invalid_url`, `tls_setup`).
#[tauri::command]
pub async fn database_check(
    url: String,
    password: Option<String>,
) -> Result<DbCheckReport, IpcError> {
    let request = DbCheckRequest {
        password: password.filter(|p| !p.is_empty()).map(SecretString::from),
        ..DbCheckRequest::new(url.trim())
    };
    db_check::check(&request)
        .await
        .map_err(|e| IpcError::new(e.code(), e.to_string()))
}

#[cfg(test)]
#[path = "../../../crates/live/tests/support/pg.rs"]
mod pg;

#[cfg(test)]
mod tests {
    use super::pg::{self, PgCluster};
    use crate::commands::test_support::Mock;
    use serde_json::{Value, json};

    fn no_password(v: &Value, password: &str) {
        assert!(!v.to_string().contains(password), "password leaked: {v}");
    }

    #[test]
    fn a_remote_page_may_not_call_the_database_commands() {
        Mock::new().assert_remote_refused(&["database_sql", "database_check"]);
    }

    #[test]
    fn the_sql_follows_the_kind_and_a_bad_name_is_its_issue() {
        let m = Mock::new();
        let pg = m
            .invoke(
                "database_sql",
                json!({"kind": "postgresql", "name": "qa_analysis"}),
            )
            .unwrap();
        let sql = pg["sql"].as_str().unwrap();
        assert!(sql.contains("CREATE DATABASE qa_analysis WITH ENCODING 'UTF8'"));
        assert!(sql.contains("PostgreSQL"), "{sql}");
        let gauss = m
            .invoke(
                "database_sql",
                json!({"kind": "gaussdb", "name": "qa_analysis"}),
            )
            .unwrap();
        assert!(gauss["sql"].as_str().unwrap().contains("GaussDB"));
        let bad = m
            .invoke(
                "database_sql",
                json!({"kind": "gaussdb", "name": "QA-Analysis"}),
            )
            .unwrap();
        assert_eq!(bad["sql"], Value::Null);
        assert_eq!(bad["issues"][0]["code"], "database_name_invalid");
        assert_eq!(bad["issues"][0]["field"], "database.name");
        assert!(
            !bad["issues"][0]["message"]["zh"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        let e = m
            .invoke("database_sql", json!({"kind": "mysql", "name": "x"}))
            .unwrap_err();
        assert!(e.to_string().contains("mysql"), "{e}");
    }

    /// Against a real PostgreSQL: the password arrives in its own field, the URL has none; the
    /// encoding decides; a wrong password is diagnosed; the password is in no answer.
    #[test]
    fn the_check_runs_against_real_postgres_with_the_password_field_and_never_echoes_it() {
        let cluster = PgCluster::start().expect("test PostgreSQL starts");
        let m = Mock::new();
        let check = |db: &str, password: &str| {
            let url = cluster.url_as(pg::ROLE, None, db, "sslmode=disable");
            m.invoke("database_check", json!({"url": url, "password": password}))
                .unwrap()
        };
        let ok = check(pg::UTF8_DB, pg::PASSWORD);
        assert_eq!(ok["check"], "database");
        assert_eq!(ok["ok"], true, "{ok}");
        assert_eq!(ok["diagnosis"]["code"], "ok");
        assert_eq!(ok["server_encoding"], "UTF8");
        assert_eq!(ok["steps"][1]["name"], "encoding");
        no_password(&ok, pg::PASSWORD);

        let ascii = check(pg::SQL_ASCII_DB, pg::PASSWORD);
        assert_eq!(ascii["ok"], false);
        assert_eq!(ascii["diagnosis"]["code"], "encoding_sql_ascii");
        assert!(
            !ascii["diagnosis"]["text"]["fix"]["zh"]
                .as_str()
                .unwrap()
                .is_empty()
        );

        let wrong = check(pg::UTF8_DB, "not-the-Password-77");
        assert_eq!(wrong["diagnosis"]["code"], "auth_failed", "{wrong}");
        no_password(&wrong, "not-the-Password-77");

        // A password in the URL is masked in the target.
        let url = cluster.url(pg::UTF8_DB, "sslmode=disable");
        let in_url = m
            .invoke("database_check", json!({"url": url, "password": null}))
            .unwrap();
        assert_eq!(in_url["ok"], true, "{in_url}");
        assert!(in_url["target"].as_str().unwrap().contains("***"));
        no_password(&in_url, pg::PASSWORD);
    }

    #[test]
    fn nothing_listening_is_a_diagnosis_and_a_bad_url_an_error_without_the_password() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let m = Mock::new();
        let r = m
            .invoke(
                "database_check",
                json!({"url": format!("postgresql://qa@127.0.0.1:{port}/qa"), "password": "S3cret-pw"}),
            )
            .unwrap();
        assert_eq!(r["diagnosis"]["code"], "connect_refused", "{r}");
        no_password(&r, "S3cret-pw");
        let e = m
            .invoke(
                "database_check",
                json!({"url": "postgresql://qa:S3cret-pw@[::1/qa", "password": null}),
            )
            .unwrap_err();
        assert_eq!(e["code"], "invalid_url", "{e}");
        no_password(&e, "S3cret-pw");
    }
}
