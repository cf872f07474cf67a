//! `qa-wecom verify` and `send-event` end to end: the binary against the reference receiver on
//! loopback — exit codes 0 / 1 / 2, the JSON shape of `product.md`, `--lang zh`, `--ca-cert`, and
//! no Token or EncodingAESKey anywhere in stdout or stderr.

mod common;

use live::receiver::{self, FaultMode, ReceiverConfig, TlsPem};
use live::{Credentials, ReceiverHandle};
use serde_json::Value;
use std::process::{Command, Output, Stdio};

const TOKEN: &str = "CliTokenNeverPrinted0123456789ab";
const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const CORP_ID: &str = "ww0123456789abcdef";

struct Fixture {
    // Declared first: stopped before the runtime goes.
    rx: ReceiverHandle,
    _rt: tokio::runtime::Runtime,
}

fn fixture(fault: Option<FaultMode>, tls: Option<TlsPem>) -> Fixture {
    let rt = common::runtime();
    let config = ReceiverConfig {
        credentials: Credentials::new(TOKEN, AES_KEY, CORP_ID),
        tls,
        fault,
        path: None,
    };
    let rx = rt
        .block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            receiver::start(config, listener).await
        })
        .expect("receiver starts");
    Fixture { rx, _rt: rt }
}

fn qa_wecom(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_qa-wecom"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    common::assert_not_printed(&out, &[(TOKEN, "a secret"), (AES_KEY, "a secret")]);
    out
}

fn command(cmd: &str, url: &str, extra: &[&str]) -> Output {
    let flags = common::credential_flags(TOKEN, AES_KEY, CORP_ID);
    qa_wecom(&[&[cmd, "--url", url][..], &flags, extra].concat())
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn verify_passes_against_a_correct_receiver() {
    let fx = fixture(None, None);
    let out = command("verify", &fx.rx.callback_url(None), &["--json"]);
    common::assert_exit(&out, 0);
    let report = json(&out);
    assert_eq!(report["ok"], true);
    assert_eq!(report["url"], fx.rx.callback_url(None));
    assert!(report["elapsed_ms"].is_u64());
    let names: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["dns", "tcp", "tls", "http", "reply"]);
    assert_eq!(report["diagnosis"]["code"], "ok");

    let out = command("verify", &fx.rx.callback_url(None), &[]);
    common::assert_stdout(&out, 0, &["PASS  reply", "OK: ok"]);
}

#[test]
fn verify_warns_about_a_loopback_or_unexpected_address_and_still_passes() {
    let fx = fixture(None, None);
    let url = fx.rx.callback_url(None);
    let codes = |out: &Output| -> Vec<String> {
        json(out)["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let out = command("verify", &url, &["--json"]);
    common::assert_exit(&out, 0);
    assert_eq!(codes(&out), ["dns_private_address"]);
    assert_eq!(json(&out)["steps"][0]["status"], "warn");

    let out = command("verify", &url, &["--json", "--loopback-expected"]);
    common::assert_exit(&out, 0);
    assert!(codes(&out).is_empty(), "{}", json(&out));

    let out = command("verify", &url, &["--json", "--expect-ip", "203.0.113.7"]);
    common::assert_exit(&out, 0);
    assert_eq!(codes(&out), ["dns_private_address", "dns_not_eip"]);
    assert_eq!(
        json(&out)["warnings"][1]["params"]["expected_ip"],
        "203.0.113.7"
    );
    // On loopback on purpose (a local demo), neither applies.
    let out = command(
        "verify",
        &url,
        &[
            "--json",
            "--loopback-expected",
            "--expect-ip",
            "203.0.113.7",
        ],
    );
    common::assert_exit(&out, 0);
    assert!(codes(&out).is_empty(), "{}", json(&out));

    let out = command("verify", &url, &["--expect-ip", "not-an-ip"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn verify_fails_with_the_diagnosis_and_exit_1() {
    let fx = fixture(Some(FaultMode::JsonWrapped), None);
    let out = command(
        "verify",
        &fx.rx.callback_url(None),
        &["--json", "--lang", "zh"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["ok"], false);
    assert_eq!(report["diagnosis"]["code"], "json_wrapped");
    assert!(
        report["diagnosis"]["summary"]
            .as_str()
            .unwrap()
            .contains("JSON")
    );
    assert_eq!(
        report["diagnosis"]["summary"],
        report["diagnosis"]["text"]["summary"]["zh"]
    );

    let out = command(
        "verify",
        &fx.rx.callback_url(None),
        &["--lang", "zh", "--loopback-expected"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("FAIL  reply")
            && text.contains("未通过: json_wrapped")
            && text.contains("处理"),
        "{text}"
    );
    assert!(
        text.contains("PASS  dns    127.0.0.1 是 IP 地址，无需解析")
            && text.contains("PASS  tcp    已连接 127.0.0.1:")
            && text.contains("echostr 被包在 JSON 里"),
        "the rungs are in Chinese too:\n{text}"
    );
    assert!(!text.contains("is an IP address"), "{text}");
}

#[test]
fn json_steps_carry_the_chinese_detail() {
    let fx = fixture(Some(FaultMode::NotFound), None);
    let out = command("verify", &fx.rx.callback_url(None), &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let steps = report["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 5);
    for step in steps {
        let (en, zh) = (
            step["detail"].as_str(),
            step["text"]["detail"]["zh"].as_str(),
        );
        assert!(
            zh.is_some_and(|zh| !zh.is_empty() && Some(zh) != en),
            "{step}"
        );
    }
    assert_eq!(steps[4]["text"]["detail"]["zh"], "未执行：HTTP 步骤失败");
    assert_eq!(steps[4]["detail"], "not run: the HTTP step failed");

    let out = command("send-event", &fx.rx.callback_url(None), &["--lang", "zh"]);
    common::assert_stdout(
        &out,
        1,
        &["FAIL  http   ", "SKIP  reply  未执行：HTTP 步骤失败"],
    );
}

#[test]
fn verify_honours_timeout_ms() {
    let fx = fixture(Some(FaultMode::Hang), None);
    let started = std::time::Instant::now();
    let out = command(
        "verify",
        &fx.rx.callback_url(None),
        &["--json", "--timeout-ms", "800"],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["diagnosis"]["code"], "timeout");
}

#[test]
fn verify_and_send_event_trust_a_self_signed_receiver_with_ca_cert() {
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .expect("params")
        .self_signed(&key)
        .expect("cert");
    let tls = TlsPem {
        cert_chain_pem: cert.pem().into_bytes(),
        key_pem: key.serialize_pem().into_bytes().into(),
    };
    let fx = fixture(None, Some(tls));
    let url = fx.rx.callback_url(Some("localhost"));
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = dir.path().join("receiver.pem");
    std::fs::write(&ca, cert.pem()).expect("write");
    for cmd in ["verify", "send-event"] {
        let out = command(cmd, &url, &["--json"]);
        assert_eq!(
            json(&out)["diagnosis"]["code"],
            "tls_cert_untrusted",
            "{cmd}"
        );
        let out = command(cmd, &url, &["--json", "--ca-cert", ca.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn unusable_input_exits_2_without_echoing_secrets() {
    let out = command("verify", "ftp://x/", &[]);
    common::assert_stderr(&out, 2, &["http://"]);
    let short_key = common::credential_flags(TOKEN, "short", CORP_ID);
    let args = [
        &["verify", "--json", "--url", "http://127.0.0.1:9/"][..],
        &short_key,
    ]
    .concat();
    let out = qa_wecom(&args);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["error"]["code"], "invalid_credentials");
    let out = command(
        "verify",
        "http://127.0.0.1:9/",
        &["--ca-cert", "/nonexistent.pem"],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = command("verify", "http://127.0.0.1:9/", &["--lang", "fr"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "clap rejects an unknown language"
    );
}

#[test]
fn send_event_is_accepted_and_reports_failures() {
    let fx = fixture(None, None);
    let out = command("send-event", &fx.rx.callback_url(None), &["--json"]);
    common::assert_exit(&out, 0);
    assert_eq!(json(&out)["check"], "event");
    assert_eq!(fx.rx.stats().events_accepted, 1);

    let fx = fixture(Some(FaultMode::NotFound), None);
    let out = command("send-event", &fx.rx.callback_url(None), &[]);
    common::assert_stdout(&out, 1, &["http_status"]);
}
