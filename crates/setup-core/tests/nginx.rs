//! `network/nginx.conf` against the real nginx (Debian's /usr/sbin/nginx): `nginx -t` accepts the
//! server block generated for many random plans, and a running nginx forwards the callback prefix
//! with path and query untouched and answers 404 to everything else.

mod common;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use setup_core::generate::{NginxOptions, nginx_conf};
use setup_core::plan::{Plan, TlsMode};
use setup_core::validate::{CheckedPlan, check_plan, server_path};
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NGINX: &str = "/usr/sbin/nginx";

/// A minimal main configuration around the server block, with every path in `dir`.
fn main_conf(dir: &Path, server: &str, run: bool) -> String {
    let d = dir.display();
    let run_lines = if run {
        "daemon off;\nmaster_process off;\n"
    } else {
        ""
    };
    format!(
        "{run_lines}pid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n    access_log off;\n    \
         client_body_temp_path {d}/body;\n    proxy_temp_path {d}/proxy;\n    fastcgi_temp_path {d}/fastcgi;\n    \
         uwsgi_temp_path {d}/uwsgi;\n    scgi_temp_path {d}/scgi;\n{server}}}\n"
    )
}

fn write_conf(dir: &Path, server: &str, run: bool) -> std::io::Result<std::path::PathBuf> {
    let path = dir.join("nginx.conf");
    std::fs::write(&path, main_conf(dir, server, run))?;
    Ok(path)
}

/// Runs `nginx -t` on the server block; the error text on failure.
fn nginx_t(dir: &Path, server: &str) -> Result<(), String> {
    let conf = write_conf(dir, server, false).map_err(|e| e.to_string())?;
    let out = Command::new(NGINX)
        .arg("-t")
        .arg("-q")
        .arg("-p")
        .arg(dir)
        .arg("-e")
        .arg(dir.join("error.log"))
        .arg("-c")
        .arg(&conf)
        .output()
        .map_err(|e| format!("cannot run {NGINX}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}\n--- config ---\n{server}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn checked(plan: &Plan) -> CheckedPlan {
    match check_plan(plan) {
        (Some(p), _) => p,
        (None, issues) => panic!("plan rejected: {issues:#?}"),
    }
}

fn label() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,14}[a-z0-9]"
}

fn domain() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (proptest::collection::vec(label(), 1..3), "[a-z]{2,6}")
            .prop_map(|(labels, tld)| format!("{}.{tld}", labels.join("."))),
        1 => Just("Bücher.Example".to_owned()),
        1 => Just("企业微信.中国".to_owned()),
        1 => Just("QAWECOM.EXAMPLE.COM.".to_owned()),
    ]
}

fn upstream() -> impl Strategy<Value = String> {
    prop_oneof![
        (any::<[u8; 4]>(), 1u16..).prop_map(|(o, p)| format!("{}:{p}", Ipv4Addr::from(o))),
        (any::<[u16; 8]>(), 1u16..).prop_map(|(s, p)| format!("[{}]:{p}", Ipv6Addr::from(s))),
        (1u16..).prop_map(|p| format!("localhost:{p}")),
    ]
}

fn public_ip() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        any::<[u8; 4]>().prop_map(|o| Ipv4Addr::from(o).to_string()),
        any::<[u16; 8]>().prop_map(|s| Ipv6Addr::from(s).to_string()),
    ])
}

fn tls_mode() -> impl Strategy<Value = TlsMode> {
    prop_oneof![
        Just(TlsMode::Provided),
        Just(TlsMode::Csr),
        Just(TlsMode::SelfSigned),
        Just(TlsMode::None)
    ]
}

fn listen() -> impl Strategy<Value = (Option<IpAddr>, Option<u16>)> {
    (
        proptest::option::of(prop_oneof![
            Just(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            Just(IpAddr::V6(Ipv6Addr::LOCALHOST)),
        ]),
        proptest::option::of(1024u16..),
    )
}

#[test]
fn nginx_t_accepts_the_server_block_of_every_generated_plan() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (cert, key) = openssl_pair(dir.path(), "qawecom.example.com")?;
    let cert_file = cert.display().to_string();
    let cert = server_path(&cert.display().to_string())
        .map_err(|f| format!("{:?}", f.code))?
        .0;
    let key = server_path(&key.display().to_string())
        .map_err(|f| format!("{:?}", f.code))?
        .0;
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        domain(),
        upstream(),
        public_ip(),
        tls_mode(),
        listen(),
        any::<bool>(),
    );
    runner
        .run(
            &strategy,
            |(domain, upstream, ip, mode, (address, port), plan_paths)| {
                let mut plan = Plan::demo();
                plan.resources.domain = Some(domain);
                plan.resources.public_ip = ip;
                plan.network.qa_upstream = Some(upstream);
                plan.tls.mode = Some(mode);
                plan.tls.certificate_file = Some(cert_file.clone());
                if plan_paths {
                    // The certificate paths come from the plan itself.
                    plan.tls.server_certificate_path = Some(cert.as_str().to_owned());
                    plan.tls.server_key_path = Some(key.as_str().to_owned());
                }
                let p = checked(&plan);
                let opts = NginxOptions {
                    listen_address: address,
                    listen_port: port,
                    certificate_path: (!plan_paths).then(|| cert.clone()),
                    key_path: (!plan_paths).then(|| key.clone()),
                };
                let conf = nginx_conf(&p, &opts);
                let location = "location ^~ /restapi/thirdservice/we/com {";
                prop_assert!(conf.contains(location));
                let upstream_line = format!("proxy_pass http://{};", p.qa_upstream);
                prop_assert!(conf.contains(&upstream_line));
                prop_assert_eq!(conf.contains("ssl_certificate "), mode != TlsMode::None);
                let case_dir = tempfile::tempdir_in(dir.path())
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                nginx_t(case_dir.path(), &conf).map_err(TestCaseError::fail)?;
                Ok(())
            },
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}

#[test]
fn the_harness_fails_a_broken_server_block() -> TestResult {
    let dir = tempfile::tempdir()?;
    let p = checked(&Plan::demo());
    let broken = nginx_conf(&p, &NginxOptions::default()).replace("return 404;", "return;;");
    assert!(nginx_t(dir.path(), &broken).is_err());
    Ok(())
}

/// Stops nginx when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Sends `method target` for qawecom.example.com to nginx on `port`, with the extra `headers`
/// (each ending in CRLF) and `Connection: close`, and returns the whole response.
fn http(port: u16, method: &str, target: &str, headers: &str) -> std::io::Result<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: qawecom.example.com\r\n{headers}Connection: close\r\n\r\n"
    );
    s.write_all(request.as_bytes())?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

#[test]
fn running_nginx_forwards_the_prefix_untouched_and_answers_404_to_the_rest() -> TestResult {
    let dir = tempfile::tempdir()?;
    // The QA stand-in: records each request line and answers 200 "ok".
    let upstream = TcpListener::bind("127.0.0.1:0")?;
    let upstream_port = upstream.local_addr()?.port();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for conn in upstream.incoming().flatten() {
            let mut conn = conn;
            let mut buf = [0u8; 4096];
            let n = conn.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).into_owned();
            let _ = tx.send(head.lines().next().unwrap_or_default().to_owned());
            let _ = conn
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        }
    });
    let mut plan = Plan::demo();
    plan.tls.mode = Some(TlsMode::None);
    plan.network.qa_upstream = Some(format!("127.0.0.1:{upstream_port}"));
    let port = free_port()?;
    let conf = nginx_conf(
        &checked(&plan),
        &NginxOptions {
            listen_address: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            listen_port: Some(port),
            ..NginxOptions::default()
        },
    );
    let conf_path = write_conf(dir.path(), &conf, true)?;
    let child = Command::new(NGINX)
        .arg("-p")
        .arg(dir.path())
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .arg("-c")
        .arg(&conf_path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let _nginx = Running(child);
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nginx did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let target = "/restapi/thirdservice/we/com/inner/event/oneparty/callback/wwb697d33134e48cfc\
                  ?msg_signature=5c45ff5e&timestamp=1409659589&nonce=263014780&echostr=P9nA%2Bz%2FyD%3D%3D";
    let reply = http(port, "GET", target, "")?;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.ends_with("ok"));
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(5))?,
        format!("GET {target} HTTP/1.1")
    );
    for other in [
        "/",
        "/restapi/other",
        "/index.html",
        "/restapi/thirdservice/we/co",
    ] {
        let reply = http(port, "GET", other, "")?;
        assert!(reply.starts_with("HTTP/1.1 404"), "{other}: {reply}");
    }
    let put = http(port, "PUT", target, "Content-Length: 0\r\n")?;
    assert!(put.starts_with("HTTP/1.1 403"), "{put}");
    assert!(
        rx.try_recv().is_err(),
        "nothing but the prefix may reach QA"
    );
    Ok(())
}
