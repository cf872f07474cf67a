//! The ladder against the reference receiver: green when it behaves, and the expected diagnosis for
//! every fault mode it can be told to show; the event test; the JSON shape of `product.md`.

mod ladder_support;

use ladder_support::*;
use live::{
    CheckKind, Credentials, DiagnosisCode, FaultMode, LadderOptions, Lang, Status, StepName,
};
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_correct_receiver_is_green_and_the_report_has_the_documented_shape() {
    let rx = receiver(None).await;
    let report = verify_receiver(&rx).await;
    assert_code(&report, DiagnosisCode::Ok);
    assert_eq!(report.check, CheckKind::Verify);
    assert_eq!(step(&report, StepName::Tls).status, Status::Skip);
    for name in [
        StepName::Dns,
        StepName::Tcp,
        StepName::Http,
        StepName::Reply,
    ] {
        assert_eq!(step(&report, name).status, Status::Pass);
    }
    assert_eq!(
        rx.stats().verifications_answered,
        live::VERIFY_PROBES as u64
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    let json = serde_json::to_value(&report).unwrap();
    for key in [
        "ok",
        "check",
        "lang",
        "url",
        "elapsed_ms",
        "steps",
        "diagnosis",
        "warnings",
    ] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
    assert_eq!(json["url"], rx.callback_url(None));
    for key in ["name", "status", "detail", "elapsed_ms", "text"] {
        assert!(json["steps"][0].get(key).is_some(), "steps[].{key} missing");
    }
    assert_eq!(json["steps"][0]["name"], "dns");
    assert_eq!(json["steps"][2]["status"], "skip");
    for key in ["code", "severity", "summary", "fix", "params", "text"] {
        assert!(
            json["diagnosis"].get(key).is_some(),
            "diagnosis.{key} missing"
        );
    }
    assert_eq!(json["diagnosis"]["code"], "ok");
    assert!(
        json["diagnosis"]["text"]["summary"]["zh"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
}

/// The diagnosis the ladder must give for each fault mode: a `match`, so a new mode does not
/// compile until it has one.
fn diagnosis_of(fault: FaultMode) -> DiagnosisCode {
    match fault {
        FaultMode::JsonWrapped => DiagnosisCode::JsonWrapped,
        FaultMode::Quoted => DiagnosisCode::Quoted,
        FaultMode::Bom => DiagnosisCode::Bom,
        FaultMode::TrailingNewline => DiagnosisCode::Ok,
        FaultMode::TrailingWhitespace => DiagnosisCode::TrailingWhitespace,
        FaultMode::EchoCiphertext => DiagnosisCode::CiphertextEchoed,
        FaultMode::WrongKey => DiagnosisCode::WrongPlaintext,
        FaultMode::ServerErrorCode => DiagnosisCode::ServerErrorCode,
        FaultMode::BytesRepr => DiagnosisCode::BytesRepr,
        FaultMode::DoubleUrlDecode => DiagnosisCode::DoubleUrlDecode,
        FaultMode::InconsistentBackends => DiagnosisCode::InconsistentBackends,
        FaultMode::AuthRequired => DiagnosisCode::AuthRequired,
        FaultMode::MethodNotAllowed => DiagnosisCode::MethodNotAllowed,
        FaultMode::Html => DiagnosisCode::HtmlPage,
        FaultMode::NotFound | FaultMode::ServerError => DiagnosisCode::HttpStatus,
        FaultMode::Redirect => DiagnosisCode::Redirect,
        FaultMode::Slow => DiagnosisCode::TooSlow,
        FaultMode::Hang => DiagnosisCode::Timeout,
        FaultMode::HugeBody => DiagnosisCode::BodyTooLarge,
        FaultMode::Empty => DiagnosisCode::EmptyBody,
    }
}

#[tokio::test]
async fn every_fault_mode_gives_its_diagnosis() {
    let mut checks = tokio::task::JoinSet::new();
    for fault in <FaultMode as strum::IntoEnumIterator>::iter() {
        checks.spawn(async move {
            let rx = receiver(Some(fault)).await;
            let started = Instant::now();
            let report = verify_receiver(&rx).await;
            (fault, diagnosis_of(fault), report, started.elapsed())
        });
    }
    while let Some(done) = checks.join_next().await {
        let (fault, want, report, took) = done.unwrap();
        assert_eq!(report.diagnosis.code, want.to_string(), "{fault}");
        assert_code(&report, want);
        assert!(took < Duration::from_millis(2600), "{fault}: {took:?}");
        match fault {
            FaultMode::NotFound => assert_eq!(report.diagnosis.params["status"], "404"),
            FaultMode::ServerError => {
                assert_eq!(report.diagnosis.params["status"], "502");
                assert_fix_has(&report, "QA service");
            }
            FaultMode::Redirect => {
                assert!(
                    report.diagnosis.summary.en.contains("https://127.0.0.1:"),
                    "{:?}",
                    report.diagnosis.summary
                );
                assert!(report.diagnosis.summary.en.contains("/login"));
            }
            FaultMode::Slow => assert_eq!(step(&report, StepName::Reply).status, Status::Fail),
            FaultMode::Hang => assert_eq!(step(&report, StepName::Http).status, Status::Fail),
            FaultMode::TrailingNewline => {
                assert_eq!(warning_codes(&report), ["trailing_newline"]);
                assert_eq!(report.warnings[0].severity, live::Severity::Warning);
                assert_eq!(step(&report, StepName::Reply).status, Status::Warn);
            }
            FaultMode::ServerErrorCode => {
                assert_signature_error_code(&report);
            }
            FaultMode::DoubleUrlDecode => {
                assert_eq!(report.diagnosis.params["failed"], "2");
                assert_eq!(report.diagnosis.params["passed"], "2");
                assert_detail_has(&report, StepName::Http, Lang::En, "with + and /");
            }
            FaultMode::InconsistentBackends => {
                assert_eq!(report.diagnosis.params["probes"], "4");
                assert_eq!(report.diagnosis.params["failed"], "2");
                assert_eq!(report.diagnosis.params["first_failure"], "wrong_plaintext");
            }
            FaultMode::AuthRequired => assert_eq!(report.diagnosis.params["status"], "401"),
            _ => {}
        }
    }
}

#[tokio::test]
async fn a_mismatched_token_key_or_corpid_is_refused_by_the_receiver() {
    let rx = receiver(None).await;
    let url = rx.callback_url(None);
    for other in [
        Credentials::new("AnotherTokenAnotherToken", AES_KEY, CORP_ID),
        Credentials::new(
            TOKEN,
            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            CORP_ID,
        ),
        Credentials::new(TOKEN, AES_KEY, "WW0123456789ABCDEF"),
    ] {
        let report = live::verify(&url, &other, &options(2000)).await.unwrap();
        assert_code(&report, DiagnosisCode::HttpStatus);
        assert_fix_has(&report, "Token");
    }
    assert_eq!(rx.stats().requests_rejected, 3 * live::VERIFY_PROBES as u64);
}

#[tokio::test]
async fn the_event_test_is_accepted_and_logged_by_type() {
    let rx = receiver(None).await;
    let report = send_event_to(&rx).await;
    assert_code(&report, DiagnosisCode::Ok);
    assert_eq!(report.check, CheckKind::Event);
    let events = rx.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event.as_deref(), Some("change_external_contact"));
    assert_eq!(
        events[0].change_type.as_deref(),
        Some("add_external_contact")
    );
    assert!(!events[0].duplicate);
}

#[tokio::test]
async fn the_event_test_reports_what_the_server_does_wrong() {
    for (fault, want) in [
        (FaultMode::NotFound, DiagnosisCode::HttpStatus),
        (FaultMode::Redirect, DiagnosisCode::Redirect),
        (FaultMode::Html, DiagnosisCode::HtmlPage),
        (FaultMode::Quoted, DiagnosisCode::Ok),
        (FaultMode::AuthRequired, DiagnosisCode::AuthRequired),
        (FaultMode::MethodNotAllowed, DiagnosisCode::Ok),
        (FaultMode::DoubleUrlDecode, DiagnosisCode::Ok),
    ] {
        let rx = receiver(Some(fault)).await;
        let report = send_event_to(&rx).await;
        assert_eq!(report.diagnosis.code, want.to_string(), "{fault}");
        assert_code(&report, want);
    }
    let rx = receiver_with(Credentials::new(TOKEN, AES_KEY, "wwother"), None, None).await;
    let report = send_event_to(&rx).await;
    assert_code(&report, DiagnosisCode::HttpStatus);
}

#[tokio::test]
async fn the_chosen_language_fills_summary_and_fix() {
    let rx = receiver(Some(FaultMode::Quoted)).await;
    let opts = LadderOptions {
        lang: Lang::Zh,
        ..options(2000)
    };
    let report = live::verify(&rx.callback_url(None), &creds(), &opts)
        .await
        .unwrap();
    let json = serde_json::to_value(&report).unwrap_or_default();
    assert_eq!(json["lang"], "zh");
    let summary = json["diagnosis"]["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("引号"), "{json}");
    assert_eq!(summary, report.diagnosis.summary.zh);
    let en = &json["diagnosis"]["text"]["summary"]["en"];
    assert!(en.as_str().unwrap_or_default().contains("quotes"), "{json}");
}

#[tokio::test]
async fn every_rung_has_a_chinese_detail_when_it_passes_and_when_it_fails() {
    let rx = receiver(None).await;
    let ok = verify_receiver(&rx).await;
    assert_code(&ok, DiagnosisCode::Ok);
    assert_bilingual_details(&ok);
    assert_eq!(
        step(&ok, StepName::Dns).detail.zh,
        "127.0.0.1 是 IP 地址，无需解析"
    );
    let tcp = step(&ok, StepName::Tcp);
    assert!(tcp.detail.zh.starts_with("已连接 127.0.0.1:"), "{tcp:?}");
    let tls = step(&ok, StepName::Tls);
    assert!(tls.detail.zh.contains("不使用 TLS"), "{tls:?}");
    let http = step(&ok, StepName::Http);
    assert!(http.detail.zh.contains("HTTP 200，19 字节"), "{http:?}");
    let reply = step(&ok, StepName::Reply);
    assert!(
        reply.detail.zh.contains("echostr 完全一致（19 字节）"),
        "{reply:?}"
    );

    let rx = receiver(Some(FaultMode::NotFound)).await;
    let not_found = verify_receiver(&rx).await;
    assert_code(&not_found, DiagnosisCode::HttpStatus);
    assert_bilingual_details(&not_found);
    let http = step(&not_found, StepName::Http);
    assert_eq!(http.status, Status::Fail);
    assert!(http.detail.zh.contains("HTTP 404"), "{http:?}");
    assert_eq!(
        step(&not_found, StepName::Reply).detail.zh,
        "未执行：HTTP 步骤失败"
    );

    let event = send_event_to(&rx).await;
    assert_bilingual_details(&event);
    let event_ok = receiver(None).await;
    let event = send_event_to(&event_ok).await;
    assert_code(&event, DiagnosisCode::Ok);
    assert_detail_has(&event, StepName::Reply, Lang::Zh, "事件已被接收");

    // Nothing listens: the TCP rung fails, the later ones are skipped in Chinese too.
    let addr = refused_addr().await;
    let refused = live::verify(&format!("http://{addr}/cb"), &creds(), &options(2000))
        .await
        .unwrap();
    assert_code(&refused, DiagnosisCode::ConnectRefused);
    assert!(
        step(&refused, StepName::Tcp)
            .detail
            .zh
            .starts_with("连接 127.0.0.1:"),
        "{refused:?}"
    );
    assert_eq!(
        step(&refused, StepName::Tls).detail.zh,
        "未执行：TCP 步骤失败"
    );
}

#[tokio::test]
async fn bad_input_is_an_error_not_a_report() {
    let bad_key = Credentials::new(TOKEN, "too-short", CORP_ID);
    let bad_ca = LadderOptions {
        ca_cert_pem: Some(b"nope".to_vec()),
        ..options(1000)
    };
    for (url, credentials, opts, code) in [
        ("ftp://x/", creds(), options(1000), "invalid_url"),
        (
            "http://127.0.0.1:9/",
            bad_key,
            options(1000),
            "invalid_credentials",
        ),
        ("https://127.0.0.1:9/", creds(), bad_ca, "invalid_pem"),
    ] {
        let err = live::verify(url, &credentials, &opts)
            .await
            .expect_err(code);
        assert_eq!(err.code().as_str(), code, "{url}");
        assert!(!err.to_string().contains(TOKEN), "{code}: {err}");
    }
}

#[test]
fn the_checks_and_the_receiver_can_run_on_any_runtime_thread() {
    // The desktop app spawns these on its (multi-thread) runtime: the futures must be Send.
    fn assert_send<T: Send>(_: &T) {}
    let c = creds();
    let o = LadderOptions::default();
    assert_send(&live::verify("http://127.0.0.1:9/", &c, &o));
    assert_send(&live::send_event("http://127.0.0.1:9/", &c, &o));
    let config = live::ReceiverConfig {
        credentials: c.clone(),
        tls: None,
        fault: None,
        path: None,
    };
    assert_send(&live::receiver::bind(
        config,
        "127.0.0.1:0".parse().unwrap(),
    ));
    fn assert_sync<T: Send + Sync>() {}
    assert_sync::<live::ReceiverHandle>();
    assert_sync::<live::Report>();
}
