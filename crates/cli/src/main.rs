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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every argument struct that holds a secret prints `[REDACTED]` in its `Debug`.
    #[test]
    fn parsed_arguments_never_debug_print_a_secret() {
        let runs: [&[&str]; 5] = [
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--token",
                "Tok3nValue",
                "--aes-key",
                "K3yValue",
                "--corp-id",
                "ww1",
            ],
            &[
                "verify",
                "--url",
                "http://x/",
                "--token",
                "Tok3nValue",
                "--aes-key",
                "K3yValue",
            ],
            &[
                "decrypt",
                "--token",
                "Tok3nValue",
                "--aes-key",
                "K3yValue",
                "--query",
                "q",
            ],
            &[
                "wecom",
                "check",
                "--corp-id",
                "ww1",
                "--secret",
                "Tok3nValue",
            ],
            &["db", "check", "postgresql://u:K3yValue@h/db"],
        ];
        for args in runs {
            let cli = Cli::try_parse_from(std::iter::once("qa-wecom").chain(args.iter().copied()))
                .unwrap_or_else(|e| panic!("{args:?}: {e}"));
            let shown = format!("{:?}", cli.command);
            assert!(
                !shown.contains("Tok3nValue") && !shown.contains("K3yValue"),
                "{shown}"
            );
        }
    }
}
