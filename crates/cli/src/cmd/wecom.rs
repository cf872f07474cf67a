//! `qa-wecom wecom check`: check a WeCom self-built app's corpid and Secret against the WeCom API
//! (gettoken, once), then probe the customer-contact permission and — with `--agent-id` — the
//! visible range; print each step and the diagnosis in the `--lang` language, or one JSON object.
//!
//! Exit codes: 0 the check passed (warnings allowed), 1 it failed, 2 unusable input. The Secret and
//! the access_token never appear in the output.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::check_report::{CheckOptions, input_error, print_report, runtime};
use clap::{Args, Subcommand};
use live::wecom_api::{self, WecomCheckRequest};
use secrecy::SecretString;

/// Environment variable read when `--secret` is not given.
pub const SECRET_ENV: &str = "QA_WECOM_SECRET";

#[derive(Subcommand, Debug)]
pub enum WecomCommand {
    /// Check the corpid and Secret (gettoken, once) and probe the customer-contact permission,
    /// the visible range and the trusted-IP list.
    Check(WecomCheckArgs),
}

#[derive(Args, Debug)]
pub struct WecomCheckArgs {
    /// The enterprise's corpid (My Company → Company Information → Company ID).
    #[arg(long = "corp-id")]
    pub corp_id: String,
    /// The self-built app's Secret. Without it: $QA_WECOM_SECRET, else a prompt on a terminal.
    #[arg(long)]
    pub secret: Option<String>,
    /// The app's AgentId: also checks the app's visible range.
    #[arg(long = "agent-id")]
    pub agent_id: Option<u64>,
    /// The WeCom API base URL.
    #[arg(long = "api-base", default_value = wecom_api::DEFAULT_API_BASE)]
    pub api_base: String,
    #[command(flatten)]
    pub options: CheckOptions,
}

pub fn run(command: WecomCommand) -> ExitCode {
    match command {
        WecomCommand::Check(args) => check(args),
    }
}

fn secret(args: &WecomCheckArgs) -> Result<SecretString, String> {
    if let Some(s) = &args.secret {
        return Ok(SecretString::from(s.clone()));
    }
    if let Ok(s) = std::env::var(SECRET_ENV) {
        return Ok(SecretString::from(s));
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("WeCom app Secret / 应用 Secret: ")
            .map(SecretString::from)
            .map_err(|e| format!("cannot read the Secret: {e}"));
    }
    Err(format!("no Secret: pass --secret or set {SECRET_ENV}"))
}

fn check(args: WecomCheckArgs) -> ExitCode {
    let secret = match secret(&args) {
        Ok(s) => s,
        Err(message) => return input_error(args.options.json, "missing_secret", &message),
    };
    let request = WecomCheckRequest {
        corp_id: args.corp_id.clone(),
        secret,
        agent_id: args.agent_id,
        api_base: Some(args.api_base.clone()),
        timeout: args.options.timeout(),
        lang: args.options.lang,
    };
    let runtime = match runtime(args.options.json) {
        Ok(rt) => rt,
        Err(exit) => return exit,
    };
    let report = match runtime.block_on(wecom_api::check(&request)) {
        Ok(report) => report,
        Err(e) => return input_error(args.options.json, e.code(), &e.to_string()),
    };
    let subject = format!(
        "{} — corpid {}",
        report.facts.api_base, report.facts.corp_id
    );
    print_report(args.options.json, &report, &subject)
}
