//! `qa-wecom secrets [--json]`: a fresh Token (32) and EncodingAESKey (43) from the OS CSPRNG, to
//! paste into the WeCom console and QA. Printing them is the point of the command.

use clap::Args;
use serde_json::json;
use setup_core::secret::{generate_encoding_aes_key, generate_token};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct SecretsArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: SecretsArgs) -> ExitCode {
    let token = generate_token();
    let key = generate_encoding_aes_key();
    if args.json {
        println!(
            "{}",
            json!({ "token": token.expose(), "encoding_aes_key": key.expose() })
        );
    } else {
        println!("Token:          {}", token.expose());
        println!("EncodingAESKey: {}", key.expose());
    }
    ExitCode::SUCCESS
}
