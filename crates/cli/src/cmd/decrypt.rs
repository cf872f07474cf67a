//! `qa-wecom decrypt`: decrypt a captured callback (query string, plus the body for an event POST)
//! and print the plaintext, or the official error code and what to check
//! (`setup_core::capture`, the same call as the app's decrypt tool).

use super::callback_secrets::CallbackSecrets;
use clap::Args;
use setup_core::capture::{self, MAX_BODY};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

/// Decrypt a captured WeCom callback: the GET (query with echostr) or an event POST (query + body).
#[derive(Args, Debug)]
pub struct DecryptArgs {
    /// Token, EncodingAESKey and corpid (the receiveid inside every plaintext).
    #[command(flatten)]
    pub secrets: CallbackSecrets,
    /// The raw query string, as received: 'msg_signature=..&timestamp=..&nonce=..[&echostr=..]'
    /// (a whole URL also works: everything up to the first '?' is ignored).
    #[arg(long)]
    pub query: String,
    /// File with the POST body of an event callback (`-` for stdin). Without it the query must
    /// carry echostr (URL verification).
    #[arg(long)]
    pub body: Option<PathBuf>,
    /// Print one JSON object: {ok, kind, message} or {ok, kind, code, name, message, meaning, fix}.
    #[arg(long)]
    pub json: bool,
}

/// What the command prints and returns, kept apart from printing so it can be tested.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    exit: u8,
    stdout: String,
    stderr: String,
}

impl Outcome {
    /// Exit 2 with `error: {message}` on stderr: the input could not be used.
    fn usage_error(message: impl std::fmt::Display) -> Self {
        Outcome {
            exit: 2,
            stdout: String::new(),
            stderr: format!("error: {message}\n"),
        }
    }
}

pub fn run(args: DecryptArgs) -> ExitCode {
    let body = match &args.body {
        None => None,
        Some(path) => match read_body(path) {
            Ok(body) => Some(body),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        },
    };
    let outcome = execute(&args, body.as_deref());
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    ExitCode::from(outcome.exit)
}

/// Reads at most one byte more than the core accepts, so an oversized body is refused by it.
fn read_body(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let limit = MAX_BODY as u64 + 1;
    let result = if path.as_os_str() == "-" {
        let mut body = Vec::new();
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut body)
            .map(|_| body)
    } else {
        // A regular file only (a FIFO would block); one byte over the core's cap is refused here.
        setup_core::fsread::read_capped(path, limit)
    };
    result.map_err(|e| format!("cannot read --body {}: {e}", path.display()))
}

fn execute(args: &DecryptArgs, body: Option<&[u8]>) -> Outcome {
    let values = match args.secrets.resolve() {
        Ok(v) => v,
        Err(message) => return Outcome::usage_error(message),
    };
    let decryption = match capture::decrypt(
        values.token.expose(),
        values.aes_key.expose(),
        &values.corp_id,
        &args.query,
        body,
    ) {
        Ok(d) => d,
        Err(e) => return Outcome::usage_error(e),
    };
    let exit = if decryption.ok { 0 } else { 1 };
    if args.json {
        let json = serde_json::to_string(&decryption).unwrap_or_default();
        return Outcome {
            exit,
            stdout: format!("{json}\n"),
            stderr: String::new(),
        };
    }
    match (&decryption.code, &decryption.name) {
        (Some(code), Some(name)) => {
            let hint = if decryption.needs_body {
                "\nhint: for an event POST, pass the request body with --body FILE"
            } else {
                ""
            };
            Outcome {
                exit,
                stdout: String::new(),
                stderr: format!("error {code} ({name}): {}{hint}\n", decryption.message),
            }
        }
        _ => Outcome {
            exit,
            stdout: format!("{}\n", decryption.message),
            stderr: String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use setup_core::secret::Secret;

    const GET_QUERY: &str = "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";
    const POST_QUERY: &str = "msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149";
    const POST_BODY: &str = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";

    fn args(query: &str, corp_id: &str, json: bool) -> DecryptArgs {
        DecryptArgs {
            secrets: CallbackSecrets {
                plan: None,
                token: Some(Secret::new("QDG6eK")),
                aes_key: Some(Secret::new("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C")),
                corp_id: Some(corp_id.into()),
            },
            query: query.into(),
            body: None,
            json,
        }
    }

    #[test]
    fn url_verification_prints_the_plaintext_and_exits_0() {
        let out = execute(&args(GET_QUERY, "wx5823bf96d3bd56c7", false), None);
        assert_eq!(
            out,
            Outcome {
                exit: 0,
                stdout: "1616140317555161061\n".into(),
                stderr: String::new()
            }
        );
    }

    #[test]
    fn a_whole_url_is_accepted_as_the_query() {
        let url = format!(
            "https://qa.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/wx?{GET_QUERY}"
        );
        assert_eq!(
            execute(&args(&url, "wx5823bf96d3bd56c7", false), None).exit,
            0
        );
    }

    #[test]
    fn event_with_body_prints_the_decrypted_xml() {
        let out = execute(
            &args(POST_QUERY, "wx5823bf96d3bd56c7", false),
            Some(POST_BODY.as_bytes()),
        );
        assert_eq!(out.exit, 0, "{}", out.stderr);
        assert!(out.stdout.starts_with(
            "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName>"
        ));
        assert!(out.stdout.contains("<Content><![CDATA[hello]]></Content>"));
    }

    #[test]
    fn wrong_corpid_prints_40005_naming_both_and_exits_1() {
        let out = execute(&args(GET_QUERY, "wwother", false), None);
        assert_eq!(out.exit, 1);
        assert!(out.stdout.is_empty());
        assert!(
            out.stderr.starts_with(
                "error -40005 (ValidateCorpid_Error): decrypted receiveid \"wx5823bf96d3bd56c7\" does not match corpid \"wwother\""
            ),
            "{}",
            out.stderr
        );
    }

    #[test]
    fn json_output_carries_the_code_and_name() {
        let out = execute(&args(GET_QUERY, "wwother", true), None);
        assert_eq!(out.exit, 1);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["code"], -40005);
        assert_eq!(v["name"], "ValidateCorpid_Error");
        let ok = execute(&args(GET_QUERY, "wx5823bf96d3bd56c7", true), None);
        let v: serde_json::Value = serde_json::from_str(&ok.stdout).unwrap();
        assert_eq!(
            (v["ok"].clone(), v["kind"].clone(), v["message"].clone()),
            (
                true.into(),
                "url_verification".into(),
                "1616140317555161061".into()
            )
        );
    }

    #[test]
    fn missing_echostr_without_body_is_40003_with_a_hint() {
        let out = execute(&args(POST_QUERY, "wx5823bf96d3bd56c7", false), None);
        assert_eq!(out.exit, 1);
        assert!(
            out.stderr
                .starts_with("error -40003 (ComputeSignature_Error)"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("--body FILE"), "{}", out.stderr);
    }

    #[test]
    fn bad_key_is_40004() {
        let mut a = args(GET_QUERY, "wx5823bf96d3bd56c7", false);
        // One character short.
        a.secrets.aes_key = Some(Secret::new("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2"));
        let out = execute(&a, None);
        assert_eq!(out.exit, 1);
        assert!(
            out.stderr.starts_with("error -40004 (IllegalAesKey)"),
            "{}",
            out.stderr
        );
    }

    #[test]
    fn echostr_and_body_together_is_a_usage_error() {
        let out = execute(
            &args(GET_QUERY, "wx5823bf96d3bd56c7", false),
            Some(POST_BODY.as_bytes()),
        );
        assert_eq!(out.exit, 2);
    }
}
