//! Helpers shared by the CLI test binaries: run `qa-wecom` in a folder with English output, check
//! its exit code, read its streams and JSON, list the files it wrote. Each binary uses only some
//! of them.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub fn qa(args: &[&str], dir: &Path) -> std::io::Result<Output> {
    Command::new(env!("CARGO_BIN_EXE_qa-wecom"))
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
}

/// The `--token`, `--aes-key` and `--corp-id` flags that pass one set of callback credentials.
pub fn credential_flags<'a>(token: &'a str, aes_key: &'a str, corp_id: &'a str) -> [&'a str; 6] {
    ["--token", token, "--aes-key", aes_key, "--corp-id", corp_id]
}

/// Runs `qa-wecom plan new --demo -o plan.toml` and `extra` in `dir`.
pub fn plan_new_demo(dir: &Path, extra: &[&str]) -> std::io::Result<Output> {
    qa(
        &[&["plan", "new", "--demo", "-o", "plan.toml"][..], extra].concat(),
        dir,
    )
}

/// A demo plan at `dir/plan.toml`, made by `plan new --demo`, which must exit 0.
pub fn demo_plan(dir: &Path) -> Result<PathBuf, Box<dyn std::error::Error>> {
    assert_exit(&plan_new_demo(dir, &[])?, 0);
    Ok(dir.join("plan.toml"))
}

/// A temporary folder holding a demo plan (`plan.toml`, `plan.secrets.toml`), made by `demo_plan`.
pub fn demo_plan_dir() -> Result<tempfile::TempDir, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    demo_plan(dir.path())?;
    Ok(dir)
}

/// A temporary folder holding the blank plan of `plan new -o plan.toml`, which must exit 0.
pub fn template_plan_dir() -> Result<tempfile::TempDir, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    assert_exit(&qa(&["plan", "new", "-o", "plan.toml"], dir.path())?, 0);
    Ok(dir)
}

/// A one-worker tokio runtime for the in-process servers (receiver, fake WeCom API) a test talks to.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

/// Asserts that no needle of `secrets` (needle, what it is) is on stdout or stderr.
#[track_caller]
pub fn assert_not_printed(o: &Output, secrets: &[(&str, &str)]) {
    for stream in [&o.stdout, &o.stderr] {
        let text = String::from_utf8_lossy(stream);
        for (needle, what) in secrets {
            assert!(!text.contains(needle), "{what} was printed:\n{text}");
        }
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[cfg(unix)]
/// The permission bits of `p` (0 when it cannot be read).
pub fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or(0)
}

/// Asserts the exit code, printing both streams when it is not the one expected.
#[track_caller]
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// Asserts the exit code (as `assert_exit`) and that each of `needles` is on stdout; returns it.
#[track_caller]
pub fn assert_stdout(o: &Output, code: i32, needles: &[&str]) -> String {
    assert_exit(o, code);
    assert_has("stdout", stdout(o), needles)
}

/// Asserts the exit code (as `assert_exit`) and that each of `needles` is on stderr; returns it.
#[track_caller]
pub fn assert_stderr(o: &Output, code: i32, needles: &[&str]) -> String {
    assert_exit(o, code);
    assert_has("stderr", stderr(o), needles)
}

#[track_caller]
fn assert_has(stream: &str, text: String, needles: &[&str]) -> String {
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} not on {stream}:\n{text}");
    }
    text
}

pub fn json(o: &Output) -> Result<Value, serde_json::Error> {
    serde_json::from_slice(&o.stdout)
}

pub fn all_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
