//! The desktop shell of QA WeCom Setup. The only crate that depends on Tauri: it registers the
//! commands (one core call each) and builds the app over any runtime, so tests can use the mock one.

#[cfg(test)]
mod bindings;
mod commands;
mod error;

pub use commands::AppInfo;
pub use error::IpcError;

use tauri::{Builder, Runtime};

/// The app's builder: commands and plugins, independent of the runtime (real window or mock).
pub fn build_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::recommend_bandwidth
    ])
}

/// Start the wizard window.
pub fn run() {
    build_app(Builder::default())
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("qa-wecom-setup: could not start the window: {e}");
            std::process::exit(1);
        });
}
