//! The WeCom API check's part of the one report shape (`setup_core::report`): its step names, its
//! diagnosis codes and the facts particular to it (the API base, the corpid, the agent id, the
//! egress IP WeCom saw). A diagnosis behind a WeCom `errcode` carries it in `params.errcode`, and
//! the official lookup page in `params.help_url`.
//!
//! Every string here is safe to show and to log: the app secret and the access_token never enter a
//! report (the check scrubs them out before returning, as a second line of defence).

use serde::Serialize;
use ts_rs::TS;

/// Names of the WeCom check's steps, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum WecomStepName {
    /// `GET /cgi-bin/gettoken` with the corpid and the app secret (exactly once per check).
    Gettoken,
    /// `GET /cgi-bin/externalcontact/get_follow_user_list`: is the app allowed to call the
    /// customer-contact API?
    CustomerContact,
    /// `GET /cgi-bin/agent/get`: the app's visible range.
    Agent,
    /// `GET /cgi-bin/getcallbackip`: the addresses WeCom's callbacks come from (advisory: a
    /// failure is a warning).
    CallbackIp,
}

/// The stable list of diagnosis codes of the WeCom check. The UI translates by code; the English
/// and Chinese texts of the catalogue are the reference wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumIter)]
#[strum(serialize_all = "snake_case")]
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
    /// Warning: WeCom's callback source addresses could not be fetched (`params.reason`).
    CallbackIpUnavailable,
}

/// What is particular to the WeCom check's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WecomFacts {
    /// The API base URL the check used.
    pub api_base: String,
    pub corp_id: String,
    #[ts(type = "number | null")]
    pub agent_id: Option<u64>,
    /// The egress IP WeCom saw (from a 60020 reply's `from ip:`), when it reported one.
    pub egress_ip: Option<String>,
    /// WeCom's callback source addresses and CIDR ranges (`getcallbackip`), empty when they
    /// could not be fetched. WeCom changes the list: it is as of `checked_at`.
    pub callback_ips: Vec<String>,
    /// When the check ran, RFC 3339 UTC.
    pub checked_at: String,
}

/// The result of [`crate::wecom_api::check`]: `ok` when no step failed (warnings allowed).
pub type WecomCheckReport = setup_core::report::Report<WecomFacts>;

/// Milliseconds of a duration, saturating.
pub(crate) fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
