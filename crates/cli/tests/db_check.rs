//! `qa-wecom db check` end to end: the binary against a real PostgreSQL (the harness of
//! `crates/live/tests/support/pg.rs`, one cluster for this binary) — exit codes, the JSON shape,
//! the password from `PGPASSWORD`, and the password never printed.

mod common;

#[path = "../../live/tests/support/pg.rs"]
mod pg;

use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn qa_wecom(args: &[&str], pgpassword: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qa-wecom"));
    cmd.args(args).env_remove("PGPASSWORD").stdin(Stdio::null());
    if let Some(p) = pgpassword {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().expect("qa-wecom runs");
    common::assert_not_printed(&out, &[(pg::PASSWORD, "the password")]);
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

/// One cluster, the cases in sequence; the cluster stops on drop even if a case panics.
#[test]
fn db_check_cli_against_real_postgres() {
    let cluster = pg::PgCluster::start().expect("test PostgreSQL starts");

    // UTF8: exit 0, the JSON report with the encodings.
    let out = qa_wecom(
        &["db", "check", &cluster.url(pg::UTF8_DB, ""), "--json"],
        None,
    );
    common::assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["server_encoding"], "UTF8");
    assert_eq!(v["client_encoding"], "UTF8");
    assert_eq!(v["lc_collate"], "C");
    assert_eq!(v["diagnosis"]["code"], "ok");
    let names: Vec<_> = v["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["connect", "encoding"]);
    assert!(v["target"].as_str().is_some_and(|t| t.contains(":***@")));

    // SQL_ASCII: exit 1, the manual's explanation in the chosen language.
    let out = qa_wecom(&["db", "check", &cluster.url(pg::SQL_ASCII_DB, "")], None);
    common::assert_stdout(
        &out,
        1,
        &[
            "FAILED: encoding_sql_ascii",
            "database/create-analysis-db.sql",
        ],
    );
    let args = [
        "db",
        "check",
        &cluster.url(pg::SQL_ASCII_DB, ""),
        "--lang",
        "zh",
    ];
    let out = qa_wecom(&args, None);
    common::assert_stdout(&out, 1, &["无法修改", "未通过: encoding_sql_ascii"]);

    // Password from PGPASSWORD when the URL has none.
    let bare = cluster.url_as(pg::ROLE, None, pg::UTF8_DB, "");
    let out = qa_wecom(&["db", "check", &bare, "--json"], Some(pg::PASSWORD));
    common::assert_exit(&out, 0);

    // No password anywhere and no terminal: diagnosed, no prompt.
    let out = qa_wecom(&["db", "check", &bare, "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["diagnosis"]["code"], "password_missing");

    // Wrong password.
    let wrong = cluster.url_as(pg::ROLE, Some("wrong-PASSWORD-xyz"), pg::UTF8_DB, "");
    let out = qa_wecom(&["db", "check", &wrong, "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["diagnosis"]["code"], "auth_failed");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("wrong-PASSWORD-xyz"));

    drop(cluster);
}

#[test]
fn unusable_url_is_a_usage_error_without_the_password() {
    let out = qa_wecom(
        &[
            "db",
            "check",
            "postgresql://qa:Pg-test-PASSWORD-4e1b9c@h/db?sslmode=sometimes",
            "--json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["error"]["code"], "invalid_url");
}
