//! The callback URL WeCom calls (seed §4.3) and the path prefix the proxy and WAF let through
//! (seed §3).

use crate::validate::{CorpId, Hostname};

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
}
