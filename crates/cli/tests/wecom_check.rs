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
    let rt = common::runtime();
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
    common::assert_not_printed(out, &[(SECRET, "the secret"), (TOKEN, "the access_token")]);
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
    assert_eq!(
        names,
        ["gettoken", "customer_contact", "agent", "callback_ip"]
    );
    assert_eq!(v["callback_ips"][0], "203.0.113.0/26");
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
    let text = common::assert_stdout(
        &out,
        1,
        &[
            "FAIL  customer_contact",
            "not_in_customer_contact_api_list (errcode 48002)",
            "Apps that may call the API",
        ],
    );
    assert!(!text.contains("可调用接口的应用"), "{text}");
    assert_eq!(fx.fake.gettoken_calls(), 1);
    let out = check(&fx, &["--lang", "zh"]);
    common::assert_stdout(
        &out,
        1,
        &[
            "可调用接口的应用",
            "未通过: not_in_customer_contact_api_list (errcode 48002)",
        ],
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
    let text = common::assert_stdout(&out, 1, &["invalid_secret (errcode 40001)"]);
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
    common::assert_stderr(&out, 2, &["--secret"]);
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

#[test]
fn export_lists_the_callback_ips_of_a_wecom_check_report_dated() {
    let fx = fixture(FakeWecomConfig::default());
    let dir = tempfile::tempdir().expect("tempdir");
    let path = |name: &str| dir.path().join(name).display().to_string();
    let out = check(&fx, &["--json"]);
    common::assert_exit(&out, 0);
    std::fs::write(path("wecom.json"), &out.stdout).expect("write the report");
    let checked_at = json(&out)["checked_at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(checked_at.ends_with('Z'), "{checked_at}");

    let plan = path("plan.toml");
    common::assert_exit(&qa_wecom(&["plan", "new", "--demo", "-o", &plan], &[]), 0);
    let (bundle, bare) = (path("bundle"), path("bare"));
    let out = qa_wecom(
        &[
            "export",
            &plan,
            "-o",
            &bundle,
            "--wecom-report",
            &path("wecom.json"),
        ],
        &[],
    );
    common::assert_exit(&out, 0);
    let ips = std::fs::read_to_string(dir.path().join("bundle/network/wecom-callback-ips.txt"))
        .expect("the list is in the bundle");
    let listed: Vec<&str> = ips
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(
        listed,
        fx.cfg
            .callback_ips
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    assert!(
        ips.contains(&format!("Fetched / 获取时间: {checked_at}")),
        "{ips}"
    );
    let waf = std::fs::read_to_string(dir.path().join("bundle/network/waf-allowlist.md"))
        .expect("the WAF guide");
    assert!(
        waf.contains("wecom-callback-ips.txt") && waf.contains("source IP"),
        "{waf}"
    );

    // Without a WeCom check the file says how to fetch the list.
    common::assert_exit(&qa_wecom(&["export", &plan, "-o", &bare], &[]), 0);
    let ips = std::fs::read_to_string(dir.path().join("bare/network/wecom-callback-ips.txt"))
        .expect("the file is always there");
    assert!(
        ips.contains("Not fetched") && ips.contains("getcallbackip"),
        "{ips}"
    );

    // A report of another check is refused before anything is written.
    std::fs::write(path("verify.json"), r#"{"ok":true,"check":"verify"}"#).expect("write");
    let out = qa_wecom(
        &[
            "export",
            &plan,
            "-o",
            &path("other"),
            "--wecom-report",
            &path("verify.json"),
        ],
        &[],
    );
    common::assert_stderr(&out, 2, &["not a WeCom check report"]);
    assert!(!dir.path().join("other").exists());
}

#[test]
fn the_corpid_and_secret_come_from_a_plan_and_a_short_secret_is_never_shown() {
    let fx = fixture(FakeWecomConfig::default());
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        format!("version = 1\n\n[wecom]\ncorp_id = \"{}\"\n", fx.cfg.corp_id),
    )
    .expect("plan");
    std::fs::write(
        dir.path().join("plan.secrets.toml"),
        format!("version = 1\napp_secret = \"{SECRET}\"\n"),
    )
    .expect("secrets");
    let base = fx.fake.base_url();
    let plan_arg = plan.display().to_string();
    let args = [
        "wecom",
        "check",
        "--plan",
        &plan_arg,
        "--api-base",
        &base,
        "--json",
    ];
    let out = qa_wecom(&args, &[]);
    assert_clean(&out);
    common::assert_exit(&out, 0);
    // A three-letter Secret (wrong) is not echoed back in any form.
    let out = qa_wecom(
        &[
            "wecom",
            "check",
            "--corp-id",
            &fx.cfg.corp_id,
            "--secret",
            "q7z",
            "--api-base",
            &base,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("q7z"), "{all}");
}
