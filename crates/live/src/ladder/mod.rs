//! The WeCom simulator and its verification ladder: act exactly as WeCom does — the GET when the
//! admin presses Save ([`verify`]), or an encrypted event POST ([`send_event`]) — and report each
//! rung (DNS → TCP → TLS → HTTP → reply) with its own time and a detail in English and Simplified
//! Chinese, the first failure skipping the rest, and a diagnosis that says why and what to do.
//!
//! Bounded whatever the far end does: one overall deadline ([`LadderOptions::timeout`], default
//! [`DEFAULT_TIMEOUT`]) covers every rung, the body is read up to [`crate::limits::BODY_CAP`],
//! redirects are reported and not followed, nothing is retried. A correct reply slower than
//! WeCom's budget (1 s for the GET, 5 s for an event, counted from the TCP connect to the last
//! byte) is `too_slow`.

pub mod event;
pub mod judge;
pub mod report;

use crate::credentials::Credentials;
use crate::diagnosis::{DiagnosisCode, Lang, Params, diagnosis, params};
use crate::error::LiveError;
use crate::limits::{DEFAULT_TIMEOUT, WECOM_EVENT_BUDGET, WECOM_VERIFY_BUDGET};
use crate::transport::http::{self as exchange, Head, Outgoing, Phase};
use crate::transport::target::{Scheme, Target};
use crate::transport::{self, Failure, Stream, tls};
use bytes::Bytes;
use http::Method;
use judge::Detail;
use report::{LadderFacts, Report, StepName};
use setup_core::report::{CheckKind, Status, Step};
use setup_core::text::Text;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use strum::IntoEnumIterator;
use tokio::time::{Instant, timeout_at};

/// How to run a check.
#[derive(Debug, Clone)]
pub struct LadderOptions {
    /// Overall bound of the whole check.
    pub timeout: Duration,
    /// Extra trust anchors (PEM), e.g. a demo receiver's self-signed certificate.
    pub ca_cert_pem: Option<Vec<u8>>,
    /// Language of the texts the report spells out (both are always in `text`).
    pub lang: Lang,
}

impl Default for LadderOptions {
    fn default() -> Self {
        LadderOptions {
            timeout: DEFAULT_TIMEOUT,
            ca_cert_pem: None,
            lang: Lang::En,
        }
    }
}

/// The URL-verification GET, judged byte for byte within WeCom's 1 s budget.
pub async fn verify(
    url: &str,
    credentials: &Credentials,
    options: &LadderOptions,
) -> Result<Report, LiveError> {
    let target = Target::parse(url)?;
    let crypto = credentials.crypto()?;
    let sent = crypto.simulate_url_verification()?;
    let request = Outgoing {
        method: Method::GET,
        target: target.request_target(&sent.query()),
        authority: target.authority.clone(),
        body: None,
    };
    let judge = move |head: &Head, body: &[u8]| {
        judge::verify_reply(
            body,
            head.content_type.as_deref(),
            &sent.echostr_plain,
            &sent.echostr,
        )
    };
    run(
        CheckKind::Verify,
        &target,
        credentials,
        options,
        request,
        WECOM_VERIFY_BUDGET,
        judge,
    )
    .await
}

/// An encrypted `change_external_contact` / `add_external_contact` event POSTed to the URL;
/// passes on HTTP 200 within WeCom's 5 s.
pub async fn send_event(
    url: &str,
    credentials: &Credentials,
    options: &LadderOptions,
) -> Result<Report, LiveError> {
    let target = Target::parse(url)?;
    let crypto = credentials.crypto()?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let delivery = crypto.simulate_event(&event::sample_event_xml(credentials.corp_id(), now))?;
    let request = Outgoing {
        method: Method::POST,
        target: target.request_target(&delivery.query()),
        authority: target.authority.clone(),
        body: Some((Bytes::from(delivery.body), "text/xml")),
    };
    let judge = |head: &Head, body: &[u8]| judge::event_reply(body, head.content_type.as_deref());
    run(
        CheckKind::Event,
        &target,
        credentials,
        options,
        request,
        WECOM_EVENT_BUDGET,
        judge,
    )
    .await
}

/// Climbs the ladder and turns the outcome into the report.
async fn run(
    check: CheckKind,
    target: &Target,
    credentials: &Credentials,
    options: &LadderOptions,
    request: Outgoing,
    budget: Duration,
    judge: impl FnOnce(&Head, &[u8]) -> Result<Detail, Failure>,
) -> Result<Report, LiveError> {
    let tls_config = match target.scheme {
        Scheme::Https => Some(tls::client_config(options.ca_cert_pem.as_deref())?),
        Scheme::Http => None,
    };
    let mut climb = Climb::new(options.timeout);
    let outcome = climb_rungs(&mut climb, target, tls_config, &request, budget, judge).await;
    let (code, params) = match outcome {
        Ok(()) => (DiagnosisCode::Ok, Params::new()),
        Err(failure) => {
            climb.fail(failure.detail);
            (failure.code, failure.params)
        }
    };
    let params = params
        .into_iter()
        .map(|(k, v)| (k, credentials.redact(&v)))
        .collect();
    let steps = climb
        .steps
        .into_iter()
        .map(|s| Step {
            detail: Text::new(
                credentials.redact(&s.detail.en),
                credentials.redact(&s.detail.zh),
            ),
            ..s
        })
        .collect();
    Ok(Report {
        ok: code == DiagnosisCode::Ok,
        check,
        lang: options.lang,
        elapsed_ms: millis(climb.started.elapsed()),
        steps,
        diagnosis: diagnosis(code, params),
        warnings: Vec::new(),
        facts: LadderFacts {
            url: target.url.clone(),
        },
    })
}

async fn climb_rungs(
    c: &mut Climb,
    target: &Target,
    tls_config: Option<std::sync::Arc<rustls::ClientConfig>>,
    request: &Outgoing,
    budget: Duration,
    judge: impl FnOnce(&Head, &[u8]) -> Result<Detail, Failure>,
) -> Result<(), Failure> {
    let timeout_ms = c.timeout.as_millis();

    c.begin(StepName::Dns);
    let addrs = c
        .bounded(transport::resolve(&target.host, target.port), |waited| {
            Failure::new(
                DiagnosisCode::DnsFailed,
                params([("host", target.host.clone())]),
                format!("no answer for {} after {waited} ms", target.host),
                format!("{waited} 毫秒后仍未得到 {} 的解析结果", target.host),
            )
        })
        .await?;
    let (more, more_zh) = match addrs.len() {
        1 => (String::new(), String::new()),
        n => (
            format!(" (and {} more)", n - 1),
            format!("（另有 {} 个地址）", n - 1),
        ),
    };
    let first = addrs
        .first()
        .map_or_else(String::new, |a| a.ip().to_string());
    let host = &target.host;
    if host.parse::<std::net::IpAddr>().is_ok() {
        c.pass(Text::new(
            format!("{host} is an IP address: no lookup"),
            format!("{host} 是 IP 地址，无需解析"),
        ));
    } else {
        c.pass(Text::new(
            format!("{host} → {first}{more}"),
            format!("{host} 解析为 {first}{more_zh}"),
        ));
    }

    c.begin(StepName::Tcp);
    let exchange_started = Instant::now();
    let (tcp, addr) = c
        .bounded(transport::connect(&addrs), |waited| {
            transport::connect_timed_out(&addrs, waited)
        })
        .await?;
    c.pass(Text::new(
        format!("connected to {addr}"),
        format!("已连接 {addr}"),
    ));

    let stream = match tls_config {
        Some(config) => {
            c.begin(StepName::Tls);
            let tls = c
                .bounded(tls::handshake(config, &target.host, tcp), |w| {
                    tls::timed_out(w, timeout_ms)
                })
                .await?;
            let (_, session) = tls.get_ref();
            let version = session
                .protocol_version()
                .map_or_else(|| "TLS".to_string(), |v| format!("{v:?}"));
            c.pass(Text::new(
                format!("{version}, certificate valid for {host}"),
                format!("{version}，证书对 {host} 有效"),
            ));
            Stream::Tls(Box::new(tls))
        }
        None => {
            c.not_run(
                StepName::Tls,
                Text::new(
                    "http:// URL: no TLS (WeCom allows it; session archive needs https)",
                    "http:// 地址：不使用 TLS（企业微信允许；会话存档需要 https）",
                ),
            );
            Stream::Plain(tcp)
        }
    };

    c.begin(StepName::Http);
    let mut conn = exchange::open(stream).await?;
    let (head, body) = c
        .bounded(conn.send(request), |w| {
            exchange::timed_out(Phase::Reply, w, timeout_ms)
        })
        .await?;
    let body = c
        .bounded(exchange::read_body(&head, body), |w| {
            exchange::timed_out(Phase::Body, w, timeout_ms)
        })
        .await?;
    let exchange_elapsed = exchange_started.elapsed();
    drop(conn);
    check_status(&head)?;
    let (method, path, size) = (&request.method, &target.path, body.len());
    c.pass(Text::new(
        format!("{method} {path} → HTTP 200, {size} bytes"),
        format!("{method} {path} → HTTP 200，{size} 字节"),
    ));

    c.begin(StepName::Reply);
    let Text {
        en: detail,
        zh: detail_zh,
    } = judge(&head, &body)?;
    let (elapsed, limit) = (millis(exchange_elapsed), millis(budget));
    if exchange_elapsed > budget {
        return Err(Failure::new(
            DiagnosisCode::TooSlow,
            params([
                ("elapsed_ms", elapsed.to_string()),
                ("limit_ms", limit.to_string()),
            ]),
            format!("{detail}, but after {elapsed} ms (limit {limit} ms)"),
            format!("{detail_zh}，但用时 {elapsed} 毫秒（上限 {limit} 毫秒）"),
        ));
    }
    c.pass(Text::new(
        format!("{detail}, {elapsed} ms from connect to last byte"),
        format!("{detail_zh}，从连接到最后一个字节用时 {elapsed} 毫秒"),
    ));
    Ok(())
}

/// Non-200 statuses: redirects (not followed) and everything else.
fn check_status(head: &Head) -> Result<(), Failure> {
    match head.status {
        200 => Ok(()),
        status @ 300..=399 => {
            let location = head
                .location
                .as_deref()
                .map_or_else(|| "(no Location header)".to_string(), without_signed_query);
            Err(Failure::new(
                DiagnosisCode::Redirect,
                params([
                    ("status", status.to_string()),
                    ("location", location.clone()),
                ]),
                format!("HTTP {status} redirect to {location} (not followed)"),
                format!("HTTP {status} 重定向到 {location}（未跟随）"),
            ))
        }
        status => Err(Failure::new(
            DiagnosisCode::HttpStatus,
            params([("status", status.to_string())]),
            format!("HTTP {status}"),
            format!("HTTP {status}（应为 200）"),
        )),
    }
}

/// A `Location` with WeCom's parameters (msg_signature, timestamp, nonce, echostr) taken out:
/// a server that redirects to the same URL copies the signed query, which has no place in a report.
fn without_signed_query(location: &str) -> String {
    let Some((base, query)) = location.split_once('?') else {
        return location.to_string();
    };
    let signed = ["msg_signature", "timestamp", "nonce", "echostr"];
    let pairs: Vec<&str> = query.split('&').collect();
    let kept: Vec<&str> = pairs
        .iter()
        .copied()
        .filter(|p| !signed.contains(&p.split_once('=').map_or(*p, |(name, _)| name)))
        .collect();
    if kept.len() == pairs.len() {
        location.to_string()
    } else if kept.is_empty() {
        format!("{base}?…")
    } else {
        format!("{base}?{}&…", kept.join("&"))
    }
}

/// The steps so far, the rung being climbed and the deadline.
struct Climb {
    started: Instant,
    deadline: Instant,
    timeout: Duration,
    steps: Vec<Step>,
    current: StepName,
    rung_started: Instant,
}

impl Climb {
    fn new(timeout: Duration) -> Self {
        let now = Instant::now();
        Climb {
            started: now,
            deadline: now + timeout,
            timeout,
            steps: Vec::new(),
            current: StepName::Dns,
            rung_started: now,
        }
    }

    fn begin(&mut self, name: StepName) {
        self.current = name;
        self.rung_started = Instant::now();
    }

    /// Runs `fut` until the deadline; past it, `on_timeout(waited_ms)`.
    async fn bounded<T>(
        &self,
        fut: impl Future<Output = Result<T, Failure>>,
        on_timeout: impl FnOnce(u128) -> Failure,
    ) -> Result<T, Failure> {
        match timeout_at(self.deadline, fut).await {
            Ok(result) => result,
            Err(_) => Err(on_timeout(self.rung_started.elapsed().as_millis())),
        }
    }

    fn push(&mut self, name: StepName, status: Status, detail: Detail, elapsed: Duration) {
        self.steps
            .push(Step::new(name, status, detail, millis(elapsed)));
    }

    fn pass(&mut self, detail: Detail) {
        self.push(
            self.current,
            Status::Pass,
            detail,
            self.rung_started.elapsed(),
        );
    }

    /// A rung that did not run (an earlier one failed, or it does not apply): status `skip`.
    fn not_run(&mut self, name: StepName, detail: Detail) {
        self.push(name, Status::Skip, detail, Duration::ZERO);
    }

    /// The current rung failed: record it and skip every later one.
    fn fail(&mut self, detail: Detail) {
        let failed = self.current;
        self.push(failed, Status::Fail, detail, self.rung_started.elapsed());
        let (label, label_zh) = step_label(failed);
        for name in StepName::iter() {
            if !self.steps.iter().any(|s| s.name == <&str>::from(name)) {
                self.not_run(
                    name,
                    Text::new(
                        format!("not run: the {label} step failed"),
                        format!("未执行：{label_zh}步骤失败"),
                    ),
                );
            }
        }
    }
}

/// A rung's name in a detail: English, then Chinese.
fn step_label(name: StepName) -> (&'static str, &'static str) {
    match name {
        StepName::Dns => ("DNS", "DNS "),
        StepName::Tcp => ("TCP", "TCP "),
        StepName::Tls => ("TLS", "TLS "),
        StepName::Http => ("HTTP", "HTTP "),
        StepName::Reply => ("reply", "应答"),
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
