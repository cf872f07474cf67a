//! Does a certificate cover a host? RFC 6125 as TLS clients apply it: Subject Alternative Names
//! only (the Common Name is ignored), case-insensitive, one trailing dot ignored, and a wildcard
//! only as the whole left-most label, matching exactly one non-empty label:
//! `*.example.com` covers `qa.example.com`, not `a.qa.example.com` and not `example.com`.
//! An IP address matches only an IP-address SAN.

use std::net::IpAddr;

/// What the certificate must cover: the plan's domain, or an IP address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Dns(String),
    Ip(IpAddr),
}

impl Host {
    /// A host as typed: surrounding spaces, case and one trailing dot do not matter.
    pub fn parse(s: &str) -> Host {
        let s = s.trim();
        let unbracketed = s
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .unwrap_or(s);
        match unbracketed.parse::<IpAddr>() {
            Ok(ip) => Host::Ip(ip),
            Err(_) => Host::Dns(normalize(s)),
        }
    }
}

impl std::fmt::Display for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Host::Dns(d) => f.write_str(d),
            Host::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

fn normalize(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    match lower.strip_suffix('.') {
        Some(s) => s.to_owned(),
        None => lower,
    }
}

/// `true` when the DNS-name SAN `pattern` covers the DNS name `host` (both as in the cert / plan).
pub fn dns_name_matches(pattern: &str, host: &str) -> bool {
    let pattern = normalize(pattern);
    let host = normalize(host);
    if pattern.is_empty() || host.is_empty() {
        return false;
    }
    match pattern.strip_prefix("*.") {
        Some(suffix) => {
            // `*.com` covers nothing: a wildcard needs at least two labels after it.
            if suffix.contains('*') || !suffix.contains('.') {
                return false;
            }
            match host.split_once('.') {
                Some((first, rest)) => !first.is_empty() && rest == suffix,
                None => false,
            }
        }
        None => !pattern.contains('*') && pattern == host,
    }
}

/// `true` when one of the SANs covers `host`.
pub fn covers(dns_names: &[String], ip_addresses: &[IpAddr], host: &Host) -> bool {
    match host {
        Host::Dns(h) => dns_names.iter().any(|p| dns_name_matches(p, h)),
        Host::Ip(ip) => ip_addresses.contains(ip),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks `(pattern, host, matches)` cases, naming the pair that fails.
    fn check_matches(cases: &[(&str, &str, bool)]) {
        for &(pattern, host, expected) in cases {
            assert_eq!(
                dns_name_matches(pattern, host),
                expected,
                "pattern {pattern:?} against host {host:?}"
            );
        }
    }

    #[test]
    fn a_wildcard_covers_exactly_one_label() {
        check_matches(&[
            ("*.example.com", "qa.example.com", true),
            ("*.Example.COM", "QA.example.com.", true),
            ("*.example.com", "a.qa.example.com", false),
            ("*.example.com", "example.com", false),
            ("*.example.com", ".example.com", false),
            ("*.com", "example.com", false),
            ("qa*.example.com", "qa1.example.com", false),
            ("*.*.example.com", "a.b.example.com", false),
        ]);
    }

    #[test]
    fn exact_names_match_case_insensitively_and_ignore_one_trailing_dot() {
        check_matches(&[
            ("qa.example.com", "QA.Example.com", true),
            ("qa.example.com.", "qa.example.com", true),
            ("qa.example.com", "qa.example.co", false),
            ("", "", false),
        ]);
    }

    #[test]
    fn ip_hosts_match_only_ip_sans() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert_eq!(Host::parse("127.0.0.1"), Host::Ip(ip));
        assert!(covers(&[], &[ip], &Host::Ip(ip)));
        assert!(!covers(&["127.0.0.1".to_owned()], &[], &Host::Ip(ip)));
        assert_eq!(
            Host::parse("[::1]"),
            Host::Ip(IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]))
        );
        assert_eq!(
            Host::parse(" QA.example.com. "),
            Host::Dns("qa.example.com".into())
        );
    }
}
