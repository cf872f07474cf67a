//! `qa-wecom wecom check` end to end: the binary against the fake WeCom API on loopback — exit
//! codes, the JSON shape, the bilingual human output, gettoken once, and no Secret or access_token
//! anywhere in stdout or stderr.

mod common;

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use live::wecom_api::fake::{FakeWecomApi, FakeWecomConfig};
use serde_json::Value;

const SECRET: &str = "CLI-secret-VALUE-never-printed-5a7d";
const TOKEN: &str = "CLI-TOKEN-recognisable-access-token-77q";

struct Fixture {
    // Declared first: dropped (and the server stopped) before the runtime.
    fake: FakeWecomApi,
    cfg: FakeWecomConfig,
    _rt: tokio::runtime::Runtime,
}

fn fixture(cfg: FakeWecomConfig) -> Fixture {
    let cfg = FakeWecomConfig {
        secret: SECRET.into(),
        access_token: TOKEN.into(),
        ..cfg
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let fake = rt
        .block_on(FakeWecomApi::start(cfg.clone()))
        .expect("fake starts");
    Fixture { fake, cfg, _rt: rt }
}

fn qa_wecom(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qa-wecom"));
    cmd.args(args)
        .env_remove("QA_WECOM_SECRET")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("qa-wecom runs")
}

fn check(fx: &Fixture, extra: &[&str]) -> Output {
    let base = fx.fake.base_url();
    let agent = fx.cfg.agent_id.to_string();
    let mut args = vec![
        "wecom",
        "check",
        "--corp-id",
        &fx.cfg.corp_id,
        "--secret",
        SECRET,
        "--agent-id",
        &agent,
        "--api-base",
        &base,
    ];
    args.extend_from_slice(extra);
    let out = qa_wecom(&args, &[]);
    assert_clean(&out);
    out
}

fn assert_clean(out: &Output) {
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(!text.contains(SECRET), "secret printed: {text}");
        assert!(!text.contains(TOKEN), "access_token printed: {text}");
    }
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

#[test]
fn healthy_app_prints_the_json_report_and_exits_0() {
    let fx = fixture(FakeWecomConfig::default());
    let out = check(&fx, &["--json"]);
    common::assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["diagnosis"]["code"], "ok");
    let steps = v["steps"].as_array().expect("steps");
    let names: Vec<_> = steps
        .iter()
        .map(|s| s["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["gettoken", "customer_contact", "agent"]);
    for s in steps {
        assert_eq!(s["status"], "pass");
        assert!(s["elapsed_ms"].is_u64() && s["detail"].is_string());
        assert!(s["text"]["detail"]["zh"].is_string(), "{s}");
    }
    for key in ["summary", "fix"] {
        assert!(v["diagnosis"][key].is_string(), "{key}");
        assert_eq!(
            v["diagnosis"][key], v["diagnosis"]["text"][key]["en"],
            "{key}"
        );
        assert!(v["diagnosis"]["text"][key]["zh"].is_string(), "{key}");
    }
    assert_eq!(v["check"], "wecom");
    assert_eq!(v["warnings"], serde_json::json!([]));
    assert_eq!(fx.fake.gettoken_calls(), 1);
}

#[test]
fn not_in_api_list_prints_the_chosen_language_and_exits_1() {
    let fx = fixture(FakeWecomConfig {
        customer_contact_errcode: Some(48002),
        ..FakeWecomConfig::default()
    });
    let out = check(&fx, &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAIL  customer_contact"), "{text}");
    assert!(
        text.contains("not_in_customer_contact_api_list (errcode 48002)"),
        "{text}"
    );
    assert!(text.contains("Apps that may call the API"), "{text}");
    assert!(!text.contains("可调用接口的应用"), "{text}");
    assert_eq!(fx.fake.gettoken_calls(), 1);
    let out = check(&fx, &["--lang", "zh"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("可调用接口的应用"), "{text}");
    assert!(
        text.contains("未通过: not_in_customer_contact_api_list (errcode 48002)"),
        "{text}"
    );
}

#[test]
fn untrusted_ip_reports_the_egress_ip_in_json() {
    let fx = fixture(FakeWecomConfig {
        trusted_ips: Some(vec![]),
        ..FakeWecomConfig::default()
    });
    let out = check(&fx, &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["diagnosis"]["code"], "ip_not_allowed");
    assert_eq!(v["diagnosis"]["params"]["errcode"], "60020");
    assert_eq!(v["egress_ip"], "127.0.0.1");
    assert!(
        v["diagnosis"]["fix"]
            .as_str()
            .is_some_and(|f| f.contains("exactly 127.0.0.1"))
    );
}

#[test]
fn secret_from_the_environment_is_used_once_and_never_printed() {
    let fx = fixture(FakeWecomConfig::default());
    let base = fx.fake.base_url();
    let wrong = "env-secret-WRONG-value-not-printed";
    let out = qa_wecom(
        &[
            "wecom",
            "check",
            "--corp-id",
            &fx.cfg.corp_id,
            "--api-base",
            &base,
        ],
        &[("QA_WECOM_SECRET", wrong)],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("invalid_secret (errcode 40001)"), "{text}");
    assert!(!text.contains(wrong));
    assert_eq!(fx.fake.gettoken_calls(), 1, "gettoken exactly once");
}

#[test]
fn slow_api_times_out_with_exit_1() {
    let fx = fixture(FakeWecomConfig {
        delay: Duration::from_secs(3),
        ..FakeWecomConfig::default()
    });
    let out = check(&fx, &["--json", "--timeout-ms", "300"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["diagnosis"]["code"], "timeout");
}

#[test]
fn missing_secret_or_bad_api_base_is_a_usage_error() {
    let out = qa_wecom(&["wecom", "check", "--corp-id", "ww0123456789abcdef"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--secret"));
    let out = qa_wecom(
        &[
            "wecom",
            "check",
            "--corp-id",
            "ww0123456789abcdef",
            "--secret",
            SECRET,
            "--api-base",
            "ftp://example.com",
            "--json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_clean(&out);
    assert_eq!(json(&out)["error"]["code"], "invalid_api_base");
}
