//! Day-2 operations end to end: `qa-wecom watch` against a receiver that is up, then down (exit
//! status, JSON lines in the report shape, the textfile's values); `rotate`, a verification
//! against a receiver started with the new pair, then `--rollback` and the old pair again;
//! `support-pack` of a plan whose secrets are known, every byte of the zip and of each entry
//! scanned for them. No secret in any output.

mod common;

// The demo plan's app Secret is the fake WeCom API's.
use common::{TestResult, assert_exit, demo_plan_dir, qa, stderr, stdout};
use live::receiver::{self, ReceiverConfig};
use live::wecom_api::fake::{FakeWecomApi, FakeWecomConfig};
use live::{Credentials, ReceiverHandle};
use setup_core::plan::load_secrets;
use std::io::Read;
use std::path::Path;

const CORP_ID: &str = "wwb697d33134e48cfc";
/// The demo secrets' app Secret (`plan new --demo`).
const DEMO_APP_SECRET: &str = "DemoAppSecretNotRealDemoAppSecretNotReal123";

/// The Token and EncodingAESKey in the plan's secrets file now.
fn pair(dir: &Path) -> Result<(String, String), Box<dyn std::error::Error>> {
    let s = load_secrets(&dir.join("plan.secrets.toml"))?;
    let get = |v: Option<setup_core::secret::Secret>| v.map(|s| s.expose().to_owned());
    Ok((
        get(s.token).ok_or("token")?,
        get(s.encoding_aes_key).ok_or("key")?,
    ))
}

/// The textfile at `path`, which must hold each of `samples` (each ends with its value, or with the
/// space before a value that varies).
#[track_caller]
fn textfile_with(path: &Path, samples: &[&str]) -> Result<String, Box<dyn std::error::Error>> {
    let prom = std::fs::read_to_string(path)?;
    for sample in samples {
        assert!(prom.contains(sample), "{sample:?} not in:\n{prom}");
    }
    Ok(prom)
}

/// The reference receiver with a pair, and a fake WeCom API that knows the demo app, on loopback.
struct Receiver {
    // Declared first: stopped before the runtime goes.
    handle: Option<ReceiverHandle>,
    /// Where it listens (kept after it stops: a URL that refuses connections).
    url: String,
    wecom: FakeWecomApi,
    rt: tokio::runtime::Runtime,
}

impl Receiver {
    fn start((token, key): &(String, String)) -> Self {
        let rt = common::runtime();
        let config = ReceiverConfig {
            credentials: Credentials::new(token.clone(), key.clone(), CORP_ID),
            tls: None,
            fault: None,
            path: None,
        };
        let handle = rt
            .block_on(receiver::bind(config, "127.0.0.1:0".parse().expect("addr")))
            .expect("receiver");
        let wecom = rt
            .block_on(FakeWecomApi::start(FakeWecomConfig {
                corp_id: CORP_ID.into(),
                secret: DEMO_APP_SECRET.into(),
                ..FakeWecomConfig::default()
            }))
            .expect("fake WeCom API");
        Receiver {
            url: handle.callback_url(None),
            handle: Some(handle),
            wecom,
            rt,
        }
    }

    /// `watch plan.toml --url <receiver> --api-base <fake>` and `more`.
    fn watch(&self, dir: &Path, more: &[&str]) -> std::io::Result<std::process::Output> {
        let (url, api) = (self.url(), self.wecom.base_url());
        let mut args = vec!["watch", "plan.toml", "--url", &url, "--api-base", &api];
        args.extend_from_slice(more);
        qa(&args, dir)
    }

    fn url(&self) -> String {
        self.url.clone()
    }

    fn stop(&mut self) {
        if let Some(h) = self.handle.take() {
            self.rt.block_on(h.shutdown());
        }
    }
}

#[track_caller]
fn assert_no_secret(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "a secret leaked:\n{text}");
    }
}

#[test]
fn watch_reports_a_receiver_up_then_down_in_json_lines_and_the_textfile() -> TestResult {
    let dir = demo_plan_dir()?;
    let (token, key) = pair(dir.path())?;
    let mut rx = Receiver::start(&(token.clone(), key.clone()));
    let url = rx.url();
    let args = [
        "--count",
        "2",
        "--interval-s",
        "1",
        "--json",
        "--prom-textfile",
        "metrics.prom",
    ];
    let up = rx.watch(dir.path(), &args)?;
    assert_exit(&up, 0);
    let lines: Vec<serde_json::Value> = stdout(&up)
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let checks: Vec<&str> = lines.iter().filter_map(|r| r["check"].as_str()).collect();
    assert_eq!(
        checks,
        ["verify", "wecom", "verify", "wecom"],
        "two rounds of two reports"
    );
    for r in &lines {
        assert_eq!(r["ok"], true, "{r}");
        assert!(matches!(r["lang"].as_str(), Some("en")));
        assert!(r["steps"].is_array() && r["warnings"].is_array());
        assert!(r["diagnosis"]["text"]["summary"]["zh"].is_string());
    }
    for r in lines.iter().filter(|r| r["check"] == "verify") {
        assert_eq!(r["url"], url.as_str());
        assert_eq!(r["diagnosis"]["code"], "ok");
        assert_eq!(r["steps"].as_array().map(Vec::len), Some(5));
    }
    assert_eq!(rx.wecom.gettoken_calls(), 2, "one WeCom check a round");
    let prom = textfile_with(
        &dir.path().join("metrics.prom"),
        &[
            "# TYPE qa_wecom_callback_ok gauge\n",
            "qa_wecom_callback_ok{check=\"callback\"} 1\n",
            "qa_wecom_callback_ok{check=\"wecom\"} 1\n",
            "qa_wecom_check_duration_seconds{check=\"callback\"} ",
            "qa_wecom_last_check_timestamp_seconds{check=\"callback\"} ",
        ],
    )?;
    let all = format!("{}{}{prom}", stdout(&up), stderr(&up));
    assert_no_secret(&all, &[&token, &key, DEMO_APP_SECRET]);

    rx.stop();
    let down = rx.watch(
        dir.path(),
        &["--count", "1", "--json", "--prom-textfile", "metrics.prom"],
    )?;
    assert_exit(&down, 1);
    let report: serde_json::Value =
        serde_json::from_str(stdout(&down).lines().next().ok_or("a report")?)?;
    assert_eq!(report["ok"], false);
    assert_eq!(report["diagnosis"]["code"], "connect_refused");
    textfile_with(
        &dir.path().join("metrics.prom"),
        &[
            "qa_wecom_callback_ok{check=\"callback\"} 0\n",
            "qa_wecom_callback_ok{check=\"wecom\"} 1\n",
        ],
    )?;
    // The textfile collector never sees a half-written file: no temporary file is left.
    let names: Vec<String> = std::fs::read_dir(dir.path())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
    Ok(())
}

#[test]
fn watch_without_a_plan_needs_every_flag() -> TestResult {
    let dir = tempfile::tempdir()?;
    let o = qa(&["watch", "--url", "http://127.0.0.1:9/"], dir.path())?;
    assert_exit(&o, 2);
    Ok(())
}

/// One round with the plan's pair against `rx`: the exit status.
fn verify_once(dir: &Path, rx: &Receiver) -> Result<Option<i32>, Box<dyn std::error::Error>> {
    Ok(rx.watch(dir, &["--count", "1"])?.status.code())
}

#[test]
fn rotate_then_verify_with_the_new_pair_then_rollback_to_the_old_one() -> TestResult {
    let dir = demo_plan_dir()?;
    let old = pair(dir.path())?;
    let out = qa(&["rotate", "plan.toml"], dir.path())?;
    assert_exit(&out, 0);
    let new = pair(dir.path())?;
    assert_ne!(new.0, old.0);
    assert_ne!(new.1, old.1);
    assert!(wecom_crypto::EncodingAesKey::parse(&new.1).is_ok());
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_no_secret(&text, &[&old.0, &old.1, &new.0, &new.1]);
    // The order that keeps events flowing: QA, then a verification, then Save in WeCom.
    let qa_at = text.find("Quick Audience").ok_or("QA step")?;
    let verify_at = text
        .find("qa-wecom watch plan.toml --count 1")
        .ok_or("verify step")?;
    let save_at = text.find("press Save").ok_or("save step")?;
    assert!(qa_at < verify_at && verify_at < save_at, "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["plan.secrets.toml", "plan.secrets.previous.toml"] {
            let mode = std::fs::metadata(dir.path().join(f))?.permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{f}");
        }
    }
    assert_exit(&qa(&["plan", "check", "plan.toml"], dir.path())?, 0);

    // QA with the new pair passes; QA still on the old pair does not.
    let with_new = Receiver::start(&new);
    let with_old = Receiver::start(&old);
    assert_eq!(verify_once(dir.path(), &with_new)?, Some(0));
    assert_eq!(verify_once(dir.path(), &with_old)?, Some(1));

    assert_exit(&qa(&["rotate", "plan.toml", "--rollback"], dir.path())?, 0);
    assert_eq!(pair(dir.path())?, old);
    assert_eq!(verify_once(dir.path(), &with_old)?, Some(0));
    assert_eq!(verify_once(dir.path(), &with_new)?, Some(1));
    Ok(())
}

#[test]
fn rollback_with_nothing_to_roll_back_changes_nothing() -> TestResult {
    let dir = demo_plan_dir()?;
    let before = pair(dir.path())?;
    let o = qa(&["rotate", "plan.toml", "--rollback", "--json"], dir.path())?;
    assert_exit(&o, 2);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim())?;
    assert_eq!(v["error"]["code"], "no_previous_pair");
    assert_eq!(pair(dir.path())?, before);
    Ok(())
}

#[test]
fn a_support_pack_holds_no_secret_in_any_byte_nor_any_secrets_file() -> TestResult {
    let dir = demo_plan_dir()?;
    let old = pair(dir.path())?;
    assert_exit(&qa(&["rotate", "plan.toml"], dir.path())?, 0);
    let new = pair(dir.path())?;
    let rx = Receiver::start(&new);
    let watch = rx.watch(dir.path(), &["--count", "1", "--json"])?;
    assert_exit(&watch, 0);
    std::fs::write(dir.path().join("verification.json"), &watch.stdout)?;
    let key_pem = std::fs::read_to_string(dir.path().join("demo-tls/demo-only.key"))?;
    let key_body = key_pem.lines().nth(1).ok_or("key body")?.to_owned();

    let o = qa(
        &[
            "support-pack",
            "plan.toml",
            "-o",
            "pack.zip",
            "--report",
            "verification.json",
            "--json",
        ],
        dir.path(),
    )?;
    assert_exit(&o, 0);
    let listed: serde_json::Value = serde_json::from_str(stdout(&o).trim())?;
    let names: Vec<&str> = listed["files"]
        .as_array()
        .ok_or("files")?
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(
        names.contains(&"plan.toml") && names.contains(&"reports/verification.json"),
        "{names:?}"
    );
    assert!(names.contains(&"about.json") && names.contains(&"generated-checksums.txt"));

    let app_secret = DEMO_APP_SECRET.to_owned();
    let secrets = [&old.0, &old.1, &new.0, &new.1, &key_body, &app_secret];
    let raw = std::fs::read(dir.path().join("pack.zip"))?;
    let raw_text = String::from_utf8_lossy(&raw);
    assert_no_secret(&raw_text, &secrets.map(String::as_str));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(dir.path().join("pack.zip"))?)?;
    let mut seen = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i)?;
        let name = e.name()?.into_owned();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes)?;
        assert!(!name.starts_with("secrets"), "{name}");
        assert_no_secret(
            &String::from_utf8_lossy(&bytes),
            &secrets.map(String::as_str),
        );
        assert!(
            !String::from_utf8_lossy(&bytes).contains("PRIVATE KEY"),
            "{name}"
        );
        seen.push((name, bytes));
    }
    let about = &seen
        .iter()
        .find(|(n, _)| n == "about.json")
        .ok_or("about")?
        .1;
    let about: serde_json::Value = serde_json::from_slice(about)?;
    assert_eq!(
        about["tool"],
        format!("qa-wecom {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(about["os"], std::env::consts::OS);
    assert_eq!(about["previous_pair_present"], true);
    let report = &seen
        .iter()
        .find(|(n, _)| n == "reports/verification.json")
        .ok_or("report")?
        .1;
    assert_eq!(report, &watch.stdout);
    let sums = String::from_utf8_lossy(
        &seen
            .iter()
            .find(|(n, _)| n == "generated-checksums.txt")
            .ok_or("sums")?
            .1,
    )
    .into_owned();
    assert!(
        sums.contains("  network/nginx.conf\n") && !sums.contains("secrets/"),
        "{sums}"
    );
    Ok(())
}

#[cfg(unix)]
#[test]
fn an_endless_watch_stops_cleanly_on_sigterm_with_the_last_rounds_status() -> TestResult {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let dir = demo_plan_dir()?;
    let rx = Receiver::start(&pair(dir.path())?);
    let (url, api) = (rx.url(), rx.wecom.base_url());
    let mut child = Command::new(env!("CARGO_BIN_EXE_qa-wecom"))
        .args(["watch", "plan.toml", "--url", &url, "--api-base", &api])
        .args(["--interval-s", "3600", "--json"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()?;
    // The first round's first report, then the signal while it waits for the next round.
    // The reader lives until the end: stdout stays open.
    let mut out = std::io::BufReader::new(child.stdout.take().ok_or("stdout")?);
    let mut first = String::new();
    out.read_line(&mut first)?;
    let report: serde_json::Value = serde_json::from_str(&first)?;
    assert_eq!(report["ok"], true, "{first}");
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()?;
    assert!(kill.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "watch did not stop");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "the last round passed");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest)?;
    assert_eq!(
        rest.lines().count(),
        1,
        "the round's WeCom report, no second round: {rest}"
    );
    Ok(())
}

#[test]
fn db_url_adds_the_database_check_to_each_round_and_to_the_textfile() -> TestResult {
    let dir = demo_plan_dir()?;
    let rx = Receiver::start(&pair(dir.path())?);
    // A port nothing listens on: the database check runs and fails; the other checks pass.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let db = format!("postgresql://qa:DbPasswordNeverShown@127.0.0.1:{closed}/analysis");
    let o = rx.watch(
        dir.path(),
        &[
            "--count",
            "1",
            "--json",
            "--db-url",
            &db,
            "--prom-textfile",
            "m.prom",
        ],
    )?;
    assert_exit(&o, 1);
    let checks: Vec<(String, bool)> = stdout(&o)
        .lines()
        .map(serde_json::from_str::<serde_json::Value>)
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .map(|r| {
            (
                r["check"].as_str().unwrap_or("").to_owned(),
                r["ok"] == true,
            )
        })
        .collect();
    let want = [("verify", true), ("wecom", true), ("database", false)];
    assert_eq!(checks, want.map(|(c, ok)| (c.to_owned(), ok)));
    let prom = textfile_with(
        &dir.path().join("m.prom"),
        &[
            "qa_wecom_callback_ok{check=\"database\"} 0\n",
            "qa_wecom_callback_ok{check=\"callback\"} 1\n",
        ],
    )?;
    assert_no_secret(
        &format!("{}{}{prom}", stdout(&o), stderr(&o)),
        &["DbPasswordNeverShown"],
    );
    Ok(())
}
