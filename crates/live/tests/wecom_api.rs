//! The WeCom API check against the fake WeCom API on loopback: every documented reply shape, the
//! failure knobs, the time and size bounds, gettoken exactly once per check, and no secret or
//! access_token in any output.

use std::time::{Duration, Instant};

use live::Status;
use live::wecom_api::fake::{FakeWecomApi, FakeWecomConfig};
use live::wecom_api::{
    WecomCheckError, WecomCheckReport, WecomCheckRequest, WecomDiagnosisCode as Code,
    WecomStepName, check,
};
use secrecy::SecretString;

const SECRET: &str = "S3cr3t-VALUE-that-must-never-leak-0123456789";
const TOKEN: &str = "TOKEN-recognisable-ACCESS-token-zz9plural";

fn config() -> FakeWecomConfig {
    FakeWecomConfig {
        secret: SECRET.into(),
        access_token: TOKEN.into(),
        ..FakeWecomConfig::default()
    }
}

fn request(fake: &FakeWecomApi, cfg: &FakeWecomConfig) -> WecomCheckRequest {
    WecomCheckRequest {
        corp_id: cfg.corp_id.clone(),
        secret: SecretString::from(cfg.secret.clone()),
        agent_id: Some(cfg.agent_id),
        api_base: Some(fake.base_url()),
        timeout: Duration::from_secs(5),
        lang: live::Lang::En,
    }
}

/// Runs one check against a fresh fake with `config()` changed by `knob`, with the request to it
/// changed by `edit` first; returns the report and the fake.
async fn run_edited(
    knob: impl FnOnce(&mut FakeWecomConfig),
    edit: impl FnOnce(&mut WecomCheckRequest),
) -> (WecomCheckReport, FakeWecomApi) {
    let mut cfg = config();
    knob(&mut cfg);
    let fake = FakeWecomApi::start(cfg.clone()).await.expect("fake starts");
    let mut req = request(&fake, &cfg);
    edit(&mut req);
    let report = check(&req).await.expect("valid input");
    (report, fake)
}

/// Runs one check against a fresh fake with `config()` changed by `knob`, returning the report and
/// the fake.
async fn run(knob: impl FnOnce(&mut FakeWecomConfig)) -> (WecomCheckReport, FakeWecomApi) {
    let (report, fake) = run_edited(knob, |_| {}).await;
    assert_eq!(fake.gettoken_calls(), 1, "gettoken exactly once per check");
    assert_no_secret(&report);
    (report, fake)
}

fn assert_no_secret(report: &WecomCheckReport) {
    let json = serde_json::to_string(report).expect("serialises");
    let debug = format!("{report:?}");
    for text in [&json, &debug] {
        assert!(!text.contains(SECRET), "secret leaked: {text}");
        assert!(!text.contains(TOKEN), "access_token leaked: {text}");
    }
}

/// The report's diagnosis code, with the report printed when it is not `want`.
#[track_caller]
fn assert_code(report: &WecomCheckReport, want: Code) {
    assert_eq!(report.diagnosis.code, <&str>::from(want), "{report:#?}");
}

fn status(report: &WecomCheckReport, name: WecomStepName) -> Status {
    report.step(name).map(|s| s.status).expect("step present")
}

#[tokio::test]
async fn healthy_app_passes_every_step_with_gettoken_once() {
    let (report, fake) = run(|_| {}).await;
    assert!(report.ok, "{report:#?}");
    assert_code(&report, Code::Ok);
    let names: Vec<_> = report.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["gettoken", "customer_contact", "agent", "callback_ip"]
    );
    assert!(report.steps.iter().all(|s| s.status == Status::Pass));
    assert_eq!(fake.follow_user_list_calls(), 1);
    assert_eq!(fake.agent_get_calls(), 1);
    assert_eq!(fake.callback_ip_calls(), 1, "with the same token");
    assert_eq!(report.facts.callback_ips, config().callback_ips);
    assert!(report.warnings.is_empty());
    assert!(
        report.steps[2]
            .detail
            .en
            .contains("1 member(s), 1 department(s)")
    );
}

#[tokio::test]
async fn wecom_callback_ips_are_advisory_a_failure_is_a_warning() {
    let (report, fake) = run(|c| c.callback_ip_errcode = Some(48002)).await;
    assert!(report.ok, "{report:#?}");
    assert_code(&report, Code::Ok);
    assert_eq!(status(&report, WecomStepName::CallbackIp), Status::Warn);
    let codes: Vec<&str> = report.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["callback_ip_unavailable"]);
    let w = &report.warnings[0];
    assert_eq!(w.severity, setup_core::report::Severity::Warning);
    assert!(
        w.summary.en.contains("48002") || w.summary.en.contains("may not call"),
        "{w:?}"
    );
    assert!(w.fix.en.contains("getcallbackip"), "{w:?}");
    assert!(report.facts.callback_ips.is_empty());
    assert_eq!(fake.callback_ip_calls(), 1);
    // A check time, to date the list by.
    assert!(report.facts.checked_at.ends_with('Z'));
}

#[tokio::test]
async fn success_body_without_errcode_counts_as_success() {
    let (report, _fake) = run(|c| c.omit_errcode_on_success = true).await;
    assert!(report.ok, "{report:#?}");
    assert_eq!(status(&report, WecomStepName::Gettoken), Status::Pass);
}

#[tokio::test]
async fn wrong_secret_is_40001_and_skips_the_probes() {
    let (report, fake) = run_edited(
        |_| {},
        |req| req.secret = SecretString::from("wrong-secret-also-never-printed".to_owned()),
    )
    .await;
    assert_eq!(fake.gettoken_calls(), 1, "never retried");
    assert!(!report.ok);
    assert_code(&report, Code::InvalidSecret);
    assert_eq!(report.diagnosis.param("errcode"), "40001");
    assert!(
        report.diagnosis.fix.en.contains("45009"),
        "warns about the IP block"
    );
    assert!(!report.diagnosis.fix.zh.is_empty());
    assert_eq!(
        status(&report, WecomStepName::CustomerContact),
        Status::Skip
    );
    assert_eq!(status(&report, WecomStepName::Agent), Status::Skip);
    assert_eq!(fake.follow_user_list_calls() + fake.agent_get_calls(), 0);
    let json = serde_json::to_string(&report).expect("serialises");
    assert!(!json.contains("wrong-secret-also-never-printed"));
}

#[tokio::test]
async fn wrong_corpid_is_40013() {
    let (report, fake) = run_edited(|_| {}, |req| req.corp_id = "wwffffffffffffffff".into()).await;
    assert_eq!(fake.gettoken_calls(), 1);
    assert_code(&report, Code::InvalidCorpId);
    assert!(report.steps[0].detail.en.starts_with("errcode 40013"));
    assert!(report.diagnosis.fix.en.contains("Company ID"));
    assert!(report.diagnosis.fix.zh.contains("企业ID"));
}

#[tokio::test]
async fn customer_contact_48002_says_the_app_is_not_in_the_api_list() {
    let (report, _fake) = run(|c| c.customer_contact_errcode = Some(48002)).await;
    assert!(!report.ok);
    assert_code(&report, Code::NotInCustomerContactApiList);
    assert_eq!(
        status(&report, WecomStepName::CustomerContact),
        Status::Fail
    );
    assert_eq!(status(&report, WecomStepName::Agent), Status::Pass);
    assert!(report.diagnosis.fix.en.contains(
        "Customers & Upstream/Downstream → Customer Contact → Customers → API → Apps that may call the API"
    ));
    assert!(
        report
            .diagnosis
            .fix
            .zh
            .contains("客户与上下游 → 客户联系 → 客户 → API → 可调用接口的应用")
    );
}

#[tokio::test]
async fn untrusted_ip_60020_names_the_from_ip_and_the_order_of_steps() {
    let (report, _fake) =
        run(|c| c.trusted_ips = Some(vec!["203.0.113.9".parse().expect("ip")])).await;
    assert!(!report.ok);
    assert_code(&report, Code::IpNotAllowed);
    assert_eq!(report.diagnosis.param("errcode"), "60020");
    // The fake reports the caller's address, as WeCom does.
    assert_eq!(report.facts.egress_ip.as_deref(), Some("127.0.0.1"));
    assert!(report.diagnosis.summary.en.contains("127.0.0.1"));
    assert!(report.diagnosis.fix.en.contains("Add exactly 127.0.0.1"));
    assert!(report.diagnosis.fix.en.contains("after the callback URL"));
    assert!(report.diagnosis.fix.en.contains("minute"));
    assert!(report.diagnosis.fix.zh.contains("127.0.0.1"));
    assert_eq!(status(&report, WecomStepName::Gettoken), Status::Pass);
    assert_eq!(
        status(&report, WecomStepName::CustomerContact),
        Status::Fail
    );
}

#[tokio::test]
async fn rate_limit_45009_is_diagnosed_and_not_retried() {
    let (report, fake) = run(|c| c.gettoken_errcode = Some(45009)).await;
    assert_code(&report, Code::RateLimited);
    assert!(report.diagnosis.fix.en.contains("hour"));
    assert_eq!(fake.follow_user_list_calls(), 0);
}

#[tokio::test]
async fn unknown_errcode_links_to_the_official_lookup() {
    let (report, _fake) = run(|c| c.gettoken_errcode = Some(86001)).await;
    assert_code(&report, Code::UnknownErrcode);
    assert_eq!(
        report.diagnosis.param("help_url"),
        "https://open.work.weixin.qq.com/devtool/query?e=86001"
    );
}

#[tokio::test]
async fn empty_visible_range_fails_the_agent_step() {
    let (report, _fake) = run(|c| {
        c.visible_users = vec![];
        c.visible_departments = vec![];
        c.visible_tags = vec![];
    })
    .await;
    assert!(!report.ok);
    assert_code(&report, Code::EmptyVisibleRange);
    assert_eq!(status(&report, WecomStepName::Agent), Status::Fail);
    assert!(report.diagnosis.fix.en.contains("Visible Range"));
    assert!(report.diagnosis.fix.zh.contains("可见范围"));
}

#[tokio::test]
async fn no_follow_users_is_a_warning_not_a_failure() {
    let (report, _fake) = run(|c| c.follow_users = vec![]).await;
    assert!(report.ok);
    assert_eq!(
        status(&report, WecomStepName::CustomerContact),
        Status::Warn
    );
    assert_code(&report, Code::NoFollowUsers);
}

#[tokio::test]
async fn without_agent_id_the_visible_range_step_is_skipped() {
    let (report, fake) = run_edited(|_| {}, |req| req.agent_id = None).await;
    assert!(report.ok);
    assert_eq!(status(&report, WecomStepName::Agent), Status::Skip);
    assert_eq!(fake.agent_get_calls(), 0);
}

#[tokio::test]
async fn wrong_agent_id_is_40056() {
    let (report, _fake) = run_edited(|_| {}, |req| req.agent_id = Some(42)).await;
    assert_code(&report, Code::InvalidAgentId);
    assert_eq!(status(&report, WecomStepName::Agent), Status::Fail);
}

#[tokio::test]
async fn slow_reply_times_out_within_the_budget() {
    let started = Instant::now();
    let (report, fake) = run_edited(
        |c| c.delay = Duration::from_secs(3),
        |req| req.timeout = Duration::from_millis(300),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "bounded by the budget"
    );
    assert_eq!(fake.gettoken_calls(), 1);
    assert!(!report.ok);
    assert_code(&report, Code::Timeout);
    assert_eq!(
        status(&report, WecomStepName::CustomerContact),
        Status::Skip
    );
    assert_no_secret(&report);
}

#[tokio::test]
async fn slow_probe_spends_the_budget_and_the_rest_is_skipped() {
    // gettoken answers in time only because the delay is shorter than the budget; the first probe
    // then runs past it.
    let (report, fake) = run_edited(
        |c| c.delay = Duration::from_millis(300),
        |req| req.timeout = Duration::from_millis(600),
    )
    .await;
    assert_eq!(status(&report, WecomStepName::Gettoken), Status::Pass);
    assert_eq!(
        status(&report, WecomStepName::CustomerContact),
        Status::Fail
    );
    assert_eq!(status(&report, WecomStepName::Agent), Status::Skip);
    assert_code(&report, Code::Timeout);
    assert_eq!(fake.agent_get_calls(), 0);
}

#[tokio::test]
async fn malformed_json_is_diagnosed() {
    let (report, _fake) = run(|c| c.malformed = true).await;
    assert!(!report.ok);
    assert_code(&report, Code::MalformedReply);
    assert_eq!(status(&report, WecomStepName::Gettoken), Status::Fail);
}

#[tokio::test]
async fn oversized_body_is_cut_off_as_body_too_large() {
    let (report, _fake) = run(|c| c.oversized = true).await;
    assert_code(&report, Code::BodyTooLarge);
}

#[tokio::test]
async fn refused_connection_is_diagnosed() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let req = WecomCheckRequest {
        api_base: Some(format!("http://127.0.0.1:{port}")),
        ..WecomCheckRequest::new("ww0123456789abcdef", SecretString::from(SECRET.to_owned()))
    };
    let report = check(&req).await.expect("valid input");
    assert_code(&report, Code::ConnectRefused);
    assert_no_secret(&report);
}

#[tokio::test]
async fn secret_and_token_never_appear_in_any_output() {
    // A passing check (the token was handed out) and a failing one after the token was used.
    let knobs: [fn(&mut FakeWecomConfig); 3] = [
        |_| {},
        |c| c.customer_contact_errcode = Some(48002),
        |c| c.trusted_ips = Some(vec![]),
    ];
    for knob in knobs {
        let (report, _fake) = run(knob).await;
        assert_no_secret(&report);
    }
    let req = WecomCheckRequest::new("ww0123456789abcdef", SecretString::from(SECRET.to_owned()));
    assert!(
        !format!("{req:?}").contains(SECRET),
        "request Debug redacts the secret"
    );
}

#[tokio::test]
async fn unusable_input_is_refused_before_any_request() {
    let cfg = config();
    let fake = FakeWecomApi::start(cfg.clone()).await.expect("fake starts");
    let mut req = request(&fake, &cfg);
    req.corp_id = "  ".into();
    assert_eq!(check(&req).await.err(), Some(WecomCheckError::EmptyCorpId));
    let mut req = request(&fake, &cfg);
    req.secret = SecretString::from(String::new());
    assert_eq!(check(&req).await.err(), Some(WecomCheckError::EmptySecret));
    let mut req = request(&fake, &cfg);
    req.api_base = Some("ftp://example.com".into());
    let err = check(&req).await.expect_err("refused");
    assert_eq!(err.code().as_str(), "invalid_api_base");
    assert!(!err.to_string().contains(SECRET));
    assert_eq!(fake.gettoken_calls(), 0);
}
