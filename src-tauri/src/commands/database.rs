//! The Database step on the open plan: the creation SQL for a database kind and name (the
//! bundle's `database/create-analysis-db.sql`, `setup_core::generate::sql`; the screen passes the
//! plan's `database` section), and the live encoding check of a connection URL (`qa-wecom db
//! check`, `live::db_check`), whose report is kept with the plan for the step's status.
//!
//! The password is an argument of the check only: it is never stored (not in the plan, not in the
//! secrets file, not in the app's state) and never appears in a report or an error (the core
//! masks the URL and scrubs its messages).

use crate::error::AppCode;
use crate::error::IpcError;
use crate::jobs::Jobs;
use crate::state::Workspace;
use crate::view::PlanView;
use live::db_check::{self, DbCheckRequest};
use secrecy::SecretString;
use setup_core::generate::sql::{self, DatabaseSql};
use setup_core::plan::DatabaseKind;
use tauri::State;

/// The script that creates the analysis database with UTF8, or the name's issues.
#[tauri::command(rename_all = "snake_case")]
pub fn database_sql(kind: DatabaseKind, name: String) -> DatabaseSql {
    sql::check(kind, &name)
}

/// Connects and judges the encoding: UTF8 passes, SQL_ASCII fails, anything else warns; a
/// connection failure is the report's diagnosis. `password` is used when the URL has none (a blank
/// one counts as none). The report goes into the open plan's state (`database_check` of the
/// view); only an unusable URL is an error (`invalid_url`, `tls_setup`), and no plan open is
/// `no_plan`. `cancel_job(job)` stops it (`cancelled`; its connection closes, the last report
/// stays as it was).
#[tauri::command(rename_all = "snake_case")]
pub async fn database_check(
    ws: State<'_, Workspace>,
    jobs: State<'_, Jobs>,
    url: String,
    password: Option<String>,
    job: Option<String>,
) -> Result<PlanView, IpcError> {
    ws.with_open(|_| ())?;
    let request = DbCheckRequest {
        password: password.filter(|p| !p.is_empty()).map(SecretString::from),
        ..DbCheckRequest::new(url.trim())
    };
    let checking = async {
        db_check::check(&request)
            .await
            .map_err(|e| IpcError::new(e.code(), e.to_string()))
    };
    let report = jobs.run(job, checking).await?;
    let json = serde_json::to_value(&report)
        .map_err(|e| IpcError::new(AppCode::State, format!("report: {e}")))?;
    ws.with_open_mut(|open| {
        open.database_check = Some(json);
        Ok(PlanView::of(open))
    })
}

#[cfg(test)]
#[path = "../../../crates/live/tests/support/pg.rs"]
mod pg;

#[cfg(test)]
mod tests {
    use super::pg::{self, PgCluster};
    use crate::commands::test_support::{Mock, status};
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
        let sql =
            |kind: &str, name: &str| m.answer("database_sql", json!({"kind": kind, "name": name}));
        let pg = sql("postgresql", "qa_analysis");
        let text = pg["sql"].as_str().unwrap();
        assert!(text.contains("CREATE DATABASE qa_analysis WITH ENCODING 'UTF8'"));
        assert!(text.contains("PostgreSQL"), "{text}");
        let gauss = sql("gaussdb", "qa_analysis");
        assert!(gauss["sql"].as_str().unwrap().contains("GaussDB"));
        let bad = sql("gaussdb", "QA-Analysis");
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
        let new = m.answer("plan_new", json!({}));
        assert_eq!(status(&new, "database"), "not_started");
        let check = |db: &str, password: &str| {
            let url = cluster.url_as(pg::ROLE, None, db, "sslmode=disable");
            let view = m.answer("database_check", json!({"url": url, "password": password}));
            no_password(&view, password);
            view
        };
        let view = check(pg::UTF8_DB, pg::PASSWORD);
        assert_eq!(
            status(&view, "database"),
            "done",
            "a passed check touches the step"
        );
        let ok = &view["database_check"];
        assert_eq!(ok["check"], "database");
        assert_eq!(ok["ok"], true, "{ok}");
        assert_eq!(ok["diagnosis"]["code"], "ok");
        assert_eq!(ok["server_encoding"], "UTF8");
        assert_eq!(ok["steps"][1]["name"], "encoding");
        no_password(ok, pg::PASSWORD);

        let view = check(pg::SQL_ASCII_DB, pg::PASSWORD);
        // A failed check warns (it does not block the export) and says why.
        assert_eq!(status(&view, "database"), "warning", "{view}");
        let ascii = &view["database_check"];
        assert_eq!(ascii["ok"], false);
        assert_eq!(ascii["diagnosis"]["code"], "encoding_sql_ascii");
        assert!(
            !ascii["diagnosis"]["text"]["fix"]["zh"]
                .as_str()
                .unwrap()
                .is_empty()
        );

        let view = check(pg::UTF8_DB, "not-the-Password-77");
        let wrong = &view["database_check"];
        assert_eq!(wrong["diagnosis"]["code"], "auth_failed", "{wrong}");
        no_password(wrong, "not-the-Password-77");

        // A password in the URL is masked in the target.
        let url = cluster.url(pg::UTF8_DB, "sslmode=disable");
        let view = m.answer("database_check", json!({"url": url, "password": null}));
        let in_url = &view["database_check"];
        assert_eq!(in_url["ok"], true, "{in_url}");
        assert!(in_url["target"].as_str().unwrap().contains("***"));
        no_password(&view, pg::PASSWORD);
    }

    #[test]
    fn nothing_listening_is_a_diagnosis_and_a_bad_url_an_error_without_the_password() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let m = Mock::new();
        let url = format!("postgresql://qa@127.0.0.1:{port}/qa");
        let e = m
            .invoke("database_check", json!({"url": url, "password": null}))
            .unwrap_err();
        assert_eq!(
            e["code"], "no_plan",
            "the check belongs to the open plan: {e}"
        );
        m.answer("plan_new", json!({}));
        let v = m.answer(
            "database_check",
            json!({"url": url, "password": "S3cret-pw"}),
        );
        assert_eq!(
            v["database_check"]["diagnosis"]["code"], "connect_refused",
            "{v}"
        );
        no_password(&v, "S3cret-pw");
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
