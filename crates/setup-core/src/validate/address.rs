//! Network addresses: the public IP (EIP) and the QA upstream `host:port`.

use super::hostname::{before_path, internal_host, is_forbidden, show_char, strip_scheme};
use super::{Finding, Hostname, IssueCode, Rule};
use serde::Serialize;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use ts_rs::TS;

/// A range of addresses that is not public: whether an address is in it, and its English and
/// Chinese names.
type Range<A> = (fn(&A) -> bool, &'static str, &'static str);

/// The non-public IPv4 ranges, the first that matches names the address's.
const V4_RANGES: [Range<Ipv4Addr>; 8] = [
    (Ipv4Addr::is_private, "private", "私有"),
    (Ipv4Addr::is_loopback, "loopback", "回环"),
    (Ipv4Addr::is_link_local, "link-local", "链路本地"),
    (Ipv4Addr::is_unspecified, "unspecified", "未指定"),
    (Ipv4Addr::is_broadcast, "broadcast", "广播"),
    (Ipv4Addr::is_multicast, "multicast", "组播"),
    (Ipv4Addr::is_documentation, "documentation", "文档示例"),
    (
        |a| a.octets()[0] == 100 && (64..128).contains(&a.octets()[1]),
        "shared (carrier-grade NAT)",
        "运营商共享（CGNAT）",
    ),
];

/// The non-public IPv6 ranges; an IPv4-mapped address is judged by [`V4_RANGES`] after them.
const V6_RANGES: [Range<Ipv6Addr>; 6] = [
    (Ipv6Addr::is_loopback, "loopback", "回环"),
    (Ipv6Addr::is_unspecified, "unspecified", "未指定"),
    (Ipv6Addr::is_multicast, "multicast", "组播"),
    (
        |a| a.segments()[0] & 0xfe00 == 0xfc00,
        "private (unique local)",
        "私有（唯一本地）",
    ),
    (
        |a| a.segments()[0] & 0xffc0 == 0xfe80,
        "link-local",
        "链路本地",
    ),
    (
        |a| a.segments()[..2] == [0x2001, 0x0db8],
        "documentation",
        "文档示例",
    ),
];

/// Which non-public range an address is in (English and Chinese names), if any.
fn non_public_range(ip: IpAddr) -> Option<(&'static str, &'static str)> {
    fn first<A>(ranges: &[Range<A>], a: &A) -> Option<(&'static str, &'static str)> {
        ranges
            .iter()
            .find(|(is_in, ..)| is_in(a))
            .map(|&(_, en, zh)| (en, zh))
    }
    match ip {
        IpAddr::V4(v4) => first(&V4_RANGES, &v4),
        IpAddr::V6(v6) => first(&V6_RANGES, &v6)
            .or_else(|| v6.to_ipv4_mapped().and_then(|v4| first(&V4_RANGES, &v4))),
    }
}

/// Validates the EIP: an IPv4 or IPv6 address, warned about when it is not public.
pub fn public_ip(input: &str) -> Rule<IpAddr> {
    let ip: IpAddr = input
        .parse()
        .map_err(|_| Finding::new(IssueCode::PublicIpInvalid))?;
    let warnings = non_public_range(ip)
        .map(|(en, zh)| {
            Finding::new(IssueCode::PublicIpNotPublic)
                .with("ip", ip.to_string())
                .with("range", en.to_owned())
                .with("range_zh", zh.to_owned())
        })
        .into_iter()
        .collect();
    Ok((ip, warnings))
}

/// The host of the QA upstream: an IP address or an internal host name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UpstreamHost {
    Ip(IpAddr),
    Name(Hostname),
}

/// A validated `host:port` for the QA service (or its SLB). `Display` gives the form nginx and
/// people use: `10.0.0.12:8080`, `[2001:db8::12]:8080`, `qa-core.internal:8080`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, TS)]
#[ts(type = "string")]
pub struct Upstream {
    pub host: UpstreamHost,
    pub port: u16,
}

impl fmt::Display for Upstream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.host {
            UpstreamHost::Ip(IpAddr::V6(v6)) => write!(f, "[{v6}]:{}", self.port),
            UpstreamHost::Ip(IpAddr::V4(v4)) => write!(f, "{v4}:{}", self.port),
            UpstreamHost::Name(h) => write!(f, "{h}:{}", self.port),
        }
    }
}

impl Serialize for Upstream {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Validates the QA upstream address `host:port`.
pub fn upstream(input: &str) -> Rule<Upstream> {
    if input.trim().is_empty() {
        return Err(Finding::new(IssueCode::UpstreamMissing));
    }
    if let Some(c) = input.chars().find(|c| is_forbidden(*c)) {
        return Err(Finding::new(IssueCode::UpstreamForbiddenChar).with("char", show_char(c)));
    }
    if let Some(rest) = strip_scheme(input) {
        return Err(Finding::new(IssueCode::UpstreamHasScheme)
            .with("suggestion", before_path(rest).to_owned()));
    }
    if input.contains(['/', '?']) {
        return Err(Finding::new(IssueCode::UpstreamHasPath)
            .with("suggestion", before_path(input).to_owned()));
    }
    let (host, port) = if let Some(rest) = input.strip_prefix('[') {
        let (addr, after) = rest.split_once(']').ok_or_else(|| {
            Finding::new(IssueCode::UpstreamHostInvalid).with("host", input.to_owned())
        })?;
        let v6: Ipv6Addr = addr.parse().map_err(|_| {
            Finding::new(IssueCode::UpstreamHostInvalid).with("host", addr.to_owned())
        })?;
        let port = after
            .strip_prefix(':')
            .ok_or_else(|| Finding::new(IssueCode::UpstreamPortMissing))?;
        (UpstreamHost::Ip(IpAddr::V6(v6)), port)
    } else {
        if input.parse::<Ipv6Addr>().is_ok() || input.matches(':').count() > 1 {
            return Err(Finding::new(IssueCode::UpstreamIpv6Brackets));
        }
        let (host, port) = input
            .split_once(':')
            .ok_or_else(|| Finding::new(IssueCode::UpstreamPortMissing))?;
        let host = if let Ok(v4) = host.parse::<Ipv4Addr>() {
            UpstreamHost::Ip(IpAddr::V4(v4))
        } else {
            let lower = host.to_ascii_lowercase();
            let name = internal_host(&lower).map_err(|_| {
                Finding::new(IssueCode::UpstreamHostInvalid).with("host", host.to_owned())
            })?;
            UpstreamHost::Name(name)
        };
        (host, port)
    };
    if port.is_empty() {
        return Err(Finding::new(IssueCode::UpstreamPortMissing));
    }
    let port = match port.parse::<u16>() {
        Ok(p) if p > 0 && port.chars().all(|c| c.is_ascii_digit()) => p,
        _ => {
            return Err(Finding::new(IssueCode::UpstreamPortInvalid).with("port", port.to_owned()));
        }
    };
    Ok((Upstream { host, port }, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(input: &str) -> Result<String, IssueCode> {
        upstream(input)
            .map(|(u, _)| u.to_string())
            .map_err(|f| f.code)
    }

    /// Walks `(input, expected)` cases through `up`, naming the input that fails.
    fn check_upstream(cases: &[(&str, Result<&str, IssueCode>)]) {
        for &(input, expected) in cases {
            assert_eq!(up(input), expected.map(str::to_owned), "upstream {input:?}");
        }
    }

    #[test]
    fn upstream_accepts_ipv4_bracketed_ipv6_and_host_names() {
        check_upstream(&[
            ("10.0.0.12:8080", Ok("10.0.0.12:8080")),
            ("[2001:DB8::12]:8080", Ok("[2001:db8::12]:8080")),
            ("QA-Core.internal:80", Ok("qa-core.internal:80")),
            ("qa-core:65535", Ok("qa-core:65535")),
        ]);
    }

    #[test]
    fn upstream_rejects_what_is_not_host_colon_port() {
        use IssueCode::*;
        check_upstream(&[
            ("", Err(UpstreamMissing)),
            ("http://10.0.0.12:8080", Err(UpstreamHasScheme)),
            ("10.0.0.12:8080/qa", Err(UpstreamHasPath)),
            ("10.0.0.12", Err(UpstreamPortMissing)),
            ("10.0.0.12:", Err(UpstreamPortMissing)),
            ("[2001:db8::12]", Err(UpstreamPortMissing)),
            ("10.0.0.12:0", Err(UpstreamPortInvalid)),
            ("10.0.0.12:65536", Err(UpstreamPortInvalid)),
            ("10.0.0.12:+80", Err(UpstreamPortInvalid)),
            ("2001:db8::12", Err(UpstreamIpv6Brackets)),
            ("2001:db8::12:8080", Err(UpstreamIpv6Brackets)),
            ("qa_core:8080", Err(UpstreamHostInvalid)),
            ("[nope]:8080", Err(UpstreamHostInvalid)),
            ("10.0.0.12:80;", Err(UpstreamForbiddenChar)),
            ("10.0.0.12:80 x", Err(UpstreamForbiddenChar)),
        ]);
    }

    fn param<'a>(finding: &'a Finding, key: &str) -> Option<&'a str> {
        finding
            .params
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn public_ip_accepts_v4_and_v6_and_warns_on_non_public_ranges() {
        let (ip, w) = public_ip("47.100.1.2").unwrap_or_else(|f| panic!("{:?}", f.code));
        assert_eq!(ip.to_string(), "47.100.1.2");
        assert!(w.is_empty());
        for public in ["240e:1::1", "100.128.0.1", "::ffff:47.100.1.2"] {
            let (_, w) = public_ip(public).unwrap_or_else(|f| panic!("{:?}", f.code));
            assert!(w.is_empty(), "{public}");
        }
        for (ip, range) in [
            ("10.1.2.3", "private"),
            ("127.0.0.1", "loopback"),
            ("169.254.1.1", "link-local"),
            ("224.0.0.1", "multicast"),
            ("100.64.0.1", "shared (carrier-grade NAT)"),
            ("203.0.113.10", "documentation"),
            ("fd00::1", "private (unique local)"),
            ("fe80::1", "link-local"),
            ("::1", "loopback"),
            ("2001:db8::1", "documentation"),
            ("::ffff:192.168.0.1", "private"),
        ] {
            let (_, w) = public_ip(ip).unwrap_or_else(|f| panic!("{:?}", f.code));
            let warning = w.first().unwrap_or_else(|| panic!("{ip}: no warning"));
            assert_eq!(warning.code, IssueCode::PublicIpNotPublic, "{ip}");
            assert_eq!(param(warning, "range"), Some(range), "{ip}");
        }
        let (_, w) = public_ip("100.64.0.1").unwrap_or_else(|f| panic!("{:?}", f.code));
        assert_eq!(param(&w[0], "range_zh"), Some("运营商共享（CGNAT）"));
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4:80",
            "[::1]",
            "example.com",
            "1.2.3.4 ",
        ] {
            assert_eq!(
                public_ip(bad).err().map(|f| f.code),
                Some(IssueCode::PublicIpInvalid),
                "{bad}"
            );
        }
    }
}
