//! `qa-wecom bandwidth --users N [--json]`: the recommended EIP bandwidth (seed §2.1). Exit 1 for
//! zero users.

use super::plan::fail;
use clap::Args;
use serde_json::json;
use setup_core::sizing::recommend_bandwidth;
use setup_core::text::Lang;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct BandwidthArgs {
    /// The number of WeCom users (members of the enterprise).
    #[arg(long, value_name = "N")]
    pub users: u64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: BandwidthArgs) -> ExitCode {
    let lang = Lang::from_env();
    match recommend_bandwidth(args.users) {
        Ok(advice) => {
            if args.json {
                println!(
                    "{}",
                    json!({ "ok": true, "users": advice.users, "mbps": advice.mbps })
                );
            } else {
                println!("{} Mbps", advice.mbps);
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(args.json, e.code().as_str(), &e.text(), lang, 1),
    }
}
