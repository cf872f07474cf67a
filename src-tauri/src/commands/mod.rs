//! The app's commands: each parses its arguments, makes one core call and returns data or an
//! `IpcError`. One module per step: `verify`, `troubleshoot`, `database`, `day2` (Keep it working)
//! and the plan's; the first ones here.

pub mod database;
pub mod day2;
pub mod export;
pub mod network;
pub mod plan;
pub mod resources;
pub mod troubleshoot;
pub mod verify;
pub mod wecom;

use crate::error::{AppCode, IpcError};
use serde::Serialize;
use setup_core::sizing::{self, BandwidthAdvice};
use std::path::PathBuf;
use ts_rs::TS;

/// What the About line of the window shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

#[tauri::command(rename_all = "snake_case")]
pub fn app_info() -> AppInfo {
    AppInfo {
        name: "QA WeCom Setup".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }
}

/// EIP bandwidth for a user count (seed §2.1).
#[tauri::command(rename_all = "snake_case")]
pub fn recommend_bandwidth(users: u64) -> Result<BandwidthAdvice, IpcError> {
    Ok(sizing::recommend_bandwidth(users)?)
}

/// A mock app with the real context (capability file and ACL) and its `main` window, to call
/// commands through IPC exactly as the UI does. One `Mock` keeps its managed state across calls.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::build_app;
    use serde_json::Value;
    use std::sync::{Arc, Mutex};
    use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;
    use tauri::{App, WebviewWindow};

    /// A report's steps as `name:status`, in order (what the ladder shows rung by rung).
    pub fn rungs(report: &Value) -> Vec<String> {
        report["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{}:{}",
                    s["name"].as_str().unwrap(),
                    s["status"].as_str().unwrap()
                )
            })
            .collect()
    }

    /// The wizard step `step` of a plan view (`{step, status, reason}`).
    pub fn wizard_step(view: &Value, step: &str) -> Value {
        view["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == step)
            .unwrap()
            .clone()
    }

    /// The first issue of a plan view on `field` (`{field, code, severity, summary, fix, …}`).
    pub fn issue_of(view: &Value, field: &str) -> Value {
        view["issues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["field"] == field)
            .unwrap_or_else(|| panic!("no issue on {field} in {view}"))
            .clone()
    }

    /// The status of the wizard step `step` of a plan view (`done`, `warning`, …).
    pub fn status(view: &Value, step: &str) -> String {
        wizard_step(view, step)["status"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Every message sent on a channel the (mock) UI passed: the channel's id and the message.
    pub type ChannelLog = Arc<Mutex<Vec<(u32, Value)>>>;

    pub struct Mock {
        _app: App<MockRuntime>,
        webview: WebviewWindow<MockRuntime>,
        /// The app-data folder of this mock app (recent plans, autosave, demo plan).
        pub data: tempfile::TempDir,
        /// What the commands sent on the UI's channels (e.g. `onRung: "__CHANNEL__:7"`).
        pub channels: ChannelLog,
    }

    impl Mock {
        pub fn new() -> Self {
            let data = tempfile::tempdir().expect("app data dir");
            let channels = ChannelLog::default();
            let log = Arc::clone(&channels);
            let app = build_app(mock_builder())
                .channel_interceptor(move |_, callback, _, body| {
                    if let InvokeResponseBody::Json(json) = body
                        && let Ok(v) = serde_json::from_str(json)
                    {
                        log.lock().unwrap().push((callback.0, v));
                    }
                    true
                })
                .manage(crate::state::Workspace::new(data.path().to_path_buf()))
                .build(tauri::generate_context!())
                .expect("mock app");
            let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
                .build()
                .expect("mock window");
            Mock {
                _app: app,
                webview,
                data,
                channels,
            }
        }

        pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
            self.invoke_from("tauri://localhost", cmd, args)
        }

        /// The answer of `cmd`; a test failure naming the command and its IPC error otherwise.
        pub fn answer(&self, cmd: &str, args: Value) -> Value {
            self.invoke(cmd, args)
                .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
        }

        /// `plan_update` of one section of the open plan; the plan's view.
        pub fn update(&self, section: &str, value: Value) -> Value {
            self.answer(
                "plan_update",
                serde_json::json!({"section": section, "value": value}),
            )
        }

        /// A handle that invokes from another thread (a long command while this one cancels it).
        pub fn invoker(&self) -> impl Fn(&str, Value) -> Result<Value, Value> + Send + 'static {
            let webview = self.webview.clone();
            move |cmd, args| invoke_on(&webview, "tauri://localhost", cmd, args)
        }

        pub fn invoke_from(&self, origin: &str, cmd: &str, args: Value) -> Result<Value, Value> {
            invoke_on(&self.webview, origin, cmd, args)
        }

        /// `export_bundle` of the open plan to `output` (a folder or, with `format` `zip`, a file).
        pub fn export_to(&self, output: &std::path::Path, format: &str) -> Result<Value, Value> {
            let args =
                serde_json::json!({"output": output.display().to_string(), "format": format});
            self.invoke("export_bundle", args)
        }

        /// The messages channel `id` received so far.
        pub fn channel(&self, id: u32) -> Vec<Value> {
            let log = self.channels.lock().unwrap();
            log.iter()
                .filter(|(c, _)| *c == id)
                .map(|(_, v)| v.clone())
                .collect()
        }

        /// Asserts that a remote page is refused each of `commands` by the ACL.
        pub fn assert_remote_refused(&self, commands: &[&str]) {
            for cmd in commands {
                let e = self
                    .invoke_from("https://example.com", cmd, serde_json::json!({}))
                    .unwrap_err();
                assert!(
                    e.as_str().unwrap_or_default().contains("not allowed"),
                    "{cmd}: {e}"
                );
            }
        }
    }

    fn invoke_on(
        webview: &WebviewWindow<MockRuntime>,
        origin: &str,
        cmd: &str,
        args: Value,
    ) -> Result<Value, Value> {
        let res = get_ipc_response(
            webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: origin.parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        );
        res.map(|b| b.deserialize::<Value>().unwrap())
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::Mock;
    use serde_json::{Value, json};

    fn invoke(cmd: &str, args: Value) -> Result<Value, Value> {
        Mock::new().invoke(cmd, args)
    }

    #[test]
    fn app_info_reports_the_crate_version() {
        let v = invoke("app_info", json!({})).unwrap();
        assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn recommend_bandwidth_answers_by_tier() {
        let v = invoke("recommend_bandwidth", json!({"users": 1_000_001})).unwrap();
        assert_eq!(v, json!({"users": 1_000_001, "mbps": 10}));
    }

    #[test]
    fn errors_cross_ipc_as_code_message_params() {
        let e = invoke("recommend_bandwidth", json!({"users": 0})).unwrap_err();
        assert_eq!(e["code"], "users_not_positive");
        assert!(e["message"].as_str().unwrap().contains("positive"));
        assert!(e["params"].is_object());
    }

    #[test]
    fn a_remote_page_may_not_call_app_commands() {
        Mock::new().assert_remote_refused(&["app_info", "start_receiver", "check_callback"]);
    }
}

/// The path the user chose, trimmed; empty is `no_path` with `ask` (what to choose) as message.
pub(crate) fn chosen_path(path: &str, ask: &str) -> Result<PathBuf, IpcError> {
    let path = PathBuf::from(path.trim());
    if path.as_os_str().is_empty() {
        return Err(IpcError::new(AppCode::NoPath, ask));
    }
    Ok(path)
}
