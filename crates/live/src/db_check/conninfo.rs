//! libpq connection strings, both forms (`postgresql://user:pw@host:port/db?sslmode=require` and
//! `host=… port=… dbname=… user=… password=…`): redaction for display, and the split between what
//! `tokio-postgres` understands and the libpq TLS options we handle ourselves (`sslmode` with all six
//! libpq values, `sslrootcert`).
//!
//! Nothing here echoes a password: [`redact`] masks it in both forms, and parse errors never quote
//! values.

use std::path::PathBuf;
use std::str::FromStr;

use percent_encoding::percent_decode_str;

/// libpq's `sslmode`, all six values. `tokio-postgres` knows only disable / prefer / require and
/// verifies nothing itself; verification is ours (see `tls`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "kebab-case")]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Option<Self> {
        value.parse().ok()
    }

    /// libpq's spelling (`verify-full`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A parsed connection string. `Debug` is safe: tokio-postgres redacts the password.
#[derive(Debug)]
pub struct ConnInfo {
    pub config: tokio_postgres::Config,
    pub ssl_mode: SslMode,
    /// `sslrootcert=FILE` (`None`, or the value `system`: the webpki roots).
    pub root_cert: Option<PathBuf>,
}

/// Why a connection string was refused. Messages never contain values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid connection string: {0}")]
pub struct InvalidConnInfo(pub String);

fn is_uri(s: &str) -> bool {
    s.starts_with("postgresql://") || s.starts_with("postgres://")
}

/// The libpq options handled here rather than by `tokio-postgres`.
const OURS: [&str; 2] = ["sslmode", "sslrootcert"];

/// Parses either form; `sslmode` defaults to `prefer` like libpq.
pub fn parse(conninfo: &str) -> Result<ConnInfo, InvalidConnInfo> {
    let conninfo = conninfo.trim();
    let (rest, ours) = if is_uri(conninfo) {
        split_uri(conninfo)
    } else {
        split_key_values(conninfo)?
    };
    let mut ssl_mode = SslMode::Prefer;
    let mut root_cert = None;
    for (key, value) in ours {
        match key.as_str() {
            "sslmode" => {
                ssl_mode = SslMode::parse(&value).ok_or_else(|| {
                    InvalidConnInfo(
                        "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full"
                            .into(),
                    )
                })?;
            }
            _ => {
                root_cert = (value != "system" && !value.is_empty()).then(|| PathBuf::from(value));
            }
        }
    }
    let mut config = tokio_postgres::Config::from_str(&rest).map_err(|e| {
        // tokio-postgres names the option, never its value; keep only its own text.
        InvalidConnInfo(
            std::error::Error::source(&e).map_or_else(|| e.to_string(), |s| s.to_string()),
        )
    })?;
    config.ssl_mode(match ssl_mode {
        SslMode::Disable => tokio_postgres::config::SslMode::Disable,
        SslMode::Allow | SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            tokio_postgres::config::SslMode::Require
        }
    });
    Ok(ConnInfo {
        config,
        ssl_mode,
        root_cert,
    })
}

/// Removes our options from a URI's query string; returns the rest and our (key, value) pairs.
fn split_uri(uri: &str) -> (String, Vec<(String, String)>) {
    let Some((head, query)) = uri.split_once('?') else {
        return (uri.to_owned(), Vec::new());
    };
    let mut kept = Vec::new();
    let mut ours = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode_str(k).decode_utf8_lossy().into_owned();
        if OURS.contains(&key.as_str()) {
            ours.push((key, percent_decode_str(v).decode_utf8_lossy().into_owned()));
        } else {
            kept.push(pair);
        }
    }
    let rest = if kept.is_empty() {
        head.to_owned()
    } else {
        format!("{head}?{}", kept.join("&"))
    };
    (rest, ours)
}

/// One `key = value` of the key/value form: the raw text of the pair and the decoded value.
struct Pair<'a> {
    key: &'a str,
    raw: &'a str,
    value: String,
    /// Byte range of the value in the input (for redaction).
    value_span: (usize, usize),
}

/// Tokenises the key/value form with libpq's rules (single quotes, backslash escapes).
fn pairs(s: &str) -> Result<Vec<Pair<'_>>, InvalidConnInfo> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let skip_ws = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    loop {
        i = skip_ws(i);
        if i >= bytes.len() {
            return Ok(out);
        }
        let start = i;
        while i < bytes.len() && bytes[i] != b'=' && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &s[start..i];
        i = skip_ws(i);
        if i >= bytes.len() || bytes[i] != b'=' {
            return Err(InvalidConnInfo(format!(
                "expected `=` after `{}` (use key=value pairs or a postgresql:// URL)",
                key.chars().take(40).collect::<String>()
            )));
        }
        i = skip_ws(i + 1);
        let value_start = i;
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'\'' {
            i += 1;
            loop {
                match s[i..].chars().next() {
                    None => return Err(InvalidConnInfo("unterminated quoted value".into())),
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some('\\') => {
                        let next = s[i + 1..]
                            .chars()
                            .next()
                            .ok_or_else(|| InvalidConnInfo("unterminated quoted value".into()))?;
                        value.push(next);
                        i += 1 + next.len_utf8();
                    }
                    Some(c) => {
                        value.push(c);
                        i += c.len_utf8();
                    }
                }
            }
        } else {
            while let Some(c) = s[i..].chars().next() {
                if c.is_ascii_whitespace() {
                    break;
                }
                let escaped = if c == '\\' {
                    s[i + 1..].chars().next()
                } else {
                    None
                };
                match escaped {
                    Some(next) => {
                        value.push(next);
                        i += 1 + next.len_utf8();
                    }
                    None => {
                        value.push(c);
                        i += c.len_utf8();
                    }
                }
            }
        }
        out.push(Pair {
            key,
            raw: &s[start..i],
            value,
            value_span: (value_start, i),
        });
    }
}

fn split_key_values(s: &str) -> Result<(String, Vec<(String, String)>), InvalidConnInfo> {
    let mut kept = Vec::new();
    let mut ours = Vec::new();
    for pair in pairs(s)? {
        if OURS.contains(&pair.key) {
            ours.push((pair.key.to_owned(), pair.value));
        } else {
            kept.push(pair.raw);
        }
    }
    Ok((kept.join(" "), ours))
}

/// The connection string with any password masked as `***` (URI user-info, `password=` in a URI
/// query or in the key/value form). Safe to show and log.
pub fn redact(conninfo: &str) -> String {
    let conninfo = conninfo.trim();
    if is_uri(conninfo) {
        let scheme_end = conninfo.find("://").map_or(0, |i| i + 3);
        let (head, query) = match conninfo.split_once('?') {
            Some((h, q)) => (h, Some(q)),
            None => (conninfo, None),
        };
        // User-info ends at the last `@` before the query: a password may hold `/` or `@`.
        let mut out = match head[scheme_end..].rfind('@') {
            Some(at) => {
                let userinfo = &head[scheme_end..scheme_end + at];
                let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
                let masked = if userinfo.contains(':') {
                    format!("{user}:***")
                } else {
                    user.to_owned()
                };
                format!(
                    "{}{masked}{}",
                    &head[..scheme_end],
                    &head[scheme_end + at..]
                )
            }
            None => head.to_owned(),
        };
        if let Some(query) = query {
            let masked: Vec<String> = query
                .split('&')
                .map(|pair| {
                    let key = pair.split_once('=').map_or(pair, |(k, _)| k);
                    if percent_decode_str(key).decode_utf8_lossy() == "password" {
                        format!("{key}=***")
                    } else {
                        pair.to_owned()
                    }
                })
                .collect();
            out.push('?');
            out.push_str(&masked.join("&"));
        }
        return out;
    }
    match pairs(conninfo) {
        Ok(pairs) => {
            let mut out = conninfo.to_owned();
            // Replace from the end so earlier spans stay valid.
            for pair in pairs.iter().rev().filter(|p| p.key == "password") {
                out.replace_range(pair.value_span.0..pair.value_span.1, "***");
            }
            out
        }
        // Unparseable: mask everything after any `password`.
        Err(_) => match conninfo.find("password") {
            Some(i) => format!("{}password=***", &conninfo[..i]),
            None => conninfo.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_password_is_masked_in_userinfo_and_query() {
        assert_eq!(
            redact("postgresql://qa:s3cr3t@db.example.com:5432/qa?sslmode=require"),
            "postgresql://qa:***@db.example.com:5432/qa?sslmode=require"
        );
        assert_eq!(
            redact("postgres://qa:p/a@ss@h/db"),
            "postgres://qa:***@h/db"
        );
        assert_eq!(
            redact("postgresql://h/db?user=qa&password=s3cr3t"),
            "postgresql://h/db?user=qa&password=***"
        );
        assert_eq!(redact("postgresql://qa@h/db"), "postgresql://qa@h/db");
    }

    #[test]
    fn key_value_password_is_masked_quoted_or_not() {
        assert_eq!(
            redact("host=h user=qa password=s3cr3t dbname=qa"),
            "host=h user=qa password=*** dbname=qa"
        );
        assert_eq!(
            redact("host=h password = 'a b\\' c' dbname=qa"),
            "host=h password = *** dbname=qa"
        );
        assert!(!redact("host=h password='unterminated").contains("unterminated"));
    }

    #[test]
    fn ssl_options_are_taken_out_and_mapped() {
        let info = parse("postgresql://qa:pw@127.0.0.1:5/db?sslmode=verify-full&sslrootcert=/tmp/ca.pem&application_name=x")
            .expect("parses");
        assert_eq!(info.ssl_mode, SslMode::VerifyFull);
        assert_eq!(info.root_cert, Some(PathBuf::from("/tmp/ca.pem")));
        assert_eq!(
            info.config.get_ssl_mode(),
            tokio_postgres::config::SslMode::Require
        );
        assert_eq!(info.config.get_password(), Some(&b"pw"[..]));
        let info = parse("host=127.0.0.1 sslmode=disable dbname='my db'").expect("parses");
        assert_eq!(info.ssl_mode, SslMode::Disable);
        assert_eq!(info.config.get_dbname(), Some("my db"));
        let info = parse("postgresql://h/db").expect("parses");
        assert_eq!(info.ssl_mode, SslMode::Prefer);
    }

    #[test]
    fn bad_strings_are_refused_without_quoting_values() {
        let err = parse("postgresql://h/db?sslmode=sometimes").expect_err("refused");
        assert!(err.to_string().contains("sslmode"));
        let err = parse("host=h password=hunter2 bogus=1").expect_err("refused");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(parse("host").is_err());
    }
}
