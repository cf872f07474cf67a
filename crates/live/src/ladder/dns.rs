//! The DNS rung, and what the addresses say as seen from this machine: IPv6 only is a failure
//! (`dns_ipv6_only`: WeCom calls over IPv4); a private, loopback or CGNAT address is the warning
//! `dns_private_address` (internal DNS or a hosts entry: WeCom resolves the name publicly, so a
//! local pass proves less); addresses other than the plan's EIP are the warning `dns_not_eip`.
//! Neither applies to a target on loopback when loopback is expected (demo mode).

use super::LadderOptions;
use super::climb::Climb;
use super::report::StepName;
use crate::diagnosis::{DiagnosisCode, Params, params};
use crate::transport::{self, Failure, target::Target};
use setup_core::text::Text;
use std::net::{IpAddr, SocketAddr};

/// A warning for the report: its code and parameters.
pub type Warning = (DiagnosisCode, Params);

/// Resolves the target (the DNS step) and judges the addresses.
pub async fn rung(
    c: &mut Climb,
    target: &Target,
    options: &LadderOptions,
) -> Result<(Vec<SocketAddr>, Vec<Warning>), Failure> {
    let host = &target.host;
    c.begin(StepName::Dns);
    let addrs = c
        .bounded(transport::resolve(host, target.port), |waited| {
            Failure::new(
                DiagnosisCode::DnsFailed,
                params([("host", host.clone())]),
                format!("no answer for {host} after {waited} ms"),
                format!("{waited} 毫秒后仍未得到 {host} 的解析结果"),
            )
        })
        .await?;
    let ips = ips(&addrs);
    let listed = ips
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if ips.iter().all(IpAddr::is_ipv6) {
        return Err(Failure::new(
            DiagnosisCode::DnsIpv6Only,
            params([("host", host.clone()), ("addrs", listed.clone())]),
            format!("{host} → {listed}: IPv6 only, no IPv4 address"),
            format!("{host} 解析为 {listed}：只有 IPv6，没有 IPv4 地址"),
        ));
    }
    let warnings = warnings(host, &ips, options);
    let detail = if host.parse::<IpAddr>().is_ok() {
        Text::new(
            format!("{host} is an IP address: no lookup"),
            format!("{host} 是 IP 地址，无需解析"),
        )
    } else {
        Text::new(
            format!("{host} → {listed}"),
            format!("{host} 解析为 {listed}"),
        )
    };
    let status = match warnings.is_empty() {
        true => setup_core::report::Status::Pass,
        false => setup_core::report::Status::Warn,
    };
    c.finish(status, detail);
    Ok((addrs, warnings))
}

/// The distinct IP addresses, in the resolver's order (IPv4 first).
fn ips(addrs: &[SocketAddr]) -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = Vec::new();
    for ip in addrs.iter().map(SocketAddr::ip) {
        if !out.contains(&ip) {
            out.push(ip);
        }
    }
    out
}

/// The warnings the addresses of `host` deserve; none for a target on loopback on purpose.
pub fn warnings(host: &str, ips: &[IpAddr], options: &LadderOptions) -> Vec<Warning> {
    let mut out = Vec::new();
    if options.loopback_expected && ips.iter().all(IpAddr::is_loopback) {
        return out;
    }
    let internal = ips
        .iter()
        .find(|ip| is_internal(**ip) && !(options.loopback_expected && ip.is_loopback()));
    if let Some(ip) = internal {
        out.push((
            DiagnosisCode::DnsPrivateAddress,
            params([("host", host.to_string()), ("addr", ip.to_string())]),
        ));
    }
    if let Some(expected) = options.expected_ip {
        // WeCom calls over IPv4: only addresses of the EIP's family count.
        let same_family = ips.iter().filter(|ip| ip.is_ipv4() == expected.is_ipv4());
        let mut others = same_family.clone().filter(|ip| **ip != expected);
        if others.next().is_some() {
            let listed = same_family
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            out.push((
                DiagnosisCode::DnsNotEip,
                params([
                    ("host", host.to_string()),
                    ("addrs", listed),
                    ("expected_ip", expected.to_string()),
                ]),
            ));
        }
    }
    out
}

/// Private (RFC 1918, unique local), loopback, link-local, CGNAT (100.64.0.0/10) or unspecified:
/// an address WeCom cannot reach from the internet.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_internal(IpAddr::V4(v4)),
            None => {
                v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_unique_local()
                    || v6.is_unicast_link_local()
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn codes(ips: &[&str], options: &LadderOptions) -> Vec<DiagnosisCode> {
        let ips: Vec<IpAddr> = ips.iter().map(|s| ip(s)).collect();
        warnings("qa.example.com", &ips, options)
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }

    #[test]
    fn internal_addresses_are_private_loopback_link_local_and_cgnat() {
        for s in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_internal(ip(s)), "{s}");
        }
        for s in [
            "203.0.113.7",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.0",
            "172.32.0.1",
            "2001:db8::1",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_internal(ip(s)), "{s}");
        }
    }

    #[test]
    fn a_private_address_is_warned_about_unless_loopback_is_expected() {
        let plain = LadderOptions::default();
        let demo = LadderOptions {
            loopback_expected: true,
            ..LadderOptions::default()
        };
        use DiagnosisCode::*;
        assert_eq!(codes(&["10.0.0.5"], &plain), [DnsPrivateAddress]);
        assert_eq!(codes(&["127.0.0.1"], &plain), [DnsPrivateAddress]);
        assert_eq!(codes(&["127.0.0.1"], &demo), []);
        assert_eq!(codes(&["10.0.0.5"], &demo), [DnsPrivateAddress]);
        assert_eq!(
            codes(&["203.0.113.7", "192.168.0.2"], &plain),
            [DnsPrivateAddress]
        );
        assert_eq!(codes(&["203.0.113.7"], &plain), []);
    }

    #[test]
    fn addresses_other_than_the_eip_are_warned_about() {
        let eip = LadderOptions {
            expected_ip: Some(ip("203.0.113.7")),
            ..LadderOptions::default()
        };
        use DiagnosisCode::*;
        assert_eq!(codes(&["203.0.113.7"], &eip), []);
        assert_eq!(codes(&["203.0.113.7", "2001:db8::1"], &eip), []);
        assert_eq!(codes(&["198.51.100.1"], &eip), [DnsNotEip]);
        assert_eq!(codes(&["203.0.113.7", "198.51.100.1"], &eip), [DnsNotEip]);
        // Demo mode: the built-in receiver on loopback is neither private nor "not the EIP".
        let demo = LadderOptions {
            loopback_expected: true,
            ..eip.clone()
        };
        assert_eq!(codes(&["127.0.0.1"], &demo), []);
        assert_eq!(codes(&["198.51.100.1"], &demo), [DnsNotEip]);
        let found = warnings("qa.example.com", &[ip("198.51.100.1")], &eip);
        assert_eq!(found[0].1["expected_ip"], "203.0.113.7");
        assert_eq!(found[0].1["addrs"], "198.51.100.1");
    }
}
