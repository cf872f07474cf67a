//! `qa-wecom db check URL`: connect to the QA analysis database (GaussDB / PostgreSQL) and check
//! its encoding — UTF8 passes, SQL_ASCII fails (manual §5.1), anything else warns.
//!
//! The URL is libpq's (URI or key/value form; `sslmode`, `sslrootcert`). The password comes from the
//! URL, else `PGPASSWORD`, else — when the server asks for one and stdin is a terminal — a prompt.
//! It is never printed: the URL is shown redacted. Exit codes: 0 passed (warnings allowed),
//! 1 failed, 2 unusable input.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::check_report::{CheckOptions, input_error, print_report, runtime};
use clap::{Args, Subcommand};
use live::db_check::{self, DbCheckRequest, DbDiagnosisCode};
use secrecy::SecretString;
use setup_core::secret::Secret;

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Connect and check the database encoding (UTF8 passes, SQL_ASCII fails).
    Check(DbCheckArgs),
}

#[derive(Args, Debug)]
pub struct DbCheckArgs {
    /// libpq connection string: postgresql://user[:password]@host[:port]/db[?sslmode=require]
    /// or 'host=… port=… user=… dbname=…'. Without a password: $PGPASSWORD or a prompt
    /// (prefer those: a password in the URL is visible in `ps` and the shell history).
    #[arg(value_parser = secret_arg)]
    pub url: Secret,
    #[command(flatten)]
    pub options: CheckOptions,
}

/// The connection string may hold a password: kept in the redacting [`Secret`].
pub(crate) fn secret_arg(s: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(s))
}

pub fn run(command: DbCommand) -> ExitCode {
    match command {
        DbCommand::Check(args) => check(args),
    }
}

fn check(args: DbCheckArgs) -> ExitCode {
    let runtime = match runtime(args.options.json) {
        Ok(rt) => rt,
        Err(exit) => return exit,
    };
    let mut request = DbCheckRequest {
        url: SecretString::from(args.url.expose().to_owned()),
        password: std::env::var("PGPASSWORD").ok().map(SecretString::from),
        timeout: args.options.timeout(),
        lang: args.options.lang,
    };
    let mut result = runtime.block_on(db_check::check(&request));
    // Like psql: prompt only when the server asks and someone can answer.
    let asks_password =
        matches!(&result, Ok(r) if r.diagnosis.is(DbDiagnosisCode::PasswordMissing));
    if asks_password && request.password.is_none() && std::io::stdin().is_terminal() {
        match rpassword::prompt_password("Database password / 数据库密码: ") {
            Ok(p) => {
                request.password = Some(SecretString::from(p));
                result = runtime.block_on(db_check::check(&request));
            }
            Err(e) => {
                return input_error(
                    args.options.json,
                    "prompt",
                    &format!("cannot read the password: {e}"),
                );
            }
        }
    }
    let report = match result {
        Ok(report) => report,
        Err(e) => return input_error(args.options.json, e.code().as_str(), &e.to_string()),
    };
    print_report(args.options.json, &report, &report.facts.target)
}
