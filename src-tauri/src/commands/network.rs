//! The Network step's generated files: `network/nginx.conf` and the WAF allow-list, exactly as the
//! bundle will hold them. They are drawn from the domain, the EIP, the TLS settings and the
//! network section only, so they show as soon as those are valid, before the later steps (WeCom
//! app, database, Quick Audience IDs) are filled in.

use crate::error::AppCode;
use crate::error::IpcError;
use crate::state::Workspace;
use serde::Serialize;
use setup_core::generate::{NginxOptions, nginx_conf, waf};
use setup_core::plan::{Plan, Resources};
use setup_core::report::Severity;
use setup_core::validate::check;
use tauri::State;
use ts_rs::TS;

/// The generated network files.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NetworkFiles {
    pub nginx_conf: String,
    pub waf_json: String,
    pub waf_steps: String,
}

/// `plan` with every section the network files do not read replaced by the demo plan's valid
/// values: the files depend on the domain, the EIP, `tls` and `network` alone.
fn network_inputs(plan: &Plan) -> Plan {
    let demo = Plan::demo();
    Plan {
        resources: Resources {
            wecom_users: demo.resources.wecom_users,
            ..plan.resources.clone()
        },
        tls: plan.tls.clone(),
        network: plan.network.clone(),
        ..demo
    }
}

/// The files, or `network_inputs_invalid` with the fields (`resources.domain`,
/// `network.qa_upstream`, …) whose errors hold them back, comma-separated in `fields`.
#[tauri::command(rename_all = "snake_case")]
pub fn network_files(ws: State<'_, Workspace>) -> Result<NetworkFiles, IpcError> {
    ws.with_open(|open| files_of(&open.plan))?
}

fn files_of(plan: &Plan) -> Result<NetworkFiles, IpcError> {
    let checked = check(&network_inputs(plan), None);
    let Some(plan) = checked.plan else {
        let mut fields: Vec<&str> = Vec::new();
        for i in checked
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
        {
            if !fields.contains(&i.field.as_str()) {
                fields.push(&i.field);
            }
        }
        return Err(IpcError::new(
            AppCode::NetworkInputsInvalid,
            format!("fix these fields first: {}", fields.join(", ")),
        )
        .with_param("fields", fields.join(",")));
    };
    Ok(NetworkFiles {
        nginx_conf: nginx_conf(&plan, &NginxOptions::default()),
        waf_json: waf::waf_json(&plan),
        waf_steps: waf::waf_steps(&plan),
    })
}

#[cfg(test)]
mod tests {
    use crate::commands::test_support::Mock;
    use serde_json::{Value, json};

    #[test]
    fn without_a_plan_there_are_no_files() {
        let e = Mock::new().invoke("network_files", json!({})).unwrap_err();
        assert_eq!(e["code"], "no_plan");
    }

    #[test]
    fn the_files_follow_domain_tls_and_upstream_before_the_later_steps_are_filled() {
        let m = Mock::new();
        m.answer("plan_new", json!({}));
        // A new plan: no domain, no upstream; those are named, nothing of the later steps.
        let e = m.invoke("network_files", json!({})).unwrap_err();
        assert_eq!(e["code"], "network_inputs_invalid");
        let fields: Vec<&str> = e["params"]["fields"].as_str().unwrap().split(',').collect();
        assert!(fields.contains(&"resources.domain"), "{e}");
        assert!(fields.contains(&"network.qa_upstream"), "{e}");
        assert!(
            fields.iter().all(|f| ["resources.", "tls.", "network."]
                .iter()
                .any(|p| f.starts_with(p))),
            "{e}"
        );
        m.update(
            "resources",
            json!({"domain": "qawecom.example.com", "public_ip": null, "wecom_users": null}),
        );
        m.update("tls",
            json!({"mode": "none", "certificate_file": null, "csr_file": null, "server_certificate_path": null, "server_key_path": null}),
        );
        m.update(
            "network",
            json!({"qa_upstream": "http://10.0.0.12:8080", "proxy": "nginx"}),
        );
        let e = m.invoke("network_files", json!({})).unwrap_err();
        assert_eq!(e["params"]["fields"], "network.qa_upstream", "{e}");
        m.update(
            "network",
            json!({"qa_upstream": "10.0.0.12:8080", "proxy": "nginx"}),
        );
        let f = m.answer("network_files", json!({}));
        let nginx = f["nginx_conf"].as_str().unwrap();
        assert!(
            nginx.contains("server_name qawecom.example.com;"),
            "{nginx}"
        );
        assert!(
            nginx.contains("proxy_pass http://10.0.0.12:8080;"),
            "{nginx}"
        );
        assert!(
            nginx.contains("listen 80;"),
            "TLS none is plain HTTP: {nginx}"
        );
        assert!(!nginx.contains("ssl_certificate"), "{nginx}");
        let waf: Value = serde_json::from_str(f["waf_json"].as_str().unwrap()).unwrap();
        assert_eq!(waf["domain"], "qawecom.example.com");
        assert_eq!(
            waf["rules"][0]["match"]["path_prefix"],
            "/restapi/thirdservice/we/com"
        );
        assert!(f["waf_steps"].as_str().unwrap().contains("HTTP 80"));
        // With TLS the server block listens on 443 and reads the server paths.
        m.update("tls",
            json!({"mode": "csr", "certificate_file": null, "csr_file": null, "server_certificate_path": "/etc/nginx/tls/qa.crt", "server_key_path": null}),
        );
        let f = m.answer("network_files", json!({}));
        let nginx = f["nginx_conf"].as_str().unwrap();
        assert!(nginx.contains("listen 443 ssl;"), "{nginx}");
        assert!(
            nginx.contains("ssl_certificate     /etc/nginx/tls/qa.crt;"),
            "{nginx}"
        );
    }

    #[test]
    fn the_plans_own_values_are_never_replaced_by_the_stand_ins() {
        let m = Mock::new();
        m.answer("plan_demo", json!({}));
        m.update(
            "network",
            json!({"qa_upstream": "[fd00::12]:9443", "proxy": "other"}),
        );
        let f = m.answer("network_files", json!({}));
        assert!(
            f["nginx_conf"]
                .as_str()
                .unwrap()
                .contains("proxy_pass http://[fd00::12]:9443;")
        );
        let v = m.answer("plan_get", json!({}));
        assert_eq!(v["plan"]["network"]["proxy"], "other");
        assert_eq!(v["plan"]["resources"]["wecom_users"], 120000);
    }
}
