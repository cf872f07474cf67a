//! The WeCom app step's live check: the open plan's corpid, AgentId and app Secret against the
//! WeCom API (`live::wecom_api::check`: gettoken once, then the customer-contact and visible-range
//! probes, then WeCom's callback IPs as advisory). The API base is an advanced setting so tests
//! point it at a local fake; a demo plan is checked against demo mode's own fake
//! (`live::wecom_api::fake`, started on first use with the demo plan's values), so the step goes
//! green offline. The last report is kept with the open plan for the screen and the export.

use super::verify::rung_sink;
use crate::error::AppCode;
use crate::error::IpcError;
use crate::jobs::Jobs;
use crate::state::{DemoWecomApi, Workspace};
use live::wecom_api::fake::{FakeWecomApi, FakeWecomConfig};
use live::wecom_api::{self, WecomCheckError, WecomCheckReport, WecomCheckRequest};
use secrecy::SecretString;
use setup_core::error_code::ErrorCode;
use setup_core::plan::{Plan, Secrets};
use tauri::ipc::JavaScriptChannelId;
use tauri::{Runtime, State, Webview};

impl From<WecomCheckError> for IpcError {
    fn from(e: WecomCheckError) -> Self {
        let err = IpcError::new(e.code(), e.to_string());
        match &e {
            WecomCheckError::InvalidApiBase(bad) => err.with_param("reason", bad.reason),
            _ => err,
        }
    }
}

/// The fake answers for the demo plan's corpid, Secret and AgentId (so a changed value fails as
/// it would against WeCom), with its documentation-range callback IPs.
fn demo_config() -> FakeWecomConfig {
    let plan = Plan::demo();
    let defaults = FakeWecomConfig::default();
    FakeWecomConfig {
        corp_id: plan.wecom.corp_id.unwrap_or(defaults.corp_id.clone()),
        secret: Secrets::demo()
            .app_secret
            .map(|s| s.expose().to_owned())
            .unwrap_or(defaults.secret.clone()),
        agent_id: plan
            .wecom
            .agent_id
            .and_then(|a| u64::try_from(a).ok())
            .unwrap_or(defaults.agent_id),
        ..defaults
    }
}

/// The running demo fake's base URL, starting it when it is not running yet.
async fn demo_api_base(fake: &DemoWecomApi) -> Result<String, IpcError> {
    let lock = || {
        fake.0
            .lock()
            .map_err(|_| IpcError::new(AppCode::State, "state poisoned"))
    };
    let running = lock()?.as_ref().map(FakeWecomApi::base_url);
    if let Some(url) = running {
        return Ok(url);
    }
    let started = FakeWecomApi::start(demo_config()).await.map_err(|e| {
        IpcError::new(ErrorCode::ListenFailed, e.to_string()).with_param("addr", "127.0.0.1")
    })?;
    // Two first checks at once: the first fake to land stays, the other is dropped (stopped).
    Ok(lock()?.get_or_insert(started).base_url())
}

/// Runs the check and answers its report (no secret or access_token in it); the report is kept
/// as the open plan's last WeCom check. `api_base` empty or absent: WeCom's API, or for a demo
/// plan demo mode's fake. Each step goes to `on_rung` as it is recorded; `cancel_job(job)` stops
/// the check (`cancelled`, the last report kept as it was).
#[tauri::command(rename_all = "snake_case")]
pub async fn wecom_check<R: Runtime>(
    webview: Webview<R>,
    ws: State<'_, Workspace>,
    fake: State<'_, DemoWecomApi>,
    jobs: State<'_, Jobs>,
    api_base: Option<String>,
    job: Option<String>,
    on_rung: Option<JavaScriptChannelId>,
) -> Result<WecomCheckReport, IpcError> {
    let progress = rung_sink(&webview, on_rung);
    jobs.run(job, check(&ws, &fake, api_base, &progress)).await
}

async fn check(
    ws: &Workspace,
    fake: &DemoWecomApi,
    api_base: Option<String>,
    progress: &live::Progress,
) -> Result<WecomCheckReport, IpcError> {
    let (request, demo) = ws.with_open(|open| {
        let secret = open
            .secrets
            .app_secret
            .as_ref()
            .map(|s| s.expose().to_owned())
            .unwrap_or_default();
        let request = WecomCheckRequest {
            agent_id: open.plan.wecom.agent_id.and_then(|a| u64::try_from(a).ok()),
            ..WecomCheckRequest::new(
                open.plan.wecom.corp_id.clone().unwrap_or_default(),
                SecretString::from(secret),
            )
        };
        (request, open.demo)
    })?;
    let api_base = match api_base
        .map(|b| b.trim().to_owned())
        .filter(|b| !b.is_empty())
    {
        Some(base) => Some(base),
        None if demo => Some(demo_api_base(fake).await?),
        None => None,
    };
    let request = WecomCheckRequest {
        api_base,
        ..request
    };
    let report = wecom_api::check_with_progress(&request, progress).await?;
    if let Ok(mut g) = ws.lock()
        && let Some(open) = g.as_mut()
    {
        open.wecom_report = serde_json::to_value(&report).ok();
    }
    Ok(report)
}

/// The API base the check uses unless told otherwise: WeCom's, or for a demo plan the loopback
/// address of demo mode's fake (started here).
#[tauri::command(rename_all = "snake_case")]
pub async fn wecom_default_api_base(
    ws: State<'_, Workspace>,
    fake: State<'_, DemoWecomApi>,
) -> Result<String, IpcError> {
    let demo = ws.with_open(|open| open.demo).unwrap_or(false);
    if demo {
        demo_api_base(&fake).await
    } else {
        Ok(wecom_api::DEFAULT_API_BASE.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use crate::commands::test_support::{Mock, rungs, wizard_step};
    use live::wecom_api::fake::{FakeWecomApi, FakeWecomConfig};
    use serde_json::{Value, json};

    /// Every file of `dir` outside `secrets/`, as text.
    fn shareable_files(dir: &std::path::Path) -> Vec<(String, String)> {
        fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                let rel = p.strip_prefix(root).unwrap().display().to_string();
                if p.is_dir() {
                    if rel != "secrets" {
                        walk(root, &p, out);
                    }
                } else {
                    out.push((
                        rel,
                        String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into(),
                    ));
                }
            }
        }
        let mut out = Vec::new();
        walk(dir, dir, &mut out);
        out
    }

    #[test]
    fn a_demo_plan_checks_green_offline_and_its_callback_ips_go_into_the_bundle() {
        let m = Mock::new();
        let v = m.answer("plan_demo", json!({}));
        let app_secret = v["secrets"]["app_secret"].as_str().unwrap().to_owned();
        let base = m.answer("wecom_default_api_base", json!({}));
        let base = base.as_str().unwrap().to_owned();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        let r = m.answer("wecom_check", json!({"api_base": base}));
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(r["check"], "wecom");
        assert_eq!(
            rungs(&r),
            [
                "gettoken:pass",
                "customer_contact:pass",
                "agent:pass",
                "callback_ip:pass"
            ]
        );
        assert_eq!(r["api_base"], base.as_str());
        assert_eq!(
            r["callback_ips"],
            json!(FakeWecomConfig::default().callback_ips)
        );
        assert!(
            !r.to_string().contains(&app_secret),
            "no Secret in the report"
        );
        // Without an API base a demo plan is still checked against the fake, never WeCom.
        let again = m.answer("wecom_check", json!({"api_base": null}));
        assert_eq!(again["ok"], true, "{again}");
        assert_eq!(again["api_base"], base.as_str());

        let v = m.answer("plan_get", json!({}));
        assert_eq!(v["wecom_report"]["ok"], true);
        assert_eq!(wizard_step(&v, "wecom_app")["status"], "done");

        let out = m.data.path().join("bundle");
        let e = m.export_to(&out, "dir").unwrap();
        assert_eq!(e["with_callback_ips"], true, "{e}");
        assert!(e["sums_bad"].as_array().unwrap().is_empty(), "{e}");
        let ips = std::fs::read_to_string(out.join("network/wecom-callback-ips.txt")).unwrap();
        for ip in FakeWecomConfig::default().callback_ips {
            assert!(ips.lines().any(|l| l == ip), "{ip} in {ips}");
        }
        let secrets = [
            app_secret,
            v["secrets"]["token"].as_str().unwrap().to_owned(),
            v["secrets"]["encoding_aes_key"]
                .as_str()
                .unwrap()
                .to_owned(),
        ];
        let files = shareable_files(&out);
        assert!(files.len() > 5);
        for (path, text) in files {
            for s in &secrets {
                assert!(!text.contains(s.as_str()), "a secret in {path}");
            }
        }
    }

    #[test]
    fn a_changed_secret_forgets_the_last_check_and_fails_gettoken_as_wecom_would() {
        let m = Mock::new();
        let v = m.answer("plan_demo", json!({}));
        assert_eq!(m.answer("wecom_check", json!({}))["ok"], true);
        // The same values sent again (every keystroke sends the section) keep the report.
        let same = m.update("wecom", v["plan"]["wecom"].clone());
        assert_eq!(same["wecom_report"]["ok"], true);
        let mut secrets = v["secrets"].clone();
        secrets["app_secret"] = json!("WrongDemoSecretWrongDemoSecretWrongDemo1234");
        let changed = m.update("secrets", secrets);
        assert_eq!(changed["wecom_report"], Value::Null);
        assert_eq!(wizard_step(&changed, "wecom_app")["status"], "done");

        let r = m.answer("wecom_check", json!({}));
        assert_eq!(r["ok"], false);
        assert_eq!(r["diagnosis"]["code"], "invalid_secret", "{r}");
        assert_eq!(
            rungs(&r),
            [
                "gettoken:fail",
                "customer_contact:skip",
                "agent:skip",
                "callback_ip:skip"
            ]
        );
        // A failed check warns on the step (it does not block the export) and says why.
        let v = m.answer("plan_get", json!({}));
        let step = wizard_step(&v, "wecom_app");
        assert_eq!(step["status"], "warning", "{step}");
        assert!(!step["reason"]["zh"].as_str().unwrap().is_empty(), "{step}");
        let out = m.data.path().join("bundle");
        let e = m.export_to(&out, "dir").unwrap();
        assert_eq!(e["with_callback_ips"], false, "no list from a failed check");
        let ips = std::fs::read_to_string(out.join("network/wecom-callback-ips.txt")).unwrap();
        assert!(ips.contains("Not fetched"), "{ips}");
    }

    /// A saved, non-demo plan with the fake's credentials.
    fn plan_for(m: &Mock, fake: &FakeWecomConfig) {
        let v = m.answer("plan_new", json!({}));
        m.update(
            "wecom",
            json!({"corp_id": fake.corp_id, "agent_id": fake.agent_id}),
        );
        let mut secrets = v["secrets"].clone();
        secrets["app_secret"] = json!(fake.secret);
        m.update("secrets", secrets);
    }

    #[test]
    fn a_refused_ip_names_the_address_to_trust_and_48002_names_the_console_path() {
        let m = Mock::new();
        let untrusted = FakeWecomConfig {
            trusted_ips: Some(vec!["192.0.2.1".parse().unwrap()]),
            ..FakeWecomConfig::default()
        };
        plan_for(&m, &untrusted);
        let fake = tauri::async_runtime::block_on(FakeWecomApi::start(untrusted)).unwrap();
        let r = m.answer("wecom_check", json!({"api_base": fake.base_url()}));
        assert_eq!(r["ok"], false);
        assert_eq!(r["diagnosis"]["code"], "ip_not_allowed", "{r}");
        assert_eq!(r["egress_ip"], "127.0.0.1");
        let fix = &r["diagnosis"]["text"]["fix"];
        assert!(fix["en"].as_str().unwrap().contains("127.0.0.1"), "{fix}");
        assert!(fix["zh"].as_str().unwrap().contains("企业可信IP"), "{fix}");
        assert_eq!(fake.gettoken_calls(), 1, "gettoken exactly once");

        let forbidden = FakeWecomConfig {
            customer_contact_errcode: Some(48002),
            ..FakeWecomConfig::default()
        };
        let fake = tauri::async_runtime::block_on(FakeWecomApi::start(forbidden)).unwrap();
        let r = m.answer("wecom_check", json!({"api_base": fake.base_url()}));
        assert_eq!(
            r["diagnosis"]["code"], "not_in_customer_contact_api_list",
            "{r}"
        );
        assert!(
            r["diagnosis"]["text"]["fix"]["en"]
                .as_str()
                .unwrap()
                .contains("Apps that may call the API"),
            "{r}"
        );
        assert_eq!(rungs(&r)[1], "customer_contact:fail");
    }

    #[test]
    fn the_check_refuses_unusable_input_with_a_code_and_outside_a_demo_defaults_to_wecom() {
        let m = Mock::new();
        assert_eq!(
            m.invoke("wecom_check", json!({})).unwrap_err()["code"],
            "no_plan"
        );
        assert_eq!(
            m.answer("wecom_default_api_base", json!({})),
            "https://qyapi.weixin.qq.com"
        );
        m.answer("plan_new", json!({}));
        assert_eq!(
            m.answer("wecom_default_api_base", json!({})),
            "https://qyapi.weixin.qq.com"
        );
        assert_eq!(
            m.invoke("wecom_check", json!({})).unwrap_err()["code"],
            "empty_corp_id"
        );
        plan_for(&m, &FakeWecomConfig::default());
        let e = m
            .invoke("wecom_check", json!({"api_base": "ftp://127.0.0.1"}))
            .unwrap_err();
        assert_eq!(e["code"], "invalid_api_base");
        assert!(!e["params"]["reason"].as_str().unwrap().is_empty(), "{e}");
        m.assert_remote_refused(&["wecom_check", "wecom_default_api_base"]);
    }
}
