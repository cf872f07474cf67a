//! The receiver under clients that hold connections: a POST that announces a body and never sends
//! it is cut off after the body timeout, connections past the cap are answered 503 at once, and a
//! few hundred stalled clients leave a real verification passing within WeCom's 1 s. Loopback only.

mod ladder_support;

use ladder_support::*;
use live::DiagnosisCode;
use live::receiver::{self, Limits, ReceiverConfig};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A POST to the callback path that announces 1000 bytes and sends 2.
async fn stalled_post(addr: SocketAddr) -> std::io::Result<TcpStream> {
    let mut s = TcpStream::connect(addr).await?;
    let path = receiver::callback_path(creds().corp_id());
    s.write_all(
        format!(
            "POST {path}?msg_signature=a&timestamp=1&nonce=n HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<x"
        )
        .as_bytes(),
    )
    .await?;
    Ok(s)
}

/// What the server sends until it closes (or `within` passes: `None`).
async fn answer(mut s: TcpStream, within: Duration) -> Option<String> {
    let mut buf = Vec::new();
    tokio::time::timeout(within, s.read_to_end(&mut buf))
        .await
        .ok()
        .map(|_| String::from_utf8_lossy(&buf).into_owned())
}

async fn limited(limits: Limits) -> receiver::ReceiverHandle {
    let config = ReceiverConfig {
        credentials: creds(),
        tls: None,
        fault: None,
        path: None,
    };
    receiver::start_with_limits(config, loopback().await, limits)
        .await
        .expect("receiver starts")
}

#[test]
fn the_defaults_are_a_10_s_body_timeout_and_512_connections() {
    let d = Limits::default();
    assert_eq!(
        (d.body_timeout, d.max_connections),
        (Duration::from_secs(10), 512)
    );
}

#[tokio::test]
async fn a_body_that_never_arrives_is_cut_off_after_the_body_timeout() {
    let rx = limited(Limits {
        body_timeout: Duration::from_millis(300),
        ..Limits::default()
    })
    .await;
    let started = Instant::now();
    let s = stalled_post(rx.local_addr()).await.unwrap();
    let got = answer(s, Duration::from_secs(5)).await;
    let got = got.expect("the receiver closed the stalled connection");
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn connections_past_the_cap_are_answered_503_at_once() {
    let rx = limited(Limits {
        max_connections: 20,
        ..Limits::default()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(stalled_post(rx.local_addr()).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let extra = TcpStream::connect(rx.local_addr()).await.unwrap();
    let got = answer(extra, Duration::from_secs(2))
        .await
        .expect("answered at once");
    assert!(got.starts_with("HTTP/1.1 503"), "{got}");
    // Once the held ones go, connections are served again.
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let report = live::verify(&rx.callback_url(None), &creds(), &options(1000))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_stalled_clients_leave_a_real_verification_under_1_s() {
    let rx = receiver(None).await;
    let mut held = Vec::new();
    for _ in 0..300 {
        held.push(stalled_post(rx.local_addr()).await.unwrap());
    }
    let started = Instant::now();
    let report = live::verify(&rx.callback_url(None), &creds(), &options(1000))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Ok);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(held.len(), 300);
}
