//! The Verify step on the open plan: the live ladder against the plan's callback URL (what WeCom
//! does when the admin presses Save) and a sample event, with the plan's Token, EncodingAESKey
//! and corpid; in demo mode against the built-in receiver, which can misbehave on purpose.
//!
//! The checks are async and never hold the plan's lock across the network: the inputs are read
//! under the lock, the check runs, and its report is kept with the plan only if the plan still
//! has the same inputs (another plan, or an edit meanwhile, would make it vouch for the wrong
//! values). The secrets go straight into `live::Credentials` (which redacts them); no report,
//! error or log line holds one.

use crate::error::AppCode;
use crate::error::IpcError;
use crate::jobs::{Jobs, LiveRung};
use crate::state::{DemoReceiver, Digest32, OpenPlan, RunningReceiver, Workspace};
use crate::view::PlanView;
use live::{Credentials, FaultMode, LadderOptions, Progress};
use serde::Serialize;
use std::net::IpAddr;
use tauri::ipc::JavaScriptChannelId;
use tauri::{Runtime, State, Webview};
use ts_rs::TS;

/// Where the built-in receiver listens.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReceiverInfo {
    /// The callback URL on loopback, e.g. `https://127.0.0.1:41234/restapi/…/callback/{corpid}`.
    pub url: String,
    /// The deliberate misbehaviour, if any.
    pub fault: Option<FaultMode>,
}

/// What one check of the open plan needs, read under the lock.
struct Inputs {
    credentials: Credentials,
    serves: Digest32,
    expected_ip: Option<IpAddr>,
    demo: bool,
    /// The receiver as the plan last saw it (demo mode).
    receiver: Option<ReceiverInfo>,
}

/// The plan's Token, EncodingAESKey and corpid, as the live checks take them.
fn credentials(open: &OpenPlan) -> Credentials {
    let expose = |s: &Option<setup_core::secret::Secret>| {
        s.as_ref()
            .map(|v| v.expose().to_owned())
            .unwrap_or_default()
    };
    Credentials::new(
        expose(&open.secrets.token),
        expose(&open.secrets.encoding_aes_key),
        open.plan
            .wecom
            .corp_id
            .as_deref()
            .unwrap_or_default()
            .trim(),
    )
}

/// The plan's credentials, refused with the first error of a field the check needs.
fn inputs(open: &OpenPlan) -> Result<Inputs, IpcError> {
    let view = PlanView::of(open);
    if let Some(first) = view.verify_target.blockers.first() {
        return Err(IpcError::new(
            AppCode::VerifyNotReady,
            format!("{}: {}", first.field, first.message.en),
        )
        .with_param("field", &first.field)
        .with_param("issue", first.code.as_str()));
    }
    Ok(Inputs {
        credentials: credentials(open),
        serves: open.credentials_digest(),
        expected_ip: open
            .plan
            .resources
            .public_ip
            .as_deref()
            .and_then(|ip| ip.trim().parse().ok()),
        demo: open.demo,
        receiver: open.receiver.clone(),
    })
}

/// The URL to check and the ladder's options. In demo mode the built-in receiver is (re)started
/// when it is not running or answers for other credentials than the plan's, keeping its fault;
/// its certificate is then trusted and its loopback address expected.
async fn target(
    demo: &DemoReceiver,
    ws: &Workspace,
    inputs: &Inputs,
) -> Result<(String, LadderOptions), IpcError> {
    if !inputs.demo {
        // A receiver left from a demo plan vouches for nothing here: stop it.
        if let Some(old) = demo.0.lock().await.take() {
            old.handle.shutdown().await;
        }
        let url = ws.with_open_mut(|open| {
            open.callback_url()
                .ok_or_else(|| IpcError::new(AppCode::VerifyNotReady, "no callback URL"))
        })?;
        return Ok((
            url,
            LadderOptions {
                expected_ip: inputs.expected_ip,
                ..LadderOptions::default()
            },
        ));
    }
    let mut slot = demo.0.lock().await;
    let current = slot.as_ref().filter(|r| r.serves == inputs.serves);
    let info = match (current, &inputs.receiver) {
        (Some(running), Some(info)) if info.url == running.handle.callback_url(None) => {
            info.clone()
        }
        _ => {
            let fault = inputs.receiver.as_ref().and_then(|r| r.fault);
            let info =
                start_in(&mut slot, inputs.credentials.clone(), inputs.serves, fault).await?;
            ws.with_open_mut(|open| {
                set_receiver(open, Some(info.clone()));
                Ok(())
            })?;
            info
        }
    };
    let ca_cert_pem = slot.as_ref().map(|r| r.cert_pem.clone());
    Ok((
        info.url,
        LadderOptions {
            loopback_expected: true,
            ca_cert_pem,
            ..LadderOptions::default()
        },
    ))
}

/// Where the rungs go: the UI's channel (`onRung`), one [`LiveRung`] message each, or nowhere.
pub(crate) fn rung_sink<R: Runtime>(
    webview: &Webview<R>,
    on_rung: Option<JavaScriptChannelId>,
) -> Progress {
    match on_rung {
        None => Progress::none(),
        Some(id) => {
            let channel = id.channel_on::<R, LiveRung>(webview.clone());
            Progress::to(move |probe, step| {
                let _ = channel.send(LiveRung::of(probe, step));
            })
        }
    }
}

/// Runs one check of the open plan and keeps its report with the plan when the plan still has
/// the inputs it was made for; answers the plan's view. Dropped unfinished when its job is
/// cancelled: its connections close and nothing is kept.
async fn check(
    demo: &DemoReceiver,
    ws: &Workspace,
    event: bool,
    progress: Progress,
) -> Result<PlanView, IpcError> {
    let inputs = ws.with_open_mut(|open| inputs(open))?;
    let (url, options) = target(demo, ws, &inputs).await?;
    let made_for = ws.with_open_mut(|open| Ok(open.check_inputs()))?;
    let options = LadderOptions {
        progress,
        ..options
    };
    let (url, creds) = (url.trim(), &inputs.credentials);
    let report = if event {
        live::send_event(url, creds, &options).await?
    } else {
        live::verify(url, creds, &options).await?
    };
    let json = serde_json::to_value(&report)
        .map_err(|e| IpcError::new(AppCode::State, format!("report: {e}")))?;
    ws.with_open_mut(|open| {
        if open.check_inputs() == made_for {
            open.keep_check(event, made_for, json);
        }
        Ok(PlanView::of(open))
    })
}

/// `qa-wecom verify` (`event` false: the URL-verification GET, judged byte for byte, as a
/// five-rung report) or `qa-wecom send-event` (`event` true: an encrypted sample event POSTed to
/// the URL, passing on HTTP 200 in 5 s) on the open plan. The report is kept with the plan (for
/// the Verify step's status and the export). Each rung goes to `on_rung` as it is recorded;
/// `cancel_job(job)` stops the check (`cancelled`).
#[tauri::command(rename_all = "snake_case")]
pub async fn check_callback<R: Runtime>(
    webview: Webview<R>,
    demo: State<'_, DemoReceiver>,
    ws: State<'_, Workspace>,
    jobs: State<'_, Jobs>,
    event: bool,
    job: Option<String>,
    on_rung: Option<JavaScriptChannelId>,
) -> Result<PlanView, IpcError> {
    let work = check(&demo, &ws, event, rung_sink(&webview, on_rung));
    jobs.run(job, work).await
}

/// Demo mode only: restarts the built-in receiver for the plan's credentials with `fault` (or
/// behaving correctly), so the next check shows how that misbehaviour is diagnosed.
#[tauri::command(rename_all = "snake_case")]
pub async fn start_receiver(
    demo: State<'_, DemoReceiver>,
    ws: State<'_, Workspace>,
    fault: Option<FaultMode>,
) -> Result<PlanView, IpcError> {
    let inputs = ws.with_open_mut(|open| {
        if !open.demo {
            return Err(IpcError::new(
                AppCode::NotDemo,
                "the built-in receiver stands in for the server in demo mode only",
            ));
        }
        inputs(open)
    })?;
    let mut slot = demo.0.lock().await;
    let info = start_in(&mut slot, inputs.credentials, inputs.serves, fault).await?;
    drop(slot);
    ws.with_open_mut(|open| {
        set_receiver(open, Some(info));
        Ok(PlanView::of(open))
    })
}

/// The receiver the plan's Verify targets; the reports made against another one go.
fn set_receiver(open: &mut OpenPlan, info: Option<ReceiverInfo>) {
    open.receiver = info;
    open.forget_stale_checks();
}

/// Replaces the receiver in `slot` by a fresh one for `credentials` (stopping the old first).
async fn start_in(
    slot: &mut Option<RunningReceiver>,
    credentials: Credentials,
    serves: Digest32,
    fault: Option<FaultMode>,
) -> Result<ReceiverInfo, IpcError> {
    if let Some(old) = slot.take() {
        old.handle.shutdown().await;
    }
    let demo = live::receiver::start_demo(credentials, fault).await?;
    let info = ReceiverInfo {
        url: demo.handle.callback_url(None),
        fault,
    };
    *slot = Some(RunningReceiver {
        handle: demo.handle,
        cert_pem: demo.cert_pem,
        serves,
    });
    Ok(info)
}

/// The built-in receiver for a plan's Token, EncodingAESKey and corpid (demo mode).
pub(crate) async fn start(
    state: &DemoReceiver,
    secrets: &setup_core::plan::Secrets,
    plan: &setup_core::plan::Plan,
    fault: Option<FaultMode>,
) -> Result<ReceiverInfo, IpcError> {
    let open = OpenPlan {
        plan: plan.clone(),
        secrets: secrets.clone(),
        ..OpenPlan::default()
    };
    let mut slot = state.0.lock().await;
    start_in(
        &mut slot,
        credentials(&open),
        open.credentials_digest(),
        fault,
    )
    .await
}

/// Every deliberate misbehaviour of the built-in receiver, for the "simulate a fault" picker.
#[tauri::command(rename_all = "snake_case")]
pub fn fault_modes() -> Vec<FaultMode> {
    use strum::IntoEnumIterator;
    FaultMode::iter().collect()
}

#[cfg(test)]
mod tests;
