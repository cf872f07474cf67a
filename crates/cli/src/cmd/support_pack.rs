//! `qa-wecom support-pack PLAN -o PACK.zip [--report FILE]…`: one zip for QA support — the plan
//! (no secrets), its check, the reports given, the tool's version and the OS, the generated files'
//! checksums — refused if the bundle's secret scan finds a secret in it. Prints what is inside.
//!
//! Exit codes: 0 written, 2 nothing written.

use super::plan::fail;
use clap::Args;
use setup_core::support::{SupportRequest, support_pack};
use setup_core::text::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct SupportPackArgs {
    /// The plan to describe.
    pub plan: PathBuf,
    /// The zip file to write.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// A report to include (e.g. saved `qa-wecom verify --json` output); repeatable.
    #[arg(long = "report")]
    pub reports: Vec<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: SupportPackArgs) -> ExitCode {
    let req = SupportRequest {
        plan_path: args.plan,
        output: args.output.clone(),
        reports: args.reports,
        tool: format!("qa-wecom {}", env!("CARGO_PKG_VERSION")),
    };
    match support_pack(&req) {
        Ok(files) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::json!({ "ok": true, "output": args.output, "files": files })
                );
            } else {
                println!("Support pack written to {}:", args.output.display());
                for f in &files {
                    println!("  {:<28} {:>8} bytes  sha256 {}", f.path, f.bytes, f.sha256);
                }
                println!("It holds no secret and no secrets/ file; send it to QA support.");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(args.json, e.code().as_str(), &e.text(), Lang::from_env(), 2),
    }
}
