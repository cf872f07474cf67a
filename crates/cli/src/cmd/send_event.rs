//! `qa-wecom send-event`: POST an encrypted sample event (`change_external_contact` /
//! `add_external_contact` for the corpid) to the callback URL as WeCom does, and expect HTTP 200
//! within WeCom's 5 s. Same ladder, output and exit codes as `verify`.

use super::verify;
use clap::Args;
use live::{Credentials, LadderOptions, Lang};

#[derive(Args, Debug)]
pub struct SendEventArgs {
    /// The callback URL entered in the WeCom console.
    #[arg(long)]
    pub url: String,
    /// The Token entered in the WeCom console.
    #[arg(long)]
    pub token: String,
    /// The EncodingAESKey entered in the WeCom console (43 letters and digits).
    #[arg(long = "aes-key")]
    pub aes_key: String,
    /// The enterprise's corpid.
    #[arg(long = "corp-id")]
    pub corp_id: String,
    /// Print one JSON object (the report) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Language of the diagnosis: en or zh.
    #[arg(long, default_value = "en")]
    pub lang: Lang,
}

pub fn run(args: SendEventArgs) -> std::process::ExitCode {
    let options = LadderOptions {
        timeout: live::limits::WECOM_EVENT_BUDGET,
        lang: args.lang,
        ..LadderOptions::default()
    };
    let credentials = Credentials::new(args.token, args.aes_key, args.corp_id);
    let url = args.url;
    verify::check(args.json, args.lang, |rt| {
        rt.block_on(live::send_event(&url, &credentials, &options))
    })
}
