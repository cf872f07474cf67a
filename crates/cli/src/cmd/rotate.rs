//! `qa-wecom rotate PLAN [--rollback]`: a fresh Token and EncodingAESKey in the plan's secrets
//! file (the old pair kept beside it as `<stem>.previous.toml`), or the previous pair back; then
//! the steps in the order that keeps events flowing, in the locale's language. Prints paths and
//! steps, never a value.
//!
//! Exit codes: 0 done, 2 nothing changed (no plan, no secrets file, nothing to roll back to, a
//! failed write).

use super::plan::fail;
use clap::Args;
use setup_core::rotate::{rollback, rotate};
use setup_core::text::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct RotateArgs {
    /// The plan whose secrets file gets the new pair.
    pub plan: PathBuf,
    /// Bring back the pair the last rotation replaced.
    #[arg(long)]
    pub rollback: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: RotateArgs) -> ExitCode {
    let lang = Lang::from_env();
    let result = if args.rollback {
        rollback(&args.plan)
    } else {
        rotate(&args.plan)
    };
    match result {
        Ok(rotation) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::json!({ "ok": true, "rotation": rotation })
                );
            } else {
                let done = if rotation.rollback {
                    "Previous Token and EncodingAESKey restored in"
                } else {
                    "New Token and EncodingAESKey written to"
                };
                println!("{done} {}", rotation.secrets_file.display());
                println!("The pair it replaced: {}", rotation.previous_file.display());
                for (i, step) in rotation.steps.iter().enumerate() {
                    println!("{}. {}", i + 1, step.get(lang));
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(args.json, e.code().as_str(), &e.text(), lang, 2),
    }
}
