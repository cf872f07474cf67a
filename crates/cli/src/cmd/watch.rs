//! `qa-wecom watch`: keep checking a callback that works — the verification WeCom does on Save
//! and, with a plan whose secrets hold an app Secret, the WeCom API check (`--db-url` adds the
//! database check) — every `--interval-s` seconds, `--count` times or until Ctrl-C / SIGTERM.
//!
//! Text output: each report as `verify` prints it. `--json`: one report per line in the one
//! report shape. `--prom-textfile PATH`: after each round, node_exporter textfile metrics written
//! atomically. Exit status: that of the last round (0 all passed, 1 one failed), 2 unusable input,
//! 130 stopped before a round ended. No secret is ever printed or written.

use super::callback_secrets::CallbackSecrets;
use super::check_report::{CheckOptions, input_error, render, runtime};
use super::serve::wait_for_stop;
use clap::Args;
use live::LadderOptions;
use live::db_check::DbCheckRequest;
use live::watch::{self, CheckReport, Round, Schedule, WatchTargets, textfile};
use secrecy::SecretString;
use setup_core::atomic::{MODE_SHARED, write_atomic};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// The plan: URL from its domain and corpid, Token and EncodingAESKey from its secrets file.
    #[arg(required_unless_present = "url")]
    pub plan: Option<PathBuf>,
    /// The callback URL (overrides the plan's, e.g. to reach QA at another address).
    #[arg(long)]
    pub url: Option<String>,
    /// Without a PLAN: the Token, EncodingAESKey and corpid (with --url).
    #[command(flatten)]
    pub secrets: CallbackSecrets,
    /// Seconds from the start of one round to the start of the next.
    #[arg(long = "interval-s", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub interval_s: u64,
    /// Stop after this many rounds (default: until Ctrl-C).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Write node_exporter textfile metrics here after each round (a name ending in .prom).
    #[arg(long = "prom-textfile")]
    pub prom_textfile: Option<PathBuf>,
    /// Also check the analysis database (libpq URL; the password from $PGPASSWORD).
    #[arg(long = "db-url", value_parser = super::db::secret_arg)]
    pub db_url: Option<setup_core::secret::Secret>,
    /// The WeCom API base URL for the WeCom check.
    #[arg(long = "api-base")]
    pub api_base: Option<String>,
    /// An extra trusted CA certificate (PEM).
    #[arg(long = "ca-cert")]
    pub ca_cert: Option<PathBuf>,
    #[command(flatten)]
    pub options: CheckOptions,
}

fn targets(args: &WatchArgs) -> Result<WatchTargets, (String, String)> {
    let ca_cert_pem = match &args.ca_cert {
        Some(path) => Some(
            setup_core::fsread::read_capped(path, setup_core::fsread::MAX_PEM_BYTES).map_err(
                |e| {
                    (
                        "invalid_pem".to_owned(),
                        format!("cannot read --ca-cert {}: {e}", path.display()),
                    )
                },
            )?,
        ),
        None => None,
    };
    let ladder = LadderOptions {
        timeout: args.options.timeout(),
        ca_cert_pem,
        lang: args.options.lang,
        ..LadderOptions::default()
    };
    let mut targets = match (&args.plan, &args.url) {
        (Some(plan), _) => {
            WatchTargets::from_plan(plan, args.url.clone(), args.api_base.clone(), ladder)
                .map_err(|e| (e.code().as_str().to_owned(), e.to_string()))?
        }
        (None, Some(url)) => WatchTargets {
            url: url.clone(),
            credentials: args
                .secrets
                .resolve()
                .map_err(|m| ("missing_arguments".to_owned(), m))?
                .credentials(),
            ladder,
            wecom: None,
            database: None,
        },
        (None, None) => {
            return Err((
                "missing_arguments".to_owned(),
                "give a PLAN, or --url with the Token, EncodingAESKey and corpid".to_owned(),
            ));
        }
    };
    targets.database = args.db_url.as_ref().map(|url| DbCheckRequest {
        url: SecretString::from(url.expose().to_owned()),
        password: std::env::var("PGPASSWORD").ok().map(SecretString::from),
        timeout: args.options.timeout(),
        lang: args.options.lang,
    });
    Ok(targets)
}

pub fn run(args: WatchArgs) -> ExitCode {
    let json = args.options.json;
    let targets = match targets(&args) {
        Ok(t) => t,
        Err((code, message)) => return input_error(json, &code, &message),
    };
    let runtime = match runtime(json) {
        Ok(rt) => rt,
        Err(exit) => return exit,
    };
    let schedule = Schedule {
        interval: Duration::from_secs(args.interval_s),
        count: args.count,
    };
    let mut write_failed = None;
    let result = runtime.block_on(watch::watch(&targets, schedule, wait_for_stop(), |round| {
        print_round(json, round, &targets.url);
        if let Some(path) = &args.prom_textfile
            && let Err(e) = write_atomic(path, textfile::render(round).as_bytes(), MODE_SHARED)
        {
            write_failed = Some(format!("cannot write {}: {e}", path.display()));
        }
    }));
    if let Some(message) = write_failed {
        eprintln!("error: {message}");
    }
    match result {
        Ok(Some(last)) if last.ok() => ExitCode::SUCCESS,
        Ok(Some(_)) => ExitCode::from(1),
        Ok(None) => ExitCode::from(130),
        Err(e) => input_error(json, e.code().as_str(), &e.to_string()),
    }
}

/// Prints the round's reports. A closed stdout does not stop the watch (the textfile may be what
/// is read), so write errors are ignored.
fn print_round(json: bool, round: &Round, url: &str) {
    let mut out = std::io::stdout().lock();
    for report in &round.reports {
        if json {
            match serde_json::to_string(report) {
                Ok(line) => {
                    let _ = writeln!(out, "{line}");
                }
                Err(e) => eprintln!("error: cannot serialize a report: {e}"),
            }
        } else {
            let text = match report {
                CheckReport::Callback(r) => render(r, url),
                CheckReport::Wecom(r) => render(r, &r.facts.corp_id),
                CheckReport::Database(r) => render(r, &r.facts.target),
            };
            let _ = write!(out, "[{}] {text}", round.number);
        }
    }
    let _ = out.flush();
}
