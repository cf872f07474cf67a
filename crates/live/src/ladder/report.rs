//! The result of a live check as `product.md` specifies it for `verify --json`: `ok`, `url`,
//! `elapsed_ms`, `steps` (dns → tcp → tls → http → reply, each pass / fail / skip with a detail in
//! English and in Simplified Chinese, and its own time) and `diagnosis`. `send-event` returns the
//! same shape with `check: "event"`. Nothing in it is secret: the URL is the configured callback
//! URL, details name hosts, addresses, statuses and sizes, never the Token, the key or the signed
//! query.

use crate::diagnosis::Diagnosis;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The rungs of the ladder, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    Dns,
    Tcp,
    Tls,
    Http,
    Reply,
}

impl StepName {
    /// Every rung, in order.
    pub const ALL: [StepName; 5] = [
        StepName::Dns,
        StepName::Tcp,
        StepName::Tls,
        StepName::Http,
        StepName::Reply,
    ];
}

/// How a rung went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Pass,
    Fail,
    /// Not run (an earlier rung failed) or not applicable (no TLS on an `http://` URL).
    Skip,
}

/// One rung.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Step {
    pub name: StepName,
    pub status: StepStatus,
    /// What was seen, in English (technical: addresses, statuses and sizes as received).
    pub detail: String,
    /// The same in Simplified Chinese.
    pub detail_zh: String,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

/// Which exchange was simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The URL-verification GET (the admin presses Save).
    Verify,
    /// An encrypted event POST.
    Event,
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Report {
    /// `diagnosis.code == ok`.
    pub ok: bool,
    pub check: CheckKind,
    /// The callback URL as configured (no signed query).
    pub url: String,
    /// From the start of the DNS rung to the verdict.
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// Always the five rungs, in order.
    pub steps: Vec<Step>,
    pub diagnosis: Diagnosis,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::TS;

    #[test]
    fn ts_declarations_render_for_the_desktop_app() {
        let cfg = ts_rs::Config::new();
        let report = Report::decl(&cfg);
        assert!(report.contains("steps: Array<Step>"), "{report}");
        assert!(report.contains("elapsed_ms: number"), "{report}");
        let step_decl = Step::decl(&cfg);
        assert!(step_decl.contains("detail: string"), "{step_decl}");
        assert!(step_decl.contains("detail_zh: string"), "{step_decl}");
        let step = StepName::decl(&cfg);
        assert!(
            step.contains(r#""dns" | "tcp" | "tls" | "http" | "reply""#),
            "{step}"
        );
        let diagnosis = Diagnosis::decl(&cfg);
        assert!(
            diagnosis.contains("params: { [key in string]: string }"),
            "{diagnosis}"
        );
        assert!(diagnosis.contains("i18n: I18n"), "{diagnosis}");
    }
}
