//! The WeCom check's progress: each step reaches the caller as it is recorded (probe 0), in the
//! report's order and equal to the report's steps, while the check still runs.

#[path = "support/progress.rs"]
mod progress;

use std::time::{Duration, Instant};

use live::wecom_api::fake::{FakeWecomApi, FakeWecomConfig};
use live::wecom_api::{WecomCheckRequest, check_with_progress};
use progress::recording;
use secrecy::SecretString;

fn request(fake: &FakeWecomApi, cfg: &FakeWecomConfig) -> WecomCheckRequest {
    WecomCheckRequest {
        agent_id: Some(cfg.agent_id),
        api_base: Some(fake.base_url()),
        ..WecomCheckRequest::new(cfg.corp_id.clone(), SecretString::from(cfg.secret.clone()))
    }
}

#[tokio::test]
async fn each_step_arrives_while_the_check_runs_and_equals_the_reports() {
    let cfg = FakeWecomConfig {
        delay: Duration::from_millis(150),
        ..FakeWecomConfig::default()
    };
    let fake = FakeWecomApi::start(cfg.clone()).await.expect("fake starts");
    let (progress, seen) = recording();
    let report = check_with_progress(&request(&fake, &cfg), &progress)
        .await
        .expect("valid input");
    let ended = Instant::now();
    assert!(report.ok, "{:?}", report.diagnosis);
    let seen = seen.lock().unwrap();
    let sent: Vec<(String, String, String)> = seen
        .iter()
        .map(|sent| {
            assert_eq!(sent.probe, 0);
            (
                sent.name.clone(),
                format!("{:?}", sent.status),
                sent.detail.clone(),
            )
        })
        .collect();
    let recorded: Vec<(String, String, String)> = report
        .steps
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                format!("{:?}", s.status),
                s.detail.en.clone(),
            )
        })
        .collect();
    assert_eq!(sent, recorded);
    assert_eq!(
        sent.len(),
        4,
        "gettoken, customer_contact, agent, callback_ip"
    );
    // The first step came a request (150 ms) or more before the end: live, not at the end.
    let first = seen[0].at;
    assert!(
        ended.duration_since(first) >= Duration::from_millis(250),
        "gettoken arrived {:?} before the end",
        ended.duration_since(first)
    );
}

#[tokio::test]
async fn a_failed_gettoken_sends_its_failure_then_the_skips_with_no_secret() {
    let cfg = FakeWecomConfig::default();
    let fake = FakeWecomApi::start(cfg.clone()).await.expect("fake starts");
    let wrong = "WrongSecretWrongSecretWrongSecretWrong12345";
    let req = WecomCheckRequest {
        secret: SecretString::from(wrong.to_owned()),
        ..request(&fake, &cfg)
    };
    let (progress, seen) = recording();
    let report = check_with_progress(&req, &progress)
        .await
        .expect("valid input");
    assert!(!report.ok);
    let seen = seen.lock().unwrap();
    let sent: Vec<String> = seen
        .iter()
        .map(|sent| format!("{}:{:?}", sent.name, sent.status))
        .collect();
    assert_eq!(
        sent,
        [
            "gettoken:Fail",
            "customer_contact:Skip",
            "agent:Skip",
            "callback_ip:Skip"
        ]
    );
    for sent in seen.iter() {
        assert!(!sent.detail.contains(wrong), "{}", sent.detail);
    }
}
