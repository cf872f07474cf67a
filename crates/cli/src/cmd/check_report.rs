//! What the checks (`verify`, `send-event`, `wecom check`, `db check`) share: the async runtime,
//! unusable input (exit 2; `cert` uses it too), and the one report (`setup_core::report`) printed
//! as one JSON object or as text, with exit 0 / 1.

use std::process::ExitCode;

use clap::Args;
use serde::Serialize;
use setup_core::report::{Finding, Report, Severity, Status};
use setup_core::text::{Lang, Text};

/// The flags every check shares: its time budget and how it reports.
#[derive(Args, Debug)]
pub struct CheckOptions {
    /// Budget of the whole check, in milliseconds.
    #[arg(long = "timeout-ms", default_value_t = 5000)]
    pub timeout_ms: u64,
    /// Print one JSON object (the report) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Language of the text output and of the texts the JSON spells out: en or zh.
    #[arg(long, default_value = "en")]
    pub lang: Lang,
}

impl CheckOptions {
    pub fn timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.timeout_ms)
    }
}

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

/// Prints `report` (one JSON object, or [`render`] with `subject` in the heading) and exits 0
/// when it is ok, else 1.
pub fn print_report<X: Serialize>(json: bool, report: &Report<X>, subject: &str) -> ExitCode {
    if json {
        match serde_json::to_string(report) {
            Ok(text) => println!("{text}"),
            Err(e) => return input_error(true, "serialize", &e.to_string()),
        }
    } else {
        print!("{}", render(report, subject));
    }
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Fail => "FAIL",
        Status::Skip => "SKIP",
        Status::Warn => "WARN",
    }
}

/// The report as text in its language: a heading, one line a step
/// (`PASS  name  detail (N ms)`), the verdict with its code, summary and fix, then each warning.
pub fn render<X>(report: &Report<X>, subject: &str) -> String {
    let lang = report.lang;
    let mut out = format!("{} — {subject}\n", report.check.title().get(lang));
    // The names in a column one wider than the longest.
    let width = 1 + report.steps.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for step in &report.steps {
        let timing = match step.status {
            Status::Skip => String::new(),
            _ => format!(" ({} ms)", step.elapsed_ms),
        };
        out.push_str(&format!(
            "  {}  {:<width$} {}{timing}\n",
            status_label(step.status),
            step.name,
            step.detail.get(lang)
        ));
    }
    let verdict = if report.ok {
        Text::new("OK", "通过")
    } else {
        Text::new("FAILED", "未通过")
    };
    out.push_str(&format!(
        "{}: {}{} ({} ms)\n",
        verdict.get(lang),
        report.diagnosis.code,
        errcode(&report.diagnosis),
        report.elapsed_ms
    ));
    let needs_fix = !report.ok || report.diagnosis.severity != Severity::Info;
    finding_lines(&mut out, &report.diagnosis, lang, needs_fix);
    for w in &report.warnings {
        let label = Text::new("Warning", "警告");
        out.push_str(&format!("{}: {}{}\n", label.get(lang), w.code, errcode(w)));
        finding_lines(&mut out, w, lang, true);
    }
    out
}

/// ` (errcode N)` when the finding comes from a WeCom errcode.
fn errcode(f: &Finding) -> String {
    match f.param("errcode") {
        "" => String::new(),
        code => format!(" (errcode {code})"),
    }
}

/// The summary, the fix (unless `with_fix` is false) and the help link of a finding.
fn finding_lines(out: &mut String, f: &Finding, lang: Lang, with_fix: bool) {
    out.push_str(&format!("  {}\n", f.summary.get(lang)));
    if with_fix {
        let label = Text::new("Fix", "处理");
        out.push_str(&format!("  {}: {}\n", label.get(lang), f.fix.get(lang)));
    }
    let url = f.param("help_url");
    if !url.is_empty() {
        let label = Text::new("More", "详情");
        out.push_str(&format!("  {}: {url}\n", label.get(lang)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use setup_core::report::{CheckKind, Params, Step, params};

    fn report(lang: Lang, ok: bool) -> Report<()> {
        let mut p = params([("errcode", "60020".into())]);
        p.insert("help_url".into(), "https://example.com/e=60020".into());
        Report {
            ok,
            check: CheckKind::Wecom,
            lang,
            elapsed_ms: 42,
            steps: vec![
                Step::new(
                    "gettoken",
                    Status::Fail,
                    Text::new("errcode 60020", "错误码 60020"),
                    7,
                ),
                Step::new("agent", Status::Skip, Text::new("not run", "未执行"), 0),
            ],
            diagnosis: Finding::new(
                "ip_not_allowed",
                if ok { Severity::Info } else { Severity::Error },
                Text::new("IP refused.", "IP 被拒绝。"),
                Text::new("Add the IP.", "添加该 IP。"),
                p,
            ),
            warnings: vec![Finding::new(
                "dns_private_address",
                Severity::Warning,
                Text::new("Private address.", "私有地址。"),
                Text::new("Use the EIP.", "使用 EIP。"),
                Params::new(),
            )],
            facts: (),
        }
    }

    #[test]
    fn one_text_layout_for_every_check_in_the_report_language() {
        let text = render(&report(Lang::En, false), "corpid ww1");
        let want = "WeCom API check — corpid ww1\n\
                    \x20 FAIL  gettoken  errcode 60020 (7 ms)\n\
                    \x20 SKIP  agent     not run\n\
                    FAILED: ip_not_allowed (errcode 60020) (42 ms)\n\
                    \x20 IP refused.\n\
                    \x20 Fix: Add the IP.\n\
                    \x20 More: https://example.com/e=60020\n\
                    Warning: dns_private_address\n\
                    \x20 Private address.\n\
                    \x20 Fix: Use the EIP.\n";
        assert_eq!(text, want);
        let zh = render(&report(Lang::Zh, false), "corpid ww1");
        assert!(zh.starts_with("企业微信 API 检查 — corpid ww1\n"), "{zh}");
        assert!(zh.contains("FAIL  gettoken  错误码 60020 (7 ms)"), "{zh}");
        assert!(
            zh.contains("未通过: ip_not_allowed") && zh.contains("处理: 添加该 IP。"),
            "{zh}"
        );
        assert!(!zh.contains("IP refused"), "{zh}");
    }

    #[test]
    fn a_passing_verdict_has_no_fix_line() {
        let text = render(&report(Lang::En, true), "x");
        assert!(
            text.contains("OK: ip_not_allowed (errcode 60020) (42 ms)\n  IP refused.\n  More:"),
            "{text}"
        );
        assert!(!text.contains("Fix: Add the IP."), "{text}");
    }
}
