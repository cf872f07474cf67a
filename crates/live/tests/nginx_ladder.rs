//! The bundle's `network/nginx.conf` (setup-core's generator) run by the real nginx
//! (`/usr/sbin/nginx`) in front of the reference receiver, all on 127.0.0.1: the ladder passes
//! through it over TLS and plain HTTP, and what nginx answers when QA is down or misbehaves is
//! diagnosed as such.

mod ladder_support;

use ladder_support::*;
use live::{
    Credentials, DiagnosisCode, FaultMode, LadderOptions, ReceiverHandle, Status, StepName,
};
use setup_core::callback::CALLBACK_PATH;
use setup_core::generate::{NginxOptions, nginx_conf};
use setup_core::plan::{Plan, TlsMode};
use setup_core::validate::{check_plan, server_path};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NGINX: &str = "/usr/sbin/nginx";

/// nginx in the foreground with everything under one temporary folder; killed when dropped.
struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

fn write_pem_pair(dir: &Path) -> (String, String, Vec<u8>) {
    let pair = self_signed(&["localhost"]);
    let cert = dir.join("server.crt");
    let key = dir.join("server.key");
    std::fs::write(&cert, &pair.cert_chain_pem).expect("write cert");
    {
        use secrecy::ExposeSecret;
        std::fs::write(&key, pair.key_pem.expose_secret()).expect("write key");
    }
    (
        cert.display().to_string(),
        key.display().to_string(),
        pair.cert_chain_pem,
    )
}

/// Generates the server block for a plan forwarding to `upstream`, starts nginx with it and
/// waits until it listens. Returns nginx, the plan's corpid and (for TLS) the certificate.
fn start_nginx(upstream: SocketAddr, tls: bool) -> (Nginx, String, Option<Vec<u8>>) {
    assert!(
        Path::new(NGINX).exists(),
        "{NGINX} is missing: apt-get install nginx"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut plan = Plan::demo();
    plan.network.qa_upstream = Some(upstream.to_string());
    plan.tls.mode = Some(if tls {
        TlsMode::SelfSigned
    } else {
        TlsMode::None
    });
    let checked = match check_plan(&plan) {
        (Some(p), _) => p,
        (None, issues) => panic!("plan rejected: {issues:#?}"),
    };
    let (cert, key, cert_pem) = write_pem_pair(d);
    let port = free_port();
    let opts = NginxOptions {
        listen_address: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        listen_port: Some(port),
        certificate_path: server_path(&cert).ok().map(|r| r.0),
        key_path: server_path(&key).ok().map(|r| r.0),
    };
    let server = nginx_conf(&checked, &opts);
    let dd = d.display();
    let conf = format!(
        "daemon off;\nmaster_process off;\npid {dd}/nginx.pid;\nerror_log {dd}/error.log;\nevents {{}}\nhttp {{\n\
         access_log off;\nclient_body_temp_path {dd}/body;\nproxy_temp_path {dd}/proxy;\nfastcgi_temp_path {dd}/fastcgi;\n\
         uwsgi_temp_path {dd}/uwsgi;\nscgi_temp_path {dd}/scgi;\n{server}}}\n"
    );
    std::fs::write(d.join("nginx.conf"), conf).expect("write nginx.conf");
    let child = Command::new(NGINX)
        .arg("-p")
        .arg(d)
        .arg("-e")
        .arg(d.join("error.log"))
        .arg("-c")
        .arg(d.join("nginx.conf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start nginx");
    let nginx = Nginx {
        child,
        port,
        _dir: dir,
    };
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "nginx did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (
        nginx,
        checked.corp_id.as_str().to_string(),
        tls.then_some(cert_pem),
    )
}

async fn receiver_for(corp_id: &str, fault: Option<FaultMode>) -> ReceiverHandle {
    receiver_with(Credentials::new(TOKEN, AES_KEY, corp_id), fault, None).await
}

fn url(scheme: &str, port: u16, corp_id: &str) -> String {
    format!("{scheme}://localhost:{port}{CALLBACK_PATH}{corp_id}")
}

fn trusting(cert: Option<Vec<u8>>) -> LadderOptions {
    LadderOptions {
        ca_cert_pem: cert,
        ..options(2000)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ladder_passes_through_the_generated_nginx_over_tls() {
    let corp = Plan::demo().wecom.corp_id.expect("demo corpid");
    assert_eq!(
        live::receiver::callback_path(&corp),
        format!("{CALLBACK_PATH}{corp}"),
        "one callback path"
    );
    let rx = receiver_for(&corp, None).await;
    let (nginx, corp_id, cert) = start_nginx(rx.local_addr(), true);
    let creds = Credentials::new(TOKEN, AES_KEY, &corp_id);
    let url = url("https", nginx.port, &corp_id);

    let report = live::verify(&url, &creds, &trusting(cert.clone()))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Ok);
    assert_eq!(step(&report, StepName::Tls).status, Status::Pass);
    let report = live::send_event(&url, &creds, &trusting(cert))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Ok);
    assert_eq!(
        rx.stats().verifications_answered,
        live::VERIFY_PROBES as u64
    );
    assert_eq!(rx.stats().events_accepted, 1);
    assert_eq!(
        rx.events()[0].event.as_deref(),
        Some("change_external_contact")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ladder_passes_through_the_generated_nginx_over_plain_http() {
    let corp = Plan::demo().wecom.corp_id.expect("demo corpid");
    let rx = receiver_for(&corp, None).await;
    let (nginx, corp_id, _) = start_nginx(rx.local_addr(), false);
    let creds = Credentials::new(TOKEN, AES_KEY, &corp_id);
    let report = live::verify(&url("http", nginx.port, &corp_id), &creds, &options(2000))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Ok);
    // Only the prefix is exposed: anything else is nginx's 404.
    let outside = format!("http://localhost:{}/index.html", nginx.port);
    let report = live::verify(&outside, &creds, &options(2000))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::HttpStatus);
    assert_eq!(report.diagnosis.params["status"], "404");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_nginx_a_stopped_or_misbehaving_qa_is_diagnosed() {
    let corp = Plan::demo().wecom.corp_id.expect("demo corpid");
    // QA down: nginx answers 502, which points at the QA service.
    let rx = receiver_for(&corp, None).await;
    let upstream = rx.local_addr();
    rx.shutdown().await;
    let (nginx, corp_id, cert) = start_nginx(upstream, true);
    let creds = Credentials::new(TOKEN, AES_KEY, &corp_id);
    let report = live::verify(&url("https", nginx.port, &corp_id), &creds, &trusting(cert))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::HttpStatus);
    assert_eq!(report.diagnosis.params["status"], "502");
    assert!(report.diagnosis.fix.en.contains("QA service"));
    drop(nginx);

    // QA wraps the echostr in quotes: nginx passes the body through unchanged.
    let rx = receiver_for(&corp, Some(FaultMode::Quoted)).await;
    let (nginx, corp_id, cert) = start_nginx(rx.local_addr(), true);
    let report = live::verify(&url("https", nginx.port, &corp_id), &creds, &trusting(cert))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Quoted);
}
