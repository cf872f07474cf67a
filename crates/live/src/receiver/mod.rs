//! The reference receiver: a correct WeCom callback endpoint (`qa-wecom serve`, and the desktop
//! app's demo mode). HTTP/1.1 on hyper + tokio, optional TLS from a PEM pair, keep-alive, the
//! callback answered on QA's own path for the corpid; a [`FaultMode`] makes it misbehave on purpose.
//!
//! [`start`] runs it on a listener the caller bound (`127.0.0.1:0` in tests) and returns a
//! [`ReceiverHandle`]: its address and callback URL, counters, the events received, and
//! [`ReceiverHandle::shutdown`], which stops accepting, lets requests in flight finish (up to
//! [`SHUTDOWN_GRACE`]) and closes the rest. Dropping the handle stops it too.

pub mod dedup;
pub mod demo;
pub mod fault;
pub mod service;
pub mod tls;

pub use demo::{Demo, start_demo};
pub use fault::FaultMode;
pub use service::{ReceivedEvent, ReceiverStats};

use crate::credentials::Credentials;
use crate::error::LiveError;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use service::State;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

/// How long requests in flight may take to finish after shutdown is asked for.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// Bound on a client's TLS handshake and on reading a request head (and, by default, its body).
const CLIENT_PATIENCE: Duration = Duration::from_secs(10);

/// Bounds on what clients may hold of the receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// How long a request body may take to arrive (answered 408 past it).
    pub body_timeout: Duration,
}

impl Default for Limits {
    /// 512 connections; 10 s for a body, like the request head.
    fn default() -> Self {
        Limits {
            max_connections: 512,
            body_timeout: CLIENT_PATIENCE,
        }
    }
}

/// QA's callback path for a corpid (the path of the callback URL of `product.md`).
pub fn callback_path(corp_id: &str) -> String {
    format!("/restapi/thirdservice/we/com/inner/event/oneparty/callback/{corp_id}")
}

/// The TLS material of the receiver, as PEM.
#[derive(Clone)]
pub struct TlsPem {
    pub cert_chain_pem: Vec<u8>,
    /// Secret: never printed.
    pub key_pem: secrecy::SecretSlice<u8>,
}

impl std::fmt::Debug for TlsPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsPem")
            .field("cert_chain_pem", &"[certificate chain]")
            .field("key_pem", &"[REDACTED]")
            .finish()
    }
}

/// What the receiver needs.
#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    pub credentials: Credentials,
    /// `None`: plain HTTP.
    pub tls: Option<TlsPem>,
    /// `None`: behave correctly.
    pub fault: Option<FaultMode>,
    /// The path it answers on; `None`: [`callback_path`] of the corpid.
    pub path: Option<String>,
}

/// A running receiver.
#[derive(Debug)]
pub struct ReceiverHandle {
    addr: SocketAddr,
    tls: bool,
    path: String,
    state: Arc<State>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("path", &self.path)
            .field("fault", &self.fault)
            .finish_non_exhaustive()
    }
}

/// Starts the receiver on `listener` (already bound) with the default [`Limits`]. Must be called
/// inside a tokio runtime.
pub async fn start(
    config: ReceiverConfig,
    listener: TcpListener,
) -> Result<ReceiverHandle, LiveError> {
    start_with_limits(config, listener, Limits::default()).await
}

/// [`start`] with other [`Limits`].
pub async fn start_with_limits(
    config: ReceiverConfig,
    listener: TcpListener,
    limits: Limits,
) -> Result<ReceiverHandle, LiveError> {
    use secrecy::ExposeSecret;
    let crypto = config.credentials.crypto()?;
    let acceptor = match &config.tls {
        Some(pem) => Some(TlsAcceptor::from(tls::server_config(
            &pem.cert_chain_pem,
            pem.key_pem.expose_secret(),
        )?)),
        None => None,
    };
    let addr = listener.local_addr().map_err(|source| LiveError::Listen {
        addr: "the given listener".into(),
        source,
    })?;
    let path = config
        .path
        .clone()
        .unwrap_or_else(|| callback_path(config.credentials.corp_id()));
    let state = Arc::new(State::new(
        crypto,
        path.clone(),
        config.fault,
        limits.body_timeout,
    ));
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(accept_loop(
        listener,
        acceptor,
        state.clone(),
        stopped,
        limits.max_connections,
    ));
    tracing::info!(%addr, tls = config.tls.is_some(), fault = ?config.fault, "receiver listening");
    Ok(ReceiverHandle {
        addr,
        tls: config.tls.is_some(),
        path,
        state,
        stop,
        task: Some(task),
    })
}

/// Binds `addr` and starts the receiver there.
pub async fn bind(config: ReceiverConfig, addr: SocketAddr) -> Result<ReceiverHandle, LiveError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| LiveError::Listen {
            addr: addr.to_string(),
            source,
        })?;
    start(config, listener).await
}

impl ReceiverHandle {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http(s)://<addr><callback path>` — with `host` instead of the IP when given (a TLS
    /// certificate names a host, not an address).
    pub fn callback_url(&self, host: Option<&str>) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        let host = match host {
            Some(h) => format!("{h}:{}", self.addr.port()),
            None => self.addr.to_string(),
        };
        format!("{scheme}://{host}{}", self.path)
    }

    pub fn stats(&self) -> ReceiverStats {
        self.state.stats()
    }

    /// The last events received (at most 100), oldest first.
    pub fn events(&self) -> Vec<ReceivedEvent> {
        self.state.events()
    }

    /// Stops accepting, lets requests in flight finish for up to [`SHUTDOWN_GRACE`], then closes
    /// every connection.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for ReceiverHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<TlsAcceptor>,
    state: Arc<State>,
    mut stopped: watch::Receiver<bool>,
    max_connections: usize,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) if connections.len() >= max_connections => {
                    tracing::warn!(%peer, max_connections, "too many connections: answered 503");
                    tokio::spawn(refuse_busy(tcp));
                }
                Ok((tcp, peer)) => {
                    let _ = tcp.set_nodelay(true);
                    let conn = connection(tcp, peer, acceptor.clone(), state.clone(), stopped.clone());
                    connections.spawn(conn);
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(SHUTDOWN_GRACE, drain).await.is_err() {
        tracing::info!(
            "closing {} connection(s) still busy after the grace period",
            connections.len()
        );
    }
    connections.shutdown().await;
    tracing::info!("receiver stopped");
}

/// A connection past the cap: a fixed 503 (plain HTTP; a TLS client sees the handshake fail),
/// written within a second, then closed.
async fn refuse_busy(mut tcp: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 28\r\nretry-after: 1\r\nconnection: close\r\n\r\ntoo many connections, retry\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = tcp.write_all(BUSY).await;
        let _ = tcp.shutdown().await;
    })
    .await;
}

async fn connection(
    tcp: tokio::net::TcpStream,
    peer: SocketAddr,
    acceptor: Option<TlsAcceptor>,
    state: Arc<State>,
    stopped: watch::Receiver<bool>,
) {
    match acceptor {
        None => serve_http(tcp, state, stopped).await,
        Some(acceptor) => match tokio::time::timeout(CLIENT_PATIENCE, acceptor.accept(tcp)).await {
            Ok(Ok(tls)) => serve_http(tls, state, stopped).await,
            Ok(Err(e)) => tracing::info!(%peer, "TLS handshake failed: {e}"),
            Err(_) => tracing::info!(%peer, "TLS handshake timed out"),
        },
    }
}

/// One HTTP/1.1 connection, keep-alive, until the client is done or shutdown is asked for.
async fn serve_http<S>(io: S, state: Arc<State>, mut stopped: watch::Receiver<bool>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| {
        let state = state.clone();
        async move { state.handle(request).await }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(CLIENT_PATIENCE)
        .serve_connection(TokioIo::new(io), service);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(e) = result {
                tracing::debug!("connection ended: {e}");
            }
        }
        _ = stopped.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}
