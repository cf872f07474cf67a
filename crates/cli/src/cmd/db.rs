//! `qa-wecom db check URL`: connect to the QA analysis database (GaussDB / PostgreSQL) and check
//! its encoding — UTF8 passes, SQL_ASCII fails (manual §5.1), anything else warns.
//!
//! The URL is libpq's (URI or key/value form; `sslmode`, `sslrootcert`). The password comes from the
//! URL, else `PGPASSWORD`, else — when the server asks for one and stdin is a terminal — a prompt.
//! It is never printed: the URL is shown redacted. Exit codes: 0 passed (warnings allowed),
//! 1 failed, 2 unusable input.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use live::db_check::{self, CheckStatus, DbCheckReport, DbCheckRequest, DbDiagnosisCode};
use secrecy::SecretString;

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Connect and check the database encoding (UTF8 passes, SQL_ASCII fails).
    Check(DbCheckArgs),
}

#[derive(Args, Debug)]
pub struct DbCheckArgs {
    /// libpq connection string: postgresql://user[:password]@host[:port]/db[?sslmode=require]
    /// or 'host=… port=… user=… dbname=…'. Without a password: $PGPASSWORD or a prompt.
    pub url: String,
    /// Budget of the whole check, in milliseconds.
    #[arg(long = "timeout-ms", default_value_t = 5000)]
    pub timeout_ms: u64,
    /// Print one JSON object (the report) instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(command: DbCommand) -> ExitCode {
    match command {
        DbCommand::Check(args) => check(args),
    }
}

fn input_error(json: bool, code: &str, message: &str) -> ExitCode {
    if json {
        println!(
            "{}",
            serde_json::json!({ "ok": false, "error": { "code": code, "message": message } })
        );
    } else {
        eprintln!("error: {message}");
    }
    ExitCode::from(2)
}

fn check(args: DbCheckArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return input_error(args.json, "runtime", &format!("cannot start: {e}")),
    };
    let mut request = DbCheckRequest {
        url: SecretString::from(args.url.clone()),
        password: std::env::var("PGPASSWORD").ok().map(SecretString::from),
        timeout: Duration::from_millis(args.timeout_ms),
    };
    let mut result = runtime.block_on(db_check::check(&request));
    // Like psql: prompt only when the server asks and someone can answer.
    let asks_password =
        matches!(&result, Ok(r) if r.diagnosis.code == DbDiagnosisCode::PasswordMissing);
    if asks_password && request.password.is_none() && std::io::stdin().is_terminal() {
        match rpassword::prompt_password("Database password / 数据库密码: ") {
            Ok(p) => {
                request.password = Some(SecretString::from(p));
                result = runtime.block_on(db_check::check(&request));
            }
            Err(e) => {
                return input_error(
                    args.json,
                    "prompt",
                    &format!("cannot read the password: {e}"),
                );
            }
        }
    }
    let report = match result {
        Ok(report) => report,
        Err(e) => return input_error(args.json, e.code(), &e.to_string()),
    };
    if args.json {
        match serde_json::to_string(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => return input_error(true, "serialize", &e.to_string()),
        }
    } else {
        print!("{}", human(&report));
    }
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn status_label(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "PASS",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Skip => "SKIP",
        CheckStatus::Warn => "WARN",
    }
}

/// Serialises a unit enum to its snake_case name.
fn name_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn human(report: &DbCheckReport) -> String {
    let mut out = format!("Database check — {}\n", report.target);
    for step in &report.steps {
        let timing = if step.status == CheckStatus::Skip {
            String::new()
        } else {
            format!(" ({} ms)", step.elapsed_ms)
        };
        out.push_str(&format!(
            "  {}  {:<9} {}{timing}\n",
            status_label(step.status),
            name_of(&step.name),
            step.detail
        ));
    }
    let d = &report.diagnosis;
    let verdict = if report.ok { "OK" } else { "FAILED" };
    out.push_str(&format!("{verdict}: {}\n", name_of(&d.code)));
    out.push_str(&format!("  {}\n  Fix: {}\n", d.summary, d.fix));
    out.push_str(&format!("  {}\n  处理：{}\n", d.summary_zh, d.fix_zh));
    out
}
