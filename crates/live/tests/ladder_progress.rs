//! The ladder's progress: every rung reaches the caller as it is recorded, in the report's order,
//! under the probe that climbed it, and redacted like the report.

mod ladder_support;
#[path = "support/progress.rs"]
mod progress;

use ladder_support::*;
use live::{DiagnosisCode, LadderOptions, Status, StepName};
use progress::recording;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn each_rung_is_reported_as_it_completes_in_the_reports_order() {
    let rx = receiver(None).await;
    let (progress, seen) = recording();
    let opts = LadderOptions {
        progress,
        ..options(2000)
    };
    let report = live::verify(&rx.callback_url(None), &creds(), &opts)
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Ok);
    let seen = seen.lock().unwrap().clone();
    let first: Vec<&str> = seen
        .iter()
        .filter(|sent| sent.probe == 0)
        .map(|sent| sent.name.as_str())
        .collect();
    assert_eq!(first, ["dns", "tcp", "tls", "http", "reply"], "{seen:?}");
    let probes = seen.iter().map(|sent| sent.probe).max().unwrap() + 1;
    assert_eq!(probes, live::VERIFY_PROBES, "every probe reports its rungs");
    // The last probe's rungs (after the shared DNS step) are the report's.
    let last: Vec<(String, Status)> = seen
        .iter()
        .filter(|sent| sent.probe == probes - 1)
        .map(|sent| (sent.name.clone(), sent.status))
        .collect();
    let shown: Vec<(String, Status)> = report
        .steps
        .iter()
        .filter(|s| s.name != <&str>::from(StepName::Dns))
        .map(|s| (s.name.clone(), s.status))
        .collect();
    assert_eq!(last, shown);
}

#[tokio::test]
async fn a_secret_the_server_quotes_back_is_redacted_in_the_progress_too() {
    let listener = loopback().await;
    let url = format!(
        "http://{}/wecom/callback/{CORP_ID}",
        listener.local_addr().unwrap()
    );
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let body = format!("token is {TOKEN}");
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = s.write_all(reply.as_bytes()).await;
            });
        }
    });
    let (progress, seen) = recording();
    let opts = LadderOptions {
        progress,
        ..options(2000)
    };
    let report = live::verify(&url, &creds(), &opts).await.unwrap();
    assert!(!report.ok);
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty());
    for sent in &seen {
        assert!(
            !sent.detail.contains(TOKEN),
            "{}: {}",
            sent.name,
            sent.detail
        );
    }
}
