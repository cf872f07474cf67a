//! What the live checks (`verify`, `send-event`, `wecom check`, `db check`) share: the async
//! runtime, unusable input (exit 2; `cert` uses it too), the report as one JSON object or as text
//! with exit 0 / 1, and the text of a `CheckStep` list and a `CheckDiagnosis` (the WeCom and
//! database checks).

use std::process::ExitCode;

use live::wecom_api::{CheckDiagnosis, CheckStatus, CheckStep};
use serde::Serialize;

/// Unusable input: exit 2, the message on stderr (or as JSON).
pub fn input_error(json: bool, code: &str, message: &str) -> ExitCode {
    if json {
        println!(
            "{}",
            serde_json::json!({ "ok": false, "error": { "code": code, "message": message } })
        );
    } else {
        eprintln!("error: {message}");
    }
    ExitCode::from(2)
}

/// A single-threaded runtime for one check, or the exit of [`input_error`].
pub fn runtime(json: bool) -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| input_error(json, "runtime", &format!("cannot start: {e}")))
}

/// Prints `report` (one JSON object, or `human()`) and exits 0 when `ok`, else 1.
pub fn print_report<R: Serialize>(
    json: bool,
    report: &R,
    ok: bool,
    human: impl FnOnce() -> String,
) -> ExitCode {
    if json {
        match serde_json::to_string(report) {
            Ok(text) => println!("{text}"),
            Err(e) => return input_error(true, "serialize", &e.to_string()),
        }
    } else {
        print!("{}", human());
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn status_label(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "PASS",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Skip => "SKIP",
        CheckStatus::Warn => "WARN",
    }
}

/// Serialises a unit enum to its snake_case name.
fn name_of<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One line a step (`PASS  name  detail (N ms)`, names padded to `name_width`), then the verdict,
/// the diagnosis in English and Chinese, and its help link when it has one.
pub fn steps_and_diagnosis<N: Serialize, C: Serialize>(
    out: &mut String,
    steps: &[CheckStep<N>],
    name_width: usize,
    ok: bool,
    d: &CheckDiagnosis<C>,
) {
    for step in steps {
        let timing = if step.status == CheckStatus::Skip {
            String::new()
        } else {
            format!(" ({} ms)", step.elapsed_ms)
        };
        out.push_str(&format!(
            "  {}  {:<name_width$} {}{timing}\n",
            status_label(step.status),
            name_of(&step.name),
            step.detail
        ));
    }
    let verdict = if ok { "OK" } else { "FAILED" };
    let errcode = d
        .errcode
        .map(|c| format!(" (errcode {c})"))
        .unwrap_or_default();
    out.push_str(&format!("{verdict}: {}{errcode}\n", name_of(&d.code)));
    out.push_str(&format!("  {}\n  Fix: {}\n", d.summary, d.fix));
    out.push_str(&format!("  {}\n  处理：{}\n", d.summary_zh, d.fix_zh));
    if let Some(url) = &d.help_url {
        out.push_str(&format!("  More / 详情: {url}\n"));
    }
}
