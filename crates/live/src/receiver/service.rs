//! What the reference receiver answers, request by request: the URL-verification GET (the
//! decrypted echostr, exactly), event POSTs (200 with an empty body, retries de-duplicated), a 404
//! for any other path — and, when a [`FaultMode`] is set, the misbehaviour it names. Logs say what
//! came in (kind, event type, verdict), never the Token, the key, user ids or the plaintext.

use super::dedup::{self, Dedup};
use super::fault::{self, FaultMode, FaultState};
use crate::limits::BODY_CAP;
use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use ts_rs::TS;
use wecom_crypto::{CryptoError, WeComCrypto};

/// How many received events the receiver keeps for [`super::ReceiverHandle::events`].
const EVENTS_KEPT: usize = 100;
/// How many event keys it remembers for de-duplication.
const DEDUP_WINDOW: usize = 10_000;

/// An event as the receiver logs it: its type and time, no user ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceivedEvent {
    pub msg_type: Option<String>,
    pub event: Option<String>,
    pub change_type: Option<String>,
    pub create_time: Option<String>,
    /// A retry of an event already accepted (answered 200, not processed again).
    pub duplicate: bool,
}

/// Counters since start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceiverStats {
    #[ts(type = "number")]
    pub verifications_answered: u64,
    #[ts(type = "number")]
    pub requests_rejected: u64,
    #[ts(type = "number")]
    pub events_accepted: u64,
    #[ts(type = "number")]
    pub events_duplicate: u64,
}

/// Everything a request needs.
pub struct State {
    pub(super) crypto: WeComCrypto,
    pub(super) path: String,
    pub(super) fault: Option<FaultMode>,
    body_timeout: std::time::Duration,
    fault_state: FaultState,
    dedup: Mutex<Dedup>,
    events: Mutex<VecDeque<ReceivedEvent>>,
    verifications: AtomicU64,
    rejected: AtomicU64,
    accepted: AtomicU64,
    duplicates: AtomicU64,
}

pub(super) type Reply = Response<Full<Bytes>>;

impl State {
    pub fn new(
        crypto: WeComCrypto,
        path: String,
        fault: Option<FaultMode>,
        body_timeout: std::time::Duration,
    ) -> Self {
        State {
            crypto,
            path,
            fault,
            body_timeout,
            fault_state: FaultState::default(),
            dedup: Mutex::new(Dedup::new(DEDUP_WINDOW)),
            events: Mutex::new(VecDeque::new()),
            verifications: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            accepted: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
        }
    }

    pub fn stats(&self) -> ReceiverStats {
        ReceiverStats {
            verifications_answered: self.verifications.load(Ordering::Relaxed),
            requests_rejected: self.rejected.load(Ordering::Relaxed),
            events_accepted: self.accepted.load(Ordering::Relaxed),
            events_duplicate: self.duplicates.load(Ordering::Relaxed),
        }
    }

    pub fn events(&self) -> Vec<ReceivedEvent> {
        self.events
            .lock()
            .map(|e| e.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Answers one request.
    pub async fn handle<B>(&self, request: Request<B>) -> Result<Reply, Infallible>
    where
        B: hyper::body::Body<Data = Bytes>,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        if let Some(fault) = self.fault
            && let Some(reply) = fault::before_callback(fault, &request).await
        {
            return Ok(reply);
        }
        if request.uri().path() != self.path {
            tracing::info!(path = request.uri().path(), "404: not the callback path");
            return Ok(text(
                StatusCode::NOT_FOUND,
                "not found: this receiver answers on its callback path only\n",
            ));
        }
        let query = request.uri().query().unwrap_or("").to_string();
        let reply = match *request.method() {
            Method::GET => self.verification(&query),
            Method::POST => self.event(&query, request.into_body()).await,
            _ => text(
                StatusCode::METHOD_NOT_ALLOWED,
                "WeCom sends GET (URL verification) and POST (events)\n",
            ),
        };
        Ok(reply)
    }

    /// The URL-verification GET.
    fn verification(&self, query: &str) -> Reply {
        let plain = match fault::verify_url(self.fault, &self.crypto, query) {
            Ok(plain) => plain,
            Err(e) => return self.reject("URL verification", &e),
        };
        self.verifications.fetch_add(1, Ordering::Relaxed);
        tracing::info!(fault = ?self.fault, "URL verification answered");
        fault::verification_reply(self.fault, &self.fault_state, plain, query)
    }

    /// An event POST: 200 with an empty body once it decrypts, retries answered but not kept twice.
    async fn event<B>(&self, query: &str, body: B) -> Reply
    where
        B: hyper::body::Body<Data = Bytes>,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let read = tokio::time::timeout(self.body_timeout, Limited::new(body, BODY_CAP).collect());
        let bytes = match read.await {
            Ok(Ok(collected)) => collected.to_bytes(),
            Err(_) => {
                self.rejected.fetch_add(1, Ordering::Relaxed);
                tracing::warn!("event body did not arrive in {:?}", self.body_timeout);
                let mut reply = text(StatusCode::REQUEST_TIMEOUT, "event body timed out\n");
                reply.headers_mut().insert(
                    hyper::header::CONNECTION,
                    hyper::header::HeaderValue::from_static("close"),
                );
                return reply;
            }
            Ok(Err(e)) => {
                self.rejected.fetch_add(1, Ordering::Relaxed);
                tracing::warn!("event body rejected: {e}");
                return text(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "event body too large or unreadable\n",
                );
            }
        };
        let xml = match self.crypto.decrypt_event_query(query, &bytes) {
            Ok(xml) => xml,
            Err(e) => return self.reject("event", &e),
        };
        // The fields for logging and de-duplication; a malformed event still counts, fieldless.
        let [msg_id, from_user, create_time, msg_type, event, change_type] =
            wecom_crypto::xml_fields(
                &xml,
                [
                    "MsgId",
                    "FromUserName",
                    "CreateTime",
                    "MsgType",
                    "Event",
                    "ChangeType",
                ],
            )
            .unwrap_or_default()
            .map(|field| field.map(capped));
        let key = dedup::key(
            msg_id.as_deref(),
            from_user.as_deref(),
            create_time.as_deref(),
        );
        let first_time = match &key {
            Some(k) => self
                .dedup
                .lock()
                .map(|mut d| d.first_time(k))
                .unwrap_or(true),
            None => true,
        };
        let received = ReceivedEvent {
            msg_type,
            event,
            change_type,
            create_time,
            duplicate: !first_time,
        };
        if first_time {
            self.accepted.fetch_add(1, Ordering::Relaxed);
        } else {
            self.duplicates.fetch_add(1, Ordering::Relaxed);
        }
        tracing::info!(
            msg_type = received.msg_type.as_deref().unwrap_or("-"),
            event = received.event.as_deref().unwrap_or("-"),
            change_type = received.change_type.as_deref().unwrap_or("-"),
            create_time = received.create_time.as_deref().unwrap_or("-"),
            duplicate = received.duplicate,
            "event received"
        );
        if let Ok(mut events) = self.events.lock() {
            if events.len() >= EVENTS_KEPT {
                events.pop_front();
            }
            events.push_back(received);
        }
        Response::new(Full::new(Bytes::new()))
    }

    fn reject(&self, what: &str, e: &CryptoError) -> Reply {
        self.rejected.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(code = e.code(), "{what} rejected: {e}");
        let status = match e {
            CryptoError::SignatureMismatch { .. } => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        };
        text(
            status,
            &format!("{what} rejected ({}, {}): {e}\n", e.code(), e.name()),
        )
    }
}

pub(super) fn with_type(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Reply {
    let mut reply = Response::new(Full::new(body.into()));
    *reply.status_mut() = status;
    reply
        .headers_mut()
        .insert(CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    reply
}

fn text(status: StatusCode, body: &str) -> Reply {
    with_type(status, "text/plain; charset=utf-8", body.to_string())
}

/// Most characters kept of an event field: a hostile event cannot grow the kept list.
const MAX_FIELD_CHARS: usize = 256;

fn capped(mut value: String) -> String {
    if let Some((end, _)) = value.char_indices().nth(MAX_FIELD_CHARS) {
        value.truncate(end);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_fields_are_capped_by_characters() {
        assert_eq!(capped("短".repeat(300)), "短".repeat(MAX_FIELD_CHARS));
        assert_eq!(capped("1700".into()), "1700");
    }
}
