//! A fake WeCom API on loopback that answers like the real one (documented shapes, errcodes and
//! `errmsg` format) for the four calls the check makes. Tests use it with failure knobs; the
//! desktop app's demo mode can point the check at it so the WeCom step works offline.
//!
//! It behaves like WeCom where it matters to the check: gettoken checks corpid (40013) before the
//! secret (40001); the other calls check the access_token (41001 / 40014) and the caller's IP
//! against a trusted-IP list (60020 with `from ip: <peer>`). It counts calls per endpoint so tests
//! can assert gettoken ran exactly once.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// How the fake behaves. `Default` is a healthy app (demo values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeWecomConfig {
    pub corp_id: String,
    pub secret: String,
    pub agent_id: u64,
    /// The token gettoken hands out (and the other calls require).
    pub access_token: String,
    /// Members with customer contact (`get_follow_user_list`).
    pub follow_users: Vec<String>,
    /// The visible range (`agent/get`).
    pub visible_users: Vec<String>,
    pub visible_departments: Vec<u64>,
    pub visible_tags: Vec<u64>,
    /// `Some(list)`: the app's trusted IPs; calls other than gettoken from any other IP get 60020.
    pub trusted_ips: Option<Vec<IpAddr>>,
    /// Answer gettoken with this errcode whatever the credentials (45009, −1, …).
    pub gettoken_errcode: Option<i64>,
    /// Answer `get_follow_user_list` with this errcode (48002: app not in the API list).
    pub customer_contact_errcode: Option<i64>,
    /// `getcallbackip`'s `ip_list`.
    pub callback_ips: Vec<String>,
    /// Answer `getcallbackip` with this errcode.
    pub callback_ip_errcode: Option<i64>,
    /// Leave `errcode` out of a successful gettoken body (WeCom sometimes does).
    pub omit_errcode_on_success: bool,
    /// Wait this long before answering any request.
    pub delay: Duration,
    /// Answer every request with truncated JSON.
    pub malformed: bool,
    /// Answer every request with a body larger than the check's cap.
    pub oversized: bool,
}

impl Default for FakeWecomConfig {
    fn default() -> Self {
        Self {
            corp_id: "ww5f3a1c2b9d8e7f60".into(),
            secret: "demo-app-secret-0123456789abcdefghijklmnopq".into(),
            agent_id: 1_000_002,
            access_token: "demo-access-token-for-the-fake-wecom-api".into(),
            follow_users: vec!["zhangsan".into(), "lisi".into()],
            visible_users: vec!["zhangsan".into()],
            visible_departments: vec![1],
            visible_tags: vec![],
            trusted_ips: None,
            gettoken_errcode: None,
            customer_contact_errcode: None,
            // Documentation ranges (RFC 5737): obviously not WeCom's real addresses.
            callback_ips: vec![
                "203.0.113.0/26".into(),
                "198.51.100.16/28".into(),
                "192.0.2.77".into(),
            ],
            callback_ip_errcode: None,
            omit_errcode_on_success: false,
            delay: Duration::ZERO,
            malformed: false,
            oversized: false,
        }
    }
}

/// Calls received, per endpoint.
#[derive(Debug, Default)]
struct Counters {
    gettoken: AtomicUsize,
    follow_user_list: AtomicUsize,
    agent_get: AtomicUsize,
    callback_ip: AtomicUsize,
}

/// A running fake. Dropping it stops the server and every open connection.
pub struct FakeWecomApi {
    addr: SocketAddr,
    counters: Arc<Counters>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeWecomApi {
    /// Binds `127.0.0.1:0` and serves until dropped. Call inside a tokio runtime.
    pub async fn start(config: FakeWecomConfig) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let config = Arc::new(config);
        let task = tokio::spawn(serve(listener, config, counters.clone()));
        Ok(Self {
            addr,
            counters,
            task,
        })
    }

    /// The API base URL to give the check, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many gettoken requests arrived.
    pub fn gettoken_calls(&self) -> usize {
        self.counters.gettoken.load(Ordering::SeqCst)
    }

    /// How many `get_follow_user_list` requests arrived.
    pub fn follow_user_list_calls(&self) -> usize {
        self.counters.follow_user_list.load(Ordering::SeqCst)
    }

    /// How many `agent/get` requests arrived.
    pub fn agent_get_calls(&self) -> usize {
        self.counters.agent_get.load(Ordering::SeqCst)
    }

    /// How many `getcallbackip` requests arrived.
    pub fn callback_ip_calls(&self) -> usize {
        self.counters.callback_ip.load(Ordering::SeqCst)
    }
}

impl Drop for FakeWecomApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(listener: TcpListener, config: Arc<FakeWecomConfig>, counters: Arc<Counters>) {
    // Owned by this task: aborting it drops the set, which aborts every connection.
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            continue;
        };
        while connections.try_join_next().is_some() {}
        let config = config.clone();
        let counters = counters.clone();
        connections.spawn(async move {
            let service = service_fn(move |req| {
                let config = config.clone();
                let counters = counters.clone();
                async move { Ok::<_, Infallible>(answer(&config, &counters, peer.ip(), req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn query_param(req: &Request<Incoming>, key: &str) -> Option<String> {
    req.uri().query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then(|| percent_decode_str(v).decode_utf8_lossy().into_owned())
    })
}

/// WeCom's `errmsg` shape: text, hint, caller IP, lookup link.
fn errmsg(code: i64, text: &str, peer: IpAddr) -> String {
    format!(
        "{text}, hint: [1700000000_12_4f1c0e9a7b3d2c1e], from ip: {peer}, more info at \
         https://open.work.weixin.qq.com/devtool/query?e={code}"
    )
}

fn error_text(code: i64) -> &'static str {
    match code {
        -1 => "system busy",
        40001 => "invalid credential",
        40013 => "invalid corpid",
        40014 => "invalid access_token",
        40056 => "invalid agentid",
        41001 => "access_token missing",
        42001 => "access_token expired",
        45009 => "api freq out of limit",
        48002 => "api forbidden",
        60011 => "no privilege to access/modify contact/party/agent",
        60020 => "not allow to access from your ip",
        _ => "error",
    }
}

fn error_body(code: i64, peer: IpAddr) -> Value {
    json!({ "errcode": code, "errmsg": errmsg(code, error_text(code), peer) })
}

fn reply(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    response
}

fn json_reply(body: &Value) -> Response<Full<Bytes>> {
    reply(StatusCode::OK, body.to_string())
}

async fn answer(
    config: &FakeWecomConfig,
    counters: &Counters,
    peer: IpAddr,
    req: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_owned();
    match path.as_str() {
        "/cgi-bin/gettoken" => counters.gettoken.fetch_add(1, Ordering::SeqCst),
        "/cgi-bin/externalcontact/get_follow_user_list" => {
            counters.follow_user_list.fetch_add(1, Ordering::SeqCst)
        }
        "/cgi-bin/agent/get" => counters.agent_get.fetch_add(1, Ordering::SeqCst),
        "/cgi-bin/getcallbackip" => counters.callback_ip.fetch_add(1, Ordering::SeqCst),
        _ => return reply(StatusCode::NOT_FOUND, "{}"),
    };
    if !config.delay.is_zero() {
        tokio::time::sleep(config.delay).await;
    }
    if config.malformed {
        return reply(StatusCode::OK, r#"{"errcode":0,"errmsg":"ok","access_tok"#);
    }
    if config.oversized {
        let padding = "x".repeat(crate::limits::BODY_CAP + 1024);
        return json_reply(&json!({ "errcode": 0, "errmsg": "ok", "padding": padding }));
    }

    if path == "/cgi-bin/gettoken" {
        if let Some(code) = config.gettoken_errcode {
            return json_reply(&error_body(code, peer));
        }
        if query_param(&req, "corpid").as_deref() != Some(config.corp_id.as_str()) {
            return json_reply(&error_body(40013, peer));
        }
        if query_param(&req, "corpsecret").as_deref() != Some(config.secret.as_str()) {
            return json_reply(&error_body(40001, peer));
        }
        let body = if config.omit_errcode_on_success {
            json!({ "access_token": config.access_token, "expires_in": 7200 })
        } else {
            json!({ "errcode": 0, "errmsg": "ok", "access_token": config.access_token, "expires_in": 7200 })
        };
        return json_reply(&body);
    }

    match query_param(&req, "access_token") {
        None => return json_reply(&error_body(41001, peer)),
        Some(token) if token != config.access_token => {
            return json_reply(&error_body(40014, peer));
        }
        Some(_) => {}
    }
    if config
        .trusted_ips
        .as_ref()
        .is_some_and(|trusted| !trusted.contains(&peer))
    {
        return json_reply(&error_body(60020, peer));
    }

    if path == "/cgi-bin/externalcontact/get_follow_user_list" {
        if let Some(code) = config.customer_contact_errcode {
            return json_reply(&error_body(code, peer));
        }
        return json_reply(
            &json!({ "errcode": 0, "errmsg": "ok", "follow_user": config.follow_users }),
        );
    }

    if path == "/cgi-bin/getcallbackip" {
        if let Some(code) = config.callback_ip_errcode {
            return json_reply(&error_body(code, peer));
        }
        return json_reply(
            &json!({ "errcode": 0, "errmsg": "ok", "ip_list": config.callback_ips }),
        );
    }

    // agent/get
    let agent_id = query_param(&req, "agentid").and_then(|v| v.parse::<u64>().ok());
    if agent_id != Some(config.agent_id) {
        return json_reply(&error_body(40056, peer));
    }
    let users: Vec<Value> = config
        .visible_users
        .iter()
        .map(|u| json!({ "userid": u }))
        .collect();
    json_reply(&json!({
        "errcode": 0,
        "errmsg": "ok",
        "agentid": config.agent_id,
        "name": "QA WeCom",
        "square_logo_url": "",
        "description": "Quick Audience",
        "allow_userinfos": { "user": users },
        "allow_partys": { "partyid": config.visible_departments },
        "allow_tags": { "tagid": config.visible_tags },
        "close": 0,
        "redirect_domain": "",
        "report_location_flag": 0,
        "isreportenter": 0,
        "home_url": "",
        "customized_publish_status": 1
    }))
}
