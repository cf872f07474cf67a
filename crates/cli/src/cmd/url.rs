//! `qa-wecom url --domain D --corp-id C [--http] [--json]`: the callback URL to enter in the WeCom
//! console, after validating both values. Exit 0 (warnings on stderr), 1 when a value is invalid.

use super::plan::print_issues;
use clap::Args;
use serde_json::json;
use setup_core::callback::{self, CallbackUrlCheck};
use setup_core::text::Lang;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct UrlArgs {
    /// The callback domain (host name only; IDN is converted to punycode; surrounding spaces are
    /// ignored).
    #[arg(long, value_name = "D")]
    pub domain: String,
    /// The enterprise ID (corpid).
    #[arg(long = "corp-id", value_name = "C")]
    pub corp_id: String,
    /// Plain http:// (TLS mode none).
    #[arg(long)]
    pub http: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: UrlArgs) -> ExitCode {
    let lang = Lang::from_env();
    let CallbackUrlCheck { url, issues } = callback::check(&args.domain, &args.corp_id, !args.http);
    if args.json {
        println!(
            "{}",
            json!({ "ok": url.is_some(), "url": url, "issues": issues })
        );
    } else {
        print_issues(&issues, lang);
        if let Some(url) = &url {
            println!("{url}");
        }
    }
    if url.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
