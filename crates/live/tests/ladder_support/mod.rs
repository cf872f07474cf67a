//! Shared by the ladder / receiver / hostile / TLS / interop / nginx tests: fixed credentials, a
//! receiver on 127.0.0.1:0, certificates made with rcgen, a raw HTTP client, and the checks that a
//! report carries no secret and a Chinese detail on every rung. Every socket here is on 127.0.0.1.
#![allow(dead_code)]

use live::receiver::{self, ReceiverConfig, TlsPem};
use live::{
    Credentials, DiagnosisCode, FaultMode, LadderOptions, Lang, ReceiverHandle, Report, StepName,
};
use setup_core::report::{Status, Step};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use strum::IntoEnumIterator;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const TOKEN: &str = "QAtestTokenKeepItSecret0123456";
pub const AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
pub const CORP_ID: &str = "ww0123456789abcdef";

pub fn creds() -> Credentials {
    Credentials::new(TOKEN, AES_KEY, CORP_ID)
}

/// Options for a check of a receiver on loopback (on purpose: no `dns_private_address`).
pub fn options(timeout_ms: u64) -> LadderOptions {
    LadderOptions {
        timeout: Duration::from_millis(timeout_ms),
        loopback_expected: true,
        ..LadderOptions::default()
    }
}

pub async fn loopback() -> TcpListener {
    TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0")
}

/// An address on 127.0.0.1 that nothing listens on (a port bound, then let go).
pub async fn refused_addr() -> SocketAddr {
    let listener = loopback().await;
    listener.local_addr().expect("local address")
}

pub async fn receiver_with(
    credentials: Credentials,
    fault: Option<FaultMode>,
    tls: Option<TlsPem>,
) -> ReceiverHandle {
    let config = ReceiverConfig {
        credentials,
        tls,
        fault,
        path: None,
    };
    receiver::start(config, loopback().await)
        .await
        .expect("receiver starts")
}

pub async fn receiver(fault: Option<FaultMode>) -> ReceiverHandle {
    receiver_with(creds(), fault, None).await
}

/// The verify check of `rx`'s callback URL with the test credentials and a 2 s timeout.
pub async fn verify_receiver(rx: &ReceiverHandle) -> Report {
    live::verify(&rx.callback_url(None), &creds(), &options(2000))
        .await
        .unwrap()
}

/// The event test of `rx`'s callback URL with the test credentials and a 2 s timeout.
pub async fn send_event_to(rx: &ReceiverHandle) -> Report {
    live::send_event(&rx.callback_url(None), &creds(), &options(2000))
        .await
        .unwrap()
}

/// The report's code, with the report printed when it is not the expected one.
#[track_caller]
pub fn assert_code(report: &Report, want: DiagnosisCode) {
    assert_eq!(
        report.diagnosis.code,
        want.to_string(),
        "{}",
        serde_json::to_string_pretty(report).unwrap_or_default()
    );
    assert_eq!(report.ok, want == DiagnosisCode::Ok);
    assert_shape(report);
    assert_no_secret(report);
}

/// A `server_error_code` diagnosis for WeCom's -40001 (bad signature), whose fix names the Token.
#[track_caller]
pub fn assert_signature_error_code(report: &Report) {
    assert_eq!(report.diagnosis.params["code"], "-40001");
    assert_fix_has(report, "Token");
}

/// The English fix of the report's diagnosis has `needle`.
#[track_caller]
pub fn assert_fix_has(report: &Report, needle: &str) {
    let fix = &report.diagnosis.fix;
    assert!(fix.en.contains(needle), "{needle:?} not in the fix {fix:?}");
}

/// The `lang` detail of rung `name` has `needle`, with the report printed when it does not.
#[track_caller]
pub fn assert_detail_has(report: &Report, name: StepName, lang: Lang, needle: &str) {
    let detail = step(report, name).detail.get(lang);
    assert!(
        detail.contains(needle),
        "{needle:?} not in the {name:?} detail {detail:?}: {report:?}"
    );
}

/// The codes of the report's warnings, in order.
pub fn warning_codes(report: &Report) -> Vec<&str> {
    report.warnings.iter().map(|w| w.code.as_str()).collect()
}

/// Five rungs in order; nothing after a failure but skips.
#[track_caller]
pub fn assert_shape(report: &Report) {
    let names: Vec<&str> = report.steps.iter().map(|s| s.name.as_str()).collect();
    let rungs: Vec<&str> = StepName::iter().map(<&str>::from).collect();
    assert_eq!(names, rungs);
    let mut failed = false;
    for s in &report.steps {
        if failed {
            assert_eq!(s.status, Status::Skip, "{s:?} after a failure");
        }
        failed |= s.status == Status::Fail;
    }
    assert_eq!(failed, !report.ok);
    let d = &report.diagnosis;
    for text in [&d.summary.en, &d.summary.zh, &d.fix.en, &d.fix.zh] {
        assert!(!text.is_empty(), "{d:?}");
    }
    assert_bilingual_details(report);
}

/// Whether `text` has a CJK ideograph (the Chinese detail is Chinese, not a copy of the English).
pub fn has_cjk(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c))
}

/// Every rung has an English detail and a different, non-empty Chinese one.
#[track_caller]
pub fn assert_bilingual_details(report: &Report) {
    for s in &report.steps {
        assert!(!s.detail.en.is_empty(), "{s:?}: empty detail");
        assert!(!s.detail.zh.is_empty(), "{s:?}: empty Chinese detail");
        assert_ne!(
            s.detail.en, s.detail.zh,
            "{s:?}: the Chinese detail is the English"
        );
        assert!(
            has_cjk(&s.detail.zh),
            "{s:?}: the Chinese detail is not Chinese"
        );
    }
}

#[track_caller]
pub fn assert_no_secret(report: &Report) {
    let json = serde_json::to_string(report).unwrap_or_default();
    assert!(!json.contains(TOKEN), "Token in the report: {json}");
    assert!(
        !json.contains(AES_KEY),
        "EncodingAESKey in the report: {json}"
    );
    assert!(
        !json.contains("msg_signature="),
        "signed query in the report: {json}"
    );
}

pub fn step(report: &Report, name: StepName) -> &Step {
    report.step(name).expect("every rung is reported")
}

/// A certificate authority and leaf certificates signed by it, all made here.
pub struct Pki {
    pub ca_pem: String,
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
}

impl Pki {
    pub fn new() -> Self {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "QA WeCom Setup test CA");
        let key = rcgen::KeyPair::generate().expect("CA key");
        let cert = params.self_signed(&key).expect("CA cert");
        Pki {
            ca_pem: cert.pem(),
            issuer: rcgen::Issuer::new(params, key),
        }
    }

    /// A leaf for `names`, valid now unless `expired`.
    pub fn leaf(&self, names: &[&str], expired: bool) -> TlsPem {
        let mut params =
            rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .expect("leaf params");
        if expired {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let key = rcgen::KeyPair::generate().expect("leaf key");
        let cert = params.signed_by(&key, &self.issuer).expect("leaf cert");
        pem_pair(cert.pem(), key.serialize_pem())
    }
}

/// A self-signed certificate for `names` (no CA): its PEM is both the chain and the anchor.
pub fn self_signed(names: &[&str]) -> TlsPem {
    let key = rcgen::KeyPair::generate().expect("key");
    let params =
        rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .expect("params");
    let cert = params.self_signed(&key).expect("cert");
    pem_pair(cert.pem(), key.serialize_pem())
}

fn pem_pair(cert: String, key: String) -> TlsPem {
    TlsPem {
        cert_chain_pem: cert.into_bytes(),
        key_pem: key.into_bytes().into(),
    }
}

/// One raw HTTP/1.1 request (Connection: close); returns the status and the body.
pub async fn raw_request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    body: &[u8],
) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.expect("write head");
    s.write_all(body).await.expect("write body");
    let mut reply = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut reply))
        .await
        .expect("reply in time")
        .expect("read");
    let text = String::from_utf8_lossy(&reply);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let body_at = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(reply.len(), |i| i + 4);
    (status, reply[body_at..].to_vec())
}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// `tests/.venv/bin/python`, or a panic that says how to make it (never a skip).
pub fn venv_python() -> PathBuf {
    let python = workspace_root().join("tests/.venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/python-venv.sh (make test does) to create the venv with wechatpy",
        python.display()
    );
    python
}
