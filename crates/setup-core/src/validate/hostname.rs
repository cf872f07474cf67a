//! Host-name rules for the callback domain (and for host names elsewhere): no scheme, port or
//! path; nothing that could break a generated file; DNS lengths; IDN converted to punycode.

use super::{Finding, IssueCode, Rule};
use std::net::{Ipv4Addr, Ipv6Addr};

validated_string!(
    /// A validated host name: lowercase ASCII (punycode for IDN), labels of `[a-z0-9-]`, safe to put
    /// into any generated file as is.
    Hostname
);

/// Characters that could break out of a value in nginx, shell, TOML, Markdown or SVG.
pub(crate) fn is_forbidden(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            ';' | '{' | '}' | '"' | '\'' | '#' | '`' | '$' | '\\' | '<' | '>'
        )
}

/// A character as people can read it in a message: `'x'`, or `U+000A` for invisible ones.
pub(crate) fn show_char(c: char) -> String {
    if c.is_whitespace() || c.is_control() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("'{c}'")
    }
}

/// Removes a leading `scheme://`, if there is one.
pub(crate) fn strip_scheme(s: &str) -> Option<&str> {
    let (scheme, rest) = s.split_once("://")?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then_some(rest)
}

/// The part of an address before any path, query or fragment.
pub(crate) fn before_path(s: &str) -> &str {
    s.split(['/', '?']).next().unwrap_or(s)
}

fn finding(code: IssueCode) -> Finding {
    Finding::new(code)
}

/// Checks the labels of a lowercase ASCII host name.
pub(crate) fn check_labels(ascii: &str, require_dot: bool) -> Result<(), Finding> {
    if ascii.len() > 253 {
        return Err(finding(IssueCode::DomainTooLong).with("length", ascii.len().to_string()));
    }
    let labels: Vec<&str> = ascii.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err(finding(IssueCode::DomainEmptyLabel));
        }
        if label.len() > 63 {
            return Err(finding(IssueCode::DomainLabelTooLong).with("label", (*label).to_owned()));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(finding(IssueCode::DomainInvalidChar).with("char", show_char(c)));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(finding(IssueCode::DomainLabelHyphen).with("label", (*label).to_owned()));
        }
    }
    if require_dot && labels.len() < 2 {
        return Err(finding(IssueCode::DomainSingleLabel));
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(finding(IssueCode::DomainNumericTld));
    }
    Ok(())
}

/// Validates the callback domain and returns it lowercase, in punycode.
pub fn domain(input: &str) -> Rule<Hostname> {
    if input.trim().is_empty() {
        return Err(finding(IssueCode::DomainMissing));
    }
    if let Some(c) = input.chars().find(|c| is_forbidden(*c)) {
        return Err(finding(IssueCode::DomainForbiddenChar).with("char", show_char(c)));
    }
    if let Some(rest) = strip_scheme(input) {
        let host = before_path(rest);
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = host.split(':').next().unwrap_or(host);
        return Err(finding(IssueCode::DomainHasScheme).with("suggestion", host.to_owned()));
    }
    if input.contains(['/', '?']) {
        return Err(
            finding(IssueCode::DomainHasPath).with("suggestion", before_path(input).to_owned())
        );
    }
    let unbracketed = input
        .strip_prefix('[')
        .and_then(|s| s.split(']').next())
        .unwrap_or(input);
    if unbracketed.parse::<Ipv6Addr>().is_ok() {
        return Err(finding(IssueCode::DomainIsIp));
    }
    if let Some((host, port)) = input.rsplit_once(':') {
        if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) {
            return Err(finding(IssueCode::DomainHasPort).with("suggestion", host.to_owned()));
        }
        return Err(finding(IssueCode::DomainInvalidChar).with("char", show_char(':')));
    }
    if input.parse::<Ipv4Addr>().is_ok() {
        return Err(finding(IssueCode::DomainIsIp));
    }
    // One trailing dot (a fully qualified name) is the same host.
    let name = input.strip_suffix('.').unwrap_or(input);
    let mut warnings = Vec::new();
    let ascii = if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        let ascii =
            idna::domain_to_ascii_strict(name).map_err(|_| finding(IssueCode::DomainIdnInvalid))?;
        warnings.push(finding(IssueCode::DomainIdnConverted).with("ascii", ascii.clone()));
        ascii
    };
    check_labels(&ascii, true)?;
    Ok((Hostname(ascii), warnings))
}

/// Validates an internal host name (the QA upstream): single labels allowed.
pub(crate) fn internal_host(ascii_lower: &str) -> Result<Hostname, Finding> {
    check_labels(ascii_lower, false)?;
    Ok(Hostname(ascii_lower.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> IssueCode {
        match domain(input) {
            Ok(_) => panic!("{input:?} was accepted"),
            Err(f) => f.code,
        }
    }

    fn ok(input: &str) -> String {
        match domain(input) {
            Ok((h, _)) => h.as_str().to_owned(),
            Err(f) => panic!("{input:?} rejected with {:?}", f.code),
        }
    }

    #[test]
    fn plain_domains_are_accepted_and_lowercased() {
        assert_eq!(ok("qawecom.example.com"), "qawecom.example.com");
        assert_eq!(ok("QAWeCom.Example.COM"), "qawecom.example.com");
        assert_eq!(ok("qawecom.example.com."), "qawecom.example.com");
        assert_eq!(ok("a-b.c1.io"), "a-b.c1.io");
    }

    #[test]
    fn idn_is_converted_to_punycode_with_a_warning() {
        let (h, warnings) = domain("企业微信.中国").unwrap_or_else(|f| panic!("{:?}", f.code));
        assert!(h.as_str().starts_with("xn--"), "{}", h.as_str());
        assert!(h.as_str().is_ascii());
        assert_eq!(warnings[0].code, IssueCode::DomainIdnConverted);
        assert_eq!(ok("bücher.example"), "xn--bcher-kva.example");
    }

    #[test]
    fn scheme_port_and_path_are_rejected_with_the_host_as_suggestion() {
        let f = domain("https://qa.example.com/x").err();
        assert_eq!(f.as_ref().map(|f| f.code), Some(IssueCode::DomainHasScheme));
        assert_eq!(
            f.and_then(|f| f.param("suggestion")),
            Some("qa.example.com".to_owned())
        );
        assert_eq!(code("qa.example.com:443"), IssueCode::DomainHasPort);
        assert_eq!(code("qa.example.com/restapi"), IssueCode::DomainHasPath);
        assert_eq!(code("qa.example.com?x=1"), IssueCode::DomainHasPath);
    }

    #[test]
    fn characters_that_could_inject_into_generated_files_are_rejected() {
        for bad in [
            "qa.example.com;",
            "qa.example.com{",
            "qa}.example.com",
            "qa\".example.com",
            "qa'.example.com",
            "qa#.example.com",
            "qa example.com",
            "qa.example.com\n",
            "qa\t.example.com",
            "qa\u{7}.example.com",
            "qa$x.example.com",
            "qa`.example.com",
            "qa\\.example.com",
            "qa<.example.com",
            " qa.example.com",
        ] {
            assert_eq!(code(bad), IssueCode::DomainForbiddenChar, "{bad:?}");
        }
    }

    #[test]
    fn other_invalid_host_names_get_their_own_codes() {
        assert_eq!(code(""), IssueCode::DomainMissing);
        assert_eq!(code("   "), IssueCode::DomainMissing);
        assert_eq!(code("203.0.113.10"), IssueCode::DomainIsIp);
        assert_eq!(code("2001:db8::1"), IssueCode::DomainIsIp);
        assert_eq!(code("[2001:db8::1]"), IssueCode::DomainIsIp);
        assert_eq!(code("qa..example.com"), IssueCode::DomainEmptyLabel);
        assert_eq!(code(".example.com"), IssueCode::DomainEmptyLabel);
        assert_eq!(code("-qa.example.com"), IssueCode::DomainLabelHyphen);
        assert_eq!(code("qa-.example.com"), IssueCode::DomainLabelHyphen);
        assert_eq!(code("qa_wecom.example.com"), IssueCode::DomainInvalidChar);
        assert_eq!(code("*.example.com"), IssueCode::DomainInvalidChar);
        assert_eq!(code("user@qa.example.com"), IssueCode::DomainInvalidChar);
        assert_eq!(code("localhost"), IssueCode::DomainSingleLabel);
        assert_eq!(code("1.2.3"), IssueCode::DomainNumericTld);
    }

    #[test]
    fn length_limits_are_63_per_label_and_253_in_total() {
        let label63 = "a".repeat(63);
        assert_eq!(ok(&format!("{label63}.com")), format!("{label63}.com"));
        assert_eq!(
            code(&format!("{}.com", "a".repeat(64))),
            IssueCode::DomainLabelTooLong
        );
        // 3 × 63 + 61 + 3 dots = 253 characters: fits exactly.
        let max = format!("{label63}.{label63}.{label63}.{}", "a".repeat(61));
        assert_eq!(max.len(), 253);
        assert_eq!(ok(&max), max);
        assert_eq!(code(&format!("a{max}")), IssueCode::DomainTooLong);
    }
}
