//! The WeCom API check: are the corpid and app secret right, may the app call the customer-contact
//! API, is its visible range set, and does WeCom accept calls from this IP? And, advisory, which
//! addresses WeCom's callbacks come from.
//!
//! [`check`] calls `gettoken` exactly once (never in a loop: repeated wrong secrets get the IP
//! blocked for an hour), then the probes `externalcontact/get_follow_user_list` and — when an agent
//! id is given — `agent/get`, then `getcallbackip` with the same token: its list (validated as
//! addresses or CIDR ranges) goes into the facts for a WAF rule, and its failure is a warning in
//! `warnings` (the step `warn`), never a failure. Every verdict is taken on `errcode` alone and maps to a diagnosis with
//! a fix in English and Simplified Chinese ([`catalogue`]). The whole check is bounded by one time
//! budget (default [`crate::limits::DEFAULT_TIMEOUT`]) and every body by
//! [`crate::limits::BODY_CAP`]. The app secret and the access_token never appear in the report, in
//! errors or in logs.
//!
//! Not here: the callback verification ladder (`ladder`) and the global error-code lookup of the
//! Troubleshoot page (`setup-core`).

use setup_core::error_code::ErrorCode;
pub mod catalogue;
pub mod client;
pub mod fake;
pub mod report;

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use tokio::time::Instant;

pub use client::{ApiBase, InvalidApiBase, TransportError};
pub use report::{WecomCheckReport, WecomDiagnosisCode, WecomFacts, WecomStepName};
use setup_core::generate::callback_ips::CallbackIps;
use setup_core::report::{CheckKind, Finding, Status, Step, scrub_in};
use setup_core::text::{Lang, Text};

use crate::ladder::progress::Progress;

/// WeCom's API base URL.
pub const DEFAULT_API_BASE: &str = "https://qyapi.weixin.qq.com";

/// What to check. The secret is held in a redacting wrapper.
#[derive(Debug, Clone)]
pub struct WecomCheckRequest {
    pub corp_id: String,
    pub secret: SecretString,
    /// The self-built app's AgentId; without it the visible range is not checked.
    pub agent_id: Option<u64>,
    /// `None`: [`DEFAULT_API_BASE`].
    pub api_base: Option<String>,
    /// Budget of the whole check (all requests together).
    pub timeout: Duration,
    /// The language the report's JSON spells out (both are always in `text`).
    pub lang: Lang,
}

impl WecomCheckRequest {
    /// A request against the real API with the default budget and no agent id.
    pub fn new(corp_id: impl Into<String>, secret: SecretString) -> Self {
        Self {
            corp_id: corp_id.into(),
            secret,
            agent_id: None,
            api_base: None,
            timeout: crate::limits::DEFAULT_TIMEOUT,
            lang: Lang::En,
        }
    }
}

/// Input the check refuses before sending anything.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, error_code_derive::ErrorCode)]
pub enum WecomCheckError {
    #[error("the corpid is empty")]
    #[code(EmptyCorpId)]
    EmptyCorpId,
    #[error("the corpid contains spaces or control characters")]
    #[code(InvalidCorpId)]
    InvalidCorpId,
    #[error("the app secret is empty")]
    #[code(EmptySecret)]
    EmptySecret,
    #[error(transparent)]
    #[code(InvalidApiBase)]
    InvalidApiBase(#[from] InvalidApiBase),
    #[error("the time budget must be greater than zero")]
    #[code(ZeroTimeout)]
    ZeroTimeout,
}

/// A WeCom reply parsed as far as the check needs: `errcode` (absent = 0), `errmsg`, the object.
struct ApiReply {
    errcode: i64,
    errmsg: String,
    body: Value,
}

/// Runs the check. Network and WeCom failures are part of the report; only unusable input is an
/// error.
pub async fn check(req: &WecomCheckRequest) -> Result<WecomCheckReport, WecomCheckError> {
    check_with_progress(req, &Progress::none()).await
}

/// [`check`], handing each step to `progress` as it is recorded (probe 0), with the secret and
/// the access_token scrubbed from it as they are from the report.
pub async fn check_with_progress(
    req: &WecomCheckRequest,
    progress: &Progress,
) -> Result<WecomCheckReport, WecomCheckError> {
    let corp_id = req.corp_id.trim();
    if corp_id.is_empty() {
        return Err(WecomCheckError::EmptyCorpId);
    }
    if corp_id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(WecomCheckError::InvalidCorpId);
    }
    let secret = req.secret.expose_secret().trim();
    if secret.is_empty() {
        return Err(WecomCheckError::EmptySecret);
    }
    if req.timeout.is_zero() {
        return Err(WecomCheckError::ZeroTimeout);
    }
    let base = ApiBase::parse(req.api_base.as_deref().unwrap_or(DEFAULT_API_BASE))?;
    let api_base = base.display();
    let client = client::ApiClient::new(base);

    let started = Instant::now();
    let deadline = started + req.timeout;
    let mut runner = Runner {
        client: &client,
        api_base: &api_base,
        deadline,
        budget_ms: report::millis(req.timeout),
        steps: Vec::new(),
        diagnoses: Vec::new(),
        warnings: Vec::new(),
        egress_ip: None,
        progress,
        secret,
        token: None,
    };

    // 1. gettoken — exactly once.
    let token = runner.gettoken(corp_id, secret).await;

    // 2. the probes, each independent of the other; then the advisory callback addresses.
    let callback_ips = match &token {
        Some(token) => {
            runner
                .probe(
                    WecomStepName::CustomerContact,
                    "/cgi-bin/externalcontact/get_follow_user_list",
                    &[("access_token", token.expose_secret())],
                )
                .await;
            match req.agent_id {
                Some(agent_id) => {
                    let id = agent_id.to_string();
                    runner
                        .probe(
                            WecomStepName::Agent,
                            "/cgi-bin/agent/get",
                            &[("access_token", token.expose_secret()), ("agentid", &id)],
                        )
                        .await;
                }
                None => runner.not_run(
                    WecomStepName::Agent,
                    "skipped: no AgentId given, so the visible range was not checked",
                    "已跳过：未提供 AgentId，未检查可见范围",
                ),
            }
            runner.callback_ips(token.expose_secret()).await
        }
        None => {
            let (en, zh) = (
                "skipped: no access_token (gettoken did not succeed)",
                "已跳过：未获取到 access_token（gettoken 未成功）",
            );
            runner.not_run(WecomStepName::CustomerContact, en, zh);
            runner.not_run(WecomStepName::Agent, en, zh);
            runner.not_run(WecomStepName::CallbackIp, en, zh);
            Vec::new()
        }
    };

    let Runner {
        steps,
        diagnoses,
        warnings,
        egress_ip,
        ..
    } = runner;
    let failed = steps.iter().any(|s| s.status == Status::Fail);
    // 60020 anywhere is the root cause of everything after it; then the first failure; then the
    // first warning.
    let diagnosis = diagnoses
        .iter()
        .find(|(status, d)| *status == Status::Fail && d.is(WecomDiagnosisCode::IpNotAllowed))
        .or_else(|| diagnoses.iter().find(|(status, _)| *status == Status::Fail))
        .or_else(|| diagnoses.iter().find(|(status, _)| *status == Status::Warn))
        .map(|(_, d)| d.clone())
        .unwrap_or_else(|| catalogue::ok(req.agent_id.is_some()));
    let mut report = WecomCheckReport {
        ok: !failed,
        check: CheckKind::Wecom,
        lang: req.lang,
        elapsed_ms: report::millis(started.elapsed()),
        steps,
        diagnosis,
        warnings,
        facts: WecomFacts {
            api_base,
            corp_id: corp_id.to_owned(),
            agent_id: req.agent_id,
            egress_ip: egress_ip.map(|ip| ip.to_string()),
            callback_ips,
            checked_at: rfc3339_now(),
        },
    };
    let token_text = token.as_ref().map(|t| t.expose_secret().to_owned());
    let mut needles = vec![secret];
    if let Some(t) = token_text.as_deref() {
        needles.push(t);
    }
    report.scrub(&needles);
    scrub_in(&mut report.facts.api_base, &needles);
    scrub_in(&mut report.facts.corp_id, &needles);
    Ok(report)
}

struct Runner<'a> {
    client: &'a client::ApiClient,
    api_base: &'a str,
    deadline: Instant,
    budget_ms: u64,
    steps: Vec<Step>,
    /// The diagnosis of each failed or warned step, with that status.
    diagnoses: Vec<(Status, Finding)>,
    /// Advisory findings that never become the diagnosis.
    warnings: Vec<Finding>,
    /// The `from ip:` of the first 60020 reply.
    egress_ip: Option<std::net::IpAddr>,
    /// Where each step goes as it is recorded, scrubbed of `secret` and `token`.
    progress: &'a Progress,
    secret: &'a str,
    token: Option<SecretString>,
}

impl Runner<'_> {
    fn push(&mut self, name: WecomStepName, status: Status, detail: Text, started: Instant) {
        let elapsed_ms = report::millis(started.elapsed());
        self.record(Step::new(name, status, detail, elapsed_ms));
    }

    /// Keeps the step for the report and hands a scrubbed copy to the progress.
    fn record(&mut self, step: Step) {
        let mut shown = step.clone();
        let token = self.token.as_ref().map(|t| t.expose_secret());
        let needles: Vec<&str> = std::iter::once(self.secret).chain(token).collect();
        shown.detail.scrub(&needles);
        self.progress.emit(0, &shown);
        self.steps.push(step);
    }

    fn fail(&mut self, name: WecomStepName, started: Instant, diagnosis: Finding, detail: Text) {
        self.push(name, Status::Fail, detail, started);
        self.diagnoses.push((Status::Fail, diagnosis));
    }

    /// A probe that did not run: status `skip`.
    fn not_run(&mut self, name: WecomStepName, en: &str, zh: &str) {
        self.record(Step::new(name, Status::Skip, Text::new(en, zh), 0));
    }

    /// One GET, parsed to an [`ApiReply`]; failures become the step's failure.
    async fn call(
        &mut self,
        name: WecomStepName,
        path: &str,
        query: &[(&str, &str)],
        started: Instant,
    ) -> Option<ApiReply> {
        let reply = match self.client.get(path, query, self.deadline).await {
            Ok(reply) => reply,
            Err(err) => {
                let d = catalogue::transport(&err, self.api_base);
                let detail = d.summary.clone();
                self.fail(name, started, d, detail);
                return None;
            }
        };
        match parse_reply(&reply.body) {
            Ok(parsed) => Some(parsed),
            Err(what) => {
                let d = catalogue::malformed(&what, self.api_base);
                let detail = d.summary.clone();
                self.fail(name, started, d, detail);
                None
            }
        }
    }

    /// Fails the step with the catalogue's reading of a non-zero errcode.
    fn fail_errcode(&mut self, name: WecomStepName, started: Instant, reply: &ApiReply) {
        let d = catalogue::for_errcode(name, reply.errcode, &reply.errmsg);
        if reply.errcode == 60020 && self.egress_ip.is_none() {
            self.egress_ip = catalogue::extract_from_ip(&reply.errmsg);
        }
        let msg = shorten(&reply.errmsg);
        let detail = Text::new(
            format!("errcode {}: {msg}", reply.errcode),
            format!("errcode {}：{msg}", reply.errcode),
        );
        self.fail(name, started, d, detail);
    }

    fn budget_spent(&mut self, name: WecomStepName) -> bool {
        if Instant::now() < self.deadline {
            return false;
        }
        let ms = self.budget_ms;
        self.not_run(
            name,
            &format!("skipped: the time budget of {ms} ms is spent"),
            &format!("已跳过：{ms} 毫秒的时间预算已用完"),
        );
        true
    }

    async fn gettoken(&mut self, corp_id: &str, secret: &str) -> Option<SecretString> {
        let name = WecomStepName::Gettoken;
        let started = Instant::now();
        let reply = self
            .call(
                name,
                "/cgi-bin/gettoken",
                &[("corpid", corp_id), ("corpsecret", secret)],
                started,
            )
            .await?;
        if reply.errcode != 0 {
            self.fail_errcode(name, started, &reply);
            return None;
        }
        let token = reply
            .body
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            let what = Text::new(
                "errcode 0 without an access_token",
                "errcode 为 0 但没有 access_token",
            );
            let d = catalogue::malformed(&what, self.api_base);
            let detail = d.summary.clone();
            self.fail(name, started, d, detail);
            return None;
        };
        let token = SecretString::from(token.to_owned());
        self.token = Some(token.clone());
        let expires = reply.body.get("expires_in").and_then(Value::as_i64);
        let detail = match expires {
            Some(s) => Text::new(
                format!("access_token issued (expires in {s} s)"),
                format!("已获取 access_token（{s} 秒后过期）"),
            ),
            None => Text::new("access_token issued", "已获取 access_token"),
        };
        self.push(name, Status::Pass, detail, started);
        Some(token)
    }

    async fn probe(&mut self, name: WecomStepName, path: &str, query: &[(&str, &str)]) {
        if self.budget_spent(name) {
            return;
        }
        let started = Instant::now();
        let Some(reply) = self.call(name, path, query, started).await else {
            return;
        };
        if reply.errcode != 0 {
            self.fail_errcode(name, started, &reply);
            return;
        }
        match name {
            WecomStepName::CustomerContact => self.judge_follow_users(started, &reply),
            WecomStepName::Agent => self.judge_visible_range(started, &reply, query),
            WecomStepName::Gettoken | WecomStepName::CallbackIp => {}
        }
    }

    /// `getcallbackip`: WeCom's callback source addresses, or a warning saying why not.
    async fn callback_ips(&mut self, token: &str) -> Vec<String> {
        let name = WecomStepName::CallbackIp;
        if self.budget_spent(name) {
            return Vec::new();
        }
        let started = Instant::now();
        let path = "/cgi-bin/getcallbackip";
        let fetched = match self
            .client
            .get(path, &[("access_token", token)], self.deadline)
            .await
        {
            Err(err) => Err(catalogue::transport(&err, self.api_base).summary),
            Ok(reply) => match parse_reply(&reply.body) {
                Err(what) => Err(catalogue::malformed(&what, self.api_base).summary),
                Ok(r) if r.errcode != 0 => {
                    Err(catalogue::for_errcode(name, r.errcode, &r.errmsg).summary)
                }
                Ok(r) => Ok(ip_list(&r.body)),
            },
        };
        match fetched {
            Ok(ips) if !ips.is_empty() => {
                let n = ips.len();
                let shown = shorten(&ips.join(", "));
                self.push(
                    name,
                    Status::Pass,
                    Text::new(
                        format!("{n} callback source address(es): {shown}"),
                        format!("{n} 个回调来源地址：{shown}"),
                    ),
                    started,
                );
                ips
            }
            Ok(_) => {
                let reason = Text::new("the list is empty", "列表为空");
                self.warn(name, started, reason);
                Vec::new()
            }
            Err(reason) => {
                self.warn(name, started, reason);
                Vec::new()
            }
        }
    }

    /// An advisory step that did not work out: `warn`, and a warning finding.
    fn warn(&mut self, name: WecomStepName, started: Instant, reason: Text) {
        let finding = catalogue::callback_ip_unavailable(&reason);
        self.push(name, Status::Warn, reason, started);
        self.warnings.push(finding);
    }

    fn judge_follow_users(&mut self, started: Instant, reply: &ApiReply) {
        let name = WecomStepName::CustomerContact;
        let Some(users) = reply.body.get("follow_user").and_then(Value::as_array) else {
            // Absent list: WeCom omits empty arrays in some replies.
            return self.warn_no_follow_users(started);
        };
        if users.is_empty() {
            return self.warn_no_follow_users(started);
        }
        let n = users.len();
        self.push(
            name,
            Status::Pass,
            Text::new(
                format!(
                    "the app may call the customer-contact API; {n} member(s) with customer contact"
                ),
                format!("该应用可调用客户联系接口；{n} 名成员已开通客户联系"),
            ),
            started,
        );
    }

    fn warn_no_follow_users(&mut self, started: Instant) {
        let d = catalogue::no_follow_users();
        let detail = Text::new(
            "the app may call the customer-contact API; no member with customer contact is visible",
            "该应用可调用客户联系接口；可见范围内没有开通客户联系的成员",
        );
        self.push(
            WecomStepName::CustomerContact,
            Status::Warn,
            detail,
            started,
        );
        self.diagnoses.push((Status::Warn, d));
    }

    fn judge_visible_range(&mut self, started: Instant, reply: &ApiReply, query: &[(&str, &str)]) {
        let name = WecomStepName::Agent;
        let count = |outer: &str, inner: &str| {
            reply
                .body
                .get(outer)
                .and_then(|o| o.get(inner))
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        };
        let users = count("allow_userinfos", "user");
        let parties = count("allow_partys", "partyid");
        let tags = count("allow_tags", "tagid");
        let agent_id = query
            .iter()
            .find(|(k, _)| *k == "agentid")
            .and_then(|(_, v)| v.parse::<u64>().ok())
            .unwrap_or_default();
        let app = reply
            .body
            .get("name")
            .and_then(Value::as_str)
            .map(shorten)
            .unwrap_or_default();
        let detail = Text::new(
            format!(
                "app “{app}” ({agent_id}) is visible to {users} member(s), {parties} department(s), {tags} tag(s)"
            ),
            format!(
                "应用“{app}”（{agent_id}）的可见范围：{users} 名成员、{parties} 个部门、{tags} 个标签"
            ),
        );
        if users + parties + tags == 0 {
            self.fail(
                name,
                started,
                catalogue::empty_visible_range(agent_id),
                detail,
            );
        } else {
            self.push(name, Status::Pass, detail, started);
        }
    }
}

/// Parses a WeCom JSON reply; a missing `errcode` reads as 0. The error says what is wrong.
fn parse_reply(body: &[u8]) -> Result<ApiReply, Text> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| Text::new("not valid JSON", "不是有效的 JSON"))?;
    if !value.is_object() {
        return Err(Text::new("not a JSON object", "不是 JSON 对象"));
    }
    let errcode = match value.get("errcode") {
        None | Some(Value::Null) => 0,
        Some(v) => v
            .as_i64()
            .ok_or_else(|| Text::new("errcode is not an integer", "errcode 不是整数"))?,
    };
    let errmsg = value
        .get("errmsg")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(ApiReply {
        errcode,
        errmsg,
        body: value,
    })
}

/// The `ip_list` entries that are an IP address or a CIDR range, normalised
/// (`setup_core::generate::callback_ips`); anything else from the peer is dropped (the list goes
/// into files and firewall rules).
fn ip_list(body: &Value) -> Vec<String> {
    let entries = body.get("ip_list").and_then(Value::as_array);
    let entries = entries.into_iter().flatten().filter_map(Value::as_str);
    CallbackIps::new(entries, "").addresses
}

/// Now, RFC 3339 UTC to the second.
fn rfc3339_now() -> String {
    let now = time::OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}

/// At most 300 characters of a peer-controlled string, on one line.
fn shorten(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match one_line.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_success_body_without_errcode_reads_as_zero() {
        let r = parse_reply(br#"{"access_token":"t","expires_in":7200}"#).expect("parses");
        assert_eq!(r.errcode, 0);
        assert!(parse_reply(b"<html>").is_err());
        assert!(parse_reply(b"[1]").is_err());
        assert!(parse_reply(br#"{"errcode":"x"}"#).is_err());
    }

    #[test]
    fn only_addresses_and_ranges_are_kept_from_the_callback_ip_list() {
        let body = serde_json::json!({ "ip_list": [
            "101.226.103.0/25", "101.226.62.12", " 183.3.234.0/26 ", "2001:db8::/32",
            "10.0.0.0/33", "evil.example.com", "1.2.3.4; rm -rf /", 7, "101.226.62.12"
        ] });
        assert_eq!(
            ip_list(&body),
            [
                "101.226.103.0/25",
                "101.226.62.12",
                "183.3.234.0/26",
                "2001:db8::/32"
            ]
        );
        assert!(ip_list(&serde_json::json!({ "errcode": 0 })).is_empty());
    }

    #[test]
    fn the_check_time_is_rfc3339_utc() {
        let t = rfc3339_now();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
    }

    #[test]
    fn long_errmsg_is_shortened_to_one_line() {
        let s = shorten(&format!("a\nb{}", "c".repeat(400)));
        assert!(!s.contains('\n'));
        assert_eq!(s.chars().count(), 301);
    }
}
