//! The ladder against servers written to misbehave: silent, stalled after the headers, an endless
//! chunked body, 10 MB bodies, a redirect loop, plain HTTP on the TLS port, a reset, nothing
//! listening, a full accept queue, a name that cannot resolve. Each gives its code within the
//! timeout, without reading more than the cap. Every socket is on 127.0.0.1.

mod ladder_support;

use ladder_support::*;
use live::{DiagnosisCode, Lang, Status, StepName};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TIMEOUT_MS: u64 = 1500;
/// What a hostile server writes at most before it gives up by itself.
const WRITE_LIMIT: usize = 100 * 1024 * 1024;

#[derive(Clone, Copy, Debug)]
enum Hostile {
    Silent,
    HeadersThenStall,
    EndlessChunked,
    TenMegabytes { content_length: bool },
    RedirectLoop,
    PlainHttp,
    ResetAfterRequest,
}

/// Counters a hostile server keeps: requests seen, body bytes written.
#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    written: AtomicUsize,
}

async fn spawn(kind: Hostile) -> (SocketAddr, Arc<Seen>) {
    let listener = loopback().await;
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let counters = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(behave(kind, stream, addr, counters.clone()));
        }
    });
    (addr, seen)
}

async fn read_head(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 64 * 1024 {
        match stream.read(&mut byte).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&byte[..n]),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

async fn write_forever(stream: &mut TcpStream, chunk: &[u8], limit: usize, seen: &Seen) {
    while seen.written.load(Ordering::Relaxed) < limit {
        if stream.write_all(chunk).await.is_err() {
            return;
        }
        seen.written.fetch_add(chunk.len(), Ordering::Relaxed);
    }
}

async fn behave(kind: Hostile, mut stream: TcpStream, addr: SocketAddr, seen: Arc<Seen>) {
    let hold = Duration::from_secs(10);
    match kind {
        Hostile::Silent => tokio::time::sleep(hold).await,
        Hostile::HeadersThenStall => {
            read_head(&mut stream).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n1234567890")
                .await;
            tokio::time::sleep(hold).await;
        }
        Hostile::EndlessChunked => {
            read_head(&mut stream).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                .await;
            let mut chunk = b"4000\r\n".to_vec();
            chunk.extend(std::iter::repeat_n(b'x', 0x4000));
            chunk.extend_from_slice(b"\r\n");
            write_forever(&mut stream, &chunk, WRITE_LIMIT, &seen).await;
        }
        Hostile::TenMegabytes { content_length } => {
            read_head(&mut stream).await;
            let head: &[u8] = if content_length {
                b"HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n"
            } else {
                b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
            };
            let _ = stream.write_all(head).await;
            write_forever(&mut stream, &[b'y'; 64 * 1024], 10 * 1024 * 1024, &seen).await;
        }
        Hostile::RedirectLoop => loop {
            let head = read_head(&mut stream).await;
            if head.is_empty() {
                return;
            }
            seen.requests.fetch_add(1, Ordering::Relaxed);
            let target = head.split(' ').nth(1).unwrap_or("/");
            let reply = format!(
                "HTTP/1.1 302 Found\r\nLocation: http://{addr}{target}\r\nContent-Length: 0\r\n\r\n"
            );
            if stream.write_all(reply.as_bytes()).await.is_err() {
                return;
            }
        },
        Hostile::PlainHttp => {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf).await;
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request")
                .await;
        }
        Hostile::ResetAfterRequest => {
            // The first bytes (a request head, or a ClientHello), then a reset.
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf).await;
            let _ = stream.set_zero_linger();
            drop(stream);
        }
    }
}

/// The verify check of `url`, which must end in `want` within the timeout (and a margin).
async fn verify_at(url: &str, want: DiagnosisCode) -> (live::Report, Duration) {
    let started = Instant::now();
    let report = live::verify(url, &creds(), &options(TIMEOUT_MS))
        .await
        .unwrap();
    let took = started.elapsed();
    assert_code(&report, want);
    assert!(
        took < Duration::from_millis(TIMEOUT_MS + 400),
        "took {took:?}"
    );
    (report, took)
}

fn url(scheme: &str, addr: SocketAddr) -> String {
    format!("{scheme}://{addr}/restapi/thirdservice/we/com/inner/event/oneparty/callback/{CORP_ID}")
}

#[tokio::test]
async fn a_server_that_never_sends_a_byte_times_out() {
    let (addr, _) = spawn(Hostile::Silent).await;
    let (report, took) = verify_at(&url("http", addr), DiagnosisCode::Timeout).await;
    assert_eq!(report.diagnosis.params["during"], "waiting for the reply");
    assert!(took >= Duration::from_millis(TIMEOUT_MS - 50));
    // Over TLS the handshake is what never completes.
    let (report, _) = verify_at(&url("https", addr), DiagnosisCode::Timeout).await;
    assert_eq!(step(&report, StepName::Tls).status, Status::Fail);
}

#[tokio::test]
async fn headers_then_a_stall_times_out_while_reading_the_body() {
    let (addr, _) = spawn(Hostile::HeadersThenStall).await;
    let (report, _) = verify_at(&url("http", addr), DiagnosisCode::Timeout).await;
    assert_eq!(report.diagnosis.params["during"], "reading the body");
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_cap() {
    let (addr, seen) = spawn(Hostile::EndlessChunked).await;
    let (_, took) = verify_at(&url("http", addr), DiagnosisCode::BodyTooLarge).await;
    assert!(
        took < Duration::from_millis(TIMEOUT_MS),
        "stopped at the cap, not at the timeout: {took:?}"
    );
    // The client hung up: the server's writes failed long before its own limit.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(seen.written.load(Ordering::Relaxed) < WRITE_LIMIT);
}

#[tokio::test]
async fn ten_megabyte_bodies_are_not_read() {
    for content_length in [true, false] {
        let (addr, _) = spawn(Hostile::TenMegabytes { content_length }).await;
        let (report, took) = verify_at(&url("http", addr), DiagnosisCode::BodyTooLarge).await;
        assert!(took < Duration::from_millis(TIMEOUT_MS), "{took:?}");
        if content_length {
            assert_detail_has(&report, StepName::Http, Lang::En, "Content-Length");
        }
    }
}

#[tokio::test]
async fn a_redirect_loop_is_reported_once_and_not_followed() {
    let (addr, seen) = spawn(Hostile::RedirectLoop).await;
    let (report, _) = verify_at(&url("http", addr), DiagnosisCode::Redirect).await;
    assert_eq!(report.diagnosis.params["status"], "302");
    assert!(report.diagnosis.params["location"].starts_with(&format!("http://{addr}/restapi/")));
    // Each probe is redirected once and never follows.
    assert_eq!(seen.requests.load(Ordering::Relaxed), live::VERIFY_PROBES);
}

#[tokio::test]
async fn plain_http_on_the_tls_port_fails_the_handshake() {
    let (addr, _) = spawn(Hostile::PlainHttp).await;
    let (report, _) = verify_at(&url("https", addr), DiagnosisCode::TlsHandshakeFailed).await;
    assert_detail_has(&report, StepName::Tls, Lang::En, "does not speak TLS");
}

#[tokio::test]
async fn tls_on_a_plain_http_url_is_not_http() {
    let pki = Pki::new();
    let rx = receiver_with(creds(), None, Some(pki.leaf(&["localhost"], false))).await;
    // rustls answers the plain request line with a TLS alert: not an HTTP status line.
    verify_at(&url("http", rx.local_addr()), DiagnosisCode::NotHttp).await;
}

#[tokio::test]
async fn a_reset_is_a_closed_connection() {
    let (addr, _) = spawn(Hostile::ResetAfterRequest).await;
    verify_at(&url("http", addr), DiagnosisCode::ConnectionClosed).await;
    verify_at(&url("https", addr), DiagnosisCode::TlsHandshakeFailed).await;
}

#[tokio::test]
async fn nothing_listening_is_connect_refused() {
    let addr = refused_addr().await;
    let (report, _) = verify_at(&url("http", addr), DiagnosisCode::ConnectRefused).await;
    assert_eq!(report.diagnosis.params["port"], addr.port().to_string());
}

#[tokio::test]
async fn a_full_accept_queue_is_connect_timeout() {
    // A listener that never accepts, with the smallest backlog: once the queue is full the kernel
    // drops further SYNs, as a firewall that drops packets would.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        match tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await {
            Ok(Ok(s)) => fillers.push(s),
            _ => break,
        }
    }
    verify_at(&url("http", addr), DiagnosisCode::ConnectTimeout).await;
    drop(listener);
}

#[tokio::test]
async fn a_name_that_cannot_resolve_is_dns_failed() {
    // An empty label: the resolver rejects it locally, no query leaves the machine.
    let (report, _) = verify_at("http://a..b/cb", DiagnosisCode::DnsFailed).await;
    assert_eq!(report.diagnosis.params["host"], "a..b");
}
