//! The reference receiver's logs: what arrived (verification, event type, rejections) and never
//! the Token, the key, the echostr (plain or encrypted) or user ids. One test in this binary: the
//! subscriber is global.

mod ladder_support;

use ladder_support::*;
use live::receiver::callback_path;
use std::io::Write;
use std::sync::{Arc, Mutex};
use wecom_crypto::WeComCrypto;

fn crypto() -> WeComCrypto {
    WeComCrypto::new(TOKEN, AES_KEY, CORP_ID).unwrap()
}

fn post_target(query: &str) -> String {
    format!("{}?{query}", callback_path(CORP_ID))
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_or(Ok(buf.len()), |mut v| {
            v.extend_from_slice(buf);
            Ok(buf.len())
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_say_what_arrived_and_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // Global, in a test binary of its own: a thread-local default races with other tests'
    // threads registering the same callsites.
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    let rx = receiver(None).await;
    let sent = crypto().simulate_url_verification().unwrap();
    raw_request(rx.local_addr(), "GET", &post_target(&sent.query()), b"").await;
    let report = send_event_to(&rx).await;
    assert!(report.ok);
    let other = WeComCrypto::new("SomeOtherToken", AES_KEY, CORP_ID)
        .unwrap()
        .simulate_url_verification()
        .unwrap();
    raw_request(rx.local_addr(), "GET", &post_target(&other.query()), b"").await;
    rx.shutdown().await;

    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(logs.contains("URL verification answered"), "{logs}");
    assert!(
        logs.contains("event received") && logs.contains("change_external_contact"),
        "{logs}"
    );
    assert!(logs.contains("rejected"), "{logs}");
    for secret in [
        TOKEN,
        AES_KEY,
        &sent.echostr_plain,
        &sent.echostr,
        "wmQAWeComSetupTestOnly",
        "qa-wecom-setup-test",
    ] {
        assert!(!logs.contains(secret), "{secret:?} in the logs:\n{logs}");
    }
}
