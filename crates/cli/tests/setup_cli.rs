//! `qa-wecom plan new|check`, `url`, `secrets`, `bandwidth`, `export` and `errcode`, run as the
//! built binary: output, `--json` shapes, exit codes, and what they write on disk.

use serde_json::Value;
use std::process::Command;

mod common;

#[cfg(unix)]
use common::mode;
use common::{
    TestResult, all_files, assert_stderr, assert_stdout, demo_plan_dir, json, plan_new_demo, qa,
    stderr, stdout, template_plan_dir,
};

#[test]
fn plan_new_demo_writes_a_plan_and_a_0600_secrets_file_that_check_accepts() -> TestResult {
    let dir = tempfile::tempdir()?;
    let o = plan_new_demo(dir.path(), &["--json"])?;
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o)?;
    assert_eq!(v["ok"], true);
    assert_eq!(v["demo"], true);
    assert_eq!(v["secrets_file"], "plan.secrets.toml");
    #[cfg(unix)]
    assert_eq!(mode(&dir.path().join("plan.secrets.toml")), 0o600);
    let plan = std::fs::read_to_string(dir.path().join("plan.toml"))?;
    let secrets = std::fs::read_to_string(dir.path().join("plan.secrets.toml"))?;
    assert!(secrets.contains("token = \"") && !plan.contains("token"));

    let check = qa(&["plan", "check", "plan.toml"], dir.path())?;
    assert_stdout(
        &check,
        0,
        &[
            "0 error(s)",
            "https://qawecom.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/wwb697d33134e48cfc",
        ],
    );
    assert_stderr(&check, 0, &["warning: tls.mode [tls_self_signed]"]);
    Ok(())
}

#[test]
fn plan_new_never_overwrites_without_force() -> TestResult {
    let dir = demo_plan_dir()?;
    let before = std::fs::read(dir.path().join("plan.secrets.toml"))?;
    let o = qa(&["plan", "new", "-o", "plan.toml"], dir.path())?;
    assert_stderr(&o, 2, &["already exists"]);
    assert_eq!(std::fs::read(dir.path().join("plan.secrets.toml"))?, before);
    let o = qa(&["plan", "new", "-o", "plan.toml", "--force"], dir.path())?;
    assert_eq!(o.status.code(), Some(0));
    assert_ne!(std::fs::read(dir.path().join("plan.secrets.toml"))?, before);
    Ok(())
}

#[test]
fn plan_check_json_lists_every_problem_and_exits_1() -> TestResult {
    let dir = template_plan_dir()?;
    let o = qa(&["plan", "check", "plan.toml", "--json"], dir.path())?;
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o)?;
    assert_eq!(v["ok"], false);
    assert_eq!(v["callback_url"], Value::Null);
    let issues = v["issues"].as_array().cloned().unwrap_or_default();
    let fields: Vec<&str> = issues.iter().filter_map(|i| i["field"].as_str()).collect();
    for f in [
        "resources.domain",
        "resources.wecom_users",
        "tls.certificate_file",
        "wecom.corp_id",
        "wecom.agent_id",
        "network.qa_upstream",
        "secrets.app_secret",
    ] {
        assert!(fields.contains(&f), "{f} not in {fields:?}");
    }
    assert_eq!(
        v["error_count"].as_u64(),
        Some(issues.iter().filter(|i| i["severity"] == "error").count() as u64)
    );
    // The one Report shape: the first error is the diagnosis, one step per section.
    assert_eq!(v["check"], "plan");
    assert_eq!(v["diagnosis"]["code"], issues[0]["code"]);
    assert_eq!(v["diagnosis"]["params"]["field"], issues[0]["field"]);
    assert_eq!(v["diagnosis"]["text"]["fix"], issues[0]["fix"]);
    let steps: Vec<(&str, &str)> = v["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| Some((s["name"].as_str()?, s["status"].as_str()?)))
        .collect();
    assert!(steps.contains(&("resources", "fail")), "{steps:?}");
    assert!(steps.contains(&("wecom", "fail")), "{steps:?}");
    assert_eq!(
        v["warnings"].as_array().map(Vec::len),
        v["warning_count"].as_u64().map(|n| n as usize)
    );
    for i in &issues {
        assert!(
            i["code"].is_string()
                && i["message"]["en"].is_string()
                && i["message"]["zh"].is_string()
                && i["fix"]["en"].is_string()
        );
    }
    Ok(())
}

#[test]
fn plan_check_names_the_line_of_a_damaged_file_and_leaves_it_alone() -> TestResult {
    let dir = tempfile::tempdir()?;
    let damaged = "version = 1\n[wecom]\ncorp_id = ww12\n";
    std::fs::write(dir.path().join("plan.toml"), damaged)?;
    let o = qa(&["plan", "check", "plan.toml"], dir.path())?;
    assert_stderr(&o, 2, &["line 3, column 11"]);
    assert!(stdout(&o).is_empty());
    let o = qa(&["plan", "check", "plan.toml", "--json"], dir.path())?;
    let v = json(&o)?;
    assert_eq!(v["error"]["code"], "file_parse_failed");
    assert_eq!(v["error"]["params"]["line"], "3");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("plan.toml"))?,
        damaged
    );
    Ok(())
}

#[test]
fn plan_check_reports_a_missing_or_readable_secrets_file() -> TestResult {
    let dir = demo_plan_dir()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.path().join("plan.secrets.toml"),
            std::fs::Permissions::from_mode(0o644),
        )?;
        let v = json(&qa(&["plan", "check", "plan.toml", "--json"], dir.path())?)?;
        assert!(
            v["issues"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|i| i["code"] == "secrets_file_permissions")
        );
    }
    std::fs::remove_file(dir.path().join("plan.secrets.toml"))?;
    let o = qa(&["plan", "check", "plan.toml", "--json"], dir.path())?;
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o)?;
    assert!(
        v["issues"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|i| i["code"] == "secrets_file_missing")
    );
    Ok(())
}

#[test]
fn url_prints_the_callback_url_and_rejects_bad_values_on_stderr() -> TestResult {
    let dir = tempfile::tempdir()?;
    let o = qa(
        &[
            "url",
            "--domain",
            "QA.Example.com",
            "--corp-id",
            "wwb697d33134e48cfc",
        ],
        dir.path(),
    )?;
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "https://qa.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/wwb697d33134e48cfc\n"
    );
    assert!(stderr(&o).is_empty());
    let o = qa(
        &[
            "url",
            "--domain",
            "qa.example.com",
            "--corp-id",
            "wwb697d33134e48cfc",
            "--http",
        ],
        dir.path(),
    )?;
    assert!(stdout(&o).starts_with("http://qa.example.com/"));
    let o = qa(
        &[
            "url",
            "--domain",
            "qa.example.com:8443",
            "--corp-id",
            "ww/x",
        ],
        dir.path(),
    )?;
    assert_stderr(&o, 1, &["[domain_has_port]", "[corp_id_invalid]"]);
    assert!(stdout(&o).is_empty());
    let v = json(&qa(
        &[
            "url",
            "--domain",
            "qa.example.com",
            "--corp-id",
            "wx12",
            "--json",
        ],
        dir.path(),
    )?)?;
    assert_eq!(v["ok"], true);
    assert_eq!(v["issues"][0]["code"], "corp_id_unusual_shape");
    Ok(())
}

#[test]
fn secrets_prints_a_fresh_valid_token_and_key_each_time() -> TestResult {
    let dir = tempfile::tempdir()?;
    let a = json(&qa(&["secrets", "--json"], dir.path())?)?;
    let b = json(&qa(&["secrets", "--json"], dir.path())?)?;
    let token = a["token"].as_str().unwrap_or_default();
    let key = a["encoding_aes_key"].as_str().unwrap_or_default();
    assert_eq!(token.len(), 32);
    assert_eq!(key.len(), 43);
    assert!(
        token
            .chars()
            .chain(key.chars())
            .all(|c| c.is_ascii_alphanumeric())
    );
    assert_ne!(a["token"], b["token"]);
    assert_ne!(a["encoding_aes_key"], b["encoding_aes_key"]);
    let text = stdout(&qa(&["secrets"], dir.path())?);
    assert!(text.starts_with("Token: ") && text.contains("\nEncodingAESKey: "));
    Ok(())
}

#[test]
fn bandwidth_switches_tiers_at_the_manuals_boundaries_and_refuses_zero() -> TestResult {
    let dir = tempfile::tempdir()?;
    for (users, mbps) in [
        ("1", "5"),
        ("1000000", "5"),
        ("1000001", "10"),
        ("5000000", "10"),
        ("5000001", "15"),
    ] {
        let o = qa(&["bandwidth", "--users", users], dir.path())?;
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(stdout(&o), format!("{mbps} Mbps\n"), "{users}");
    }
    let v = json(&qa(
        &["bandwidth", "--users", "5000001", "--json"],
        dir.path(),
    )?)?;
    assert_eq!(
        (v["users"].as_u64(), v["mbps"].as_u64()),
        (Some(5_000_001), Some(15))
    );
    let o = qa(&["bandwidth", "--users", "0", "--json"], dir.path())?;
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)?["error"]["code"], "users_not_positive");
    assert!(stderr(&o).contains("positive"));
    assert_eq!(
        qa(&["bandwidth", "--users", "-5"], dir.path())?
            .status
            .code(),
        Some(2)
    );
    Ok(())
}

#[test]
fn errcode_explains_api_and_library_codes_and_refuses_unknown_ones() -> TestResult {
    let dir = tempfile::tempdir()?;
    let o = qa(&["errcode", "-40001"], dir.path())?;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("-40001 ValidateSignature_Error"));
    let v = json(&qa(&["errcode", "60020", "--json"], dir.path())?)?;
    assert_eq!(v["code"]["code"], 60020);
    assert_eq!(v["code"]["source"], "wecom_api");
    assert!(
        v["code"]["fix"]["zh"]
            .as_str()
            .is_some_and(|s| s.contains("可信 IP"))
    );
    let o = qa(&["errcode", "12345"], dir.path())?;
    assert_stderr(&o, 1, &["12345"]);
    assert!(stdout(&o).is_empty());
    let zh = Command::new(env!("CARGO_BIN_EXE_qa-wecom"))
        .args(["errcode", "48002"])
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()?;
    assert_stdout(&zh, 0, &["可调用接口的应用"]);
    Ok(())
}

#[test]
fn export_writes_a_folder_and_a_zip_with_no_secret_outside_secrets() -> TestResult {
    let dir = demo_plan_dir()?;
    let secrets = std::fs::read_to_string(dir.path().join("plan.secrets.toml"))?;
    let values: Vec<String> = secrets
        .lines()
        .filter(|l| {
            l.starts_with("token")
                || l.starts_with("encoding_aes_key")
                || l.starts_with("app_secret")
        })
        .filter_map(|l| l.split('"').nth(1).map(str::to_owned))
        .collect();
    assert_eq!(values.len(), 3);

    std::fs::write(dir.path().join("report.json"), "{\"ok\": true}")?;
    let o = qa(
        &[
            "export",
            "plan.toml",
            "-o",
            "bundle",
            "--report",
            "report.json",
            "--json",
        ],
        dir.path(),
    )?;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o)?;
    assert_eq!(v["ok"], true);
    assert_eq!(v["export"]["format"], "dir");
    let files = v["export"]["files"].as_array().cloned().unwrap_or_default();
    assert!(
        files
            .iter()
            .any(|f| f["path"] == "report/verification.json")
    );
    assert!(
        files
            .iter()
            .all(|f| f["sha256"].as_str().is_some_and(|h| h.len() == 64))
    );
    let bundle = dir.path().join("bundle");
    let mut scanned = 0;
    for path in all_files(&bundle) {
        if path.starts_with(bundle.join("secrets")) {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        for value in &values {
            assert!(
                !text.contains(value.as_str()),
                "{} holds a secret",
                path.display()
            );
        }
        scanned += 1;
    }
    assert!(scanned >= 10);
    #[cfg(unix)]
    assert_eq!(mode(&bundle.join("secrets")), 0o700);

    let o = qa(
        &["export", "plan.toml", "-o", "bundle.zip", "--zip"],
        dir.path(),
    )?;
    assert_stdout(&o, 0, &["secrets/secrets.toml  (secret)"]);
    let zip = std::fs::read(dir.path().join("bundle.zip"))?;
    assert_eq!(&zip[..2], b"PK");
    Ok(())
}

#[test]
fn export_of_an_invalid_plan_or_onto_a_foreign_folder_writes_nothing() -> TestResult {
    let dir = template_plan_dir()?;
    let o = qa(&["export", "plan.toml", "-o", "bundle"], dir.path())?;
    assert_stderr(&o, 1, &["error: resources.domain [domain_missing]"]);
    assert!(!dir.path().join("bundle").exists());

    let demo_dir = demo_plan_dir()?;
    std::fs::create_dir(demo_dir.path().join("docs"))?;
    std::fs::write(demo_dir.path().join("docs/keep.txt"), "keep")?;
    let o = qa(
        &["export", "plan.toml", "-o", "docs", "--json"],
        demo_dir.path(),
    )?;
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json(&o)?["error"]["code"], "target_not_a_bundle");
    assert_eq!(
        std::fs::read_to_string(demo_dir.path().join("docs/keep.txt"))?,
        "keep"
    );
    assert_eq!(all_files(&demo_dir.path().join("docs")).len(), 1);
    Ok(())
}
