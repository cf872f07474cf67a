//! The Troubleshoot page: what a WeCom API or callback-library error code means and how to fix it.

use crate::error::IpcError;
use setup_core::errcodes::{self, ErrorCodeInfo};

/// `qa-wecom errcode CODE`: the catalogue entry (meaning and fix in English and Chinese), or the
/// core's answer for a code the catalogue does not have (`unknown_code`, with the official lookup
/// page for it).
#[tauri::command]
pub fn lookup_error_code(code: i64) -> Result<ErrorCodeInfo, IpcError> {
    errcodes::lookup(code).ok_or_else(|| {
        IpcError::new(errcodes::UNKNOWN_CODE, errcodes::unknown(code).en)
            .with_param("code", code)
            .with_param("help_url", errcodes::lookup_url(code))
    })
}

#[cfg(test)]
mod tests {
    use crate::commands::test_support::Mock;
    use serde_json::json;

    #[test]
    fn lookup_of_48002_explains_the_customer_contact_permission_in_both_languages() {
        let v = Mock::new()
            .invoke("lookup_error_code", json!({"code": 48002}))
            .unwrap();
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
        let v = Mock::new()
            .invoke("lookup_error_code", json!({"code": -40001}))
            .unwrap();
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
