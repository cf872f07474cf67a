//! The TLS rung against receivers with certificates made here (rcgen), on 127.0.0.1 under the
//! name `localhost`: each certificate problem gets its own code, and `--ca-cert` makes a demo
//! receiver's self-signed certificate trusted explicitly.

mod ladder_support;

use ladder_support::*;
use live::{DiagnosisCode, LadderOptions, Status, StepName};

fn localhost_url(rx: &live::ReceiverHandle) -> String {
    rx.callback_url(Some("localhost"))
}

fn trusting(pem: &[u8]) -> LadderOptions {
    LadderOptions {
        ca_cert_pem: Some(pem.to_vec()),
        ..options(2000)
    }
}

/// The verify check of `rx` at `localhost`, trusting `pki`'s CA.
async fn verify_trusting_ca(rx: &live::ReceiverHandle, pki: &Pki) -> live::Report {
    live::verify(
        &localhost_url(rx),
        &creds(),
        &trusting(pki.ca_pem.as_bytes()),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_self_signed_receiver_is_untrusted_unless_its_certificate_is_given() {
    let pair = self_signed(&["localhost"]);
    let cert = pair.cert_chain_pem.clone();
    let rx = receiver_with(creds(), None, Some(pair)).await;
    let url = localhost_url(&rx);
    assert!(url.starts_with("https://localhost:"));

    let report = live::verify(&url, &creds(), &options(2000)).await.unwrap();
    assert_code(&report, DiagnosisCode::TlsCertUntrusted);
    assert_eq!(step(&report, StepName::Tls).status, Status::Fail);

    let report = live::verify(&url, &creds(), &trusting(&cert))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Ok);
    let tls = step(&report, StepName::Tls);
    assert_eq!(tls.status, Status::Pass);
    assert!(tls.detail.en.contains("TLS"), "{:?}", tls.detail);

    let report = live::send_event(&url, &creds(), &trusting(&cert))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Ok);
}

#[tokio::test]
async fn a_certificate_for_another_name_is_a_name_mismatch() {
    let pki = Pki::new();
    let rx = receiver_with(
        creds(),
        None,
        Some(pki.leaf(&["qawecom.example.com"], false)),
    )
    .await;
    let report = verify_trusting_ca(&rx, &pki).await;
    assert_code(&report, DiagnosisCode::TlsCertNameMismatch);
    assert!(report.diagnosis.summary.en.contains("localhost"));
}

#[tokio::test]
async fn an_expired_certificate_is_expired() {
    let pki = Pki::new();
    let rx = receiver_with(creds(), None, Some(pki.leaf(&["localhost"], true))).await;
    let report = verify_trusting_ca(&rx, &pki).await;
    assert_code(&report, DiagnosisCode::TlsCertExpired);
}

#[tokio::test]
async fn a_chain_to_a_trusted_ca_passes() {
    let pki = Pki::new();
    let rx = receiver_with(creds(), None, Some(pki.leaf(&["localhost"], false))).await;
    assert_code(&verify_trusting_ca(&rx, &pki).await, DiagnosisCode::Ok);
    // Without the CA, the same chain is unknown to WeCom's (public) roots.
    let report = live::verify(&localhost_url(&rx), &creds(), &options(2000))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::TlsCertUntrusted);
}

#[tokio::test]
async fn a_receiver_refuses_a_key_that_does_not_match_its_certificate() {
    let a = self_signed(&["localhost"]);
    let b = self_signed(&["localhost"]);
    let mixed = live::TlsPem {
        cert_chain_pem: a.cert_chain_pem,
        key_pem: b.key_pem,
    };
    let config = live::ReceiverConfig {
        credentials: creds(),
        tls: Some(mixed),
        fault: None,
        path: None,
    };
    let err = live::receiver::start(config, loopback().await)
        .await
        .unwrap_err();
    assert_eq!(err.code().as_str(), "invalid_pem");
    assert!(!err.to_string().contains("PRIVATE KEY"), "{err}");
}
