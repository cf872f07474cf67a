//! Issue 16, run as the built binary: the faults a hostile (or unlucky) user found. Nothing the
//! user owns is lost by `export` or `plan new`; secrets stay out of argv, output and messages;
//! nothing hangs on a FIFO or a device; closed pipes and bad ports end cleanly; and every message
//! says what is wrong in a whole sentence.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

mod common;

use common::{
    TestResult, all_files, assert_exit, assert_stderr, demo_plan, demo_plan_dir, json, qa, stderr,
};

/// Every file under `root` with its content.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    all_files(root)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
            let bytes = std::fs::read(&p).unwrap_or_default();
            (rel, bytes)
        })
        .collect()
}

/// `qa-wecom export plan.toml` with `args` in `dir`, which must exit 0.
fn export_ok(dir: &Path, args: &[&str]) -> TestResult {
    assert_exit(&qa(&[&["export", "plan.toml"][..], args].concat(), dir)?, 0);
    Ok(())
}

/// `qa-wecom export plan.toml --json` with `args` in `dir`, which must be refused (exit 2) with the
/// error `code`; returns the output, for what its message says.
fn export_refused(
    dir: &Path,
    args: &[&str],
    code: &str,
) -> Result<Output, Box<dyn std::error::Error>> {
    let o = qa(
        &[&["export", "plan.toml", "--json"][..], args].concat(),
        dir,
    )?;
    assert_exit(&o, 2);
    assert_eq!(json(&o)?["error"]["code"], code, "{args:?}: {}", stderr(&o));
    Ok(o)
}

#[test]
fn export_into_the_plans_own_folder_is_refused_even_with_a_sha256sums_there() -> TestResult {
    let dir = demo_plan_dir()?;
    std::fs::write(dir.path().join("SHA256SUMS"), "mine\n")?;
    std::fs::write(dir.path().join("notes.txt"), "keep me")?;
    let before = snapshot(dir.path());
    for out in [".", dir.path().to_str().unwrap_or(".")] {
        let o = export_refused(dir.path(), &["-o", out], "output_holds_plan")?;
        assert!(stderr(&o).contains("plan.toml"), "{}", stderr(&o));
        assert_eq!(snapshot(dir.path()), before);
    }
    // Also a folder that only holds the secrets file.
    let sub = dir.path().join("vault");
    std::fs::create_dir(&sub)?;
    let mut plan = std::fs::read_to_string(dir.path().join("plan.toml"))?;
    plan = plan.replacen(
        "[resources]",
        "secrets_file = \"vault/s.toml\"\n\n[resources]",
        1,
    );
    std::fs::write(dir.path().join("plan.toml"), plan)?;
    std::fs::rename(dir.path().join("plan.secrets.toml"), sub.join("s.toml"))?;
    export_refused(dir.path(), &["-o", "vault"], "output_holds_plan")?;
    assert!(sub.join("s.toml").is_file());
    Ok(())
}

#[test]
fn a_folder_with_sha256sums_and_plan_toml_but_no_marker_is_not_a_bundle() -> TestResult {
    let dir = demo_plan_dir()?;
    let fake = dir.path().join("fake");
    std::fs::create_dir(&fake)?;
    for f in ["SHA256SUMS", "plan.toml", "holiday.jpg"] {
        std::fs::write(fake.join(f), f)?;
    }
    let before = snapshot(&fake);
    let o = export_refused(dir.path(), &["-o", "fake"], "target_not_a_bundle")?;
    assert!(stderr(&o).contains("holiday.jpg"), "{}", stderr(&o));
    assert_eq!(snapshot(&fake), before);
    Ok(())
}

#[test]
fn a_file_the_user_added_to_a_bundle_is_refused_by_name_unless_force() -> TestResult {
    let dir = demo_plan_dir()?;
    export_ok(dir.path(), &["-o", "bundle"])?;
    assert!(dir.path().join("bundle/.qa-wecom-bundle").is_file());
    // A plain re-export replaces a bundle that holds only what export wrote.
    export_ok(dir.path(), &["-o", "bundle"])?;

    std::fs::write(dir.path().join("bundle/MY-NOTES.txt"), "mine")?;
    let o = export_refused(dir.path(), &["-o", "bundle"], "bundle_has_other_files")?;
    assert!(stderr(&o).contains("MY-NOTES.txt"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("bundle/MY-NOTES.txt"))?,
        "mine"
    );
    export_ok(dir.path(), &["-o", "bundle", "--force"])?;
    assert!(!dir.path().join("bundle/MY-NOTES.txt").exists());
    Ok(())
}

#[test]
fn export_zip_never_replaces_the_plan_and_other_files_only_with_force() -> TestResult {
    let dir = demo_plan_dir()?;
    let before = snapshot(dir.path());
    for target in ["plan.toml", "plan.secrets.toml"] {
        for force in [false, true] {
            let mut args = vec!["--zip", "-o", target];
            if force {
                args.push("--force");
            }
            export_refused(dir.path(), &args, "output_holds_plan")?;
            assert_eq!(snapshot(dir.path()), before);
        }
    }
    std::fs::write(dir.path().join("other.zip"), "not ours")?;
    export_refused(dir.path(), &["--zip", "-o", "other.zip"], "target_exists")?;
    assert_eq!(std::fs::read(dir.path().join("other.zip"))?, b"not ours");
    export_ok(dir.path(), &["--zip", "-o", "other.zip", "--force"])?;
    // A zip export wrote is replaced without --force.
    export_ok(dir.path(), &["--zip", "-o", "other.zip"])?;
    Ok(())
}

#[test]
fn a_failed_plan_new_demo_changes_nothing() -> TestResult {
    let dir = demo_plan_dir()?;
    // The plan path is now a folder: writing the plan (the last file) must fail.
    std::fs::remove_file(dir.path().join("plan.toml"))?;
    std::fs::create_dir(dir.path().join("plan.toml"))?;
    std::fs::write(dir.path().join("plan.toml/inside.txt"), "x")?;
    let before = snapshot(dir.path());
    let o = qa(
        &[
            "plan",
            "new",
            "--demo",
            "--force",
            "-o",
            "plan.toml",
            "--json",
        ],
        dir.path(),
    )?;
    assert_exit(&o, 2);
    assert_eq!(snapshot(dir.path()), before, "{}", stderr(&o));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    Ok(())
}

#[test]
fn a_closed_stdout_ends_quietly_with_exit_0() -> TestResult {
    let dir = tempfile::tempdir()?;
    for args in [&["secrets"][..], &["bandwidth", "--users", "100"][..]] {
        let (reader, writer) = std::io::pipe()?;
        drop(reader);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_qa-wecom"))
            .args(args)
            .current_dir(dir.path())
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()?;
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    Ok(())
}

/// `qa-wecom wecom check` for corpid ww1 against `api_base`, the Secret `s3cr3t` from the environment.
fn wecom_check_against(api_base: &str) -> std::io::Result<std::process::Output> {
    std::process::Command::new(env!("CARGO_BIN_EXE_qa-wecom"))
        .args(["wecom", "check", "--corp-id", "ww1", "--api-base", api_base])
        .env("QA_WECOM_SECRET", "s3cr3t")
        .env("LANG", "C")
        .output()
}

#[test]
fn a_port_out_of_range_is_an_input_error_for_verify_and_wecom_check() -> TestResult {
    let dir = tempfile::tempdir()?;
    let key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    let flags = common::credential_flags("tok", key, "ww1");
    let verify = ["verify", "--url", "http://127.0.0.1:99999/"];
    let o = qa(&[&verify[..], &flags].concat(), dir.path())?;
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("1 to 65535"), "{}", stderr(&o));
    let o = wecom_check_against("https://127.0.0.1:70000")?;
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("1 to 65535"), "{}", stderr(&o));
    Ok(())
}

#[test]
fn wecom_check_refuses_plain_http_to_a_remote_host_before_connecting() -> TestResult {
    let started = std::time::Instant::now();
    // TEST-NET-1: nothing answers there, so a connection attempt would hang until the timeout.
    let o = wecom_check_against("http://192.0.2.1:8080")?;
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("unencrypted"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("s3cr3t"));
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    Ok(())
}

/// Runs `qa-wecom` and kills it after 10 s: a read that blocks fails the test instead of hanging it.
fn qa_bounded(args: &[&str], dir: &Path) -> std::io::Result<std::process::Output> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_qa-wecom"))
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let started = std::time::Instant::now();
    while child.try_wait()?.is_none() {
        if started.elapsed() > std::time::Duration::from_secs(10) {
            child.kill()?;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output()?;
    assert!(
        o.status.code().is_some(),
        "qa-wecom {args:?} hung (killed after 10 s)"
    );
    Ok(o)
}

#[cfg(unix)]
#[test]
fn dev_zero_and_a_fifo_are_refused_at_once_wherever_a_file_is_read() -> TestResult {
    let dir = demo_plan_dir()?;
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("fifo"))
        .status()?;
    assert!(made.success());
    for special in ["/dev/zero", "fifo"] {
        let runs: Vec<Vec<&str>> = vec![
            vec!["plan", "check", special],
            vec!["export", "plan.toml", "-o", "b", "--report", special],
            vec!["export", "plan.toml", "-o", "b", "--wecom-report", special],
            vec![
                "cert",
                "inspect",
                "--cert",
                special,
                "--key",
                special,
                "--domain",
                "x.example.com",
            ],
            vec![
                "verify",
                "--url",
                "https://127.0.0.1:1/",
                "--token",
                "tok",
                "--aes-key",
                "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                "--corp-id",
                "ww1",
                "--ca-cert",
                special,
            ],
        ];
        for args in runs {
            let started = std::time::Instant::now();
            let o = qa_bounded(&args, dir.path())?;
            assert_ne!(o.status.code(), Some(0), "{args:?}");
            let err = stderr(&o);
            assert!(
                err.contains("not a regular file") || stdout_has(&o, "not a regular file"),
                "{args:?}: {err}"
            );
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "{args:?}"
            );
        }
    }
    // The secrets file named by the plan.
    let plan = std::fs::read_to_string(dir.path().join("plan.toml"))?;
    std::fs::write(
        dir.path().join("p2.toml"),
        plan.replacen("[resources]", "secrets_file = \"fifo\"\n\n[resources]", 1),
    )?;
    let o = qa_bounded(&["plan", "check", "p2.toml"], dir.path())?;
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    Ok(())
}

fn stdout_has(o: &std::process::Output, s: &str) -> bool {
    String::from_utf8_lossy(&o.stdout).contains(s)
}

#[test]
fn a_plan_over_1_mib_is_refused_without_reading_it_all() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut big = String::from("version = 1\n");
    while big.len() <= 1024 * 1024 {
        big.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(dir.path().join("big.toml"), big)?;
    let o = qa(&["plan", "check", "big.toml"], dir.path())?;
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("larger than 1024 KiB"),
        "{}",
        stderr(&o)
    );
    Ok(())
}

#[test]
fn a_bad_corpid_is_said_in_a_whole_sentence() -> TestResult {
    let dir = tempfile::tempdir()?;
    let o = qa(
        &["url", "--domain", "qa.example.com", "--corp-id", "ww 1"],
        dir.path(),
    )?;
    let err = assert_stderr(&o, 1, &["The corpid is not valid: it contains U+0020"]);
    assert!(!err.contains("U+0020 (space) is not valid"), "{err}");
    Ok(())
}

#[test]
fn a_plan_that_is_not_utf8_says_so_rather_than_blaming_the_path() -> TestResult {
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("plan.toml"),
        b"version = 1\n# \xff\xfe caf\xe9\n",
    )?;
    let o = qa(&["plan", "check", "plan.toml"], dir.path())?;
    let err = assert_stderr(&o, 2, &["is not UTF-8 text"]);
    assert!(!err.contains("check the path"), "{err}");
    Ok(())
}

#[test]
fn a_damaged_secrets_file_is_named_and_its_values_never_echoed() -> TestResult {
    let dir = demo_plan_dir()?;
    let secrets = dir.path().join("plan.secrets.toml");
    let text = std::fs::read_to_string(&secrets)?;
    let token_line = text
        .lines()
        .find(|l| l.starts_with("token"))
        .unwrap_or("")
        .to_owned();
    std::fs::write(&secrets, text.replace(&token_line, "token = 123456789"))?;
    let o = qa(&["plan", "check", "plan.toml", "--json"], dir.path())?;
    assert_exit(&o, 2);
    let (err, out) = (stderr(&o), String::from_utf8_lossy(&o.stdout).into_owned());
    assert!(err.contains("plan.secrets.toml"), "{err}");
    assert!(out.contains("plan.secrets.toml"), "{out}");
    for shown in [&err, &out] {
        assert!(!shown.contains("123456789"), "{shown}");
    }
    assert!(err.contains("line"), "{err}");
    Ok(())
}

#[test]
fn a_secret_in_the_report_blames_the_report_not_the_plan() -> TestResult {
    let dir = demo_plan_dir()?;
    let text = std::fs::read_to_string(dir.path().join("plan.secrets.toml"))?;
    let token = text
        .lines()
        .find(|l| l.starts_with("token"))
        .and_then(|l| l.split('"').nth(1))
        .unwrap_or("")
        .to_owned();
    std::fs::write(
        dir.path().join("r.json"),
        format!("{{\"token\": \"{token}\"}}"),
    )?;
    let o = qa(
        &["export", "plan.toml", "-o", "b", "--report", "r.json"],
        dir.path(),
    )?;
    let err = assert_stderr(&o, 2, &["--report", "report/verification.json"]);
    assert!(!err.contains("appears in the plan"), "{err}");
    assert!(!err.contains(&token));
    Ok(())
}

#[test]
fn an_output_below_a_file_says_that_the_file_is_not_a_folder() -> TestResult {
    let dir = demo_plan_dir()?;
    for args in [
        &["export", "plan.toml", "-o", "plan.toml/sub"][..],
        &["export", "plan.toml", "--zip", "-o", "plan.toml/sub.zip"][..],
        &["plan", "new", "-o", "plan.toml/sub.toml"][..],
    ] {
        let o = qa(args, dir.path())?;
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(
            err.contains("plan.toml is a file, not a folder"),
            "{args:?}: {err}"
        );
    }
    Ok(())
}

#[test]
fn serve_refuses_an_empty_token_and_a_corpid_that_cannot_be_in_a_url() -> TestResult {
    let dir = tempfile::tempdir()?;
    let key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    for (token, corp, expect) in [("", "ww1", "Token"), ("tok", "../../x y", "corpid")] {
        let serve = ["serve", "--listen", "127.0.0.1:0"];
        let args = [&serve[..], &common::credential_flags(token, key, corp)].concat();
        let o = qa_bounded(&args, dir.path())?;
        assert_exit(&o, 2);
        assert!(stderr(&o).contains(expect), "{}", stderr(&o));
        assert!(!String::from_utf8_lossy(&o.stdout).contains("Callback URL"));
    }
    Ok(())
}

/// WeCom's published URL-verification sample (Token QDG6eK, corpid wx5823bf96d3bd56c7).
use wecom_crypto::sample::{
    CORP_ID as SAMPLE_CORP, ENCODING_AES_KEY as SAMPLE_KEY, GET_QUERY as SAMPLE_QUERY,
    TOKEN as SAMPLE_TOKEN,
};

fn qa_env(
    args: &[&str],
    dir: &Path,
    env: &[(&str, &str)],
) -> std::io::Result<std::process::Output> {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_qa-wecom"));
    cmd.args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .env_remove("QA_WECOM_TOKEN")
        .env_remove("QA_WECOM_AES_KEY")
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output()
}

#[test]
fn callback_secrets_come_from_the_environment_or_a_plan_not_only_flags() -> TestResult {
    let dir = tempfile::tempdir()?;
    // From the environment.
    let o = qa_env(
        &["decrypt", "--corp-id", SAMPLE_CORP, "--query", SAMPLE_QUERY],
        dir.path(),
        &[
            ("QA_WECOM_TOKEN", SAMPLE_TOKEN),
            ("QA_WECOM_AES_KEY", SAMPLE_KEY),
        ],
    )?;
    assert_exit(&o, 0);
    // From a plan and its secrets file.
    demo_plan(dir.path())?;
    let plan = std::fs::read_to_string(dir.path().join("plan.toml"))?;
    let corp_line = plan
        .lines()
        .find(|l| l.starts_with("corp_id"))
        .unwrap_or("")
        .to_owned();
    std::fs::write(
        dir.path().join("plan.toml"),
        plan.replace(&corp_line, &format!("corp_id = \"{SAMPLE_CORP}\"")),
    )?;
    let secrets_path = dir.path().join("plan.secrets.toml");
    let secrets = std::fs::read_to_string(&secrets_path)?;
    let secrets: String = secrets
        .lines()
        .map(|l| {
            if l.starts_with("token") {
                format!("token = \"{SAMPLE_TOKEN}\"\n")
            } else if l.starts_with("encoding_aes_key") {
                format!("encoding_aes_key = \"{SAMPLE_KEY}\"\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&secrets_path, secrets)?;
    let o = qa_env(
        &["decrypt", "--plan", "plan.toml", "--query", SAMPLE_QUERY],
        dir.path(),
        &[],
    )?;
    assert_exit(&o, 0);
    // Nothing anywhere and no terminal: a clear input error, no prompt, no hang.
    let o = qa_env(
        &["decrypt", "--corp-id", SAMPLE_CORP, "--query", SAMPLE_QUERY],
        dir.path(),
        &[],
    )?;
    assert_stderr(&o, 2, &["--plan", "QA_WECOM_TOKEN"]);
    // Every command's --help recommends the environment or --plan over the flags.
    for cmd in ["serve", "verify", "send-event", "decrypt", "watch"] {
        let o = qa(&[cmd, "--help"], dir.path())?;
        let help = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            help.contains("QA_WECOM_TOKEN") && help.contains("--plan") && help.contains("ps"),
            "{cmd}: {help}"
        );
    }
    Ok(())
}

#[test]
fn a_plan_without_its_secrets_file_is_named_as_such_by_every_plan_reader() -> TestResult {
    let dir = demo_plan_dir()?;
    std::fs::remove_file(dir.path().join("plan.secrets.toml"))?;
    for args in [
        &["wecom", "check", "--plan", "plan.toml"][..],
        &["decrypt", "--plan", "plan.toml", "--query", SAMPLE_QUERY],
        &["rotate", "plan.toml"],
    ] {
        let o = qa_env(args, dir.path(), &[])?;
        assert_stderr(
            &o,
            2,
            &["plan.secrets.toml does not exist", "qa-wecom plan new"],
        );
    }
    Ok(())
}
