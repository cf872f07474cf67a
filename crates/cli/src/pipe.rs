//! A closed output pipe ends the program quietly. Rust ignores SIGPIPE, so `println!` to a pipe
//! whose reader is gone (`qa-wecom secrets | true`) panics with "failed printing to stdout" and
//! exit 101; like `ls | head`, the CLI then stops with exit 0 and prints nothing.

use std::panic::PanicHookInfo;

/// Whether the panic is `print!`/`eprint!` failing on a closed pipe.
fn is_closed_pipe(info: &PanicHookInfo<'_>) -> bool {
    let message = info
        .payload()
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| info.payload().downcast_ref::<&str>().copied())
        .unwrap_or("");
    // std's message: "failed printing to stdout: Broken pipe (os error 32)" (232 on Windows).
    message.starts_with("failed printing to std")
        && (message.contains("(os error 32)") || message.contains("(os error 232)"))
}

/// Installs the hook: a closed pipe exits 0 at once; any other panic is reported as before.
pub fn exit_quietly_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_closed_pipe(info) {
            std::process::exit(0);
        }
        default(info);
    }));
}
