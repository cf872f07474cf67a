//! Watching a callback that already works: rounds of checks on a schedule — the URL verification
//! WeCom does on Save, and, when the targets have what they need, the WeCom API check (an app
//! Secret) and the database check (a connection URL) — until the count is reached or a stop
//! signal (Ctrl-C) arrives. Each round's reports are in the one report shape; [`textfile`] turns a
//! round into node_exporter textfile metrics.
//!
//! The targets come from flags or from a plan and its secrets file ([`WatchTargets::from_plan`]);
//! the secrets stay in redacting wrappers and never reach a report.

use setup_core::error_code::ErrorCode;
pub mod textfile;

use crate::db_check::{self, DbCheckError, DbCheckReport, DbCheckRequest};
use crate::wecom_api::{self, WecomCheckError, WecomCheckReport, WecomCheckRequest};
use crate::{Credentials, LadderOptions, LiveError, Report};
use secrecy::SecretString;
use serde::Serialize;
use setup_core::plan::{FileError, load_plan_with_secrets};
use std::future::Future;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// What each round checks.
#[derive(Debug, Clone)]
pub struct WatchTargets {
    /// The callback URL, as entered in the WeCom console.
    pub url: String,
    pub credentials: Credentials,
    pub ladder: LadderOptions,
    /// The WeCom API check, when there is an app Secret.
    pub wecom: Option<WecomCheckRequest>,
    /// The database check, when there is a connection URL.
    pub database: Option<DbCheckRequest>,
}

/// Why the targets cannot be checked (before any round) or a check refused its input.
#[derive(Debug, thiserror::Error, error_code_derive::ErrorCode)]
pub enum WatchError {
    #[error("{0}")]
    #[code(inner)]
    Plan(#[from] FileError),
    #[error("the plan has no {what}: complete it, or pass --url")]
    #[code(PlanIncomplete)]
    PlanIncomplete { what: &'static str },
    #[error(transparent)]
    #[code(inner)]
    Ladder(#[from] LiveError),
    #[error(transparent)]
    #[code(inner)]
    Wecom(#[from] WecomCheckError),
    #[error(transparent)]
    #[code(inner)]
    Database(#[from] DbCheckError),
}

impl WatchTargets {
    /// The targets of a plan: the callback URL from its domain, corpid and TLS mode (or `url`),
    /// the Token and EncodingAESKey from its secrets file, the plan's EIP as the address the
    /// domain should resolve to (`dns_not_eip`) unless `ladder` names one, and the WeCom check
    /// when the secrets hold an app Secret (against `api_base`, default WeCom's).
    pub fn from_plan(
        plan_path: &Path,
        url: Option<String>,
        api_base: Option<String>,
        mut ladder: LadderOptions,
    ) -> Result<Self, WatchError> {
        let (plan, _, secrets) = load_plan_with_secrets(plan_path)?;
        if ladder.expected_ip.is_none() {
            ladder.expected_ip = plan
                .resources
                .public_ip
                .as_deref()
                .and_then(|ip| ip.trim().parse().ok());
        }
        let corp_id = plan.wecom.corp_id.clone().unwrap_or_default();
        let url = match url {
            Some(url) => url,
            None => {
                let tls = plan.tls.mode.is_none_or(|m| m.uses_tls());
                let domain = plan.resources.domain.as_deref().unwrap_or_default();
                setup_core::callback::check(domain, &corp_id, tls)
                    .url
                    .ok_or(WatchError::PlanIncomplete {
                        what: "valid domain and corpid",
                    })?
            }
        };
        let expose =
            |s: &Option<setup_core::secret::Secret>| s.as_ref().map(|s| s.expose().to_owned());
        let (Some(token), Some(aes_key)) =
            (expose(&secrets.token), expose(&secrets.encoding_aes_key))
        else {
            return Err(WatchError::PlanIncomplete {
                what: "Token and EncodingAESKey in its secrets file",
            });
        };
        let wecom = expose(&secrets.app_secret).map(|secret| WecomCheckRequest {
            corp_id: corp_id.trim().to_owned(),
            secret: SecretString::from(secret),
            agent_id: plan.wecom.agent_id.and_then(|a| u64::try_from(a).ok()),
            api_base,
            timeout: ladder.timeout,
            lang: ladder.lang,
        });
        Ok(WatchTargets {
            url,
            credentials: Credentials::new(token, aes_key, corp_id.trim()),
            ladder,
            wecom,
            database: None,
        })
    }
}

/// One check's report in a round.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum CheckReport {
    Callback(Report),
    Wecom(WecomCheckReport),
    Database(DbCheckReport),
}

impl CheckReport {
    /// The metric label: `callback`, `wecom` or `database`.
    pub fn label(&self) -> &'static str {
        match self {
            CheckReport::Callback(_) => "callback",
            CheckReport::Wecom(_) => "wecom",
            CheckReport::Database(_) => "database",
        }
    }

    pub fn ok(&self) -> bool {
        match self {
            CheckReport::Callback(r) => r.ok,
            CheckReport::Wecom(r) => r.ok,
            CheckReport::Database(r) => r.ok,
        }
    }

    pub fn elapsed_ms(&self) -> u64 {
        match self {
            CheckReport::Callback(r) => r.elapsed_ms,
            CheckReport::Wecom(r) => r.elapsed_ms,
            CheckReport::Database(r) => r.elapsed_ms,
        }
    }
}

/// The reports of one round, in the order the checks ran.
#[derive(Debug, Clone)]
pub struct Round {
    /// 1 for the first round.
    pub number: u64,
    pub reports: Vec<CheckReport>,
    /// When the last check of the round ended.
    pub finished_at: SystemTime,
}

impl Round {
    /// Every check of the round passed.
    pub fn ok(&self) -> bool {
        self.reports.iter().all(CheckReport::ok)
    }
}

/// How often, and how many rounds (`None`: until stopped).
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub interval: Duration,
    pub count: Option<u64>,
}

/// Runs one round: the verification, then the WeCom and database checks the targets have.
pub async fn round(targets: &WatchTargets, number: u64) -> Result<Round, WatchError> {
    let mut reports = vec![CheckReport::Callback(
        crate::verify(&targets.url, &targets.credentials, &targets.ladder).await?,
    )];
    if let Some(req) = &targets.wecom {
        reports.push(CheckReport::Wecom(wecom_api::check(req).await?));
    }
    if let Some(req) = &targets.database {
        reports.push(CheckReport::Database(db_check::check(req).await?));
    }
    Ok(Round {
        number,
        reports,
        finished_at: SystemTime::now(),
    })
}

/// Runs rounds on `schedule`, handing each to `on_round`, until the count is reached or `stop`
/// completes (a round under way is abandoned). Returns the last finished round, `None` when
/// stopped before the first one ended. A check that refuses its input ends the watch with the
/// error: it would refuse it every round.
pub async fn watch(
    targets: &WatchTargets,
    schedule: Schedule,
    stop: impl Future<Output = ()>,
    mut on_round: impl FnMut(&Round),
) -> Result<Option<Round>, WatchError> {
    tokio::pin!(stop);
    let mut last = None;
    for number in 1.. {
        let started = tokio::time::Instant::now();
        let finished = tokio::select! {
            r = round(targets, number) => r?,
            () = &mut stop => return Ok(last),
        };
        on_round(&finished);
        last = Some(finished);
        if schedule.count.is_some_and(|c| number >= c) {
            break;
        }
        tokio::select! {
            () = tokio::time::sleep_until(started + schedule.interval) => {}
            () = &mut stop => break,
        }
    }
    Ok(last)
}

#[cfg(test)]
mod tests;
