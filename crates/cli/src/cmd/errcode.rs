//! `qa-wecom errcode CODE [--json]`: what a WeCom API or callback-library error code means and how
//! to fix it. Exit 1 for a code the catalogue does not know.

use super::plan::fail;
use clap::Args;
use serde_json::json;
use setup_core::errcodes::{CodeSource, lookup, unknown};
use setup_core::error_code::ErrorCode;
use setup_core::text::Lang;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ErrcodeArgs {
    /// The code, e.g. 48002, 60020 or -40001.
    #[arg(value_name = "CODE", allow_negative_numbers = true)]
    pub code: i64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: ErrcodeArgs) -> ExitCode {
    let lang = Lang::from_env();
    let Some(info) = lookup(args.code) else {
        return fail(
            args.json,
            ErrorCode::UnknownCode.as_str(),
            &unknown(args.code),
            lang,
            1,
        );
    };
    if args.json {
        println!("{}", json!({ "ok": true, "code": info }));
    } else {
        let source = match info.source {
            CodeSource::WecomApi => "WeCom API",
            CodeSource::CallbackLibrary => "callback library (WXBizMsgCrypt)",
        };
        println!("{} {} ({source})", info.code, info.name);
        println!("{}", info.meaning.get(lang));
        println!("fix: {}", info.fix.get(lang));
    }
    ExitCode::SUCCESS
}
