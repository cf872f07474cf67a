//! `qa-wecom serve` end to end: the binary listens on 127.0.0.1, prints its callback URL, passes
//! `qa-wecom verify` and `send-event`, misbehaves with `--fault`, and exits 0 on Ctrl-C (SIGINT)
//! with logs that carry no secret.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "ServeTokenNeverPrinted0123456789";
const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const CORP_ID: &str = "ww0123456789abcdef";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_qa-wecom"))
}

/// `qa-wecom serve` on 127.0.0.1:0 with `aes_key` and the test Token and corpid, then `extra`; no stdin.
fn serve_command(aes_key: &str, extra: &[&str]) -> Command {
    let mut cmd = bin();
    cmd.args(["serve", "--listen", "127.0.0.1:0"])
        .args(common::credential_flags(TOKEN, aes_key, CORP_ID))
        .args(extra)
        .stdin(Stdio::null());
    cmd
}

/// Starts `serve` on 127.0.0.1:0 and reads its callback URL from stdout.
fn serve(extra: &[&str]) -> (Child, String) {
    let mut child = serve_command(AES_KEY, extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut url = None;
    for _ in 0..5 {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if let Some(u) = line.trim().strip_prefix("Callback URL: ") {
            url = Some(u.to_string());
            break;
        }
    }
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = stdout.read_to_string(&mut rest);
    });
    let url = url.expect("serve prints its callback URL");
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with(&format!("/callback/{CORP_ID}")),
        "{url}"
    );
    (child, url)
}

fn check(cmd: &str, url: &str) -> Output {
    bin()
        .args([cmd, "--url", url])
        .args(common::credential_flags(TOKEN, AES_KEY, CORP_ID))
        .arg("--json")
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

/// SIGINT, as Ctrl-C sends; then the exit status and stderr within a few seconds.
fn interrupt(mut child: Child) -> (Option<i32>, String) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut stderr);
            }
            return (exit.code(), stderr);
        }
        if started.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("serve did not stop within 5 s of SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serve_answers_verify_and_send_event_then_stops_on_ctrl_c() {
    let (child, url) = serve(&[]);
    let out = check("verify", &url);
    common::assert_exit(&out, 0);
    let out = check("send-event", &url);
    common::assert_exit(&out, 0);
    let (code, stderr) = interrupt(child);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("event received") && stderr.contains("receiver stopped"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(TOKEN) && !stderr.contains(AES_KEY),
        "{stderr}"
    );
}

#[test]
fn serve_misbehaves_on_purpose_with_fault() {
    let (child, url) = serve(&["--fault", "bom"]);
    let out = check("verify", &url);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["diagnosis"]["code"], "bom");
    let (code, _) = interrupt(child);
    assert_eq!(code, Some(0));
}

#[test]
fn serve_refuses_bad_input() {
    let out = serve_command("short", &[]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = serve_command(AES_KEY, &["--fault", "sideways"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("json_wrapped"),
        "lists the modes"
    );
    let out = serve_command(AES_KEY, &["--tls-cert", "/nonexistent.pem"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "--tls-cert needs --tls-key");
}

#[test]
fn serve_help_lists_every_fault_mode_from_the_enum() {
    let out = bin()
        .args(["serve", "--help"])
        .output()
        .expect("qa-wecom runs");
    common::assert_exit(&out, 0);
    let help = String::from_utf8_lossy(&out.stdout);
    // clap lists each value as "- name: its doc comment".
    let listed: Vec<&str> = help
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- ")?.split_once(':').map(|(n, _)| n))
        .collect();
    let names: Vec<&str> = <live::FaultMode as clap::ValueEnum>::value_variants()
        .iter()
        .map(|m| <&str>::from(*m))
        .collect();
    assert_eq!(listed, names, "{help}");
}
