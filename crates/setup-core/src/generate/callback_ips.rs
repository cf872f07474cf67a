//! `network/wecom-callback-ips.txt`: the addresses WeCom's callbacks come from, as the WeCom check
//! fetched them (`getcallbackip`), dated, one address or CIDR range per line, for a WAF or
//! firewall rule on the callback prefix. WeCom changes the list, so the file says when it was
//! fetched and how to fetch it again; without a check it says how to fetch it. Advisory: callbacks
//! have been seen from addresses outside the list.
//!
//! Every entry is validated here ([`normalize`]): the list comes from the network or from a report
//! file, and goes into files that end up in firewall rules.

use super::GENERATED_BY;
use serde_json::Value;
use std::net::IpAddr;

/// The bundle path.
pub const CALLBACK_IPS_FILE: &str = "network/wecom-callback-ips.txt";

/// Most addresses kept.
pub const MAX_CALLBACK_IPS: usize = 1024;

/// WeCom's callback source addresses and when they were fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackIps {
    /// IP addresses and CIDR ranges, normalised, without duplicates.
    pub addresses: Vec<String>,
    /// When they were fetched (RFC 3339), or `unknown`.
    pub fetched_at: String,
}

impl CallbackIps {
    /// The valid entries of `entries` (at most [`MAX_CALLBACK_IPS`]), fetched at `fetched_at`
    /// (kept only if it looks like an RFC 3339 time).
    pub fn new<'a>(entries: impl IntoIterator<Item = &'a str>, fetched_at: &str) -> Self {
        let mut addresses: Vec<String> = Vec::new();
        for normal in entries.into_iter().filter_map(normalize) {
            if addresses.len() == MAX_CALLBACK_IPS {
                break;
            }
            if !addresses.contains(&normal) {
                addresses.push(normal);
            }
        }
        let looks_like_time = !fetched_at.is_empty()
            && fetched_at.len() <= 40
            && fetched_at
                .chars()
                .all(|c| c.is_ascii_digit() || "-:TZ+.".contains(c));
        CallbackIps {
            addresses,
            fetched_at: if looks_like_time {
                fetched_at.to_owned()
            } else {
                "unknown".to_owned()
            },
        }
    }

    /// The list of a `qa-wecom wecom check --json` report (`callback_ips`, `checked_at`).
    pub fn from_wecom_report(json: &str) -> Result<Self, String> {
        let report: Value =
            serde_json::from_str(json).map_err(|e| format!("not a JSON report: {e}"))?;
        if report.get("check").and_then(Value::as_str) != Some("wecom") {
            return Err("not a WeCom check report (`check` is not \"wecom\")".to_owned());
        }
        let entries = report
            .get("callback_ips")
            .and_then(Value::as_array)
            .ok_or("the report has no callback_ips (made by an older version?)")?;
        let checked_at = report
            .get("checked_at")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Ok(Self::new(
            entries.iter().filter_map(Value::as_str),
            checked_at,
        ))
    }
}

/// An IP address or a CIDR range (`a.b.c.d/n`, `x::/n`), normalised; `None` for anything else.
pub fn normalize(entry: &str) -> Option<String> {
    let entry = entry.trim();
    let (addr, prefix) = match entry.split_once('/') {
        Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
        None => (entry, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    match prefix {
        Some(p) if p <= max => Some(format!("{ip}/{p}")),
        Some(_) => None,
        None => Some(ip.to_string()),
    }
}

/// The file: the list with its date, or how to fetch it when no check was run.
pub fn callback_ips_txt(ips: Option<&CallbackIps>) -> String {
    let fetch = "#   qa-wecom wecom check --corp-id CORPID --json > wecom.json   (Secret from QA_WECOM_SECRET)\n\
                 #   qa-wecom export PLAN -o DIR --wecom-report wecom.json\n\
                 # or by hand / 或手动调用: GET https://qyapi.weixin.qq.com/cgi-bin/getcallbackip?access_token=ACCESS_TOKEN\n";
    let head = format!(
        "# {GENERATED_BY}\n\
         # WeCom's callback source addresses (getcallbackip) / 企业微信回调的来源地址\n\
         #\n\
         # For a WAF or firewall rule that admits only WeCom on the callback prefix (see\n\
         # waf-allowlist.md). Advisory: WeCom changes the list and callbacks have been seen from\n\
         # addresses outside it; refresh it (WeCom says daily) and keep the verification working.\n\
         # 用于只允许企业微信访问回调前缀的 WAF 或防火墙规则（见 waf-allowlist.md）。仅供参考：企业微信会\n\
         # 调整该列表，也出现过来自列表之外地址的回调；请定期（企业微信建议每天）更新，并确认回调校验仍然通过。\n\
         #\n"
    );
    match ips {
        Some(ips) if !ips.addresses.is_empty() => {
            let mut out = format!(
                "{head}# Fetched / 获取时间: {}\n\
                 # Fetch again / 重新获取:\n{fetch}\n",
                ips.fetched_at
            );
            for a in &ips.addresses {
                out.push_str(a);
                out.push('\n');
            }
            out
        }
        _ => format!(
            "{head}# Not fetched: no WeCom check was part of this export (or it could not fetch the list).\n\
             # 未获取：本次导出没有附带企业微信检查结果（或检查未能获取该列表）。\n\
             # Fetch it / 获取方法:\n{fetch}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_addresses_and_ranges_are_kept() {
        let ips = CallbackIps::new(
            [
                "101.226.103.0/25",
                " 101.226.62.12 ",
                "2001:db8::/32",
                "10.0.0.0/33",
                "evil.example.com",
                "1.2.3.4; rm -rf /",
                "101.226.62.12",
                "",
            ],
            "2026-12-02T10:00:00Z",
        );
        assert_eq!(
            ips.addresses,
            ["101.226.103.0/25", "101.226.62.12", "2001:db8::/32"]
        );
        assert_eq!(ips.fetched_at, "2026-12-02T10:00:00Z");
        assert_eq!(CallbackIps::new([], "yesterday\nrm").fetched_at, "unknown");
    }

    #[test]
    fn the_file_is_dated_and_says_the_list_changes() {
        let ips = CallbackIps::new(["203.0.113.0/26", "192.0.2.77"], "2026-12-02T10:00:00Z");
        let text = callback_ips_txt(Some(&ips));
        assert!(
            text.contains("Fetched / 获取时间: 2026-12-02T10:00:00Z"),
            "{text}"
        );
        assert!(text.contains("WeCom changes the list") && text.contains("企业微信会"));
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect();
        assert_eq!(lines, ["203.0.113.0/26", "192.0.2.77"]);
    }

    #[test]
    fn without_a_check_the_file_says_how_to_fetch_the_list() {
        for text in [
            callback_ips_txt(None),
            callback_ips_txt(Some(&CallbackIps::new([], "2026-12-02T10:00:00Z"))),
        ] {
            assert!(
                text.contains("Not fetched") && text.contains("未获取"),
                "{text}"
            );
            assert!(text.contains("getcallbackip?access_token=ACCESS_TOKEN"));
            assert!(text.contains("--wecom-report"));
            assert!(
                text.lines().all(|l| l.starts_with('#') || l.is_empty()),
                "{text}"
            );
        }
    }

    #[test]
    fn the_list_is_read_from_a_wecom_check_report() {
        let json = r#"{"ok":true,"check":"wecom","checked_at":"2026-12-02T10:00:00Z",
                       "callback_ips":["203.0.113.0/26","not an ip"]}"#;
        let ips = CallbackIps::from_wecom_report(json).unwrap();
        assert_eq!(ips.addresses, ["203.0.113.0/26"]);
        assert!(CallbackIps::from_wecom_report(r#"{"check":"verify"}"#).is_err());
        assert!(CallbackIps::from_wecom_report(r#"{"check":"wecom"}"#).is_err());
        assert!(CallbackIps::from_wecom_report("nope").is_err());
    }
}
