//! The desktop shell of QA WeCom Setup. The only crate that depends on Tauri: it registers the
//! commands (one core call each) and builds the app over any runtime, so tests can use the mock one.

#[cfg(test)]
mod bindings;
mod commands;
mod error;
mod state;

pub use commands::AppInfo;
pub use commands::callback::GeneratedSecrets;
pub use commands::verify::ReceiverInfo;
pub use error::IpcError;
pub use setup_core::callback::CallbackUrlCheck;

use tauri::{Builder, Manager, RunEvent, Runtime};

/// The app's builder: commands and plugins, independent of the runtime (real window or mock).
pub fn build_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .manage(state::DemoReceiver::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::recommend_bandwidth,
            commands::callback::callback_url,
            commands::callback::generate_secrets,
            commands::verify::verify_callback,
            commands::verify::send_test_event,
            commands::verify::start_receiver,
            commands::verify::stop_receiver,
            commands::troubleshoot::lookup_error_code,
            commands::day2::watch_once,
            commands::day2::rotate_pair,
            commands::day2::support_pack,
        ])
}

/// On exit, stop the demo receiver (dropping its handle closes the listener).
fn on_event<R: Runtime>(app: &tauri::AppHandle<R>, event: RunEvent) {
    if let RunEvent::Exit = event
        && let Some(receiver) = app.try_state::<state::DemoReceiver>()
        && let Ok(mut slot) = receiver.0.try_lock()
    {
        drop(slot.take());
    }
}

/// Start the wizard window.
pub fn run() {
    build_app(Builder::default())
        .build(tauri::generate_context!())
        .map(|app| app.run(on_event))
        .unwrap_or_else(|e| {
            eprintln!("qa-wecom-setup: could not start the window: {e}");
            std::process::exit(1);
        });
}
