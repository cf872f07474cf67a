//! Demo mode: a correct callback endpoint for the given credentials on `https://127.0.0.1:<free
//! port>`, with a fresh self-signed ECDSA certificate for 127.0.0.1 whose key lives in memory only,
//! so every rung of the ladder runs offline as it would against a real server.

use super::{FaultMode, ReceiverConfig, ReceiverHandle, TlsPem, bind};
use crate::credentials::Credentials;
use crate::error::LiveError;
use setup_core::tls::{KeyAlgorithm, generate_self_signed};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::SystemTime;

/// A running demo receiver and the certificate a client must trust to reach it.
pub struct Demo {
    pub handle: ReceiverHandle,
    /// The self-signed certificate (PEM): the trust anchor for the ladder's TLS rung.
    pub cert_pem: Vec<u8>,
}

/// Generates the certificate, configures TLS and binds on loopback (any free port).
pub async fn start_demo(
    credentials: Credentials,
    fault: Option<FaultMode>,
) -> Result<Demo, LiveError> {
    let pair = generate_self_signed("127.0.0.1", KeyAlgorithm::EcdsaP256, SystemTime::now())
        .map_err(|e| LiveError::DemoCertificate {
            reason: e.to_string(),
        })?;
    let cert_pem = pair.cert_pem.into_bytes();
    let config = ReceiverConfig {
        credentials,
        tls: Some(TlsPem {
            cert_chain_pem: cert_pem.clone(),
            key_pem: pair.private_key_pem.expose().as_bytes().to_vec().into(),
        }),
        fault,
        path: None,
    };
    let handle = bind(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
    Ok(Demo { handle, cert_pem })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::{LadderOptions, verify};

    const TOKEN: &str = "QDG6eK0123456789abcdefghijklmnop";
    const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    const CORP: &str = "ww0123456789abcdef";

    #[tokio::test]
    async fn the_demo_passes_all_five_rungs_when_its_certificate_is_trusted() {
        let creds = || Credentials::new(TOKEN, KEY, CORP);
        let demo = start_demo(creds(), None).await.expect("demo starts");
        let url = demo.handle.callback_url(None);
        assert!(url.starts_with("https://127.0.0.1:"), "{url}");
        let options = LadderOptions {
            ca_cert_pem: Some(demo.cert_pem.clone()),
            loopback_expected: true,
            ..LadderOptions::default()
        };
        let report = verify(&url, &creds(), &options).await.expect("valid input");
        assert!(report.ok && report.warnings.is_empty(), "{report:?}");
        assert!(
            report
                .steps
                .iter()
                .all(|s| s.status == setup_core::report::Status::Pass)
        );
        let untrusted = verify(&url, &creds(), &LadderOptions::default())
            .await
            .expect("valid input");
        assert_eq!(untrusted.diagnosis.code, "tls_cert_untrusted");
        demo.handle.shutdown().await;
    }
}
