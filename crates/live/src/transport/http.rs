//! The HTTP rung: one HTTP/1.1 request over an established [`Stream`], exactly as WeCom sends it
//! (`Host`, `User-Agent: Mozilla/4.0`, `Accept: */*`, the query as given), and its reply read
//! frame by frame up to [`BODY_CAP`] + 1 bytes. Redirects are reported, never followed; nothing is
//! retried. The request head and the body are two awaits so the caller can time (and time out)
//! each: no status line yet, or a body that never ends.

use super::{Failure, Stream};
use crate::diagnosis::{DiagnosisCode, Params, params};
use crate::limits::BODY_CAP;
use bytes::{Bytes, BytesMut};
use http::header::{
    ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HOST, LOCATION, PROXY_AUTHENTICATE, USER_AGENT,
    WWW_AUTHENTICATE,
};
use http::{Method, Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::{Builder, SendRequest};
use hyper_util::rt::TokioIo;
use std::error::Error as _;
use tokio::task::JoinHandle;

/// The `User-Agent` of WeCom's callback requests.
pub const WECOM_USER_AGENT: &str = "Mozilla/4.0";

/// What to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub method: Method,
    /// Origin form: path and query.
    pub target: String,
    /// `Host` header.
    pub authority: String,
    pub body: Option<(Bytes, &'static str)>,
}

/// The status line and the headers the ladder looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub content_length: Option<u64>,
    /// A `WWW-Authenticate` or `Proxy-Authenticate` header came back: a login is wanted.
    pub authenticate: bool,
}

/// Which part of the exchange was under way when it failed, for the step detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Setting up HTTP/1.1 over the stream.
    Start,
    /// Request sent, waiting for the status line and headers.
    Reply,
    /// Reading the body.
    Body,
}

impl Phase {
    /// English, as in the `during` parameter of a `timeout` diagnosis.
    pub fn en(self) -> &'static str {
        match self {
            Phase::Start => "starting HTTP",
            Phase::Reply => "waiting for the reply",
            Phase::Body => "reading the body",
        }
    }

    /// Simplified Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Phase::Start => "建立 HTTP 连接",
            Phase::Reply => "等待应答",
            Phase::Body => "读取响应体",
        }
    }
}

/// An HTTP/1.1 client connection; its driver task ends when this is dropped.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    driver: JoinHandle<()>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

/// Starts HTTP/1.1 over `stream` (no bytes are exchanged yet).
pub async fn open(stream: Stream) -> Result<Connection, Failure> {
    let (sender, conn) = Builder::new()
        .title_case_headers(true)
        .max_buf_size(BODY_CAP + 1024)
        .handshake::<_, Full<Bytes>>(TokioIo::new(stream))
        .await
        .map_err(|e| map_error(&e, Phase::Start))?;
    let driver = tokio::spawn(async move {
        // Errors surface through the request and body futures.
        let _ = conn.await;
    });
    Ok(Connection { sender, driver })
}

impl Connection {
    /// Sends the request and waits for the status line and headers.
    pub async fn send(&mut self, out: &Outgoing) -> Result<(Head, Incoming), Failure> {
        let mut builder = Request::builder()
            .method(out.method.clone())
            .uri(out.target.as_str())
            .header(HOST, out.authority.as_str())
            .header(USER_AGENT, WECOM_USER_AGENT)
            .header(ACCEPT, "*/*");
        let body = match &out.body {
            Some((bytes, content_type)) => {
                builder = builder
                    .header(CONTENT_TYPE, *content_type)
                    .header(CONTENT_LENGTH, bytes.len());
                Full::new(bytes.clone())
            }
            None => Full::new(Bytes::new()),
        };
        let request = builder.body(body).map_err(|e| {
            Failure::new(
                DiagnosisCode::NotHttp,
                Params::new(),
                format!("cannot build the request: {e}"),
                format!("无法构造请求：{e}"),
            )
        })?;
        let response: Response<Incoming> = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| map_error(&e, Phase::Reply))?;
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &http::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let head = Head {
            status: response.status().as_u16(),
            location: header(LOCATION),
            content_type: header(CONTENT_TYPE),
            content_length: header(CONTENT_LENGTH).and_then(|v| v.trim().parse().ok()),
            authenticate: [WWW_AUTHENTICATE, PROXY_AUTHENTICATE]
                .iter()
                .any(|h| response.headers().contains_key(h)),
        };
        Ok((head, response.into_body()))
    }
}

/// Reads the body, failing as soon as it is known to exceed [`BODY_CAP`].
pub async fn read_body(head: &Head, body: Incoming) -> Result<Bytes, Failure> {
    if head.content_length.is_some_and(|n| n > BODY_CAP as u64) {
        let length = head.content_length.unwrap_or_default();
        return Err(too_large(
            format!("Content-Length {length} exceeds the {BODY_CAP}-byte cap; not read"),
            format!("Content-Length {length} 超过 {BODY_CAP} 字节上限，未读取"),
        ));
    }
    collect_capped(body).await.map_err(|e| match e {
        CappedBodyError::TooLarge => too_large(
            format!("more than {BODY_CAP} bytes of body; stopped reading"),
            format!("响应体超过 {BODY_CAP} 字节，已停止读取"),
        ),
        CappedBodyError::Read(e) => map_error(&e, Phase::Body),
    })
}

/// Why [`collect_capped`] stopped.
#[derive(Debug)]
pub enum CappedBodyError {
    /// More than [`BODY_CAP`] bytes arrived.
    TooLarge,
    /// The connection failed while reading.
    Read(hyper::Error),
}

/// Reads `body` frame by frame, stopping as soon as it exceeds [`BODY_CAP`] (the WeCom API client
/// reads its replies with this too).
pub async fn collect_capped(mut body: Incoming) -> Result<Bytes, CappedBodyError> {
    let mut buf = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(CappedBodyError::Read)?;
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > BODY_CAP {
                return Err(CappedBodyError::TooLarge);
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(buf.freeze())
}

fn too_large(detail: String, detail_zh: String) -> Failure {
    Failure::new(
        DiagnosisCode::BodyTooLarge,
        params([("limit_bytes", BODY_CAP.to_string())]),
        detail,
        detail_zh,
    )
}

/// A timeout during `during` (waiting for the reply, reading the body), for the deadline.
pub fn timed_out(during: Phase, waited_ms: u128, timeout_ms: u128) -> Failure {
    Failure::new(
        DiagnosisCode::Timeout,
        params([
            ("timeout_ms", timeout_ms.to_string()),
            ("during", during.en().to_string()),
            ("during_zh", during.zh().to_string()),
        ]),
        format!("{}: nothing complete after {waited_ms} ms", during.en()),
        format!("{}：{waited_ms} 毫秒后仍未完成", during.zh()),
    )
}

/// Maps a hyper error to the diagnosis the admin can act on: a head that is not HTTP, one that is
/// too large, and everything else (EOF, reset, a broken pipe) as a closed connection.
fn map_error(e: &hyper::Error, during: Phase) -> Failure {
    let (en, zh) = (during.en(), during.zh());
    if e.is_parse_too_large() {
        return too_large(
            format!("{en}: the reply head exceeds the {BODY_CAP}-byte cap"),
            format!("{zh}：应答头超过 {BODY_CAP} 字节上限"),
        );
    }
    if e.is_parse() || e.is_parse_status() {
        return Failure::new(
            DiagnosisCode::NotHttp,
            Params::new(),
            format!("{en}: not an HTTP/1.x reply ({e})"),
            format!("{zh}：收到的不是 HTTP/1.x 应答（{e}）"),
        );
    }
    let error = match e.source() {
        Some(src) => format!("{e} ({src})"),
        None => e.to_string(),
    };
    Failure::new(
        DiagnosisCode::ConnectionClosed,
        Params::new(),
        format!("{en}: {error}"),
        format!("{zh}时连接中断：{error}"),
    )
}
