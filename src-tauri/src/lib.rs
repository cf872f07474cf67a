//! The desktop shell of QA WeCom Setup. The only crate that depends on Tauri: it registers the
//! commands (one core call each) and builds the app over any runtime, so tests can use the mock one.

#[cfg(test)]
mod bindings;
mod commands;
mod error;
mod jobs;
mod reveal;
mod state;
mod store;
mod view;

pub use commands::AppInfo;
pub use commands::export::ExportResult;
pub use commands::network::NetworkFiles;
pub use commands::resources::TlsWritten;
pub use commands::verify::ReceiverInfo;
pub use error::IpcError;
pub use jobs::LiveRung;
pub use store::AutosaveInfo;
pub use view::{PlanView, SecretsView, StepState, StepStatus, VerifyTarget, WizardStep};

use tauri::{Builder, Emitter, Manager, RunEvent, Runtime, WindowEvent};

/// The app's builder: commands, plugins and state, independent of the runtime (real window or
/// mock). The [`state::Workspace`], which holds the app-data folder, is managed by the caller.
pub fn build_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(state::DemoReceiver::default())
        .manage(state::DemoWecomApi::default())
        .manage(jobs::Jobs::default())
        .on_window_event(ask_before_closing)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            jobs::cancel_job,
            commands::recommend_bandwidth,
            commands::verify::check_callback,
            commands::verify::start_receiver,
            commands::verify::fault_modes,
            commands::troubleshoot::lookup_error_code,
            commands::troubleshoot::decrypt_callback,
            commands::troubleshoot::import_trigger,
            commands::database::database_sql,
            commands::database::database_check,
            commands::day2::watch_once,
            commands::day2::rotate_pair,
            commands::day2::support_pack,
            commands::plan::plan_get,
            commands::plan::plan_new,
            commands::plan::plan_open,
            commands::plan::plan_recent,
            commands::plan::plan_demo,
            commands::plan::plan_save,
            commands::plan::plan_save_as,
            commands::plan::plan_update,
            commands::plan::plan_generate_secrets,
            commands::plan::autosave_offer,
            commands::plan::autosave_restore,
            commands::plan::autosave_discard,
            commands::plan::app_close_discarding,
            commands::resources::tls_inspect,
            commands::resources::tls_generate,
            commands::wecom::wecom_check,
            commands::wecom::wecom_default_api_base,
            commands::network::network_files,
            commands::export::export_bundle,
            commands::export::reveal_export,
        ])
}

/// Closing with unsaved changes: the close is held and the window asks (event `close-requested`);
/// it then saves or calls `app_close_discarding`.
fn ask_before_closing<R: Runtime>(window: &tauri::Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event
        && let Some(ws) = window.try_state::<state::Workspace>()
        && commands::plan::is_dirty(&ws)
    {
        api.prevent_close();
        let _ = window.emit("close-requested", ());
    }
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
        .setup(|app| {
            let dir = app.path().app_data_dir()?;
            app.manage(state::Workspace::new(dir));
            Ok(())
        })
        .build(tauri::generate_context!())
        .map(|app| app.run(on_event))
        .unwrap_or_else(|e| {
            eprintln!("qa-wecom-setup: could not start the window: {e}");
            std::process::exit(1);
        });
}
