//! The network rungs of the ladder, one function each, so each can be timed and bounded on its
//! own: name resolution, TCP connect, TLS handshake, and one HTTP/1.1 exchange with a body cap.
//! A rung that fails returns a [`Failure`]: the diagnosis code, its parameters and a one-line
//! detail for the report, in English and in Simplified Chinese. Timeouts are the caller's (the
//! ladder wraps each rung in its deadline).

pub mod http;
pub mod target;
pub mod tls;

use crate::diagnosis::{DiagnosisCode, Params, params};
use setup_core::text::Text;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// Why a rung failed, ready for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: DiagnosisCode,
    pub params: Params,
    /// One line for the step's `detail`.
    pub detail: Text,
}

impl Failure {
    pub fn new(
        code: DiagnosisCode,
        params: Params,
        detail: impl Into<String>,
        detail_zh: impl Into<String>,
    ) -> Self {
        Failure {
            code,
            params,
            detail: Text::new(detail, detail_zh),
        }
    }
}

/// Resolves `host:port`; IPv4 addresses first (WeCom calls over IPv4), duplicates removed.
pub async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, Failure> {
    let fail = |detail: String, detail_zh: String| {
        Failure::new(
            DiagnosisCode::DnsFailed,
            params([("host", host.to_string())]),
            detail,
            detail_zh,
        )
    };
    let found = tokio::net::lookup_host((host, port)).await.map_err(|e| {
        fail(
            format!("{host} does not resolve: {e}"),
            format!("{host} 无法解析：{e}"),
        )
    })?;
    let mut addrs: Vec<SocketAddr> = Vec::new();
    for a in found {
        if !addrs.contains(&a) {
            addrs.push(a);
        }
    }
    addrs.sort_by_key(|a| a.is_ipv6());
    if addrs.is_empty() {
        return Err(fail(
            format!("{host} has no address records"),
            format!("{host} 没有地址记录"),
        ));
    }
    Ok(addrs)
}

/// Connects to the first address that accepts; the error of the last one otherwise.
pub async fn connect(addrs: &[SocketAddr]) -> Result<(TcpStream, SocketAddr), Failure> {
    let mut last: Option<(SocketAddr, io::Error)> = None;
    for &addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                // Small request, small reply: do not wait for Nagle.
                let _ = stream.set_nodelay(true);
                return Ok((stream, addr));
            }
            Err(e) => last = Some((addr, e)),
        }
    }
    let (addr, e) = match last {
        Some(pair) => pair,
        None => {
            return Err(Failure::new(
                DiagnosisCode::DnsFailed,
                Params::new(),
                "no address to connect to",
                "没有可连接的地址",
            ));
        }
    };
    let p = params([
        ("addr", addr.to_string()),
        ("port", addr.port().to_string()),
    ]);
    let code = match e.kind() {
        io::ErrorKind::TimedOut => DiagnosisCode::ConnectTimeout,
        _ => DiagnosisCode::ConnectRefused,
    };
    Err(Failure::new(
        code,
        p,
        format!("connect to {addr}: {e}"),
        format!("连接 {addr} 失败：{e}"),
    ))
}

/// A timeout while connecting, for the ladder's deadline.
pub fn connect_timed_out(addrs: &[SocketAddr], waited_ms: u128) -> Failure {
    let addr = addrs
        .first()
        .map_or_else(|| "?".to_string(), ToString::to_string);
    let port = addrs
        .first()
        .map_or_else(|| "?".to_string(), |a| a.port().to_string());
    Failure::new(
        DiagnosisCode::ConnectTimeout,
        params([("addr", addr.clone()), ("port", port)]),
        format!("no TCP connection to {addr} after {waited_ms} ms"),
        format!("{waited_ms} 毫秒后仍未与 {addr} 建立 TCP 连接"),
    )
}

/// The connection the request goes over: plain TCP or TLS over TCP.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
