//! The reference receiver on its own: only its callback path, WeCom's two methods, retries
//! de-duplicated by MsgId or FromUserName + CreateTime, a bounded request body, and a shutdown that
//! ends even a connection that hangs. (Its logs are checked in `receiver_logs.rs`.)

mod ladder_support;

use ladder_support::*;
use live::FaultMode;
use live::receiver::callback_path;
use std::time::{Duration, Instant};
use wecom_crypto::WeComCrypto;

fn crypto() -> WeComCrypto {
    WeComCrypto::new(TOKEN, AES_KEY, CORP_ID).unwrap()
}

fn post_target(query: &str) -> String {
    format!("{}?{query}", callback_path(CORP_ID))
}

#[tokio::test]
async fn answers_on_its_callback_path_with_wecom_methods_only() {
    let rx = receiver(None).await;
    let sent = crypto().simulate_url_verification().unwrap();
    let (status, body) =
        raw_request(rx.local_addr(), "GET", &post_target(&sent.query()), b"").await;
    assert_eq!((status, body), (200, sent.echostr_plain.into_bytes()));

    let sent = crypto().simulate_url_verification().unwrap();
    let (status, _) = raw_request(
        rx.local_addr(),
        "GET",
        &format!("/other?{}", sent.query()),
        b"",
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = raw_request(
        rx.local_addr(),
        "GET",
        &format!("{}/", callback_path(CORP_ID)),
        b"",
    )
    .await;
    assert_eq!(status, 404, "a trailing slash is another path");
    let (status, _) = raw_request(rx.local_addr(), "PUT", &callback_path(CORP_ID), b"").await;
    assert_eq!(status, 405);
    let (status, body) = raw_request(rx.local_addr(), "GET", &callback_path(CORP_ID), b"").await;
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("-40003"));
}

#[tokio::test]
async fn retries_are_answered_but_counted_once() {
    let rx = receiver(None).await;
    let with_msgid = "<xml><ToUserName>ww0123456789abcdef</ToUserName><FromUserName>zhangsan</FromUserName>\
                      <CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content>hi</Content>\
                      <MsgId>1234567890123456</MsgId><AgentID>1000002</AgentID></xml>";
    let without = "<xml><ToUserName>ww0123456789abcdef</ToUserName><FromUserName>sys</FromUserName>\
                   <CreateTime>1700000001</CreateTime><MsgType>event</MsgType>\
                   <Event>change_external_contact</Event><ChangeType>del_follow_user</ChangeType></xml>";
    for xml in [with_msgid, without] {
        for _ in 0..3 {
            // Each retry is a new delivery (new nonce, timestamp, ciphertext) of the same event.
            let d = crypto().simulate_event(xml).unwrap();
            let (status, body) = raw_request(
                rx.local_addr(),
                "POST",
                &post_target(&d.query()),
                d.body.as_bytes(),
            )
            .await;
            assert_eq!((status, body.len()), (200, 0));
        }
    }
    let stats = rx.stats();
    assert_eq!((stats.events_accepted, stats.events_duplicate), (2, 4));
    let events = rx.events();
    assert_eq!(events.len(), 6);
    assert_eq!(events.iter().filter(|e| !e.duplicate).count(), 2);
    assert_eq!(events[3].change_type.as_deref(), Some("del_follow_user"));
}

#[tokio::test]
async fn bad_events_are_refused_with_the_official_code() {
    let rx = receiver(None).await;
    let d = crypto()
        .simulate_event("<xml><MsgType>event</MsgType></xml>")
        .unwrap();
    let tampered = d.query().replace("msg_signature=", "msg_signature=0");
    let (status, body) = raw_request(
        rx.local_addr(),
        "POST",
        &post_target(&tampered),
        d.body.as_bytes(),
    )
    .await;
    assert_eq!(status, 403);
    assert!(String::from_utf8_lossy(&body).contains("-40001"));
    let (status, _) = raw_request(
        rx.local_addr(),
        "POST",
        &post_target(&d.query()),
        b"not xml",
    )
    .await;
    assert_eq!(status, 400);
    let huge = vec![b'x'; 200 * 1024];
    let (status, _) = raw_request(rx.local_addr(), "POST", &post_target(&d.query()), &huge).await;
    assert_eq!(status, 413);
    assert_eq!(rx.stats().requests_rejected, 3);
}

#[tokio::test]
async fn shutdown_ends_even_a_hanging_request_and_closes_the_port() {
    let rx = receiver(Some(FaultMode::Hang)).await;
    let addr = rx.local_addr();
    let url = rx.callback_url(None);
    let hanging = tokio::spawn(async move { live::verify(&url, &creds(), &options(10_000)).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    rx.shutdown().await;
    let took = started.elapsed();
    assert!(
        took < live::receiver::SHUTDOWN_GRACE + Duration::from_millis(500),
        "{took:?}"
    );
    let report = hanging.await.unwrap().unwrap();
    assert_eq!(
        report.diagnosis.code,
        <&str>::from(live::DiagnosisCode::ConnectionClosed),
        "{report:?}"
    );
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "the port is closed"
    );
}

#[tokio::test]
async fn an_idle_receiver_shuts_down_at_once() {
    let rx = receiver(None).await;
    let started = Instant::now();
    rx.shutdown().await;
    assert!(started.elapsed() < Duration::from_millis(200));
}
