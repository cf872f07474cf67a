//! `qa-wecom cert …` end to end: exit codes, the `--json` shapes, the key file's mode, both
//! languages, and no private key on stdout or stderr.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn qa_wecom(args: &[&str], lang: &str) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_qa-wecom"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .stdin(Stdio::null())
        .output()
        .expect("qa-wecom runs");
    common::assert_not_printed(&out, &[("PRIVATE KEY", "a private key")]);
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[cfg(unix)]
use common::mode;

/// `qa-wecom cert <sub> --domain <domain> -o <out>` and `extra`, under the locale `lang`.
fn cert_into(sub: &str, domain: &str, out: &Path, extra: &[&str], lang: &str) -> Output {
    let args = [&["cert", sub, "--domain", domain, "-o", s(out)][..], extra].concat();
    qa_wecom(&args, lang)
}

/// The arguments of `qa-wecom cert inspect` for one certificate file, key file and domain, then `extra`.
fn inspect_args<'a>(
    cert: &'a Path,
    key: &'a Path,
    domain: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let args = [
        "cert",
        "inspect",
        "--cert",
        s(cert),
        "--key",
        s(key),
        "--domain",
        domain,
    ];
    [&args[..], extra].concat()
}

#[test]
fn self_signed_then_inspect_fails_untrusted_and_passes_with_ca_cert() {
    let dir = tempfile::tempdir().expect("tempdir");
    let self_signed = || {
        cert_into(
            "self-signed",
            "qawecom.example.com",
            dir.path(),
            &["--json"],
            "en_US.UTF-8",
        )
    };
    let out = self_signed();
    common::assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["demo_only"], true);
    assert_eq!(v["algorithm"], "ecdsa_p256");
    assert_eq!(
        v["names"],
        serde_json::json!(["qawecom.example.com", "localhost", "127.0.0.1"])
    );
    let key = dir.path().join("demo-only.key");
    let cert = dir.path().join("demo-only.crt");
    assert_eq!(v["files"]["private_key"], s(&key));
    #[cfg(unix)]
    assert_eq!(mode(&key), 0o600);

    // Without --force the pair is not replaced.
    let again = self_signed();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(json(&again)["error"]["code"], "tls_file_exists");

    let base = inspect_args(&cert, &key, "qawecom.example.com", &[]);
    let out = qa_wecom(&[&base[..], &["--json"]].concat(), "en_US.UTF-8");
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["ok"], false);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert_eq!(codes[0], "untrusted_root");
    assert!(
        codes.contains(&"key_match") && codes.contains(&"name_ok"),
        "{codes:?}"
    );
    // The one report shape: steps, the first error as the diagnosis, both languages in `text`.
    assert_eq!(v["check"], "certificate");
    let steps: Vec<(&str, &str)> = v["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| Some((s["name"].as_str()?, s["status"].as_str()?)))
        .collect();
    assert_eq!(
        steps,
        [
            ("read", "pass"),
            ("name", "pass"),
            ("validity", "pass"),
            ("key", "pass"),
            ("chain", "fail")
        ]
    );
    assert_eq!(v["diagnosis"]["code"], "untrusted_root");
    assert_eq!(v["diagnosis"]["severity"], "error");
    assert!(v["diagnosis"]["text"]["summary"]["zh"].is_string(), "{v}");
    assert!(
        v["findings"][0]["message"]["zh"]
            .as_str()
            .is_some_and(|t| t.contains("自签名"))
    );

    let out = qa_wecom(
        &[&base[..], &["--ca-cert", s(&cert), "--json"]].concat(),
        "en_US.UTF-8",
    );
    common::assert_exit(&out, 0);
    assert_eq!(json(&out)["ok"], true);

    // Human output follows the locale.
    let en = qa_wecom(&base, "en_US.UTF-8");
    let en = String::from_utf8_lossy(&en.stdout);
    assert!(
        en.contains("FAILED: untrusted_root")
            && en.contains("FAIL  chain")
            && en.contains("Fix: ")
            && en.contains("[server]"),
        "{en}"
    );
    let zh = qa_wecom(&base, "zh_CN.UTF-8");
    let zh = String::from_utf8_lossy(&zh.stdout);
    assert!(
        zh.contains("未通过: untrusted_root") && zh.contains("自签名") && zh.contains("处理: "),
        "{zh}"
    );
}

#[test]
fn inspect_reports_swapped_and_missing_files_as_parse_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = cert_into("self-signed", "qa.example.com", dir.path(), &[], "C");
    common::assert_stdout(&made, 0, &["DEMO ONLY"]);
    let key = dir.path().join("demo-only.key");
    let cert = dir.path().join("demo-only.crt");

    let swapped = qa_wecom(
        &inspect_args(&key, &cert, "qa.example.com", &["--json"]),
        "C",
    );
    assert_eq!(swapped.status.code(), Some(1));
    let reasons: Vec<String> = json(&swapped)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "parse_error")
        .map(|f| {
            format!(
                "{}:{}",
                f["params"]["file"].as_str().unwrap_or(""),
                f["params"]["reason"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        reasons,
        ["key:cert_instead_of_key", "cert:key_instead_of_cert"]
    );

    let missing = dir.path().join("missing.pem");
    let out = qa_wecom(
        &inspect_args(&missing, &key, "qa.example.com", &["--json"]),
        "C",
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["findings"][0]["code"], "parse_error");
    assert_eq!(v["findings"][0]["params"]["reason"], "unreadable");
}

#[test]
fn csr_writes_an_ecdsa_or_rsa_key_owner_only_and_a_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ec_dir = dir.path().join("ec");
    let out = cert_into(
        "csr",
        "qawecom.example.com",
        &ec_dir,
        &["--ecdsa", "--json"],
        "C",
    );
    common::assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(v["algorithm"], "ecdsa_p256");
    let csr = std::fs::read_to_string(ec_dir.join("request.csr")).expect("csr");
    assert!(csr.starts_with("-----BEGIN CERTIFICATE REQUEST-----"));
    #[cfg(unix)]
    assert_eq!(mode(&ec_dir.join("privkey.pem")), 0o600);

    let rsa_dir = dir.path().join("rsa");
    let out = cert_into("csr", "qawecom.example.com", &rsa_dir, &[], "zh_CN.UTF-8");
    common::assert_stdout(&out, 0, &["RSA 2048-bit", "私钥"]);
    let key = std::fs::read_to_string(rsa_dir.join("privkey.pem")).expect("key");
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"));

    let bad = cert_into("csr", "https://qa.example.com/", &rsa_dir, &["--json"], "C");
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(json(&bad)["error"]["code"], "tls_domain_invalid");
}
