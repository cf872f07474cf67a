//! The Callback step: the callback URL for a domain and corpid (validated by the core, every
//! issue in both languages), and a fresh Token + EncodingAESKey.

use serde::Serialize;
use setup_core::callback::{self, CallbackUrlCheck};
use setup_core::secret::{generate_encoding_aes_key, generate_token};
use ts_rs::TS;

/// `qa-wecom url --domain D --corp-id C [--http]`: validation of both values, then the URL
/// (`https://`, or `http://` when the plan has no TLS): the core's one check.
#[tauri::command]
pub fn callback_url(domain: String, corp_id: String, tls: bool) -> CallbackUrlCheck {
    callback::check(&domain, &corp_id, tls)
}

/// A fresh Token and EncodingAESKey, shown to the admin who copies them into the WeCom console.
/// The values cross IPC on purpose; `Debug` redacts them so they never reach a log.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GeneratedSecrets {
    /// 32 letters and digits.
    pub token: String,
    /// 43 letters and digits.
    pub encoding_aes_key: String,
}

impl std::fmt::Debug for GeneratedSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GeneratedSecrets([REDACTED])")
    }
}

/// `qa-wecom secrets`: one Token and one EncodingAESKey from the OS CSPRNG. Both are generated
/// together because the console asks for them together (one button, one round trip).
#[tauri::command]
pub fn generate_secrets() -> GeneratedSecrets {
    GeneratedSecrets {
        token: generate_token().expose().to_owned(),
        encoding_aes_key: generate_encoding_aes_key().expose().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::commands::test_support::Mock;
    use serde_json::json;

    #[test]
    fn a_valid_domain_and_corpid_give_the_https_url_and_tls_none_gives_http() {
        let m = Mock::new();
        let v = m
            .invoke(
                "callback_url",
                json!({"domain": "QAWeCom.Example.com", "corpId": "ww0123456789abcdef", "tls": true}),
            )
            .unwrap();
        assert_eq!(
            v["url"],
            "https://qawecom.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/ww0123456789abcdef"
        );
        assert_eq!(v["issues"], json!([]));
        let v = m
            .invoke(
                "callback_url",
                json!({"domain": "qawecom.example.com", "corpId": "ww0123456789abcdef", "tls": false}),
            )
            .unwrap();
        assert!(
            v["url"]
                .as_str()
                .unwrap()
                .starts_with("http://qawecom.example.com/restapi/")
        );
    }

    #[test]
    fn validation_issues_cross_ipc_with_code_field_and_both_languages() {
        let m = Mock::new();
        let v = m
            .invoke(
                "callback_url",
                json!({"domain": "https://qa.example.com/x", "corpId": "ww01/23", "tls": true}),
            )
            .unwrap();
        assert_eq!(v["url"], json!(null));
        let issues = v["issues"].as_array().unwrap();
        assert_eq!(issues.len(), 2, "{v}");
        let d = &issues[0];
        assert_eq!(d["code"], "domain_has_scheme");
        assert_eq!(d["severity"], "error");
        assert_eq!(d["field"], "resources.domain");
        assert_eq!(d["params"]["suggestion"], "qa.example.com");
        for k in ["message", "fix"] {
            assert!(!d[k]["en"].as_str().unwrap().is_empty(), "{d}");
            assert!(!d[k]["zh"].as_str().unwrap().is_empty(), "{d}");
        }
        assert_eq!(issues[1]["code"], "corp_id_invalid");
        assert_eq!(issues[1]["field"], "wecom.corp_id");
    }

    #[test]
    fn a_single_label_domain_is_an_error_and_an_unusual_corpid_only_a_warning() {
        let m = Mock::new();
        let v = m
            .invoke(
                "callback_url",
                json!({"domain": "localhost", "corpId": "corp1", "tls": true}),
            )
            .unwrap();
        assert_eq!(v["url"], json!(null));
        let codes: Vec<_> = v["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["code"].clone(), i["severity"].clone()))
            .collect();
        assert_eq!(
            codes,
            vec![
                (json!("domain_single_label"), json!("error")),
                (json!("corp_id_unusual_shape"), json!("warning")),
            ]
        );
    }

    #[test]
    fn generated_secrets_have_the_console_lengths_and_alphabet_and_differ() {
        let m = Mock::new();
        let a = m.invoke("generate_secrets", json!({})).unwrap();
        let b = m.invoke("generate_secrets", json!({})).unwrap();
        let token = a["token"].as_str().unwrap();
        let key = a["encodingAesKey"].as_str().unwrap();
        assert_eq!(token.len(), 32);
        assert_eq!(key.len(), 43);
        assert!(
            token
                .chars()
                .chain(key.chars())
                .all(|c| c.is_ascii_alphanumeric())
        );
        assert_ne!(a["token"], b["token"]);
        assert_ne!(a["encodingAesKey"], b["encodingAesKey"]);
        assert!(wecom_crypto::EncodingAesKey::parse(key).is_ok());
    }

    #[test]
    fn generated_secrets_are_redacted_in_debug_output() {
        let s = super::generate_secrets();
        let dbg = format!("{s:?}");
        assert!(!dbg.contains(&s.token) && !dbg.contains(&s.encoding_aes_key));
    }
}
