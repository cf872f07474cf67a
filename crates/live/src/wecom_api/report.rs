//! Result types of the WeCom API check, shaped like the verification ladder's report: `ok`, a list
//! of steps (each `pass | fail | skip | warn` with a detail and its duration) and one diagnosis with
//! English and Simplified Chinese text. The step and diagnosis types are generic over the name/code
//! enum so the database check (`crate::db_check`) reuses them.
//!
//! Every string here is safe to show and to log: the app secret and the access_token never enter a
//! report (the check scrubs them out before returning, as a second line of defence).

use serde::Serialize;
use ts_rs::TS;

/// Outcome of one step of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// The step ran and found nothing wrong.
    Pass,
    /// The step ran and found a problem (the diagnosis says which).
    Fail,
    /// The step did not run (an earlier step failed, or it was not asked for).
    Skip,
    /// The step ran; the result works but deserves attention.
    Warn,
}

/// One step of a check. `N` is the check's step-name enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CheckStep<N> {
    pub name: N,
    pub status: CheckStatus,
    /// What was seen, in English (technical: codes and values as received).
    pub detail: String,
    /// The same in Simplified Chinese.
    pub detail_zh: String,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// The WeCom `errcode` the step received, when it received one.
    #[ts(type = "number | null")]
    pub errcode: Option<i64>,
}

/// Why a check failed (or `ok`) and what to do, in both languages. `C` is the check's code enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CheckDiagnosis<C> {
    pub code: C,
    /// The WeCom `errcode` behind the diagnosis, when there is one.
    #[ts(type = "number | null")]
    pub errcode: Option<i64>,
    pub summary: String,
    pub fix: String,
    pub summary_zh: String,
    pub fix_zh: String,
    /// Official documentation for the diagnosis (the error-code lookup for WeCom codes).
    pub help_url: Option<String>,
}

/// Names of the WeCom check's steps, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WecomStepName {
    /// `GET /cgi-bin/gettoken` with the corpid and the app secret (exactly once per check).
    Gettoken,
    /// `GET /cgi-bin/externalcontact/get_follow_user_list`: is the app allowed to call the
    /// customer-contact API?
    CustomerContact,
    /// `GET /cgi-bin/agent/get`: the app's visible range.
    Agent,
}

/// The stable list of diagnosis codes of the WeCom check. The UI translates by code; the English
/// and Chinese texts in [`CheckDiagnosis`] are the reference wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WecomDiagnosisCode {
    /// Every step passed.
    Ok,
    /// The customer-contact API answered, but no member with customer contact is visible.
    NoFollowUsers,
    /// −1: WeCom is busy.
    SystemBusy,
    /// 40001: wrong app secret.
    InvalidSecret,
    /// 40013: wrong corpid.
    InvalidCorpId,
    /// 40014: invalid access_token.
    InvalidAccessToken,
    /// 40056: wrong agent id.
    InvalidAgentId,
    /// 41001: access_token missing.
    MissingAccessToken,
    /// 42001: access_token expired.
    AccessTokenExpired,
    /// 45009: rate limited (typically after repeated wrong secrets).
    RateLimited,
    /// 48002 on the customer-contact call: the app is not in "apps that may call the API".
    NotInCustomerContactApiList,
    /// 48002 elsewhere: the app may not call this API.
    ApiForbidden,
    /// 60011: no privilege on the member / department (visible range).
    NoPrivilege,
    /// 60020: this egress IP is not in the app's trusted IPs.
    IpNotAllowed,
    /// 301002: the access_token belongs to another app than the agent id.
    TokenOfAnotherApp,
    /// `agent/get` shows no user, department or tag in the visible range.
    EmptyVisibleRange,
    /// An errcode outside the catalogue: see the official lookup link.
    UnknownErrcode,
    /// The API host name did not resolve.
    DnsFailed,
    /// Nothing listens at the API address.
    ConnectRefused,
    /// The TCP connection failed otherwise.
    ConnectFailed,
    /// The TLS handshake failed (untrusted certificate, interception proxy, …).
    TlsFailed,
    /// No complete answer within the time budget.
    Timeout,
    /// The API answered with a redirect (never followed).
    Redirect,
    /// The API answered with an HTTP status other than 200.
    HttpStatus,
    /// The body exceeded the size cap.
    BodyTooLarge,
    /// The body was not the documented JSON.
    MalformedReply,
}

/// The result of [`crate::wecom_api::check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WecomCheckReport {
    /// True when no step failed (warnings allowed).
    pub ok: bool,
    /// The API base URL the check used.
    pub api_base: String,
    pub corp_id: String,
    #[ts(type = "number | null")]
    pub agent_id: Option<u64>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    pub steps: Vec<CheckStep<WecomStepName>>,
    pub diagnosis: CheckDiagnosis<WecomDiagnosisCode>,
    /// The egress IP WeCom saw (from a 60020 reply's `from ip:`), when it reported one.
    pub egress_ip: Option<String>,
}

impl<N> CheckStep<N> {
    pub(crate) fn scrub(&mut self, needles: &[&str]) {
        scrub_in(&mut self.detail, needles);
        scrub_in(&mut self.detail_zh, needles);
    }
}

impl<C> CheckDiagnosis<C> {
    pub(crate) fn scrub(&mut self, needles: &[&str]) {
        for s in [
            &mut self.summary,
            &mut self.fix,
            &mut self.summary_zh,
            &mut self.fix_zh,
        ] {
            scrub_in(s, needles);
        }
    }
}

impl WecomCheckReport {
    /// Replaces every occurrence of a secret value by `***` in every string of the report.
    pub(crate) fn scrub(&mut self, needles: &[&str]) {
        for step in &mut self.steps {
            step.scrub(needles);
        }
        self.diagnosis.scrub(needles);
        scrub_in(&mut self.api_base, needles);
        scrub_in(&mut self.corp_id, needles);
    }
}

/// Shortest secret value scrubbed from text: shorter ones would mangle ordinary words, and the
/// reports never include secrets by construction (the scrub is the second line of defence).
pub(crate) const MIN_SCRUB_LEN: usize = 4;

/// Replaces each needle (at least [`MIN_SCRUB_LEN`] long) in `s` by `***`.
pub(crate) fn scrub_in(s: &mut String, needles: &[&str]) {
    for needle in needles {
        if needle.len() >= MIN_SCRUB_LEN && s.contains(needle) {
            *s = s.replace(needle, "***");
        }
    }
}

/// Milliseconds of a duration, saturating.
pub(crate) fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ts_declarations_render_for_the_desktop_app() {
        let cfg = ts_rs::Config::new();
        let report = WecomCheckReport::decl(&cfg);
        assert!(
            report.contains("steps: Array<CheckStep<WecomStepName>>"),
            "{report}"
        );
        assert!(report.contains("elapsed_ms: number"), "{report}");
        let status = CheckStatus::decl(&cfg);
        assert!(
            status.contains(r#""pass" | "fail" | "skip" | "warn""#),
            "{status}"
        );
        let diag = CheckDiagnosis::<WecomDiagnosisCode>::decl(&cfg);
        assert!(diag.contains("summary_zh: string"), "{diag}");
        assert!(diag.contains("errcode: number | null"), "{diag}");
    }

    #[test]
    fn scrub_masks_secrets_but_not_short_words() {
        let mut s = "token ABCDEFGH and ab".to_owned();
        scrub_in(&mut s, &["ABCDEFGH", "ab"]);
        assert_eq!(s, "token *** and ab");
    }
}
