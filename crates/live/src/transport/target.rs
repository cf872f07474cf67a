//! The callback URL, taken apart into what each rung needs: scheme, host, port, the `Host` header
//! and the path (+ query) the request line carries. Only `http://` and `https://` are accepted;
//! [`HttpUrl`] is that rule, shared with the WeCom API base.

use crate::error::LiveError;
use http::Uri;

/// Plain HTTP or HTTP over TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

/// A parsed callback URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The URL as given (it carries no secret), for the report.
    pub url: String,
    pub scheme: Scheme,
    /// Host name or IP literal, without IPv6 brackets; this is what DNS and SNI see.
    pub host: String,
    pub port: u16,
    /// The `Host` header value: host, and the port when it is not the scheme's default.
    pub authority: String,
    /// Path, and the query the URL already had (without `?`).
    pub path: String,
    pub query: Option<String>,
}

/// Why a URL's port was refused.
pub(crate) const PORT_RANGE: &str = "the port must be a whole number from 1 to 65535";

/// The port written in `authority`, if any; `Err` when one is written but is not 1..=65535
/// (`http`'s own parser then reports no port at all, and the default would be used silently).
pub(crate) fn explicit_port(authority: &http::uri::Authority) -> Result<Option<u16>, ()> {
    let Some(text) = authority
        .as_str()
        .strip_prefix(authority.host())
        .and_then(|rest| rest.strip_prefix(':'))
    else {
        return Ok(None);
    };
    match text.parse::<u16>() {
        Ok(port) if port != 0 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(port)),
        _ => Err(()),
    }
}

/// An `http://` or `https://` URL with a host and no user info, split into scheme, host and port:
/// the rule both a callback URL and the WeCom API base follow.
pub(crate) struct HttpUrl {
    pub https: bool,
    /// Lowercase, without IPv6 brackets.
    pub host: String,
    /// The port written, else the scheme's (443 or 80).
    pub port: u16,
    pub uri: Uri,
}

impl HttpUrl {
    /// Parses `text` (already trimmed); `Err` says what is wrong, in the user's terms.
    pub(crate) fn parse(text: &str) -> Result<Self, &'static str> {
        let uri: Uri = text.parse().map_err(|_| "not a valid URL")?;
        let https = match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("https") => true,
            Some(s) if s.eq_ignore_ascii_case("http") => false,
            Some(_) => return Err("the scheme must be http:// or https://"),
            None => return Err("the URL must start with http:// or https://"),
        };
        let authority = uri.authority().ok_or("the URL has no host")?;
        if authority.as_str().contains('@') {
            return Err("the URL must not carry a user name or password");
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        if host.is_empty() {
            return Err("the URL has no host");
        }
        let default_port = if https { 443 } else { 80 };
        let port = explicit_port(authority)
            .map_err(|()| PORT_RANGE)?
            .unwrap_or(default_port);
        Ok(HttpUrl {
            https,
            host,
            port,
            uri,
        })
    }
}

impl Target {
    /// Parses an `http://` or `https://` URL with a host; rejects user info and fragments.
    pub fn parse(url: &str) -> Result<Self, LiveError> {
        let bad = |reason: &str| LiveError::InvalidUrl {
            url: url.to_string(),
            reason: reason.to_string(),
        };
        let trimmed = url.trim();
        if trimmed.contains('#') {
            return Err(bad("a callback URL has no #fragment"));
        }
        let parts = HttpUrl::parse(trimmed).map_err(bad)?;
        let (https, host, port, uri) = (parts.https, parts.host, parts.port, parts.uri);
        let (scheme, default_port) = if https {
            (Scheme::Https, 443)
        } else {
            (Scheme::Http, 80)
        };
        let host_header = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.clone()
        };
        let authority = if port == default_port {
            host_header
        } else {
            format!("{host_header}:{port}")
        };
        let path = match uri.path() {
            "" => "/".to_string(),
            p => p.to_string(),
        };
        Ok(Target {
            url: trimmed.to_string(),
            scheme,
            host,
            port,
            authority,
            path,
            query: uri.query().map(str::to_string),
        })
    }

    /// The request target (origin form) with WeCom's parameters appended to the URL's own query.
    pub fn request_target(&self, extra_query: &str) -> String {
        match &self.query {
            Some(q) if !q.is_empty() => format!("{}?{q}&{extra_query}", self.path),
            _ => format!("{}?{extra_query}", self.path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_callback_url() {
        let t = Target::parse(
            "https://QA.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/ww1",
        )
        .unwrap();
        assert_eq!(t.scheme, Scheme::Https);
        assert_eq!(t.host, "qa.example.com");
        assert_eq!(t.port, 443);
        assert_eq!(t.authority, "qa.example.com");
        assert_eq!(
            t.request_target("a=1"),
            "/restapi/thirdservice/we/com/inner/event/oneparty/callback/ww1?a=1"
        );
    }

    #[test]
    fn keeps_ports_queries_and_ipv6() {
        let t = Target::parse("http://127.0.0.1:8080/cb?x=y").unwrap();
        assert_eq!((t.port, t.authority.as_str()), (8080, "127.0.0.1:8080"));
        assert_eq!(t.request_target("a=1"), "/cb?x=y&a=1");
        let t = Target::parse("https://[::1]:8443").unwrap();
        assert_eq!(
            (t.host.as_str(), t.authority.as_str(), t.path.as_str()),
            ("::1", "[::1]:8443", "/")
        );
    }

    #[test]
    fn rejects_what_wecom_cannot_call() {
        for bad in [
            "ftp://x/",
            "example.com/cb",
            "https://user:pw@x/",
            "https://x/#f",
            "",
            "http://",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_port_out_of_range_is_refused_not_replaced_by_the_default() {
        for bad in [
            "http://127.0.0.1:99999/",
            "https://x:65536/cb",
            "http://[::1]:70000/",
            "http://x:0/",
            "http://x:8o/",
        ] {
            match Target::parse(bad) {
                Err(LiveError::InvalidUrl { reason, .. }) => {
                    assert!(reason.contains("1 to 65535"), "{bad}: {reason}")
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert_eq!(
            Target::parse("http://x:65535/").map(|t| t.port).ok(),
            Some(65535)
        );
    }
}
