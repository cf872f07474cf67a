//! Independence: a WeCom side written with wechatpy (Python) verifies our receiver, and our ladder
//! verifies a receiver written with wechatpy. Neither side uses our crypto. The interpreter is
//! `tests/.venv/bin/python` (scripts/python-venv.sh makes it); a missing venv fails, never skips.

mod ladder_support;

use ladder_support::*;
use live::{DiagnosisCode, FaultMode};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn script(name: &str) -> std::path::PathBuf {
    workspace_root().join("tests/interop").join(name)
}

fn python(name: &str) -> Command {
    let mut cmd = Command::new(venv_python());
    cmd.arg(script(name))
        .env("WECOM_TOKEN", TOKEN)
        .env("WECOM_AES_KEY", AES_KEY)
        .env("WECOM_CORP_ID", CORP_ID)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    cmd
}

/// Runs the wechatpy WeCom side against `url`; (exit ok, its JSON line).
async fn wechatpy_wecom_side(url: String) -> (bool, serde_json::Value) {
    let out = tokio::task::spawn_blocking(move || {
        python("live_wecom_side.py").env("WECOM_URL", url).output()
    })
    .await
    .unwrap()
    .expect("run live_wecom_side.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(stdout.trim()).unwrap_or_else(|_| {
        panic!(
            "live_wecom_side.py printed {stdout:?}, stderr {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wechatpy_as_wecom_verifies_our_receiver() {
    let rx = receiver(None).await;
    let (ok, json) = wechatpy_wecom_side(rx.callback_url(None)).await;
    assert!(ok, "{json}");
    assert_eq!(json["verify_ok"], true);
    assert_eq!(json["event_status"], 200);
    let stats = rx.stats();
    assert_eq!(
        (stats.verifications_answered, stats.events_accepted),
        (1, 1)
    );
    assert_eq!(
        rx.events()[0].change_type.as_deref(),
        Some("add_external_contact")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wechatpy_as_wecom_rejects_our_receiver_when_it_misbehaves() {
    let rx = receiver(Some(FaultMode::Quoted)).await;
    let (ok, json) = wechatpy_wecom_side(rx.callback_url(None)).await;
    assert!(!ok, "{json}");
    assert_eq!(json["verify_ok"], false);
    assert_eq!(
        json["event_ok"], true,
        "events are not affected by a reply fault"
    );
}

/// The wechatpy receiver, killed when dropped.
struct PythonReceiver {
    child: Child,
    port: u16,
}

impl Drop for PythonReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The wechatpy receiver, misbehaving as `fault` says (see live_receiver.py) when given.
fn start_python_receiver(fault: Option<&str>) -> PythonReceiver {
    let mut child = python("live_receiver.py")
        .env("WECOM_FAULT", fault.unwrap_or_default())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start live_receiver.py");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the port");
    let port = line
        .trim()
        .strip_prefix("PORT ")
        .and_then(|p| p.parse().ok());
    let mut receiver = PythonReceiver { child, port: 0 };
    receiver.port =
        port.unwrap_or_else(|| panic!("live_receiver.py printed {line:?}, not PORT <n>"));
    receiver
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_ladder_verifies_a_wechatpy_receiver() {
    let py = tokio::task::spawn_blocking(|| start_python_receiver(None))
        .await
        .unwrap();
    let url = python_url(&py);

    let report = live::verify(&url, &creds(), &options(3000)).await.unwrap();
    assert_code(&report, DiagnosisCode::Ok);
    let report = live::send_event(&url, &creds(), &options(3000))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Ok);

    // With another Token, wechatpy refuses the signature, and the ladder says so.
    let other = live::Credentials::new("AnotherTokenAnotherToken", AES_KEY, CORP_ID);
    let report = live::verify(&url, &other, &options(3000)).await.unwrap();
    assert_eq!(
        report.diagnosis.code,
        <&str>::from(DiagnosisCode::HttpStatus)
    );
    assert_eq!(report.diagnosis.params["status"], "403");
    drop(py);
}

fn python_url(py: &PythonReceiver) -> String {
    format!(
        "http://127.0.0.1:{}/restapi/thirdservice/we/com/inner/event/oneparty/callback/{CORP_ID}",
        py.port
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_ladder_names_what_a_misbehaving_wechatpy_receiver_does() {
    for (fault, want) in [
        ("double_url_decode", DiagnosisCode::DoubleUrlDecode),
        ("server_error_code", DiagnosisCode::ServerErrorCode),
        ("bytes_repr", DiagnosisCode::BytesRepr),
        ("trailing_newline", DiagnosisCode::Ok),
        ("inconsistent_backends", DiagnosisCode::InconsistentBackends),
        ("auth_required", DiagnosisCode::AuthRequired),
        ("method_not_allowed", DiagnosisCode::MethodNotAllowed),
    ] {
        let py = tokio::task::spawn_blocking(move || start_python_receiver(Some(fault)))
            .await
            .unwrap();
        let report = live::verify(&python_url(&py), &creds(), &options(3000))
            .await
            .unwrap();
        assert_code(&report, want);
        match want {
            DiagnosisCode::ServerErrorCode => {
                assert_signature_error_code(&report);
            }
            DiagnosisCode::Ok => {
                assert_eq!(warning_codes(&report), ["trailing_newline"], "{fault}");
            }
            DiagnosisCode::DoubleUrlDecode | DiagnosisCode::InconsistentBackends => {
                assert_eq!(report.diagnosis.params["failed"], "2", "{fault}");
                assert_eq!(report.diagnosis.params["passed"], "2", "{fault}");
            }
            _ => {}
        }
    }
}
