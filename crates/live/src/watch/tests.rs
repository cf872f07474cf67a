use super::*;
use crate::receiver::{self, ReceiverConfig};
use crate::wecom_api::fake::{FakeWecomApi, FakeWecomConfig};
use setup_core::plan::{Plan, Secrets, save_plan, save_secrets};
use setup_core::secret::Secret;
use std::path::PathBuf;

const TOKEN: &str = "QDG6eK0123456789abcdefghijklmnop";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

fn creds(corp_id: &str) -> Credentials {
    Credentials::new(TOKEN, KEY, corp_id)
}

async fn receiver(corp_id: &str) -> receiver::ReceiverHandle {
    let config = ReceiverConfig {
        credentials: creds(corp_id),
        tls: None,
        fault: None,
        path: None,
    };
    receiver::bind(config, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("receiver")
}

/// A receiver on a free port and the callback-only targets that watch it.
async fn receiver_and_targets() -> (receiver::ReceiverHandle, WatchTargets) {
    let corp_id = "ww0123456789abcdef";
    let handle = receiver(corp_id).await;
    let targets = WatchTargets {
        url: handle.callback_url(None),
        credentials: creds(corp_id),
        ladder: LadderOptions::default(),
        wecom: None,
        database: None,
    };
    (handle, targets)
}

/// A plan whose secrets hold the test pair and the fake's app Secret.
fn plan_file(dir: &Path, fake: &FakeWecomConfig) -> PathBuf {
    let mut plan = Plan::demo();
    plan.wecom.corp_id = Some(fake.corp_id.clone());
    plan.wecom.agent_id = i64::try_from(fake.agent_id).ok();
    let path = dir.join("plan.toml");
    save_plan(&path, &plan).expect("plan");
    let secrets = Secrets {
        token: Some(Secret::new(TOKEN)),
        encoding_aes_key: Some(Secret::new(KEY)),
        app_secret: Some(Secret::new(fake.secret.clone())),
        ..Secrets::default()
    };
    save_secrets(&dir.join("plan.secrets.toml"), &secrets).expect("secrets");
    path
}

#[tokio::test]
async fn a_plan_round_runs_the_verification_and_the_wecom_check_and_both_pass() {
    let fake_config = FakeWecomConfig::default();
    let fake = FakeWecomApi::start(fake_config.clone())
        .await
        .expect("fake");
    let handle = receiver(&fake_config.corp_id).await;
    let dir = tempfile::tempdir().expect("dir");
    let plan = plan_file(dir.path(), &fake_config);
    let t = WatchTargets::from_plan(
        &plan,
        Some(handle.callback_url(None)),
        Some(fake.base_url()),
        LadderOptions::default(),
    )
    .expect("targets");
    let r = round(&t, 1).await.expect("round");
    let labels: Vec<_> = r.reports.iter().map(CheckReport::label).collect();
    assert_eq!(labels, ["callback", "wecom"]);
    assert!(r.ok(), "{:?}", r.reports);
    assert_eq!(fake.gettoken_calls(), 1);
    let json = serde_json::to_string(&r.reports).expect("json");
    assert!(!json.contains(TOKEN) && !json.contains(KEY) && !json.contains(&fake_config.secret));
}

#[tokio::test]
async fn without_url_the_plan_gives_the_callback_url_of_its_domain() {
    let dir = tempfile::tempdir().expect("dir");
    let plan = plan_file(dir.path(), &FakeWecomConfig::default());
    let t = WatchTargets::from_plan(&plan, None, None, LadderOptions::default()).expect("targets");
    assert_eq!(
        t.url,
        "https://qawecom.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/ww5f3a1c2b9d8e7f60"
    );
}

#[tokio::test]
async fn count_bounds_the_rounds_and_a_receiver_gone_fails_the_next_one() {
    let (handle, t) = receiver_and_targets().await;
    let schedule = Schedule {
        interval: Duration::from_millis(10),
        count: Some(2),
    };
    let mut seen = Vec::new();
    let last = watch(&t, schedule, std::future::pending(), |r| {
        seen.push((r.number, r.ok()))
    })
    .await
    .expect("watch");
    assert_eq!(seen, [(1, true), (2, true)]);
    assert!(last.is_some_and(|r| r.ok()));
    handle.shutdown().await;
    let down = round(&t, 3).await.expect("round");
    assert!(!down.ok());
    let CheckReport::Callback(report) = &down.reports[0] else {
        panic!("a callback report first");
    };
    assert_eq!(report.diagnosis.code, "connect_refused");
}

#[tokio::test]
async fn the_stop_signal_ends_an_endless_watch_between_rounds() {
    let (_handle, t) = receiver_and_targets().await;
    let schedule = Schedule {
        interval: Duration::from_secs(3600),
        count: None,
    };
    let stop = tokio::time::sleep(Duration::from_millis(300));
    let mut rounds = 0;
    let last = tokio::time::timeout(
        Duration::from_secs(10),
        watch(&t, schedule, stop, |_| rounds += 1),
    )
    .await
    .expect("stopped well before the next round")
    .expect("watch");
    assert_eq!(rounds, 1);
    assert_eq!(last.map(|r| r.number), Some(1));
}

#[tokio::test]
async fn the_textfile_has_help_type_and_one_sample_per_check() {
    let (_handle, t) = receiver_and_targets().await;
    let r = round(&t, 1).await.expect("round");
    let text = textfile::render(&r);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 9, "{text}");
    assert_eq!(
        lines[0],
        "# HELP qa_wecom_callback_ok 1 when the last check passed, 0 when it failed."
    );
    assert_eq!(lines[1], "# TYPE qa_wecom_callback_ok gauge");
    assert_eq!(lines[2], "qa_wecom_callback_ok{check=\"callback\"} 1");
    assert!(lines[5].starts_with("qa_wecom_check_duration_seconds{check=\"callback\"} 0."));
    let stamp: f64 = lines[8]
        .strip_prefix("qa_wecom_last_check_timestamp_seconds{check=\"callback\"} ")
        .and_then(|v| v.parse().ok())
        .expect("a timestamp");
    let now = SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs_f64();
    assert!((now - stamp).abs() < 60.0, "{stamp} vs {now}");
}

#[test]
fn a_plan_gives_its_eip_as_the_address_the_domain_should_resolve_to_unless_one_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    let path = plan_file(dir.path(), &FakeWecomConfig::default());
    let mut plan = setup_core::plan::load_plan(&path).expect("plan");
    plan.resources.public_ip = Some(" 198.51.100.23 ".into());
    save_plan(&path, &plan).expect("plan");

    let from_plan =
        WatchTargets::from_plan(&path, None, None, LadderOptions::default()).expect("targets");
    assert_eq!(
        from_plan.ladder.expected_ip,
        Some("198.51.100.23".parse().expect("ip"))
    );

    let named = LadderOptions {
        expected_ip: Some("203.0.113.9".parse().expect("ip")),
        ..LadderOptions::default()
    };
    let flagged = WatchTargets::from_plan(&path, None, None, named).expect("targets");
    assert_eq!(
        flagged.ladder.expected_ip,
        Some("203.0.113.9".parse().expect("ip"))
    );
}
