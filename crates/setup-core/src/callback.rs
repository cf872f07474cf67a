//! The callback URL WeCom calls (seed §4.3) and the path prefix the proxy and WAF let through
//! (seed §3), and the one check of a typed domain and corpid that both faces (the Callback step,
//! `qa-wecom url`) show.

use crate::validate::{self, CorpId, Hostname, Issue, field, issues_of};
use serde::Serialize;
use ts_rs::TS;

/// Everything under this prefix is forwarded to QA; everything else is refused.
pub const CALLBACK_PREFIX: &str = "/restapi/thirdservice/we/com";

/// The callback path before the corpid.
pub const CALLBACK_PATH: &str = "/restapi/thirdservice/we/com/inner/event/oneparty/callback/";

/// `https://{domain}/restapi/thirdservice/we/com/inner/event/oneparty/callback/{corpid}`, or
/// `http://` when the plan has no TLS.
pub fn callback_url(domain: &Hostname, corp_id: &CorpId, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{domain}{CALLBACK_PATH}{corp_id}")
}

/// The callback URL when both values are valid, and every issue (errors and warnings) of both.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CallbackUrlCheck {
    /// `None` while the domain or the corpid has an error.
    pub url: Option<String>,
    /// Each names its field (`resources.domain`, `wecom.corp_id`) and says what is wrong and how
    /// to fix it in English and Chinese.
    pub issues: Vec<Issue>,
}

/// Validates a domain and a corpid as typed (surrounding white space is ignored) and gives the
/// callback URL (`https://`, or `http://` when `tls` is false) once both are valid.
pub fn check(domain: &str, corp_id: &str, tls: bool) -> CallbackUrlCheck {
    let (d, mut issues) = issues_of(field::DOMAIN, validate::domain(domain.trim()));
    let (c, more) = issues_of(field::CORP_ID, validate::corp_id(corp_id.trim()));
    issues.extend(more);
    let url = match (d, c) {
        (Some(d), Some(c)) => Some(callback_url(&d, &c, tls)),
        _ => None,
    };
    CallbackUrlCheck { url, issues }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{corp_id, domain};

    #[test]
    fn callback_url_matches_the_manuals_example() -> Result<(), String> {
        let (d, _) = domain("test.lydaas.com").map_err(|f| format!("{:?}", f.code))?;
        let (c, _) = corp_id("wwb697d33134e48cfc").map_err(|f| format!("{:?}", f.code))?;
        assert_eq!(
            callback_url(&d, &c, true),
            "https://test.lydaas.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/wwb697d33134e48cfc"
        );
        assert!(callback_url(&d, &c, false).starts_with("http://test.lydaas.com/restapi/"));
        assert!(CALLBACK_PATH.starts_with(CALLBACK_PREFIX));
        Ok(())
    }

    #[test]
    fn check_ignores_surrounding_white_space_and_reports_both_fields() {
        let ok = check(" qa.example.com\n", "\tww0123456789abcdef ", true);
        assert_eq!(
            ok.url.as_deref(),
            Some(
                "https://qa.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/ww0123456789abcdef"
            )
        );
        assert!(ok.issues.is_empty(), "{:?}", ok.issues);
        let bad = check("https://qa.example.com", "ww01/23", false);
        assert_eq!(bad.url, None);
        let fields: Vec<&str> = bad.issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, [field::DOMAIN, field::CORP_ID]);
    }
}
