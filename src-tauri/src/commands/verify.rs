//! The Verify step: the live ladder against the callback URL (what WeCom does when the admin
//! presses Save), a sample event, and the built-in receiver of demo mode.
//!
//! Every command here is async: it runs on Tauri's async runtime, never on the main thread.
//! The Token and EncodingAESKey arrive as arguments, go straight into `live::Credentials` (which
//! redacts them) and are never logged or stored by the app.

use crate::error::IpcError;
use crate::state::{DemoReceiver, RunningReceiver, Workspace};
use live::{Credentials, FaultMode, LadderOptions, Report};
use serde::Serialize;
use setup_core::plan::{Plan, Secrets};
use tauri::State;
use ts_rs::TS;

fn credentials(token: String, encoding_aes_key: String, corp_id: String) -> Credentials {
    Credentials::new(token, encoding_aes_key, corp_id.trim())
}

/// The ladder's options: defaults, plus the demo receiver's certificate as a trust anchor while
/// it runs (so its https:// URL passes the TLS rung offline) and its loopback address expected.
async fn options(demo: &DemoReceiver) -> LadderOptions {
    let ca_cert_pem = demo.0.lock().await.as_ref().map(|r| r.cert_pem.clone());
    LadderOptions {
        loopback_expected: ca_cert_pem.is_some(),
        ca_cert_pem,
        ..LadderOptions::default()
    }
}

/// `qa-wecom verify`: the URL-verification GET, judged byte for byte, as a five-rung report.
/// The report is kept with the open plan for the export.
#[tauri::command]
pub async fn verify_callback(
    demo: State<'_, DemoReceiver>,
    ws: State<'_, Workspace>,
    url: String,
    token: String,
    encoding_aes_key: String,
    corp_id: String,
) -> Result<Report, IpcError> {
    let creds = credentials(token, encoding_aes_key, corp_id);
    // The open plan's EIP, when it has one: the domain should resolve to it (dns_not_eip).
    let expected_ip = ws
        .with_open(|open| open.plan.resources.public_ip.clone())
        .ok()
        .flatten()
        .and_then(|ip| ip.trim().parse().ok());
    let options = LadderOptions {
        expected_ip,
        ..options(&demo).await
    };
    let report = live::verify(url.trim(), &creds, &options).await?;
    if let Ok(mut g) = ws.0.lock()
        && let Some(open) = g.as_mut()
    {
        open.verification = serde_json::to_value(&report).ok();
    }
    Ok(report)
}

/// `qa-wecom send-event`: an encrypted sample event POSTed to the URL; passes on HTTP 200 in 5 s.
#[tauri::command]
pub async fn send_test_event(
    demo: State<'_, DemoReceiver>,
    url: String,
    token: String,
    encoding_aes_key: String,
    corp_id: String,
) -> Result<Report, IpcError> {
    let creds = credentials(token, encoding_aes_key, corp_id);
    let options = options(&demo).await;
    Ok(live::send_event(url.trim(), &creds, &options).await?)
}

/// Where the built-in receiver listens.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReceiverInfo {
    /// The callback URL on loopback, e.g. `https://127.0.0.1:41234/restapi/…/callback/{corpid}`.
    pub url: String,
    /// The deliberate misbehaviour, if any.
    pub fault: Option<FaultMode>,
}

/// Demo mode (`qa-wecom serve` on loopback, `live::receiver::start_demo`): a correct callback
/// endpoint for these credentials on `https://127.0.0.1:<free port>` with a fresh self-signed
/// certificate, so all five rungs run as they would against a real server. A receiver already
/// running is stopped first.
#[tauri::command]
pub async fn start_receiver(
    state: State<'_, DemoReceiver>,
    ws: State<'_, Workspace>,
    token: String,
    encoding_aes_key: String,
    corp_id: String,
    fault: Option<FaultMode>,
) -> Result<ReceiverInfo, IpcError> {
    let info = start_with(&state, credentials(token, encoding_aes_key, corp_id), fault).await?;
    set_receiver(&ws, Some(info.clone()));
    Ok(info)
}

/// The open plan's Verify targets the receiver while it runs.
fn set_receiver(ws: &Workspace, info: Option<ReceiverInfo>) {
    if let Ok(mut g) = ws.0.lock()
        && let Some(open) = g.as_mut()
    {
        open.receiver = info;
        open.verification = None;
    }
}

async fn start_with(
    state: &DemoReceiver,
    creds: Credentials,
    fault: Option<FaultMode>,
) -> Result<ReceiverInfo, IpcError> {
    let mut slot = state.0.lock().await;
    if let Some(old) = slot.take() {
        old.handle.shutdown().await;
    }
    let demo = live::receiver::start_demo(creds, fault).await?;
    let handle = demo.handle;
    let cert_pem = demo.cert_pem;
    let info = ReceiverInfo {
        url: handle.callback_url(None),
        fault,
    };
    *slot = Some(RunningReceiver { handle, cert_pem });
    Ok(info)
}

/// The built-in receiver for a plan's Token, EncodingAESKey and corpid (demo mode).
pub(crate) async fn start(
    state: &DemoReceiver,
    secrets: &Secrets,
    plan: &Plan,
    fault: Option<FaultMode>,
) -> Result<ReceiverInfo, IpcError> {
    let expose = |s: &Option<setup_core::secret::Secret>| {
        s.as_ref()
            .map(|v| v.expose().to_owned())
            .unwrap_or_default()
    };
    let creds = credentials(
        expose(&secrets.token),
        expose(&secrets.encoding_aes_key),
        plan.wecom.corp_id.clone().unwrap_or_default(),
    );
    start_with(state, creds, fault).await
}

/// Stops the built-in receiver; nothing happens when none runs.
#[tauri::command]
pub async fn stop_receiver(
    state: State<'_, DemoReceiver>,
    ws: State<'_, Workspace>,
) -> Result<(), IpcError> {
    let old = state.0.lock().await.take();
    if let Some(old) = old {
        old.handle.shutdown().await;
    }
    set_receiver(&ws, None);
    Ok(())
}

/// Every deliberate misbehaviour of the built-in receiver, for the "simulate a fault" picker.
#[tauri::command]
pub fn fault_modes() -> Vec<FaultMode> {
    use strum::IntoEnumIterator;
    FaultMode::iter().collect()
}

#[cfg(test)]
mod tests {
    use crate::commands::test_support::Mock;
    use serde_json::{Value, json};

    const TOKEN: &str = "QDG6eK0123456789abcdefghijklmnop";
    const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    const CORP: &str = "ww0123456789abcdef";

    fn creds(extra: Value) -> Value {
        let mut v = json!({"token": TOKEN, "encodingAesKey": KEY, "corpId": CORP});
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        v
    }

    fn rungs(report: &Value) -> Vec<(String, String)> {
        report["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["name"].as_str().unwrap().to_owned(),
                    s["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn verify_against_a_receiver_started_in_the_test_is_ok() {
        let handle = tauri::async_runtime::block_on(live::receiver::bind(
            live::ReceiverConfig {
                credentials: live::Credentials::new(TOKEN, KEY, CORP),
                tls: None,
                fault: None,
                path: None,
            },
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
        let url = handle.callback_url(None);
        let m = Mock::new();
        let r = m
            .invoke("verify_callback", creds(json!({"url": url})))
            .unwrap();
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(r["diagnosis"]["code"], "ok");
        assert_eq!(r["url"], url);
        let names: Vec<_> = rungs(&r).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["dns", "tcp", "tls", "http", "reply"]);
        // No TLS on an http:// URL: that rung is skipped. Loopback outside demo mode is a
        // warning on the DNS rung; every other rung passes.
        assert_eq!(rungs(&r)[2].1, "skip");
        assert_eq!(rungs(&r)[0].1, "warn");
        assert_eq!(r["warnings"][0]["code"], "dns_private_address");
        assert!(
            rungs(&r)
                .iter()
                .filter(|(n, _)| n != "tls" && n != "dns")
                .all(|(_, s)| s == "pass")
        );
        assert!(
            !r["diagnosis"]["text"]["summary"]["zh"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        let text = r.to_string();
        assert!(
            !text.contains(TOKEN) && !text.contains(KEY),
            "no secret in the report"
        );
        assert_eq!(
            handle.stats().verifications_answered,
            live::VERIFY_PROBES as u64
        );
    }

    #[test]
    fn the_built_in_receiver_answers_verify_and_events_and_is_replaced_on_a_second_start() {
        let m = Mock::new();
        let first = m.invoke("start_receiver", creds(json!({}))).unwrap();
        let url = first["url"].as_str().unwrap().to_owned();
        assert!(url.starts_with("https://127.0.0.1:"), "{url}");
        assert!(
            url.ends_with(&format!("/oneparty/callback/{CORP}")),
            "{url}"
        );
        let r = m
            .invoke("verify_callback", creds(json!({"url": url})))
            .unwrap();
        assert_eq!(r["diagnosis"]["code"], "ok", "{r}");
        // Its self-signed certificate is trusted while it runs: all five rungs pass.
        assert!(rungs(&r).iter().all(|(_, s)| s == "pass"), "{r}");
        let e = m
            .invoke("send_test_event", creds(json!({"url": url})))
            .unwrap();
        assert_eq!(e["ok"], true, "{e}");
        assert_eq!(e["check"], "event");

        // A second start with a fault replaces the first receiver: the old port is closed.
        let second = m
            .invoke("start_receiver", creds(json!({"fault": "wrong_key"})))
            .unwrap();
        assert_eq!(second["fault"], "wrong_key");
        let new_url = second["url"].as_str().unwrap().to_owned();
        let r = m
            .invoke("verify_callback", creds(json!({"url": new_url})))
            .unwrap();
        assert_eq!(r["diagnosis"]["code"], "wrong_plaintext", "{r}");
        if new_url != url {
            let r = m
                .invoke("verify_callback", creds(json!({"url": url})))
                .unwrap();
            assert_eq!(r["diagnosis"]["code"], "connect_refused", "{r}");
        }
        m.invoke("stop_receiver", json!({})).unwrap();
        let r = m
            .invoke("verify_callback", creds(json!({"url": new_url})))
            .unwrap();
        assert_eq!(r["diagnosis"]["code"], "connect_refused", "{r}");
    }

    #[test]
    fn bad_input_is_an_ipc_error_with_a_stable_code_and_no_secret() {
        let m = Mock::new();
        let e = m
            .invoke(
                "verify_callback",
                creds(json!({"url": "http://127.0.0.1:1/x", "encodingAesKey": "short"})),
            )
            .unwrap_err();
        assert_eq!(e["code"], "invalid_credentials", "{e}");
        assert_eq!(e["params"]["errcode"], "-40004", "{e}");
        assert!(!e.to_string().contains(TOKEN));
        let e = m
            .invoke("verify_callback", creds(json!({"url": "ftp://x"})))
            .unwrap_err();
        assert_eq!(e["code"], "invalid_url", "{e}");
        let e = m
            .invoke("start_receiver", creds(json!({"encodingAesKey": "short"})))
            .unwrap_err();
        assert_eq!(e["code"], "invalid_credentials", "{e}");
    }
}
