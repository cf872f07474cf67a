//! One result shape for every check (the verification ladder, the event test, the WeCom API check,
//! the database check, certificate inspection and plan validation): a [`Report`] with `ok`, the
//! [`Step`]s that ran, one [`Finding`] as the `diagnosis` and more findings as `warnings`, plus the
//! facts particular to the check.
//!
//! The Rust values carry every text in both languages ([`Text`]); the report's [`Lang`] picks the
//! one the JSON spells out. On the wire each text field holds the chosen language and `text` holds
//! both, so a UI can switch language without running the check again:
//!
//! ```json
//! { "code": "redirect", "severity": "error", "summary": "The server redirects …", "fix": "Serve …",
//!   "params": { "status": "301" },
//!   "text": { "summary": { "en": "The server redirects …", "zh": "服务器重定向…" },
//!             "fix": { "en": "Serve …", "zh": "让回调地址…" } } }
//! ```
//!
//! Step names and finding codes are strings on the wire (each check has its own enum of them and
//! converts with `strum`), so the UI has one `Report` type for every check.

use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Values a finding's texts were rendered with (`status`, `host`, `errcode`, …). Never a secret.
pub type Params = BTreeMap<String, String>;

/// Builds [`Params`] from pairs.
pub fn params<const N: usize>(pairs: [(&str, String); N]) -> Params {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

crate::snake_case_enum! {
    /// How a step went.
    pub enum Status {
        /// Ran and found nothing wrong.
        Pass,
        /// Ran and found a problem (the diagnosis says which).
        Fail,
        /// Did not run (an earlier step failed) or does not apply.
        Skip,
        /// Ran; the result works but deserves attention.
        Warn,
    }
}

crate::snake_case_enum! {
    /// How bad a finding is.
    #[derive(PartialOrd, Ord, Deserialize)]
    pub enum Severity {
        /// Passed, or for information only.
        Info,
        /// Works, but deserves attention.
        Warning,
        /// Blocks: WeCom (or QA) will refuse it.
        Error,
    }
}

crate::snake_case_enum! {
    /// Which check produced a report.
    pub enum CheckKind {
        /// The URL-verification GET (the admin presses Save).
        Verify,
        /// An encrypted event POST.
        Event,
        /// The WeCom API check (corpid, Secret, permissions).
        Wecom,
        /// The analysis-database encoding check.
        Database,
        /// Certificate inspection.
        Certificate,
        /// Plan validation.
        Plan,
    }
}

impl CheckKind {
    /// What the check is called, for a heading.
    pub fn title(self) -> Text {
        match self {
            Self::Verify => Text::new("URL verification", "回调 URL 验证"),
            Self::Event => Text::new("event delivery", "事件推送"),
            Self::Wecom => Text::new("WeCom API check", "企业微信 API 检查"),
            Self::Database => Text::new("Database check", "数据库检查"),
            Self::Certificate => Text::new("Certificate inspection", "证书检查"),
            Self::Plan => Text::new("Plan check", "方案检查"),
        }
    }
}

/// One step of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The check's step name, snake_case (`dns`, `gettoken`, `encoding`, …).
    pub name: String,
    pub status: Status,
    /// What was seen (technical: addresses, statuses and sizes as received).
    pub detail: Text,
    pub elapsed_ms: u64,
}

impl Step {
    pub fn new(
        name: impl Into<&'static str>,
        status: Status,
        detail: Text,
        elapsed_ms: u64,
    ) -> Self {
        Step {
            name: name.into().to_owned(),
            status,
            detail,
            elapsed_ms,
        }
    }
}

/// A diagnosis or a warning: a stable code, what it means and what to do, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable, snake_case; the check's documented list.
    pub code: String,
    pub severity: Severity,
    pub summary: Text,
    pub fix: Text,
    pub params: Params,
}

impl Finding {
    pub fn new(
        code: impl Into<&'static str>,
        severity: Severity,
        summary: Text,
        fix: Text,
        params: Params,
    ) -> Self {
        Finding {
            code: code.into().to_owned(),
            severity,
            summary,
            fix,
            params,
        }
    }

    /// Whether the finding has `code` (a check's code enum).
    pub fn is(&self, code: impl Into<&'static str>) -> bool {
        self.code == code.into()
    }

    /// The value of a parameter, or `""`.
    pub fn param(&self, key: &str) -> &str {
        self.params.get(key).map_or("", String::as_str)
    }
}

/// The result of a check. `X` holds what is particular to the check (the URL, the target, the
/// certificate chain, …); it is flattened into the JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report<X> {
    /// No step failed and the diagnosis is not an error (warnings allowed).
    pub ok: bool,
    pub check: CheckKind,
    /// The language of the texts the JSON spells out (both are always in `text`).
    pub lang: Lang,
    /// From the start of the first step to the verdict.
    pub elapsed_ms: u64,
    pub steps: Vec<Step>,
    /// Why the check passed or failed, and what to do.
    pub diagnosis: Finding,
    /// What works but deserves attention; the check still passes.
    pub warnings: Vec<Finding>,
    pub facts: X,
}

impl<X> Report<X> {
    /// The step called `name`.
    pub fn step(&self, name: impl Into<&'static str>) -> Option<&Step> {
        let name = name.into();
        self.steps.iter().find(|s| s.name == name)
    }

    /// Replaces every occurrence of each needle (a secret value, whatever its length) by `***` in every text and parameter of the report. A second line of defence: the
    /// checks never put secrets in a report by construction.
    pub fn scrub(&mut self, needles: &[&str]) {
        for step in &mut self.steps {
            step.detail.scrub(needles);
        }
        for finding in std::iter::once(&mut self.diagnosis).chain(&mut self.warnings) {
            finding.summary.scrub(needles);
            finding.fix.scrub(needles);
            for value in finding.params.values_mut() {
                scrub_in(value, needles);
            }
        }
    }
}

/// Replaces each needle (a secret value, whatever its length; an empty one is skipped) in `s` by
/// `***`. A short secret may mangle an ordinary word: better than showing the secret.
pub fn scrub_in(s: &mut String, needles: &[&str]) {
    for needle in needles {
        if !needle.is_empty() && s.contains(needle) {
            *s = s.replace(needle, "***");
        }
    }
}

impl Text {
    /// [`scrub_in`] on both languages.
    pub fn scrub(&mut self, needles: &[&str]) {
        scrub_in(&mut self.en, needles);
        scrub_in(&mut self.zh, needles);
    }
}

// ---- the JSON shape -------------------------------------------------------------------------
// The wire types borrow from a report; their TypeScript declarations are the UI's types.

/// A step as JSON: `detail` in the report's language, both languages in `text.detail`.
#[derive(Serialize, TS)]
#[ts(rename = "Step")]
pub struct WireStep<'a> {
    /// The check's step name, snake_case (`dns`, `gettoken`, `encoding`, …).
    pub name: &'a str,
    pub status: Status,
    /// What was seen, in the report's language.
    pub detail: &'a str,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    pub text: StepText<'a>,
}

/// Both languages of a step's texts.
#[derive(Serialize, TS)]
pub struct StepText<'a> {
    pub detail: &'a Text,
}

/// A finding as JSON: `summary` and `fix` in the report's language, both in `text`.
#[derive(Serialize, TS)]
#[ts(rename = "Finding")]
pub struct WireFinding<'a> {
    /// Stable, snake_case; the check's documented list.
    pub code: &'a str,
    pub severity: Severity,
    /// What it means, in the report's language.
    pub summary: &'a str,
    /// What to do, in the report's language.
    pub fix: &'a str,
    /// The values the texts were rendered with (never a secret).
    pub params: &'a Params,
    /// Both languages.
    pub text: FindingText<'a>,
}

/// Both languages of a finding's texts.
#[derive(Serialize, TS)]
pub struct FindingText<'a> {
    pub summary: &'a Text,
    pub fix: &'a Text,
}

/// A report as JSON; the check's facts are flattened in.
#[derive(Serialize, TS)]
#[ts(rename = "Report")]
pub struct WireReport<'a, X> {
    /// No step failed and the diagnosis is not an error (warnings allowed).
    pub ok: bool,
    pub check: CheckKind,
    /// The language of `detail`, `summary` and `fix` (both are always in `text`).
    pub lang: Lang,
    /// From the start of the first step to the verdict.
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    #[serde(flatten)]
    pub facts: &'a X,
    pub steps: Vec<WireStep<'a>>,
    /// Why the check passed or failed, and what to do.
    pub diagnosis: WireFinding<'a>,
    /// What works but deserves attention; the check still passes.
    pub warnings: Vec<WireFinding<'a>>,
}

impl Step {
    fn wire(&self, lang: Lang) -> WireStep<'_> {
        WireStep {
            name: &self.name,
            status: self.status,
            detail: self.detail.get(lang),
            elapsed_ms: self.elapsed_ms,
            text: StepText {
                detail: &self.detail,
            },
        }
    }
}

impl Finding {
    /// The JSON shape of the finding with `summary` and `fix` in `lang`.
    pub fn wire(&self, lang: Lang) -> WireFinding<'_> {
        WireFinding {
            code: &self.code,
            severity: self.severity,
            summary: self.summary.get(lang),
            fix: self.fix.get(lang),
            params: &self.params,
            text: FindingText {
                summary: &self.summary,
                fix: &self.fix,
            },
        }
    }
}

impl<X> Report<X> {
    /// The JSON shape of the report.
    pub fn wire(&self) -> WireReport<'_, X> {
        WireReport {
            ok: self.ok,
            check: self.check,
            lang: self.lang,
            elapsed_ms: self.elapsed_ms,
            facts: &self.facts,
            steps: self.steps.iter().map(|s| s.wire(self.lang)).collect(),
            diagnosis: self.diagnosis.wire(self.lang),
            warnings: self.warnings.iter().map(|f| f.wire(self.lang)).collect(),
        }
    }
}

impl<X: Serialize> Serialize for Report<X> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.wire().serialize(serializer)
    }
}

impl Serialize for Finding {
    /// A finding on its own (outside a report) spells its texts out in English.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.wire(Lang::En).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize, TS)]
    struct Facts {
        url: String,
    }

    fn sample(lang: Lang) -> Report<Facts> {
        Report {
            ok: false,
            check: CheckKind::Verify,
            lang,
            elapsed_ms: 12,
            steps: vec![Step::new(
                "http",
                Status::Fail,
                Text::new("HTTP 404", "HTTP 404（应为 200）"),
                3,
            )],
            diagnosis: Finding::new(
                "http_status",
                Severity::Error,
                Text::new("not found", "未找到"),
                Text::new("forward it", "转发它"),
                params([("status", "404".into())]),
            ),
            warnings: vec![],
            facts: Facts {
                url: "https://qa.example.com/cb".into(),
            },
        }
    }

    #[test]
    fn json_spells_out_the_chosen_language_and_carries_both_under_text() {
        let v = serde_json::to_value(sample(Lang::Zh)).unwrap_or_default();
        assert_eq!(v["lang"], "zh");
        assert_eq!(v["url"], "https://qa.example.com/cb", "facts are flattened");
        assert_eq!(v["steps"][0]["detail"], "HTTP 404（应为 200）");
        assert_eq!(
            v["steps"][0]["text"]["detail"],
            json!({"en": "HTTP 404", "zh": "HTTP 404（应为 200）"})
        );
        assert_eq!(v["diagnosis"]["summary"], "未找到");
        assert_eq!(v["diagnosis"]["fix"], "转发它");
        assert_eq!(v["diagnosis"]["text"]["fix"]["en"], "forward it");
        assert_eq!(v["diagnosis"]["params"]["status"], "404");
        assert_eq!(v["warnings"], json!([]));
        let en = serde_json::to_value(sample(Lang::En)).unwrap_or_default();
        assert_eq!(en["diagnosis"]["summary"], "not found");
    }

    #[test]
    fn scrub_masks_secrets_in_every_text_whatever_their_length() {
        let mut r = sample(Lang::En);
        r.steps[0].detail = Text::new("token ABCDEFGH and ab", "ABCDEFGH");
        r.diagnosis.params.insert("x".into(), "ABCDEFGH".into());
        r.scrub(&["ABCDEFGH", "ab"]);
        assert_eq!(r.steps[0].detail, Text::new("token *** and ***", "***"));
        assert_eq!(r.diagnosis.param("x"), "***");
    }

    #[test]
    fn ts_declaration_is_one_generic_report_for_every_check() {
        let cfg = ts_rs::Config::new();
        let report = WireReport::<Facts>::decl(&cfg);
        assert!(report.starts_with("type Report<X> ="), "{report}");
        assert!(report.contains("& X"), "{report}");
        assert!(report.contains("steps: Array<Step>"), "{report}");
        let step = WireStep::decl(&cfg);
        assert!(step.contains("detail: string"), "{step}");
        let finding = WireFinding::decl(&cfg);
        assert!(finding.contains("text: FindingText"), "{finding}");
        let status = Status::decl(&cfg);
        assert!(
            status.contains(r#""pass" | "fail" | "skip" | "warn""#),
            "{status}"
        );
    }
}
