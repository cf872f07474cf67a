//! The Troubleshoot page: what a WeCom API or callback-library error code means and how to fix it;
//! a captured callback decrypted (`qa-wecom decrypt`); the manual data-import command for an
//! organization and a workspace (seed §6.2, the bundle's `ops/trigger-import.sh`).
//!
//! The Token and EncodingAESKey of the decrypt tool are arguments only: never stored or logged,
//! and never part of an answer.

use crate::error::IpcError;
use setup_core::capture::{self, Decryption};
use setup_core::errcodes::{self, ErrorCodeInfo};
use setup_core::error_code::ErrorCode;
use setup_core::generate::trigger::{self, ImportTrigger};

/// `qa-wecom errcode CODE`: the catalogue entry (meaning and fix in English and Chinese), or the
/// core's answer for a code the catalogue does not have (`unknown_code`, with the official lookup
/// page for it).
#[tauri::command(rename_all = "snake_case")]
pub fn lookup_error_code(code: i64) -> Result<ErrorCodeInfo, IpcError> {
    errcodes::lookup(code).ok_or_else(|| {
        IpcError::new(ErrorCode::UnknownCode, errcodes::unknown(code).en)
            .with_param("code", code)
            .with_param("help_url", errcodes::lookup_url(code))
    })
}

/// Decrypts a pasted capture: the query string (or whole URL) of the GET, or of an event POST with
/// its body (blank means none). A decryption that fails is an answer (`ok: false` with the official
/// code and its meaning and fix); only an inconsistent capture is an error (`echostr_and_body`,
/// `body_too_large`).
#[tauri::command(rename_all = "snake_case")]
pub fn decrypt_callback(
    token: String,
    encoding_aes_key: String,
    corp_id: String,
    query: String,
    body: Option<String>,
) -> Result<Decryption, IpcError> {
    let body = body.filter(|b| !b.trim().is_empty());
    capture::decrypt(
        token.trim(),
        encoding_aes_key.trim(),
        corp_id.trim(),
        &query,
        body.as_deref().map(|b| b.trim().as_bytes()),
    )
    .map_err(|e| IpcError::new(e.code(), e.to_string()))
}

/// The seed §6.2 `curl` for typed organization and workspace IDs, or their issues.
#[tauri::command(rename_all = "snake_case")]
pub fn import_trigger(organization_id: String, workspace_id: String) -> ImportTrigger {
    trigger::check(&organization_id, &workspace_id)
}

#[cfg(test)]
mod tests {
    use crate::commands::test_support::Mock;
    use serde_json::{Value, json};

    // The official WXBizMsgCrypt samples.
    use wecom_crypto::sample::{
        CORP_ID as CORP, ENCODING_AES_KEY as KEY, GET_QUERY, POST_BODY, POST_QUERY, TOKEN,
    };

    fn decrypt(m: &Mock, corp: &str, query: &str, body: Option<&str>) -> Result<Value, Value> {
        m.invoke(
            "decrypt_callback",
            json!({"token": TOKEN, "encoding_aes_key": KEY, "corp_id": corp, "query": query, "body": body}),
        )
    }

    fn no_secret(v: &Value) {
        let text = v.to_string();
        assert!(!text.contains(KEY) && !text.contains("QDG6eK"), "{text}");
    }

    #[test]
    fn a_remote_page_may_not_call_the_troubleshoot_commands() {
        Mock::new().assert_remote_refused(&[
            "lookup_error_code",
            "decrypt_callback",
            "import_trigger",
        ]);
    }

    #[test]
    fn a_captured_get_and_event_decrypt_to_the_echostr_and_the_event_xml() {
        let m = Mock::new();
        let get = decrypt(&m, CORP, GET_QUERY, Some("  ")).unwrap();
        assert_eq!(
            (&get["ok"], &get["kind"], &get["message"]),
            (
                &json!(true),
                &json!("url_verification"),
                &json!("1616140317555161061")
            )
        );
        no_secret(&get);
        let event = decrypt(&m, CORP, POST_QUERY, Some(POST_BODY)).unwrap();
        assert_eq!(event["kind"], "event");
        let xml = event["message"].as_str().unwrap();
        assert!(
            xml.contains("<Content><![CDATA[hello]]></Content>"),
            "{xml}"
        );
        no_secret(&event);
    }

    #[test]
    fn a_failed_decryption_names_the_official_code_with_its_meaning_in_both_languages() {
        let m = Mock::new();
        let wrong = decrypt(&m, "wwother", GET_QUERY, None).unwrap();
        assert_eq!(wrong["ok"], false);
        assert_eq!(wrong["code"], -40005);
        assert_eq!(wrong["name"], "ValidateCorpid_Error");
        assert!(wrong["message"].as_str().unwrap().contains("wwother"));
        assert!(!wrong["meaning"]["zh"].as_str().unwrap().is_empty());
        assert!(!wrong["fix"]["en"].as_str().unwrap().is_empty());
        no_secret(&wrong);
        let no_body = decrypt(&m, CORP, POST_QUERY, None).unwrap();
        assert_eq!(
            (&no_body["code"], &no_body["needs_body"]),
            (&json!(-40003), &json!(true))
        );
        let e = decrypt(&m, CORP, GET_QUERY, Some(POST_BODY)).unwrap_err();
        assert_eq!(e["code"], "echostr_and_body", "{e}");
        no_secret(&e);
    }

    #[test]
    fn the_import_trigger_is_the_manuals_curl_for_valid_ids_and_issues_otherwise() {
        const ORG: &str = "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6";
        const WS: &str = "5a3e3999-fccb-43ef-b232-9cbbae053e8b";
        let trigger = |org: &str| {
            Mock::new().answer(
                "import_trigger",
                json!({"organization_id": org, "workspace_id": WS}),
            )
        };
        assert_eq!(
            trigger(ORG)["command"],
            format!(
                "curl --location 'http://127.0.0.1:9001/swagger/test/invoke/day/dataimport/{ORG}/{WS}/WECHAT_WECOM'"
            )
        );
        let bad = trigger("org-1");
        assert_eq!(bad["command"], Value::Null);
        assert_eq!(bad["issues"][0]["code"], "organization_id_invalid");
        assert_eq!(bad["issues"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn lookup_of_48002_explains_the_customer_contact_permission_in_both_languages() {
        let v = Mock::new().answer("lookup_error_code", json!({"code": 48002}));
        assert_eq!(v["code"], 48002);
        assert_eq!(v["source"], "wecom_api");
        assert_eq!(v["name"], "api_forbidden");
        assert!(v["fix"]["en"].as_str().unwrap().contains("§4.2"), "{v}");
        assert!(
            v["meaning"]["zh"].as_str().unwrap().contains("客户联系"),
            "{v}"
        );
    }

    #[test]
    fn callback_library_codes_are_negative() {
        let v = Mock::new().answer("lookup_error_code", json!({"code": -40001}));
        assert_eq!(v["source"], "callback_library");
        assert_eq!(v["name"], "ValidateSignature_Error");
    }

    #[test]
    fn an_unknown_code_is_the_cores_unknown_code_answer_with_the_lookup_page() {
        let e = Mock::new()
            .invoke("lookup_error_code", json!({"code": 12345}))
            .unwrap_err();
        let url = "https://open.work.weixin.qq.com/devtool/query?e=12345";
        assert_eq!(
            e,
            json!({
                "code": "unknown_code",
                "message": setup_core::errcodes::unknown(12345).en,
                "params": {"code": "12345", "help_url": url}
            })
        );
    }
}
