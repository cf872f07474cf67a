//! A round as metrics for node_exporter's textfile collector (Prometheus text format 0.0.4): one
//! gauge family per metric, `HELP` and `TYPE` lines first, one sample per check labelled
//! `check="callback"` (`wecom`, `database`). Write the text atomically into the collector's folder
//! under a name ending in `.prom` (`setup_core::atomic::write_atomic`).

use super::Round;
use std::fmt::Write as _;
use std::time::UNIX_EPOCH;

/// The families, in the order they are written: name, help, and the value of one check.
const FAMILIES: [(&str, &str); 3] = [
    (
        "qa_wecom_callback_ok",
        "1 when the last check passed, 0 when it failed.",
    ),
    (
        "qa_wecom_check_duration_seconds",
        "How long the last check took, in seconds.",
    ),
    (
        "qa_wecom_last_check_timestamp_seconds",
        "When the last check ended, in seconds since the Unix epoch.",
    ),
];

/// The metrics of `round`.
pub fn render(round: &Round) -> String {
    let finished = round
        .finished_at
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let mut out = String::new();
    for (index, (name, help)) in FAMILIES.iter().enumerate() {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} gauge");
        for report in &round.reports {
            let value = match index {
                0 => u8::from(report.ok()).to_string(),
                1 => format!("{:.3}", report.elapsed_ms() as f64 / 1000.0),
                _ => format!("{finished:.3}"),
            };
            let _ = writeln!(out, "{name}{{check=\"{}\"}} {value}", report.label());
        }
    }
    out
}
