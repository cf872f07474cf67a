//! `qa-wecom decrypt`, run as the built binary on the official vectors: the plaintext on stdout
//! and exit 0 on success; the official code and what to check on stderr and a non-zero exit
//! otherwise; the body from a file or stdin.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use wecom_crypto::sample::{CORP_ID as CORP, ENCODING_AES_KEY as KEY, GET_QUERY, TOKEN};
const POST_QUERY: &str =
    "msg_signature=0c3914025cb4b4d68103f6bfc8db550f79dcf48e&timestamp=1476422779&nonce=1597212914";
const POST_BODY: &str = "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>";

fn decrypt(
    token: &str,
    key: &str,
    corp: &str,
    query: &str,
    extra: &[&str],
    stdin: Option<&str>,
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qa-wecom"))
        .arg("decrypt")
        .args(common::credential_flags(token, key, corp))
        .args(["--query", query])
        .args(extra)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the qa-wecom binary runs");
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(input.as_bytes())
            .expect("stdin accepts the body");
    }
    child.wait_with_output().expect("qa-wecom exits")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn url_verification_prints_the_echostr_plaintext_and_exits_0() {
    let out = decrypt(TOKEN, KEY, CORP, GET_QUERY, &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "1616140317555161061\n");
    assert!(out.stderr.is_empty());
}

#[test]
fn event_body_from_a_file_and_from_stdin_decrypts_the_chinese_message() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("body.xml");
    std::fs::write(&path, POST_BODY).expect("the body is written");
    let path = path.to_string_lossy().into_owned();
    let token = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
    let key = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
    for (extra, stdin) in [
        (["--body", path.as_str()], None),
        (["--body", "-"], Some(POST_BODY)),
    ] {
        let out = decrypt(token, key, "ww1436e0e65a779aee", POST_QUERY, &extra, stdin);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("<Content>你好</Content>"),
            "{}",
            text(&out.stdout)
        );
    }
}

#[test]
fn wrong_corpid_exits_1_with_40005_and_both_ids() {
    let out = decrypt(TOKEN, KEY, "wwffffffffffffffff", GET_QUERY, &[], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.starts_with("error -40005 (ValidateCorpid_Error): decrypted receiveid \"wx5823bf96d3bd56c7\" does not match corpid \"wwffffffffffffffff\""), "{err}");
}

#[test]
fn wrong_token_exits_1_with_40001_and_json_says_so() {
    let out = decrypt("QDG6eX", KEY, CORP, GET_QUERY, &["--json"], None);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["ok"], false);
    assert_eq!(v["code"], -40001);
    assert!(
        v["message"].as_str().is_some_and(|m| m.contains("Token")),
        "{v}"
    );
    assert!(
        !text(&out.stdout).contains("QDG6eX"),
        "the token must not be echoed"
    );
}

#[test]
fn unreadable_body_file_is_a_usage_error() {
    let out = decrypt(
        TOKEN,
        KEY,
        CORP,
        POST_QUERY,
        &["--body", "/nonexistent/body.xml"],
        None,
    );
    common::assert_stderr(&out, 2, &["cannot read --body"]);
}
