//! `qa-wecom`: the command-line twin of the QA WeCom Setup wizard. Thin: parse, call the core, print.
//! Human output on stdout, errors on stderr, `--json` for machines, exit 0 only on success.

mod cmd;
mod pipe;

use clap::Parser;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "qa-wecom",
    version,
    about = "Connect a WeCom self-built app to Quick Audience: plan, generate, verify."
)]
struct Cli {
    #[command(subcommand)]
    command: cmd::Command,
}

fn main() -> ExitCode {
    pipe::exit_quietly_on_closed_pipe();
    let cli = Cli::parse();
    cmd::run(cli.command)
}
