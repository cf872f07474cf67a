//! `qa-wecom wecom check`: check a WeCom self-built app's corpid and Secret against the WeCom API
//! (gettoken, once), then probe the customer-contact permission and — with `--agent-id` — the
//! visible range; print each step and the diagnosis in English and Chinese, or one JSON object.
//!
//! Exit codes: 0 the check passed (warnings allowed), 1 it failed, 2 unusable input. The Secret and
//! the access_token never appear in the output.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use live::wecom_api::{self, CheckStatus, WecomCheckReport, WecomCheckRequest};
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
    /// Budget of the whole check, in milliseconds.
    #[arg(long = "timeout-ms", default_value_t = 5000)]
    pub timeout_ms: u64,
    /// Print one JSON object (the report) instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(command: WecomCommand) -> ExitCode {
    match command {
        WecomCommand::Check(args) => check(args),
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
        Err(message) => return input_error(args.json, "missing_secret", &message),
    };
    let request = WecomCheckRequest {
        corp_id: args.corp_id.clone(),
        secret,
        agent_id: args.agent_id,
        api_base: Some(args.api_base.clone()),
        timeout: Duration::from_millis(args.timeout_ms),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return input_error(args.json, "runtime", &format!("cannot start: {e}")),
    };
    let report = match runtime.block_on(wecom_api::check(&request)) {
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

fn human(report: &WecomCheckReport) -> String {
    let mut out = format!(
        "WeCom API check — {} — corpid {}\n",
        report.api_base, report.corp_id
    );
    for step in &report.steps {
        let timing = if step.status == CheckStatus::Skip {
            String::new()
        } else {
            format!(" ({} ms)", step.elapsed_ms)
        };
        out.push_str(&format!(
            "  {}  {:<17} {}{timing}\n",
            status_label(step.status),
            name_of(&step.name),
            step.detail
        ));
    }
    let d = &report.diagnosis;
    let verdict = if report.ok { "OK" } else { "FAILED" };
    let errcode = d
        .errcode
        .map(|c| format!(" (errcode {c})"))
        .unwrap_or_default();
    out.push_str(&format!("{verdict}: {}{errcode}\n", name_of(&d.code)));
    out.push_str(&format!("  {}\n  Fix: {}\n", d.summary, d.fix));
    out.push_str(&format!("  {}\n  处理：{}\n", d.summary_zh, d.fix_zh));
    if let Some(url) = &d.help_url {
        out.push_str(&format!("  More / 详情: {url}\n"));
    }
    out
}
