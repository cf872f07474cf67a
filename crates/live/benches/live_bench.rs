//! `cargo bench -p live --bench live_bench` (run by `scripts/bench-live.sh`), on loopback only:
//!
//! 1. Throughput: the reference receiver answering signed URL-verification GETs over keep-alive,
//!    next to a bare hello-world server of the same HTTP stack (hyper http1 on tokio, same
//!    builder settings, same request line), each on a one-thread runtime, loaded by `wrk` in the
//!    same run, alternating, best of five each. Target: receiver ≥ 0.8 × hello-world.
//! 2. Latency: `qa-wecom verify` (the ladder, a whole process: $QA_WECOM_BIN) next to `curl`
//!    fetching the same kind of signed URL from the same receiver, alternating, median of each.
//!    Target: ladder ≤ 1.5 × curl. The in-process ladder (`live::verify`) is printed too.
//!
//! Prints the numbers and the ratios; exits non-zero only when a tool is missing or a request
//! fails, never because a target is missed (CI machines vary).

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use live::receiver::{self, ReceiverConfig};
use live::{Credentials, LadderOptions};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "BenchTokenBenchToken0123456789ab";
const AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const CORP_ID: &str = "ww0123456789abcdef";
const WRK_SECONDS: &str = "3";
const WRK_CONNECTIONS: &str = "32";
const LATENCY_RUNS: usize = 100;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A bare hello-world server with the receiver's HTTP settings.
async fn hello_world() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let _ = tcp.set_nodelay(true);
            tokio::spawn(async move {
                let service = service_fn(|_req| async {
                    Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from_static(
                        b"hello",
                    ))))
                });
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(10))
                    .serve_connection(TokioIo::new(tcp), service)
                    .await;
            });
        }
    });
    addr
}

fn wrk(url: &str) -> f64 {
    let out = Command::new("wrk")
        .args(["-t1", "-c", WRK_CONNECTIONS, "-d", WRK_SECONDS, url])
        .output()
        .expect("wrk is installed (scripts/bench-live.sh installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Non-2xx"), "wrk saw errors:\n{text}");
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec in wrk's output:\n{text}"))
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn run_ok(cmd: &mut Command) -> Duration {
    let started = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    let took = started.elapsed();
    assert!(status.success(), "{cmd:?} failed: {status}");
    took
}

fn main() {
    let credentials = Credentials::new(TOKEN, AES_KEY, CORP_ID);
    let receiver_rt = runtime();
    let hello_rt = runtime();
    let rx = receiver_rt
        .block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let config = ReceiverConfig {
                credentials: credentials.clone(),
                tls: None,
                fault: None,
                path: None,
            };
            receiver::start(config, listener).await
        })
        .expect("receiver starts");
    let hello = hello_rt.block_on(hello_world());
    let signed = credentials
        .crypto()
        .expect("crypto")
        .simulate_url_verification()
        .expect("simulate");
    let signed_url = format!("{}?{}", rx.callback_url(None), signed.query());
    // The same request line for both, so both parse the same bytes; only the answer differs.
    let hello_url = format!(
        "http://{hello}{}?{}",
        live::receiver::callback_path(CORP_ID),
        signed.query()
    );

    println!(
        "== receiver throughput (wrk -t1 -c{WRK_CONNECTIONS} -d{WRK_SECONDS}s, keep-alive, loopback)"
    );
    let mut best = (0.0f64, 0.0f64);
    for round in 1..=5 {
        let h = wrk(&hello_url);
        let r = wrk(&signed_url);
        println!(
            "  round {round}: hello-world {h:>10.0} req/s   receiver (verify GET) {r:>10.0} req/s"
        );
        best = (best.0.max(h), best.1.max(r));
    }
    let ratio = best.1 / best.0;
    let verdict = if ratio >= 0.8 { "meets" } else { "MISSES" };
    println!(
        "  best: hello-world {:.0} req/s, receiver {:.0} req/s",
        best.0, best.1
    );
    println!("  ratio receiver / hello-world = {ratio:.2} (target >= 0.80: {verdict})");

    println!("== ladder latency vs curl ({LATENCY_RUNS} runs each, alternating, median)");
    let bin = std::env::var("QA_WECOM_BIN")
        .expect("QA_WECOM_BIN: the release qa-wecom binary (scripts/bench-live.sh sets it)");
    let callback = rx.callback_url(None);
    let mut ladder = Vec::new();
    let mut curl = Vec::new();
    for _ in 0..LATENCY_RUNS {
        ladder.push(run_ok(Command::new(&bin).args([
            "verify",
            "--url",
            &callback,
            "--token",
            TOKEN,
            "--aes-key",
            AES_KEY,
            "--corp-id",
            CORP_ID,
            "--json",
        ])));
        curl.push(run_ok(Command::new("curl").args([
            "-sf",
            "-o",
            "/dev/null",
            &signed_url,
        ])));
    }
    let in_process = receiver_rt.block_on(async {
        let opts = LadderOptions::default();
        let mut samples = Vec::new();
        for _ in 0..LATENCY_RUNS {
            let started = Instant::now();
            let report = live::verify(&callback, &credentials, &opts)
                .await
                .expect("verify");
            assert!(report.ok, "{report:?}");
            samples.push(started.elapsed());
        }
        median(samples)
    });
    let (l, c) = (median(ladder), median(curl));
    let ratio = l.as_secs_f64() / c.as_secs_f64();
    let verdict = if ratio <= 1.5 { "meets" } else { "MISSES" };
    println!(
        "  qa-wecom verify (process): {:.2} ms",
        l.as_secs_f64() * 1e3
    );
    println!(
        "  curl (process):            {:.2} ms",
        c.as_secs_f64() * 1e3
    );
    println!(
        "  live::verify (in-process): {:.3} ms",
        in_process.as_secs_f64() * 1e3
    );
    println!("  ratio qa-wecom verify / curl = {ratio:.2} (target <= 1.50: {verdict})");
    drop(rx);
}
