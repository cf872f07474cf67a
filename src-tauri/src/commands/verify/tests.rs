//! The Verify commands through IPC on the open plan: refused with the blocking field until the
//! plan has what the check needs; in demo mode green against the built-in receiver, each fault
//! diagnosed, the receiver following the plan's credentials; the reports kept with the plan and
//! dropped once they no longer match it.

use crate::commands::test_support::{Mock, rungs, status, wizard_step};
use serde_json::{Value, json};

/// The demo plan's Token and EncodingAESKey appear in no report.
fn no_secret(view: &Value, report: &Value) {
    let text = report.to_string();
    for k in ["token", "encoding_aes_key"] {
        let secret = view["secrets"][k].as_str().unwrap();
        assert!(!text.contains(secret), "{k} in the report");
    }
}

/// The diagnosis code of a check of `url` with the credentials of the plan `demo` (a view of
/// `plan_demo`): `connect_refused` once the demo receiver that was there is stopped.
fn code_with_demo_credentials(demo: &Value, url: &str) -> String {
    let creds = live::Credentials::new(
        demo["secrets"]["token"].as_str().unwrap(),
        demo["secrets"]["encoding_aes_key"].as_str().unwrap(),
        demo["plan"]["wecom"]["corp_id"].as_str().unwrap(),
    );
    let report =
        tauri::async_runtime::block_on(live::verify(url, &creds, &live::LadderOptions::default()))
            .unwrap();
    report.diagnosis.code
}

#[test]
fn a_remote_page_may_not_call_the_verify_commands() {
    Mock::new().assert_remote_refused(&["check_callback", "start_receiver", "fault_modes"]);
}

#[test]
fn without_a_plan_or_with_missing_values_the_check_refuses_and_names_the_field() {
    let m = Mock::new();
    let e = m
        .invoke("check_callback", json!({"event": false}))
        .unwrap_err();
    assert_eq!(e["code"], "no_plan", "{e}");
    let v = m.answer("plan_new", json!({}));
    let blockers: Vec<_> = v["verify_target"]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        blockers,
        [
            "resources.domain",
            "wecom.corp_id",
            "secrets.token",
            "secrets.encoding_aes_key"
        ]
    );
    assert_eq!(v["verify_target"]["url"], Value::Null);
    assert_eq!(v["verify_target"]["receiver"], false);
    let e = m
        .invoke("check_callback", json!({"event": false}))
        .unwrap_err();
    assert_eq!(e["code"], "verify_not_ready", "{e}");
    assert_eq!(e["params"]["field"], "resources.domain");
    assert_eq!(e["params"]["issue"], "domain_missing");
    let e = m
        .invoke("check_callback", json!({"event": true}))
        .unwrap_err();
    assert_eq!(e["code"], "verify_not_ready", "{e}");
    // The built-in receiver is the demo's stand-in only.
    let e = m
        .invoke("start_receiver", json!({"fault": null}))
        .unwrap_err();
    assert_eq!(e["code"], "not_demo", "{e}");
}

#[test]
fn a_real_plan_is_checked_at_its_callback_url_and_the_report_goes_when_the_url_changes() {
    let m = Mock::new();
    // A demo first: its receiver must not outlive it into the real plan's checks.
    let demo = m.answer("plan_demo", json!({}));
    let receiver_url = demo["receiver"]["url"].as_str().unwrap().to_owned();
    m.answer("plan_new", json!({}));
    m.answer("plan_generate_secrets", json!({}));
    m.update(
        "wecom",
        json!({"corp_id": "ww0123456789abcdef", "agent_id": null}),
    );
    // `.invalid` never resolves (RFC 6761): the ladder stops at DNS, offline or not.
    let v = m.update(
        "resources",
        json!({"domain": "qa.example.invalid", "public_ip": null, "wecom_users": null}),
    );
    let url = "https://qa.example.invalid/restapi/thirdservice/we/com/inner/event/oneparty/callback/ww0123456789abcdef";
    assert_eq!(v["verify_target"]["url"], url);
    assert_eq!(v["verify_target"]["blockers"], json!([]));
    let v = m.answer("check_callback", json!({"event": false}));
    let r = &v["verification"];
    assert_eq!(r["url"], url, "{r}");
    assert_eq!(r["ok"], false);
    assert_eq!(r["diagnosis"]["code"], "dns_failed", "{r}");
    assert_eq!(rungs(r)[0], "dns:fail");
    no_secret(&v, r);
    assert_eq!(
        code_with_demo_credentials(&demo, &receiver_url),
        "connect_refused",
        "the demo receiver is stopped"
    );
    // A failed verification warns with its reason; it does not block.
    assert_eq!(status(&v, "verify"), "warning");
    let reason = wizard_step(&v, "verify")["reason"].clone();
    assert!(!reason["zh"].as_str().unwrap().is_empty(), "{reason}");
    // Another URL: the report vouched for the old one and is dropped.
    let v = m.update(
        "resources",
        json!({"domain": "qa2.example.invalid", "public_ip": null, "wecom_users": null}),
    );
    assert_eq!(v["verification"], Value::Null);
    assert_eq!(status(&v, "verify"), "not_started");
}

#[test]
fn the_demo_goes_green_then_each_picked_fault_is_diagnosed_then_green_again() {
    let m = Mock::new();
    let demo = m.answer("plan_demo", json!({}));
    assert_eq!(demo["verify_target"]["receiver"], true);
    let first_url = demo["verify_target"]["url"].as_str().unwrap().to_owned();
    assert!(first_url.starts_with("https://127.0.0.1:"), "{first_url}");

    let v = m.answer("check_callback", json!({"event": false}));
    let r = &v["verification"];
    assert_eq!(r["diagnosis"]["code"], "ok", "{r}");
    assert_eq!(
        rungs(r),
        [
            "dns:pass",
            "tcp:pass",
            "tls:pass",
            "http:pass",
            "reply:pass"
        ]
    );
    assert_eq!(r["url"], first_url);
    assert_eq!(status(&v, "verify"), "done");
    no_secret(&v, r);
    let v = m.answer("check_callback", json!({"event": true}));
    assert_eq!(v["event_report"]["ok"], true, "{v}");
    assert_eq!(v["event_report"]["check"], "event");
    assert_eq!(
        v["verification"]["ok"], true,
        "the same inputs keep both reports"
    );

    let v = m.answer("start_receiver", json!({"fault": "wrong_key"}));
    assert_eq!(v["receiver"]["fault"], "wrong_key");
    assert_eq!(
        v["verification"],
        Value::Null,
        "made against another receiver"
    );
    assert_eq!(v["event_report"], Value::Null);
    let v = m.answer("check_callback", json!({"event": false}));
    assert_eq!(v["verification"]["diagnosis"]["code"], "wrong_plaintext");
    assert_eq!(status(&v, "verify"), "warning");
    // The first receiver was stopped when the second started.
    if v["receiver"]["url"] != first_url.as_str() {
        assert_eq!(
            code_with_demo_credentials(&demo, &first_url),
            "connect_refused"
        );
    }

    let v = m.answer("start_receiver", json!({"fault": "not_found"}));
    let v2 = m.answer("check_callback", json!({"event": false}));
    assert_eq!(v2["verification"]["diagnosis"]["code"], "http_status");
    assert_eq!(v2["verification"]["url"], v["receiver"]["url"]);

    let v = m.answer("start_receiver", json!({"fault": null}));
    assert_eq!(v["receiver"]["fault"], Value::Null);
    let v = m.answer("check_callback", json!({"event": false}));
    assert_eq!(v["verification"]["diagnosis"]["code"], "ok");
    assert_eq!(status(&v, "verify"), "done");
}

#[test]
fn a_new_pair_in_the_demo_restarts_the_receiver_for_it_keeping_its_fault() {
    let m = Mock::new();
    m.answer("plan_demo", json!({}));
    m.answer("check_callback", json!({"event": false}));
    m.answer("start_receiver", json!({"fault": "quoted"}));
    let v = m.answer("plan_generate_secrets", json!({}));
    assert_eq!(v["verification"], Value::Null, "the old pair's report goes");
    let v = m.answer("check_callback", json!({"event": false}));
    assert_eq!(v["receiver"]["fault"], "quoted");
    assert_eq!(v["verification"]["diagnosis"]["code"], "quoted", "{v}");
    let v = m.answer("start_receiver", json!({"fault": null}));
    let v2 = m.answer("check_callback", json!({"event": false}));
    assert_eq!(v2["verification"]["diagnosis"]["code"], "ok", "{v2}");
    assert_eq!(v2["receiver"]["url"], v["receiver"]["url"]);
}

#[test]
fn the_picker_offers_every_fault_of_the_receiver() {
    use strum::IntoEnumIterator;
    let v = Mock::new().answer("fault_modes", json!({}));
    let listed: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect();
    let all: Vec<String> = live::FaultMode::iter()
        .map(|f| {
            serde_json::to_value(f)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(listed, all);
    assert!(listed.len() >= 21, "{listed:?}");
}

#[test]
fn a_check_shows_its_rungs_as_they_come_and_a_cancel_ends_it_at_once_keeping_nothing() {
    let m = Mock::new();
    m.answer("plan_demo", json!({}));
    m.answer("start_receiver", json!({"fault": "hang"}));
    let invoke = m.invoker();
    let started = std::time::Instant::now();
    let running = std::thread::spawn(move || {
        let r = invoke(
            "check_callback",
            json!({"event": false, "job": "verify-1", "on_rung": "__CHANNEL__:7"}),
        );
        (r, started.elapsed())
    });
    // The receiver accepts and never answers: DNS, TCP and TLS pass, then the request waits.
    let deadline = started + std::time::Duration::from_secs(3);
    while m.channel(7).len() < 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let live: Vec<String> = m
        .channel(7)
        .iter()
        .map(|r| {
            format!(
                "{}:{}:{}",
                r["probe"],
                r["name"].as_str().unwrap(),
                r["status"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        live,
        ["0:dns:pass", "0:tcp:pass", "0:tls:pass"],
        "before the cancel"
    );
    assert!(!running.is_finished(), "still waiting for the reply");
    assert!(!m.channel(7)[0]["detail"]["zh"].as_str().unwrap().is_empty());
    std::thread::sleep(std::time::Duration::from_millis(200));
    let cancelled_at = started.elapsed();
    assert_eq!(m.answer("cancel_job", json!({"job": "verify-1"})), true);
    let (r, took) = running.join().unwrap();
    let e = r.unwrap_err();
    assert_eq!(e["code"], "cancelled", "{e}");
    assert!(
        took < cancelled_at + std::time::Duration::from_millis(500),
        "answered {took:?}, cancelled at {cancelled_at:?} (the check's own timeout is 5 s)"
    );
    assert!(took < std::time::Duration::from_secs(4), "{took:?}");
    // Nothing is kept from a cancelled check, and its job is gone.
    let v = m.answer("plan_get", json!({}));
    assert_eq!(v["verification"], Value::Null);
    assert_eq!(status(&v, "verify"), "not_started");
    assert_eq!(m.answer("cancel_job", json!({"job": "verify-1"})), false);
    // The receiver behaving again: the next check runs green under the same id.
    m.answer("start_receiver", json!({"fault": null}));
    let v = m.answer(
        "check_callback",
        json!({"event": false, "job": "verify-1", "on_rung": "__CHANNEL__:8"}),
    );
    assert_eq!(v["verification"]["diagnosis"]["code"], "ok");
    // Each probe's rungs came live; the last probe's are the report's.
    let sent = m.channel(8);
    let last = sent
        .iter()
        .map(|r| r["probe"].as_u64().unwrap())
        .max()
        .unwrap();
    let last_rungs: Vec<Value> = sent
        .iter()
        .filter(|r| r["probe"] == last || r["name"] == "dns")
        .map(|r| json!([r["name"], r["status"]]))
        .collect();
    let report_rungs: Vec<Value> = v["verification"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| json!([s["name"], s["status"]]))
        .collect();
    assert_eq!(last_rungs, report_rungs);
    assert_eq!(last + 1, live::VERIFY_PROBES as u64);
}
