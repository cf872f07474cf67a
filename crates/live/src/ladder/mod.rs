//! The WeCom simulator and its verification ladder: act exactly as WeCom does — the GET when the
//! admin presses Save ([`verify`]), or an encrypted event POST ([`send_event`]) — and report each
//! rung (DNS → TCP → TLS → HTTP → reply) with its own time and a detail in English and Simplified
//! Chinese, the first failure skipping the rest, a diagnosis that says why and what to do, and
//! the warnings of a check that passes (a trailing newline, a private or unexpected address).
//!
//! A verification sends [`VERIFY_PROBES`] GETs, each on a new connection and judged on its own,
//! then judged together (see [`probes`]): a correct server passes all of them; a server that
//! URL-decodes twice or backends that disagree are named as such. The report shows the steps of
//! the first probe that failed (or of the first one, when all pass).
//!
//! Bounded whatever the far end does: one overall deadline ([`LadderOptions::timeout`], default
//! [`DEFAULT_TIMEOUT`]) covers every rung of every probe, each body is read up to
//! [`crate::limits::BODY_CAP`], redirects are reported and not followed, nothing is retried. A
//! probe is only started with a fair share of the time left, and a probe that timed out, was too
//! slow or too large ends the check. A correct reply slower than WeCom's budget (1 s for the GET,
//! 5 s for an event, counted from the TCP connect to the last byte) is `too_slow`.

pub mod climb;
pub mod dns;
pub mod event;
pub mod judge;
pub mod probes;
pub mod progress;
pub mod report;

pub use probes::VERIFY_PROBES;

use crate::credentials::Credentials;
use crate::diagnosis::{DiagnosisCode, Lang, Params, diagnosis, params};
use crate::error::LiveError;
use crate::limits::{DEFAULT_TIMEOUT, WECOM_EVENT_BUDGET, WECOM_VERIFY_BUDGET};
use crate::transport::http::{self as exchange, Phase};
use crate::transport::target::{Scheme, Target};
use crate::transport::{self, Failure, Stream, tls};
use climb::{Climb, millis};
use judge::Accepted;
use probes::Probe;
use report::{LadderFacts, Report, StepName};
use setup_core::report::{CheckKind, Finding, Status, Step};
use setup_core::text::Text;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use wecom_crypto::{CryptoError, WeComCrypto};

/// How to run a check.
#[derive(Debug, Clone)]
pub struct LadderOptions {
    /// Overall bound of the whole check.
    pub timeout: Duration,
    /// Extra trust anchors (PEM), e.g. a demo receiver's self-signed certificate.
    pub ca_cert_pem: Option<Vec<u8>>,
    /// Language of the texts the report spells out (both are always in `text`).
    pub lang: Lang,
    /// The address the host should resolve to (the plan's EIP): `dns_not_eip` when it resolves
    /// to others.
    pub expected_ip: Option<IpAddr>,
    /// The target is on loopback on purpose (demo mode): no DNS warning for loopback addresses.
    pub loopback_expected: bool,
    /// Each rung as it is recorded (redacted), for a face that shows the climb live.
    pub progress: progress::Progress,
}

impl Default for LadderOptions {
    fn default() -> Self {
        LadderOptions {
            timeout: DEFAULT_TIMEOUT,
            ca_cert_pem: None,
            lang: Lang::En,
            expected_ip: None,
            loopback_expected: false,
            progress: progress::Progress::none(),
        }
    }
}

/// The URL verification: [`VERIFY_PROBES`] GETs, each judged byte for byte within WeCom's 1 s
/// budget, then together.
pub async fn verify(
    url: &str,
    credentials: &Credentials,
    options: &LadderOptions,
) -> Result<Report, LiveError> {
    check(
        CheckKind::Verify,
        url,
        credentials,
        options,
        probes::verification,
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
    check(CheckKind::Event, url, credentials, options, probes::event).await
}

/// One probe's climb and how it ended.
struct Outcome {
    shape: probes::Shape,
    climb: Climb,
    result: Result<Accepted, Failure>,
}

/// Resolves once, climbs the rest of the ladder once per probe (while time is left), judges
/// across the probes and turns it all into the report.
async fn check(
    kind: CheckKind,
    url: &str,
    credentials: &Credentials,
    options: &LadderOptions,
    make_probes: fn(&WeComCrypto, &Target) -> Result<Vec<Probe>, CryptoError>,
) -> Result<Report, LiveError> {
    let target = Target::parse(url)?;
    let crypto = credentials.crypto()?;
    let probes = make_probes(&crypto, &target)?;
    let tls_config = match target.scheme {
        Scheme::Https => Some(tls::client_config(options.ca_cert_pem.as_deref())?),
        Scheme::Http => None,
    };
    let budget = match kind {
        CheckKind::Event => WECOM_EVENT_BUDGET,
        _ => WECOM_VERIFY_BUDGET,
    };
    let mut resolved = Climb::new(options.timeout, options.progress.redacted(credentials));
    let (addrs, warnings) = match dns::rung(&mut resolved, &target, options).await {
        Ok(found) => found,
        Err(failure) => {
            resolved.fail(failure.detail);
            let verdict = (failure.code, failure.params);
            return Ok(report(
                kind,
                options,
                credentials,
                &target,
                resolved,
                verdict,
                &[],
            ));
        }
    };
    let outcomes = climb_probes(
        &resolved,
        &target,
        &addrs,
        tls_config,
        &probes,
        budget,
        options.timeout,
    )
    .await;
    let judged: Vec<_> = outcomes
        .iter()
        .map(|o| (o.shape, o.result.as_ref()))
        .collect();
    let verdict = probes::verdict(&judged);
    let mut warnings = warnings;
    for warning in outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok()?.warning)
    {
        if !warnings.iter().any(|(code, _)| *code == warning) {
            warnings.push((warning, Params::new()));
        }
    }
    let climb = match outcomes.into_iter().nth(verdict.shown) {
        Some(outcome) => shown_climb(outcome, verdict.note.as_ref()),
        // Not reached: the first probe always runs.
        None => resolved,
    };
    let verdict = (verdict.code, verdict.params);
    Ok(report(
        kind,
        options,
        credentials,
        &target,
        climb,
        verdict,
        &warnings,
    ))
}

/// Each probe on a new connection from the resolved addresses, in order, while a fair share of
/// the time is left; a probe that timed out, was too slow or too large ends the series.
async fn climb_probes(
    resolved: &Climb,
    target: &Target,
    addrs: &[SocketAddr],
    tls_config: Option<Arc<rustls::ClientConfig>>,
    probes: &[Probe],
    budget: Duration,
    timeout: Duration,
) -> Vec<Outcome> {
    let share = budget.min(timeout / u32::try_from(probes.len()).unwrap_or(1).max(1));
    let mut outcomes: Vec<Outcome> = Vec::new();
    for (index, probe) in probes.iter().enumerate() {
        if !outcomes.is_empty() && resolved.remaining() < share {
            break;
        }
        let mut climb = resolved.for_probe(index);
        let result =
            climb_rungs(&mut climb, target, addrs, tls_config.clone(), probe, budget).await;
        let ends = matches!(&result, Err(f) if matches!(
            f.code,
            DiagnosisCode::Timeout | DiagnosisCode::TooSlow | DiagnosisCode::BodyTooLarge
        ));
        outcomes.push(Outcome {
            shape: probe.shape,
            climb,
            result,
        });
        if ends {
            break;
        }
    }
    outcomes
}

/// The climb the report shows: the probe's steps, its failure recorded (every later rung
/// skipped), and the verdict's note on the last step that ran.
fn shown_climb(outcome: Outcome, note: Option<&Text>) -> Climb {
    let mut climb = outcome.climb;
    match outcome.result {
        Ok(_) => {
            if let (Some(note), Some(last)) = (note, climb.steps.last_mut()) {
                last.detail = Text::new(
                    format!("{}; {}", last.detail.en, note.en),
                    format!("{}；{}", last.detail.zh, note.zh),
                );
            }
        }
        Err(failure) => {
            let detail = match note {
                Some(note) => Text::new(
                    format!("{}: {}", note.en, failure.detail.en),
                    format!("{}：{}", note.zh, failure.detail.zh),
                ),
                None => failure.detail,
            };
            climb.fail(detail);
        }
    }
    climb
}

/// The report of a climb with its verdict and warnings; every text and parameter passes
/// through [`Credentials::redact`] (defence in depth: a server may quote a secret back).
fn report(
    check: CheckKind,
    options: &LadderOptions,
    credentials: &Credentials,
    target: &Target,
    climb: Climb,
    (code, params): (DiagnosisCode, Params),
    warnings: &[dns::Warning],
) -> Report {
    let redact = |params: Params| -> Params {
        params
            .into_iter()
            .map(|(k, v)| (k, credentials.redact(&v)))
            .collect()
    };
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
    let warnings: Vec<Finding> = warnings
        .iter()
        .map(|(code, params)| diagnosis(*code, redact(params.clone())))
        .collect();
    Report {
        ok: code == DiagnosisCode::Ok,
        check,
        lang: options.lang,
        elapsed_ms: millis(climb.started.elapsed()),
        steps,
        diagnosis: diagnosis(code, redact(params)),
        warnings,
        facts: LadderFacts {
            url: target.url.clone(),
        },
    }
}

/// The rungs after DNS for one probe: a new TCP connection (and TLS), the request, the reply.
async fn climb_rungs(
    c: &mut Climb,
    target: &Target,
    addrs: &[SocketAddr],
    tls_config: Option<Arc<rustls::ClientConfig>>,
    probe: &Probe,
    budget: Duration,
) -> Result<Accepted, Failure> {
    let timeout_ms = c.timeout.as_millis();
    let host = &target.host;

    c.begin(StepName::Tcp);
    let exchange_started = Instant::now();
    let (tcp, addr) = c
        .bounded(transport::connect(addrs), |waited| {
            transport::connect_timed_out(addrs, waited)
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
    let request = &probe.request;
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
    judge::status(&head, &body)?;
    let (method, path, size) = (&request.method, &target.path, body.len());
    c.pass(Text::new(
        format!("{method} {path} → HTTP 200, {size} bytes"),
        format!("{method} {path} → HTTP 200，{size} 字节"),
    ));

    c.begin(StepName::Reply);
    let accepted = probe.judge(&head, &body)?;
    let Text {
        en: detail,
        zh: detail_zh,
    } = &accepted.detail;
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
    let status = match accepted.warning {
        Some(_) => Status::Warn,
        None => Status::Pass,
    };
    c.finish(
        status,
        Text::new(
            format!("{detail}, {elapsed} ms from connect to last byte"),
            format!("{detail_zh}，从连接到最后一个字节用时 {elapsed} 毫秒"),
        ),
    );
    Ok(accepted)
}
