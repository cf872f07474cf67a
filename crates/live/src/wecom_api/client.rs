//! A deliberately small HTTP(S) GET client for the WeCom API: one request per connection, HTTP/1.1,
//! TLS through rustls (ring provider, webpki roots), no redirects followed, no retries, no proxy,
//! the body read with a hard cap ([`crate::limits::BODY_CAP`]) and the whole exchange bounded by the
//! caller's deadline.
//!
//! Query values (the secret, the access_token) go on the wire only: no error or `Debug` output of
//! this module contains the request URI.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http::Request;
use http::header::{ACCEPT, CONTENT_LENGTH, HOST, USER_AGENT};
use http_body_util::Empty;
use hyper_util::rt::TokioIo;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rustls::ClientConfig;
use rustls_pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::limits::BODY_CAP;
use crate::transport::http::{CappedBodyError, collect_capped};
use crate::transport::target::HttpUrl;
use crate::transport::tls;

/// A parsed, validated API base URL such as `https://qyapi.weixin.qq.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase {
    https: bool,
    host: String,
    port: u16,
    /// Path prefix without a trailing slash (usually empty).
    prefix: String,
}

/// Why an API base URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid API base URL: {reason}")]
pub struct InvalidApiBase {
    pub reason: &'static str,
}

impl ApiBase {
    pub fn parse(text: &str) -> Result<Self, InvalidApiBase> {
        let text = text.trim();
        let invalid = |reason| InvalidApiBase { reason };
        let parts = HttpUrl::parse(text).map_err(invalid)?;
        let (https, host, port, uri) = (parts.https, parts.host, parts.port, parts.uri);
        if uri.query().is_some() {
            return Err(invalid("the URL must not carry a query string"));
        }
        let prefix = uri.path().trim_end_matches('/').to_owned();
        let base = Self {
            https,
            host,
            port,
            prefix,
        };
        if !https && !base.is_loopback() {
            return Err(InvalidApiBase {
                reason: "plain http:// would send the app Secret unencrypted to that host; use https:// (http:// is accepted only for a test server on this machine: localhost, 127.0.0.1 or ::1)",
            });
        }
        Ok(base)
    }

    /// The base as a URL string (scheme, host, non-default port, prefix).
    pub fn display(&self) -> String {
        format!(
            "{}://{}{}",
            if self.https { "https" } else { "http" },
            self.host_header(),
            self.prefix
        )
    }

    /// True when the host is a loopback address or `localhost`.
    pub fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let default_port = if self.https { 443 } else { 80 };
        if self.port == default_port {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

/// What went wrong below the JSON level.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("the host name {host} did not resolve: {message}")]
    Dns { host: String, message: String },
    #[error("connection refused by {addr}")]
    Refused { addr: String },
    #[error("could not connect to {addr}: {message}")]
    Connect { addr: String, message: String },
    #[error("TLS handshake with {host} failed: {message}")]
    Tls { host: String, message: String },
    #[error("HTTP exchange failed: {message}")]
    Http { message: String },
    #[error("HTTP {status}: the API redirected (redirects are not followed)")]
    Redirect { status: u16 },
    #[error("HTTP {status} instead of 200")]
    Status { status: u16 },
    #[error("the reply body is larger than {cap} bytes")]
    BodyTooLarge { cap: usize },
    #[error("no complete reply within {ms} ms")]
    Timeout { ms: u64 },
}

/// A complete `200 OK` reply.
#[derive(Debug, Clone)]
pub struct HttpReply {
    pub body: Bytes,
}

/// Anything the client can run over.
trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Aborts the connection task when the request is done or abandoned.
struct AbortOnDrop(tokio::task::JoinHandle<()>);
impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The HTTP client: an API base and a TLS configuration.
#[derive(Clone)]
pub struct ApiClient {
    base: ApiBase,
    tls: Option<Arc<ClientConfig>>,
}

impl ApiClient {
    pub fn new(base: ApiBase) -> Self {
        Self {
            base,
            tls: default_tls_config(),
        }
    }

    pub fn base(&self) -> &ApiBase {
        &self.base
    }

    /// `GET {base}{path}?{query}`, finished before `deadline` or [`TransportError::Timeout`].
    pub async fn get(
        &self,
        path: &str,
        query: &[(&str, &str)],
        deadline: Instant,
    ) -> Result<HttpReply, TransportError> {
        let budget = deadline.saturating_duration_since(Instant::now());
        let timeout = TransportError::Timeout {
            ms: crate::wecom_api::report::millis(budget),
        };
        if budget.is_zero() {
            return Err(timeout);
        }
        match tokio::time::timeout_at(deadline, self.get_unbounded(path, query)).await {
            Ok(result) => result,
            Err(_) => Err(timeout),
        }
    }

    async fn get_unbounded(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<HttpReply, TransportError> {
        let stream = self.connect().await?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| TransportError::Http {
                message: e.to_string(),
            })?;
        let _conn = AbortOnDrop(tokio::spawn(async move {
            let _ = conn.await;
        }));

        let mut target = format!("{}{}", self.base.prefix, path);
        for (i, (key, value)) in query.iter().enumerate() {
            target.push(if i == 0 { '?' } else { '&' });
            target.push_str(key);
            target.push('=');
            target.extend(utf8_percent_encode(value, NON_ALPHANUMERIC));
        }
        let request = Request::get(target)
            .header(HOST, self.base.host_header())
            .header(
                USER_AGENT,
                concat!("qa-wecom-setup/", env!("CARGO_PKG_VERSION")),
            )
            .header(ACCEPT, "application/json")
            .body(Empty::<Bytes>::new())
            .map_err(|_| TransportError::Http {
                message: "could not build the request (invalid characters in a value)".into(),
            })?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| TransportError::Http {
                message: e.to_string(),
            })?;
        let status = response.status();
        if status.is_redirection() {
            return Err(TransportError::Redirect {
                status: status.as_u16(),
            });
        }
        if status != http::StatusCode::OK {
            return Err(TransportError::Status {
                status: status.as_u16(),
            });
        }
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > BODY_CAP as u64) {
            return Err(TransportError::BodyTooLarge { cap: BODY_CAP });
        }
        let body = collect_capped(response.into_body())
            .await
            .map_err(|e| match e {
                CappedBodyError::TooLarge => TransportError::BodyTooLarge { cap: BODY_CAP },
                CappedBodyError::Read(e) => TransportError::Http {
                    message: e.to_string(),
                },
            })?;
        Ok(HttpReply { body })
    }

    async fn connect(&self) -> Result<Pin<Box<dyn Io>>, TransportError> {
        let host = self.base.host.as_str();
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, self.base.port))
            .await
            .map_err(|e| TransportError::Dns {
                host: host.to_owned(),
                message: e.to_string(),
            })?
            .collect();
        if addrs.is_empty() {
            return Err(TransportError::Dns {
                host: host.to_owned(),
                message: "no address".into(),
            });
        }
        let mut last = None;
        let mut tcp = None;
        for addr in &addrs {
            match TcpStream::connect(addr).await {
                Ok(stream) => {
                    tcp = Some(stream);
                    break;
                }
                Err(e) => last = Some((*addr, e)),
            }
        }
        let tcp = match (tcp, last) {
            (Some(tcp), _) => tcp,
            (None, Some((addr, e))) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                return Err(TransportError::Refused {
                    addr: addr.to_string(),
                });
            }
            (None, Some((addr, e))) => {
                return Err(TransportError::Connect {
                    addr: addr.to_string(),
                    message: e.to_string(),
                });
            }
            (None, None) => {
                return Err(TransportError::Connect {
                    addr: host.to_owned(),
                    message: "no address".into(),
                });
            }
        };
        let _ = tcp.set_nodelay(true);
        if !self.base.https {
            return Ok(Box::pin(tcp));
        }
        let name = ServerName::try_from(host.to_owned()).map_err(|e| TransportError::Tls {
            host: host.to_owned(),
            message: e.to_string(),
        })?;
        let config = self.tls.clone().ok_or_else(|| TransportError::Tls {
            host: host.to_owned(),
            message: "no TLS protocol version available".into(),
        })?;
        let tls = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .map_err(|e| TransportError::Tls {
                host: host.to_owned(),
                message: e.to_string(),
            })?;
        Ok(Box::pin(tls))
    }
}

/// rustls with the ring provider and the webpki (Mozilla) roots, as the ladder's TLS rung;
/// HTTP/1.1 via ALPN. `None` only if the provider offered no protocol version (a build
/// misconfiguration): TLS calls then fail.
fn default_tls_config() -> Option<Arc<ClientConfig>> {
    let mut config = tls::config_builder(tls::ring_provider())
        .ok()?
        .with_root_certificates(tls::public_roots())
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Some(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_base_parses_default_and_loopback_forms() {
        let base = ApiBase::parse("https://qyapi.weixin.qq.com").expect("default base");
        assert_eq!(base.display(), "https://qyapi.weixin.qq.com");
        assert!(!base.is_loopback());
        let base = ApiBase::parse("http://127.0.0.1:8080/prefix/").expect("loopback base");
        assert_eq!(base.display(), "http://127.0.0.1:8080/prefix");
        assert!(base.is_loopback());
        let base = ApiBase::parse("http://[::1]:9000").expect("v6 base");
        assert_eq!(base.display(), "http://[::1]:9000");
    }

    #[test]
    fn api_base_rejects_other_schemes_userinfo_and_queries() {
        assert!(ApiBase::parse("ftp://example.com").is_err());
        assert!(ApiBase::parse("qyapi.weixin.qq.com").is_err());
        assert!(ApiBase::parse("https://user:pw@example.com").is_err());
        assert!(ApiBase::parse("https://example.com/?a=b").is_err());
        assert!(ApiBase::parse("").is_err());
    }

    #[test]
    fn api_base_refuses_a_bad_port_and_plain_http_off_loopback() {
        for bad in ["https://qyapi.weixin.qq.com:99999", "http://127.0.0.1:0"] {
            let e = ApiBase::parse(bad).err().map(|e| e.reason);
            assert!(e.is_some_and(|r| r.contains("1 to 65535")), "{bad}: {e:?}");
        }
        for bad in [
            "http://qyapi.weixin.qq.com",
            "http://192.0.2.1:8080",
            "http://localhost.evil.com",
        ] {
            let e = ApiBase::parse(bad).err().map(|e| e.reason);
            assert!(e.is_some_and(|r| r.contains("unencrypted")), "{bad}: {e:?}");
        }
        assert!(ApiBase::parse("http://localhost:8080").is_ok());
    }
}
