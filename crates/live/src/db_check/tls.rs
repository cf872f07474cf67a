//! TLS for the database check: a `tokio-postgres` connector over `tokio-rustls` (ring provider),
//! with libpq's `sslmode` semantics: `prefer` / `require` encrypt without verifying the
//! certificate, `verify-ca` checks the chain against `sslrootcert` (or the webpki roots),
//! `verify-full` also checks the host name. It records whether a handshake happened so the report
//! can say if the session was encrypted.

use std::future::Future;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};

use super::conninfo::SslMode;
use crate::transport;

/// Why the TLS configuration could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsSetupError {
    #[error("cannot read sslrootcert {path}: {message}")]
    RootCert { path: String, message: String },
    #[error("sslrootcert {path} holds no usable certificate")]
    NoRootCert { path: String },
    #[error("TLS setup failed: {0}")]
    Rustls(String),
}

/// The rustls client configuration for `mode` (not called for `disable`).
pub fn client_config(
    mode: SslMode,
    root_cert: Option<&Path>,
) -> Result<Arc<ClientConfig>, TlsSetupError> {
    let provider = transport::tls::ring_provider();
    let builder = transport::tls::config_builder(provider.clone())
        .map_err(|e| TlsSetupError::Rustls(e.to_string()))?;
    let verifier: Arc<dyn ServerCertVerifier> = match mode {
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let roots = Arc::new(root_store(root_cert)?);
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|e| TlsSetupError::Rustls(e.to_string()))?;
            if mode == SslMode::VerifyCa {
                Arc::new(Relaxed {
                    provider,
                    chain: Some(webpki),
                })
            } else {
                webpki
            }
        }
        _ => Arc::new(Relaxed {
            provider,
            chain: None,
        }),
    };
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

fn root_store(root_cert: Option<&Path>) -> Result<RootCertStore, TlsSetupError> {
    let Some(path) = root_cert else {
        return Ok(transport::tls::public_roots());
    };
    let shown = path.display().to_string();
    let pem =
        setup_core::fsread::read_capped(path, setup_core::fsread::MAX_PEM_BYTES).map_err(|e| {
            TlsSetupError::RootCert {
                path: shown.clone(),
                message: e.to_string(),
            }
        })?;
    let mut store = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem).flatten() {
        let _ = store.add(cert);
    }
    if store.is_empty() {
        return Err(TlsSetupError::NoRootCert { path: shown });
    }
    Ok(store)
}

/// `prefer` / `require` (no `chain`): encrypt, check the handshake signature, trust any
/// certificate (libpq does the same unless a root certificate is configured). `verify-ca` (a
/// `chain` verifier): the full webpki check except the host name.
#[derive(Debug)]
struct Relaxed {
    provider: Arc<CryptoProvider>,
    chain: Option<Arc<WebPkiServerVerifier>>,
}

impl ServerCertVerifier for Relaxed {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The `tokio-postgres` connector. `encrypted` turns true once a handshake completes.
#[derive(Clone)]
pub struct RustlsConnect {
    config: Arc<ClientConfig>,
    pub encrypted: Arc<AtomicBool>,
}

impl RustlsConnect {
    pub fn new(config: Arc<ClientConfig>) -> Self {
        Self {
            config,
            encrypted: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// One handshake towards `name`.
pub struct RustlsHandshake {
    config: Arc<ClientConfig>,
    name: ServerName<'static>,
    encrypted: Arc<AtomicBool>,
}

impl<S> MakeTlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsHandshake;
    type Error = io::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<RustlsHandshake, io::Error> {
        let name = ServerName::try_from(domain.to_owned())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        Ok(RustlsHandshake {
            config: self.config.clone(),
            name,
            encrypted: self.encrypted.clone(),
        })
    }
}

impl<S> TlsConnect<S> for RustlsHandshake
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        Box::pin(async move {
            let tls = tokio_rustls::TlsConnector::from(self.config)
                .connect(self.name, stream)
                .await?;
            self.encrypted.store(true, Ordering::SeqCst);
            Ok(RustlsStream(tls))
        })
    }
}

/// A TLS session to the server. No channel binding is offered (SCRAM without `-PLUS`, as with
/// libpq's `channel_binding=prefer` when the server does not insist).
pub struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for RustlsStream<S> {
    fn channel_binding(&self) -> ChannelBinding {
        ChannelBinding::none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_sslrootcert_that_is_a_fifo_or_a_device_is_refused_at_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("root.pem");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()));
        for path in [fifo.as_path(), Path::new("/dev/zero")] {
            let p = path.to_path_buf();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = tx.send(root_store(Some(&p)).map(|_| ()));
            });
            match rx.recv_timeout(std::time::Duration::from_secs(5)) {
                Ok(Err(TlsSetupError::RootCert { message, .. })) => {
                    assert!(message.contains("not a regular file"), "{message}")
                }
                Ok(other) => panic!("{}: {other:?}", path.display()),
                Err(_) => panic!("reading {} hung", path.display()),
            }
        }
    }
}
