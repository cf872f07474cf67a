//! One module per subcommand; `Command` lists them and `run` dispatches.

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Print the version of the core crates.
    Version,
}

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Version => {
            println!("qa-wecom {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
    }
}
