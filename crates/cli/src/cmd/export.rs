//! `qa-wecom export PLAN -o DIR [--zip] [--report FILE] [--wecom-report FILE] [--ca-cert PEM]
//! [--json]`: write the
//! deployment bundle, atomically, to a folder (or, with `--zip`, to the zip file DIR). Exit 1 when
//! the plan has errors (a provided certificate that fails inspection included), 2 for anything
//! else that stops the export (nothing is written then).

use super::plan::print_issues;
use clap::Args;
use serde_json::json;
use setup_core::bundle::{BundleError, ExportFormat, ExportRequest, export_plan};
use setup_core::fsread::{MAX_REPORT_BYTES, read_capped_string};
use setup_core::generate::NginxOptions;
use setup_core::generate::callback_ips::CallbackIps;
use setup_core::text::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The plan file (its secrets file is found beside it).
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// The bundle folder (created, or a previous bundle replaced), or the zip file with --zip.
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: PathBuf,
    /// Write a zip file instead of a folder.
    #[arg(long)]
    pub zip: bool,
    /// Also trust this CA (PEM) when inspecting a provided certificate; repeatable.
    #[arg(long = "ca-cert", value_name = "PEM")]
    pub ca_cert: Vec<PathBuf>,
    /// A verification report (JSON, e.g. from `qa-wecom verify --json`) to include.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// A WeCom check report (JSON, from `qa-wecom wecom check --json`): its list of WeCom's
    /// callback source addresses goes into network/wecom-callback-ips.txt.
    #[arg(long = "wecom-report", value_name = "FILE")]
    pub wecom_report: Option<PathBuf>,
    /// Replace a bundle folder that holds files export did not write (they are deleted), or a
    /// file at the --zip path that export did not write. Never the plan or its secrets file.
    #[arg(long)]
    pub force: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

fn error_exit(json: bool, e: &BundleError, lang: Lang) -> ExitCode {
    let issues = match e {
        BundleError::Invalid { issues } => issues.as_slice(),
        _ => &[],
    };
    if json {
        println!(
            "{}",
            json!({ "ok": false, "error": { "code": e.code(), "message": e.text() }, "issues": issues })
        );
    } else {
        print_issues(issues, lang);
    }
    eprintln!("qa-wecom: {}", e.text().get(lang));
    ExitCode::from(if issues.is_empty() { 2 } else { 1 })
}

/// WeCom's callback source addresses from a `wecom check --json` report file.
fn read_callback_ips(path: &std::path::Path) -> Result<CallbackIps, String> {
    let text = read_capped_string(path, MAX_REPORT_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    CallbackIps::from_wecom_report(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(args: ExportArgs) -> ExitCode {
    let lang = Lang::from_env();
    let report = match &args.report {
        Some(path) => match read_capped_string(path, MAX_REPORT_BYTES) {
            Ok(text) if serde_json::from_str::<serde_json::Value>(&text).is_ok() => Some(text),
            Ok(_) => {
                eprintln!("qa-wecom: {} is not JSON", path.display());
                return ExitCode::from(2);
            }
            Err(e) => {
                eprintln!("qa-wecom: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let callback_ips = match args.wecom_report.as_deref().map(read_callback_ips) {
        Some(Ok(ips)) => Some(ips),
        Some(Err(message)) => {
            eprintln!("qa-wecom: {message}");
            return ExitCode::from(2);
        }
        None => None,
    };
    let request = ExportRequest {
        plan_path: args.plan.clone(),
        output: args.out.clone(),
        format: if args.zip {
            ExportFormat::Zip
        } else {
            ExportFormat::Dir
        },
        nginx: NginxOptions::default(),
        verification_report: report,
        ca_certs: args.ca_cert.clone(),
        callback_ips,
        force: args.force,
    };
    match export_plan(&request) {
        Ok(summary) => {
            if args.json {
                println!("{}", json!({ "ok": true, "export": summary }));
            } else {
                print_issues(&summary.warnings, lang);
                for f in &summary.files {
                    let mark = if f.secret { "  (secret)" } else { "" };
                    println!("{}{mark}", f.path);
                }
                println!("-> {}", summary.output.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => error_exit(args.json, &e, lang),
    }
}
