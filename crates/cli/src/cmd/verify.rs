//! `qa-wecom verify`: act as WeCom does when the admin presses Save — a fresh signed and encrypted
//! echostr GET to the callback URL — and print the ladder (DNS → TCP → TLS → HTTP → reply) with the
//! diagnosis, or one JSON object with `--json` (the report of `product.md`).
//!
//! Exit codes: 0 the URL passes, 1 it fails (the diagnosis says why), 2 unusable input. The Token
//! and the EncodingAESKey never appear in the output.

use super::check_report::{CheckOptions, input_error, print_report, runtime};
use clap::Args;
use live::{Credentials, LadderOptions, Report};
use std::path::PathBuf;
use std::process::ExitCode;

/// The flags `verify` and `send-event` share: where to send, what to sign with, how to report.
#[derive(Args, Debug)]
pub struct LadderArgs {
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
    /// An extra trusted CA certificate (PEM), e.g. a demo receiver's self-signed certificate.
    #[arg(long = "ca-cert")]
    pub ca_cert: Option<PathBuf>,
    #[command(flatten)]
    pub options: CheckOptions,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub ladder: LadderArgs,
}

pub fn run(args: VerifyArgs) -> ExitCode {
    run_ladder(args.ladder, |url, credentials, options, rt| {
        rt.block_on(live::verify(url, credentials, options))
    })
}

/// Reads the flags into the ladder's inputs, runs `check` on a fresh runtime and prints the
/// report; an unreadable `--ca-cert` is unusable input (exit 2).
pub fn run_ladder(
    args: LadderArgs,
    check_one: impl FnOnce(
        &str,
        &Credentials,
        &LadderOptions,
        &tokio::runtime::Runtime,
    ) -> Result<Report, live::LiveError>,
) -> ExitCode {
    let ca_cert_pem = match &args.ca_cert {
        Some(path) => match std::fs::read(path) {
            Ok(pem) => Some(pem),
            Err(e) => {
                let message = format!("cannot read --ca-cert {}: {e}", path.display());
                return input_error(args.options.json, "invalid_pem", &message);
            }
        },
        None => None,
    };
    let options = LadderOptions {
        timeout: args.options.timeout(),
        ca_cert_pem,
        lang: args.options.lang,
    };
    let credentials = Credentials::new(args.token, args.aes_key, args.corp_id);
    let url = args.url;
    check(args.options.json, |rt| {
        check_one(&url, &credentials, &options, rt)
    })
}

/// Runs one ladder check on a fresh runtime and prints its report.
fn check(
    json: bool,
    run: impl FnOnce(&tokio::runtime::Runtime) -> Result<Report, live::LiveError>,
) -> ExitCode {
    let runtime = match runtime(json) {
        Ok(rt) => rt,
        Err(exit) => return exit,
    };
    match run(&runtime) {
        Ok(report) => print_report(json, &report, &report.facts.url),
        Err(e) => input_error(json, e.code(), &e.to_string()),
    }
}
