//! `qa-wecom verify`: act as WeCom does when the admin presses Save — a fresh signed and encrypted
//! echostr GET to the callback URL — and print the ladder (DNS → TCP → TLS → HTTP → reply) with the
//! diagnosis, or one JSON object with `--json` (the report of `product.md`).
//!
//! The verification sends several probes (see `live::ladder`); `--expect-ip` names the EIP the
//! domain should resolve to (`dns_not_eip` otherwise), `--loopback-expected` silences the
//! `dns_private_address` warning for a URL on loopback on purpose (a local demo receiver).
//!
//! Exit codes: 0 the URL passes (warnings allowed), 1 it fails (the diagnosis says why), 2 unusable
//! input. The Token and the EncodingAESKey never appear in the output.

use super::callback_secrets::CallbackSecrets;
use super::check_report::{CheckOptions, input_error, print_report, runtime};
use clap::Args;
use live::{Credentials, LadderOptions, Report};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// The flags `verify` and `send-event` share: where to send, what to sign with, how to report.
#[derive(Args, Debug)]
pub struct LadderArgs {
    /// The callback URL entered in the WeCom console.
    #[arg(long)]
    pub url: String,
    /// The Token, EncodingAESKey and corpid entered in the WeCom console.
    #[command(flatten)]
    pub secrets: CallbackSecrets,
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
    /// The public IP (EIP) the domain should resolve to; a warning (dns_not_eip) when it
    /// resolves to another address.
    #[arg(long = "expect-ip", value_name = "IP")]
    pub expect_ip: Option<IpAddr>,
    /// The URL is on loopback on purpose (a local demo receiver): no dns_private_address warning
    /// for 127.0.0.1 or ::1.
    #[arg(long = "loopback-expected")]
    pub loopback_expected: bool,
}

pub fn run(args: VerifyArgs) -> ExitCode {
    let (expected_ip, loopback_expected) = (args.expect_ip, args.loopback_expected);
    let address = move |options: &mut LadderOptions| {
        options.expected_ip = expected_ip;
        options.loopback_expected = loopback_expected;
    };
    run_ladder(args.ladder, address, |url, credentials, options, rt| {
        rt.block_on(live::verify(url, credentials, options))
    })
}

/// Reads the flags into the ladder's inputs, adjusted by `adjust` (the command's own flags), runs
/// `check_one` on a fresh runtime and prints the report; an unreadable `--ca-cert` is unusable
/// input (exit 2).
pub fn run_ladder(
    args: LadderArgs,
    adjust: impl FnOnce(&mut LadderOptions),
    check_one: impl FnOnce(
        &str,
        &Credentials,
        &LadderOptions,
        &tokio::runtime::Runtime,
    ) -> Result<Report, live::LiveError>,
) -> ExitCode {
    let ca_cert_pem = match &args.ca_cert {
        Some(path) => {
            match setup_core::fsread::read_capped(path, setup_core::fsread::MAX_PEM_BYTES) {
                Ok(pem) => Some(pem),
                Err(e) => {
                    let message = format!("cannot read --ca-cert {}: {e}", path.display());
                    return input_error(args.options.json, "invalid_pem", &message);
                }
            }
        }
        None => None,
    };
    let mut options = LadderOptions {
        timeout: args.options.timeout(),
        ca_cert_pem,
        lang: args.options.lang,
        ..LadderOptions::default()
    };
    adjust(&mut options);
    let credentials = match args.secrets.resolve() {
        Ok(values) => values.credentials(),
        Err(message) => return input_error(args.options.json, "missing_secret", &message),
    };
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
        Err(e) => input_error(json, e.code().as_str(), &e.to_string()),
    }
}
