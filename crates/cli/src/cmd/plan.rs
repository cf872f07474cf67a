//! `qa-wecom plan new [--demo] -o PLAN` and `qa-wecom plan check PLAN [--ca-cert PEM] [--json]`:
//! write a new plan (and its 0600 secrets file with a fresh Token and EncodingAESKey; with
//! `--demo` also a self-signed pair in `demo-tls/`), or check a plan and its secrets, reporting
//! every problem at once, including the inspection of a provided TLS certificate.
//!
//! Exit codes: 0 success (warnings allowed), 1 the plan has errors, 2 unusable input (a damaged
//! or unreadable file, an existing file without `--force`).

use super::check_report::print_report;
use super::write_args::WriteArgs;
use clap::{Args, Subcommand};
use serde_json::json;
use setup_core::plan::{CreateError, FileError, Plan, Secrets, create_plan};
use setup_core::text::{Lang, Text};
use setup_core::validate::{Issue, check_plan_file};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::SystemTime;

#[derive(Subcommand, Debug)]
pub enum PlanCommand {
    /// Write a new plan and its secrets file (fresh Token and EncodingAESKey).
    New(NewArgs),
    /// Check a plan and its secrets: every problem at once, with how to fix it.
    Check(CheckArgs),
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// Pre-fill the demo values (sample domain, self-signed TLS, QA on loopback).
    #[arg(long)]
    pub demo: bool,
    /// The plan file to write; the secrets go to `<name>.secrets.toml` beside it.
    #[arg(short = 'o', long = "out", value_name = "PLAN")]
    pub out: PathBuf,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The plan file.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Also trust this CA (PEM) when inspecting a provided certificate; repeatable.
    #[arg(long = "ca-cert", value_name = "PEM")]
    pub ca_cert: Vec<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(command: PlanCommand) -> ExitCode {
    match command {
        PlanCommand::New(args) => new(args),
        PlanCommand::Check(args) => check_cmd(args),
    }
}

/// Prints a failure: JSON on stdout with `--json`, and always the message on stderr.
pub(crate) fn fail(json: bool, code: &str, text: &Text, lang: Lang, exit: u8) -> ExitCode {
    if json {
        println!(
            "{}",
            json!({ "ok": false, "error": { "code": code, "message": text } })
        );
    }
    eprintln!("qa-wecom: {}", text.get(lang));
    ExitCode::from(exit)
}

fn file_error(json: bool, e: &FileError, lang: Lang) -> ExitCode {
    if json {
        println!(
            "{}",
            json!({ "ok": false, "error": { "code": e.code(), "message": e.text(), "params": e.params() } })
        );
    }
    eprintln!("qa-wecom: {}", e.text().get(lang));
    ExitCode::from(2)
}

/// Prints issues for people, on stderr: severity, field, code, message, fix.
pub(crate) fn print_issues(issues: &[Issue], lang: Lang) {
    for i in issues {
        let level: &str = i.severity.into();
        eprintln!(
            "{level}: {} [{}]: {}",
            i.field,
            i.code.as_str(),
            i.message.get(lang)
        );
        eprintln!("  fix: {}", i.fix.get(lang));
    }
}

fn new(args: NewArgs) -> ExitCode {
    let lang = Lang::from_env();
    let (mut plan, mut secrets) = if args.demo {
        (Plan::demo(), Secrets::demo())
    } else {
        (Plan::template(), Secrets::generated())
    };
    let demo_tls_at = args.demo.then(SystemTime::now);
    let created = match create_plan(
        &args.out,
        &mut plan,
        &mut secrets,
        demo_tls_at,
        args.write.force,
    ) {
        Ok(created) => created,
        Err(CreateError::Exists { path }) => {
            let p = path.display();
            let text = Text::new(
                format!("{p} already exists; use --force to replace it."),
                format!("{p} 已存在；如需替换请加 --force。"),
            );
            return fail(args.write.json, "file_exists", &text, lang, 2);
        }
        Err(CreateError::DemoTls(e)) => {
            let hint = if e.code() == setup_core::error_code::ErrorCode::FileExists {
                Text::new(" Use --force to replace it.", "如需替换请加 --force。")
            } else {
                Text::new("", "")
            };
            let text = Text::new(
                format!("Cannot write the demo TLS files: {e}.{}", hint.en),
                format!("无法写入演示用 TLS 文件：{e}。{}", hint.zh),
            );
            return fail(args.write.json, e.code().as_str(), &text, lang, 2);
        }
        Err(CreateError::File(e)) => return file_error(args.write.json, &e, lang),
    };
    let (secrets_path, tls) = (created.secrets_path, created.demo_tls);
    if args.write.json {
        println!(
            "{}",
            json!({
                "ok": true,
                "plan": args.out,
                "secrets_file": secrets_path,
                "demo": args.demo,
                "tls": tls.as_ref().map(|t| json!({
                    "certificate": t.certificate,
                    "private_key": t.private_key,
                    "note": t.note,
                })),
            })
        );
    } else {
        println!("plan:    {}", args.out.display());
        println!("secrets: {} (0600)", secrets_path.display());
        if let Some(t) = &tls {
            if let Some(cert) = &t.certificate {
                println!("tls:     {} (self-signed, demo only)", cert.display());
            }
            println!("tls key: {} (0600)", t.private_key.display());
        }
        let next = Text::new(
            format!(
                "Next: fill in the plan, put the app Secret in the secrets file, then run `qa-wecom plan check {}`.",
                args.out.display()
            ),
            format!(
                "下一步：填写计划，将应用 Secret 写入密钥文件，然后运行 `qa-wecom plan check {}`。",
                args.out.display()
            ),
        );
        println!("{}", next.get(lang));
    }
    ExitCode::SUCCESS
}

fn check_cmd(args: CheckArgs) -> ExitCode {
    let lang = Lang::from_env();
    let checked = match check_plan_file(&args.plan, &args.ca_cert, SystemTime::now()) {
        Ok(c) => c,
        Err(e) => return file_error(args.json, &e, lang),
    };
    let report = checked.report(lang);
    if args.json {
        return print_report(true, &report, "");
    }
    let facts = &report.facts;
    print_issues(facts.issues, lang);
    let summary = Text::new(
        format!(
            "{}: {} error(s), {} warning(s).",
            args.plan.display(),
            facts.error_count,
            facts.warning_count
        ),
        format!(
            "{}：{} 个错误，{} 个警告。",
            args.plan.display(),
            facts.error_count,
            facts.warning_count
        ),
    );
    let ok = report.ok;
    if ok {
        println!("{}", summary.get(lang));
        if let (Some(url), Some(b)) = (facts.callback_url, facts.bandwidth) {
            println!("callback URL: {url}");
            println!("EIP bandwidth: {} Mbps ({} users)", b.mbps, b.users);
        }
    } else {
        eprintln!("{}", summary.get(lang));
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
