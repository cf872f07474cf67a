//! The database encoding check against a real PostgreSQL (one cluster for this binary, started by
//! `support/pg.rs`, stopped on drop), plus the failures that need no server: refused, timeout,
//! unusable URL.

#[path = "support/pg.rs"]
mod pg;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use live::Status;
use live::db_check::{
    DbCheckError, DbCheckReport, DbCheckRequest, DbDiagnosisCode as Code, DbStepName, check,
};
use pg::PgCluster;
use secrecy::SecretString;

fn assert_no_password(report: &DbCheckReport, password: &str) {
    let json = serde_json::to_string(report).expect("serialises");
    assert!(!json.contains(password), "password leaked: {json}");
    assert!(
        !format!("{report:?}").contains(password),
        "password leaked in Debug"
    );
}

/// Checks `url`, asserting the report never shows the test password.
async fn run(url: String) -> DbCheckReport {
    let report = check(&DbCheckRequest::new(url)).await.expect("valid URL");
    assert_no_password(&report, pg::PASSWORD);
    report
}

fn step(report: &DbCheckReport, name: DbStepName) -> Status {
    report.step(name).map(|s| s.status).expect("step present")
}

type Case = fn(Arc<PgCluster>) -> Pin<Box<dyn Future<Output = ()> + Send>>;

/// The listed case functions as `(name, Case)` pairs, each named after its function.
macro_rules! cases {
    ($($case:ident),* $(,)?) => {
        vec![$((stringify!($case), |pg| Box::pin($case(pg)))),*]
    };
}

/// One cluster, every case in sequence; a failing case does not hide the others, and the cluster
/// is stopped whatever happens (drop guard).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn db_check_against_real_postgres() {
    let cluster = Arc::new(PgCluster::start().expect("test PostgreSQL starts"));
    let cases: Vec<(&str, Case)> = cases![
        utf8_database_passes,
        sql_ascii_database_fails_with_the_manuals_explanation,
        other_encoding_warns,
        wrong_password_is_auth_failed,
        missing_password_is_diagnosed_and_request_password_is_used,
        missing_database_is_diagnosed,
        hba_reject_is_access_denied,
        tls_require_encrypts_without_verifying,
        tls_verify_full_checks_the_chain_and_the_name,
        sslmode_disable_stays_plain,
        key_value_form_works_too,
    ];
    let mut failed = Vec::new();
    for (name, case) in cases {
        // A panicking case fails its task only; the JoinError tells us.
        if tokio::spawn(case(cluster.clone())).await.is_err() {
            eprintln!("case failed: {name}");
            failed.push(name);
        }
    }
    drop(cluster);
    assert!(failed.is_empty(), "failed cases: {failed:?}");
}

async fn utf8_database_passes(pg: Arc<PgCluster>) {
    let report = run(pg.url(pg::UTF8_DB, "")).await;
    assert!(report.ok, "{report:#?}");
    assert_eq!(report.diagnosis.code, <&str>::from(Code::Ok));
    assert_eq!(report.facts.server_encoding.as_deref(), Some("UTF8"));
    assert_eq!(report.facts.client_encoding.as_deref(), Some("UTF8"));
    assert_eq!(report.facts.lc_collate.as_deref(), Some("C"));
    assert!(report.facts.server_version.is_some());
    assert_eq!(step(&report, DbStepName::Connect), Status::Pass);
    assert_eq!(step(&report, DbStepName::Encoding), Status::Pass);
    assert_eq!(report.facts.database.as_deref(), Some(pg::UTF8_DB));
    assert!(
        report.facts.target.contains(":***@"),
        "{}",
        report.facts.target
    );
    // Default sslmode is prefer: the server offers TLS, so the session is encrypted.
    assert_eq!(report.facts.ssl_mode, "prefer");
    assert!(report.facts.tls);
}

async fn sql_ascii_database_fails_with_the_manuals_explanation(pg: Arc<PgCluster>) {
    let report = run(pg.url(pg::SQL_ASCII_DB, "")).await;
    assert!(!report.ok);
    assert_eq!(report.facts.server_encoding.as_deref(), Some("SQL_ASCII"));
    assert_eq!(report.diagnosis.code, <&str>::from(Code::EncodingSqlAscii));
    assert_eq!(step(&report, DbStepName::Encoding), Status::Fail);
    let d = &report.diagnosis;
    assert!(d.summary.en.contains("import"), "{:?}", d.summary);
    assert!(d.fix.en.contains("cannot be changed"));
    assert!(d.fix.en.contains("database/create-analysis-db.sql"));
    assert!(d.summary.zh.contains("SQL_ASCII") && d.fix.zh.contains("无法修改"));
}

async fn other_encoding_warns(pg: Arc<PgCluster>) {
    let report = run(pg.url(pg::LATIN1_DB, "")).await;
    assert!(report.ok, "a warning does not fail the check");
    assert_eq!(report.facts.server_encoding.as_deref(), Some("LATIN1"));
    assert_eq!(report.diagnosis.code, <&str>::from(Code::EncodingNotUtf8));
    assert_eq!(step(&report, DbStepName::Encoding), Status::Warn);
}

async fn wrong_password_is_auth_failed(pg: Arc<PgCluster>) {
    let wrong = "Not-The-Password-91x";
    let url = pg.url_as(pg::ROLE, Some(wrong), pg::UTF8_DB, "");
    let report = check(&DbCheckRequest::new(url)).await.expect("valid URL");
    assert_no_password(&report, wrong);
    assert!(!report.ok);
    assert_eq!(report.diagnosis.code, <&str>::from(Code::AuthFailed));
    assert_eq!(step(&report, DbStepName::Connect), Status::Fail);
    assert_eq!(step(&report, DbStepName::Encoding), Status::Skip);
}

async fn missing_password_is_diagnosed_and_request_password_is_used(pg: Arc<PgCluster>) {
    let url = pg.url_as(pg::ROLE, None, pg::UTF8_DB, "");
    let report = run(url.clone()).await;
    assert_eq!(
        report.diagnosis.code,
        <&str>::from(Code::PasswordMissing),
        "{report:#?}"
    );
    // The password from the environment or a prompt arrives in the request.
    let req = DbCheckRequest {
        password: Some(SecretString::from(pg::PASSWORD.to_owned())),
        ..DbCheckRequest::new(url)
    };
    let report = check(&req).await.expect("valid URL");
    assert!(report.ok, "{report:#?}");
    assert_no_password(&report, pg::PASSWORD);
}

async fn missing_database_is_diagnosed(pg: Arc<PgCluster>) {
    let report = run(pg.url("no_such_db", "")).await;
    assert_eq!(report.diagnosis.code, <&str>::from(Code::DatabaseMissing));
    assert!(report.diagnosis.summary.en.contains("no_such_db"));
}

async fn hba_reject_is_access_denied(pg: Arc<PgCluster>) {
    let report = run(pg.url_as(pg::DENIED_ROLE, Some(pg::PASSWORD), pg::UTF8_DB, "")).await;
    assert_eq!(
        report.diagnosis.code,
        <&str>::from(Code::AccessDenied),
        "{report:#?}"
    );
}

async fn tls_require_encrypts_without_verifying(pg: Arc<PgCluster>) {
    // The server certificate is signed by a test CA nobody trusts: require does not verify.
    let report = run(pg.url(pg::UTF8_DB, "sslmode=require")).await;
    assert!(report.ok, "{report:#?}");
    assert!(report.facts.tls);
    assert_eq!(report.facts.ssl_mode, "require");
}

async fn tls_verify_full_checks_the_chain_and_the_name(pg: Arc<PgCluster>) {
    let report = run(pg.url(pg::UTF8_DB, "sslmode=verify-full")).await;
    assert_eq!(
        report.diagnosis.code,
        <&str>::from(Code::TlsFailed),
        "untrusted CA: {report:#?}"
    );
    assert!(
        report.diagnosis.summary.en.contains("certificate"),
        "{:?}",
        report.diagnosis.summary
    );
    assert!(report.diagnosis.fix.en.contains("sslrootcert"));
    let ca = pg.ca_cert().to_string_lossy().into_owned();
    let report = run(pg.url(
        pg::UTF8_DB,
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    ))
    .await;
    assert!(report.ok, "trusted CA, matching IP: {report:#?}");
    assert!(report.facts.tls);
    let url = pg
        .url(pg::UTF8_DB, &format!("sslmode=verify-ca&sslrootcert={ca}"))
        .replace("127.0.0.1", "localhost");
    let report = run(url).await;
    assert!(report.ok, "verify-ca: {report:#?}");
    let err = check(&DbCheckRequest::new(pg.url(
        pg::UTF8_DB,
        "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
    )))
    .await
    .expect_err("unreadable root file is refused");
    assert_eq!(err.code().as_str(), "tls_setup");
}

async fn sslmode_disable_stays_plain(pg: Arc<PgCluster>) {
    let report = run(pg.url(pg::UTF8_DB, "sslmode=disable")).await;
    assert!(report.ok);
    assert!(!report.facts.tls);
}

async fn key_value_form_works_too(pg: Arc<PgCluster>) {
    let conninfo = format!(
        "host=127.0.0.1 port={} user={} password='{}' dbname={}",
        pg.port(),
        pg::ROLE,
        pg::PASSWORD,
        pg::SQL_ASCII_DB
    );
    let report = run(conninfo).await;
    assert_eq!(report.diagnosis.code, <&str>::from(Code::EncodingSqlAscii));
    assert!(
        report.facts.target.contains("password=***"),
        "{}",
        report.facts.target
    );
}

#[tokio::test]
async fn refused_port_is_connect_refused() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let url = format!("postgresql://qa:{}@127.0.0.1:{port}/qa", pg::PASSWORD);
    let report = run(url).await;
    assert_eq!(report.diagnosis.code, <&str>::from(Code::ConnectRefused));
    assert_eq!(step(&report, DbStepName::Encoding), Status::Skip);
}

#[tokio::test]
async fn silent_server_is_a_timeout_within_the_budget() {
    // Accepts the TCP connection and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let req = DbCheckRequest {
        timeout: Duration::from_millis(400),
        ..DbCheckRequest::new(format!("postgresql://qa:pw@127.0.0.1:{port}/qa"))
    };
    let started = Instant::now();
    let report = check(&req).await.expect("valid URL");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(report.diagnosis.code, <&str>::from(Code::Timeout));
    assert!(!report.ok);
    hold.abort();
}

#[tokio::test]
async fn unusable_url_is_refused_without_echoing_the_password() {
    let err = check(&DbCheckRequest::new(
        "postgresql://qa:Secret-pw-123@h/db?bogus_option=1".to_owned(),
    ))
    .await
    .expect_err("refused");
    assert!(matches!(err, DbCheckError::InvalidUrl(_)));
    assert!(!err.to_string().contains("Secret-pw-123"), "{err}");
    let err = check(&DbCheckRequest::new(
        "postgresql://h/db?sslmode=sometimes".to_owned(),
    ))
    .await
    .expect_err("refused");
    assert_eq!(err.code().as_str(), "invalid_url");
}
