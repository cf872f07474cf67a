//! The `--force` and `--json` flags of the commands that write new files (`plan new`,
//! `cert csr`, `cert self-signed`), flattened into each.

use clap::Args;

#[derive(Args, Debug)]
pub struct WriteArgs {
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}
