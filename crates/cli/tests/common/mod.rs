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

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
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
