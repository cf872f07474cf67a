//! `qa-wecom send-event`: POST an encrypted sample event (`change_external_contact` /
//! `add_external_contact` for the corpid) to the callback URL as WeCom does, and expect HTTP 200
//! within WeCom's 5 s. Same ladder, output and exit codes as `verify`.
//! Takes the same flags as `verify` (`--timeout-ms` defaults to WeCom's 5 s event budget; `--ca-cert`
//! trusts a demo receiver's self-signed certificate).

use super::verify::{LadderArgs, run_ladder};
use clap::Args;

#[derive(Args, Debug)]
pub struct SendEventArgs {
    #[command(flatten)]
    pub ladder: LadderArgs,
}

pub fn run(args: SendEventArgs) -> std::process::ExitCode {
    run_ladder(
        args.ladder,
        |_| {},
        |url, credentials, options, rt| rt.block_on(live::send_event(url, credentials, options)),
    )
}
