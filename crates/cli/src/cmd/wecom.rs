//! `qa-wecom wecom check`: check a WeCom self-built app's corpid and Secret against the WeCom API
//! (gettoken, once), then probe the customer-contact permission and — with `--agent-id` — the
//! visible range; print each step and the diagnosis in the `--lang` language, or one JSON object.
//!
//! Exit codes: 0 the check passed (warnings allowed), 1 it failed, 2 unusable input. The Secret and
//! the access_token never appear in the output.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check_report::{CheckOptions, input_error, print_report, runtime};
use clap::{Args, Subcommand};
use live::wecom_api::{self, WecomCheckRequest};
use secrecy::SecretString;
use setup_core::plan::load_plan_with_secrets;
use setup_core::secret::Secret;

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
    /// Take the corpid from this plan and the app Secret from its secrets file (recommended).
    #[arg(long = "plan", value_name = "PLAN")]
    pub plan: Option<PathBuf>,
    /// The enterprise's corpid (My Company → Company Information → Company ID); or from --plan.
    #[arg(long = "corp-id")]
    pub corp_id: Option<String>,
    /// The self-built app's Secret. Prefer --plan or QA_WECOM_SECRET: a flag is visible in `ps`
    /// and the shell history. Without any, it is asked for when stdin is a terminal.
    #[arg(long, value_parser = secret_arg)]
    pub secret: Option<Secret>,
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

fn secret_arg(s: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(s))
}

/// The corpid and app Secret of `--plan` (each `None` when the plan has none).
fn from_plan(path: &Path) -> Result<(Option<String>, Option<Secret>), String> {
    let (plan, _, secrets) = load_plan_with_secrets(path).map_err(|e| e.text().en)?;
    Ok((plan.wecom.corp_id, secrets.app_secret))
}

/// The Secret: `--secret`, else $QA_WECOM_SECRET, else the plan's, else a prompt on a terminal.
fn secret(args: &WecomCheckArgs, planned: Option<Secret>) -> Result<SecretString, String> {
    if let Some(s) = &args.secret {
        return Ok(SecretString::from(s.expose().to_owned()));
    }
    if let Ok(s) = std::env::var(SECRET_ENV) {
        return Ok(SecretString::from(s));
    }
    if let Some(s) = planned {
        return Ok(SecretString::from(s.expose().to_owned()));
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("WeCom app Secret / 应用 Secret: ")
            .map(SecretString::from)
            .map_err(|e| format!("cannot read the Secret: {e}"));
    }
    Err(format!(
        "no Secret: give --plan PLAN, or set {SECRET_ENV}, or pass --secret"
    ))
}

fn check(args: WecomCheckArgs) -> ExitCode {
    let json = args.options.json;
    let (planned_corp, planned_secret) = match args.plan.as_deref().map(from_plan) {
        Some(Ok(found)) => found,
        Some(Err(message)) => return input_error(json, "plan_unreadable", &message),
        None => (None, None),
    };
    let Some(corp_id) = args.corp_id.clone().or(planned_corp) else {
        let message = "no corpid: pass --corp-id, or --plan PLAN";
        return input_error(json, "missing_corp_id", message);
    };
    let secret = match secret(&args, planned_secret) {
        Ok(s) => s,
        Err(message) => return input_error(json, "missing_secret", &message),
    };
    let request = WecomCheckRequest {
        corp_id,
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
        Err(e) => return input_error(args.options.json, e.code().as_str(), &e.to_string()),
    };
    let subject = format!(
        "{} — corpid {}",
        report.facts.api_base, report.facts.corp_id
    );
    print_report(args.options.json, &report, &subject)
}
