//! The TLS rung as WeCom sees it: a rustls client (ring provider, TLS 1.2 and 1.3) trusting the
//! Mozilla root set of `webpki-roots` — the public CAs WeCom's servers trust, not whatever this
//! machine's store holds — plus optional extra anchors (`--ca-cert`) for a demo receiver's
//! self-signed certificate. Handshake failures are told apart: untrusted issuer, name mismatch,
//! expired, and everything else.

use super::Failure;
use crate::diagnosis::{DiagnosisCode, params, raw_reason};
use crate::error::LiveError;
use rustls::crypto::CryptoProvider;
use rustls::{CertificateError, ClientConfig, ConfigBuilder, RootCertStore, WantsVerifier};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use std::io;
use std::sync::Arc;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

/// The crypto provider of every TLS client in this crate (the database check's too).
pub fn ring_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The Mozilla root set of `webpki-roots`: the public CAs WeCom's servers trust.
pub fn public_roots() -> RootCertStore {
    RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    }
}

/// A client configuration on `provider` with rustls' safe protocol versions (TLS 1.2 and 1.3),
/// waiting for its certificate verifier.
pub fn config_builder(
    provider: Arc<CryptoProvider>,
) -> Result<ConfigBuilder<ClientConfig, WantsVerifier>, rustls::Error> {
    ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions()
}

/// A client configuration trusting the public roots and every certificate in `extra_ca_pem`.
pub fn client_config(extra_ca_pem: Option<&[u8]>) -> Result<Arc<ClientConfig>, LiveError> {
    let mut roots = public_roots();
    if let Some(pem) = extra_ca_pem {
        let bad = |reason: String| LiveError::Pem {
            what: "extra trusted CA certificate",
            reason,
        };
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| bad(format!("not a PEM certificate: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| bad(format!("not usable as a trust anchor: {e}")))?;
            added += 1;
        }
        if added == 0 {
            return Err(bad("no CERTIFICATE block found".to_string()));
        }
    }
    let config = config_builder(ring_provider())
        .map_err(|e| LiveError::Pem {
            what: "TLS client configuration",
            reason: e.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Handshakes over `tcp` for `host` (SNI, and the name the certificate must cover).
pub async fn handshake(
    config: Arc<ClientConfig>,
    host: &str,
    tcp: TcpStream,
) -> Result<TlsStream<TcpStream>, Failure> {
    let name = ServerName::try_from(host.to_string()).map_err(|e| {
        Failure::new(
            DiagnosisCode::TlsHandshakeFailed,
            params([
                ("reason", format!("{host} is not a valid TLS server name")),
                ("reason_zh", format!("{host} 不是有效的 TLS 服务器名称")),
            ]),
            format!("{host} is not a valid TLS server name: {e}"),
            format!("{host} 不是有效的 TLS 服务器名称：{e}"),
        )
    })?;
    TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| classify(&e, host))
}

/// Tells the handshake failures apart.
pub fn classify(err: &io::Error, host: &str) -> Failure {
    let rustls_err = err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    // The reason in English (also the diagnosis parameter) and in Chinese.
    let handshake_failed = |reason: String, reason_zh: String| {
        Failure::new(
            DiagnosisCode::TlsHandshakeFailed,
            params([("reason", reason.clone()), ("reason_zh", reason_zh.clone())]),
            format!("TLS handshake: {reason}"),
            format!("TLS 握手失败：{reason_zh}"),
        )
    };
    let Some(e) = rustls_err else {
        let (reason, reason_zh) = match err.kind() {
            io::ErrorKind::UnexpectedEof => (
                "the server closed the connection during the handshake".to_string(),
                "服务器在握手过程中关闭了连接".to_string(),
            ),
            io::ErrorKind::ConnectionReset => (
                "the server reset the connection during the handshake".to_string(),
                "服务器在握手过程中重置了连接".to_string(),
            ),
            _ => {
                let raw = raw_reason(&err.to_string());
                (raw.en, raw.zh)
            }
        };
        return handshake_failed(reason, reason_zh);
    };
    match e {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::UnknownIssuer
            | CertificateError::BadSignature
            | CertificateError::BadEncoding => Failure::new(
                DiagnosisCode::TlsCertUntrusted,
                params([("host", host.to_string())]),
                format!("certificate not trusted: {e}"),
                format!("证书不受信任：{e}"),
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                Failure::new(
                    DiagnosisCode::TlsCertNameMismatch,
                    params([("host", host.to_string())]),
                    format!("certificate does not cover {host}: {e}"),
                    format!("证书不包含 {host}：{e}"),
                )
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => Failure::new(
                DiagnosisCode::TlsCertExpired,
                params([("host", host.to_string())]),
                format!("certificate outside its validity period: {e}"),
                format!("证书不在有效期内：{e}"),
            ),
            _ => handshake_failed(
                format!("certificate rejected: {e}"),
                format!("证书被拒绝：{e}"),
            ),
        },
        rustls::Error::InvalidMessage(_) => handshake_failed(
            format!("the server does not speak TLS on this port (it sent something else: {e})"),
            format!("服务器在此端口上不使用 TLS（收到的是其他内容：{e}）"),
        ),
        rustls::Error::AlertReceived(alert) => handshake_failed(
            format!("the server sent the alert {alert:?}"),
            format!("服务器发来告警 {alert:?}"),
        ),
        other => {
            let raw = raw_reason(&other.to_string());
            handshake_failed(raw.en, raw.zh)
        }
    }
}

/// A timeout during the handshake, for the ladder's deadline.
pub fn timed_out(waited_ms: u128, timeout_ms: u128) -> Failure {
    Failure::new(
        DiagnosisCode::Timeout,
        params([
            ("timeout_ms", timeout_ms.to_string()),
            ("during", "TLS handshake".to_string()),
            ("during_zh", "TLS 握手".to_string()),
        ]),
        format!("no TLS handshake after {waited_ms} ms"),
        format!("{waited_ms} 毫秒后 TLS 握手仍未完成"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(e: rustls::Error) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }

    #[test]
    fn certificate_errors_map_to_their_codes() {
        let cases = [
            (
                CertificateError::UnknownIssuer,
                DiagnosisCode::TlsCertUntrusted,
            ),
            (
                CertificateError::BadSignature,
                DiagnosisCode::TlsCertUntrusted,
            ),
            (
                CertificateError::NotValidForName,
                DiagnosisCode::TlsCertNameMismatch,
            ),
            (CertificateError::Expired, DiagnosisCode::TlsCertExpired),
            (CertificateError::NotValidYet, DiagnosisCode::TlsCertExpired),
            (CertificateError::Revoked, DiagnosisCode::TlsHandshakeFailed),
        ];
        for (cert, code) in cases {
            assert_eq!(
                classify(&wrap(rustls::Error::InvalidCertificate(cert)), "h").code,
                code
            );
        }
        let plain = classify(
            &wrap(rustls::Error::InvalidMessage(
                rustls::InvalidMessage::InvalidContentType,
            )),
            "h",
        );
        assert_eq!(plain.code, DiagnosisCode::TlsHandshakeFailed);
        assert!(plain.detail.en.contains("does not speak TLS"));
        assert!(plain.detail.zh.contains("不使用 TLS"));
        let eof = classify(&io::Error::from(io::ErrorKind::UnexpectedEof), "h");
        assert_eq!(eof.code, DiagnosisCode::TlsHandshakeFailed);
    }

    #[test]
    fn extra_anchors_must_be_certificates() {
        assert!(client_config(None).is_ok());
        assert!(client_config(Some(b"not pem")).is_err());
        assert!(
            client_config(Some(
                b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
            ))
            .is_err()
        );
    }
}
