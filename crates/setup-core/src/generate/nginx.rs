//! `network/nginx.conf`: one complete `server` block for the callback domain. It forwards the
//! prefix `/restapi/thirdservice/we/com` to the QA service with path and query untouched (no URI
//! on `proxy_pass`, so nginx passes the request line as the client sent it), with timeouts that
//! fit WeCom's 1 s / 5 s budgets, and answers 404 to everything else.

use super::GENERATED_BY;
use crate::callback::CALLBACK_PREFIX;
use crate::validate::{CheckedPlan, ServerPath};
use std::fmt::Write as _;
use std::net::IpAddr;

/// Where and how the server block listens, and where it reads TLS files. Defaults: every
/// address, port 443 (TLS) or 80 (plain HTTP), the plan's server paths. Tests set a loopback
/// address, a free port and temporary certificate paths.
#[derive(Debug, Clone, Default)]
pub struct NginxOptions {
    pub listen_address: Option<IpAddr>,
    pub listen_port: Option<u16>,
    pub certificate_path: Option<ServerPath>,
    pub key_path: Option<ServerPath>,
}

fn listen_lines(plan: &CheckedPlan, opts: &NginxOptions) -> Vec<String> {
    let tls = plan.tls.mode.uses_tls();
    let port = opts.listen_port.unwrap_or(if tls { 443 } else { 80 });
    let ssl = if tls { " ssl" } else { "" };
    match opts.listen_address {
        Some(IpAddr::V4(a)) => vec![format!("listen {a}:{port}{ssl};")],
        Some(IpAddr::V6(a)) => vec![format!("listen [{a}]:{port}{ssl};")],
        None => {
            let mut lines = vec![format!("listen {port}{ssl};")];
            if matches!(plan.public_ip, Some(IpAddr::V6(_))) {
                lines.push(format!("listen [::]:{port}{ssl};"));
            }
            lines
        }
    }
}

/// The `server` block for the plan. Put it inside the `http {}` context (for example as
/// `/etc/nginx/conf.d/qa-wecom.conf`).
pub fn nginx_conf(plan: &CheckedPlan, opts: &NginxOptions) -> String {
    let mut c = String::new();
    let domain = plan.domain.as_str();
    let upstream = plan.qa_upstream.to_string();
    let _ = writeln!(c, "# {GENERATED_BY}");
    let _ = writeln!(
        c,
        "# WeCom callback for {domain}: {CALLBACK_PREFIX} -> http://{upstream} (path and query unchanged); everything else 404."
    );
    let _ = writeln!(
        c,
        "# 企业微信回调 {domain}：{CALLBACK_PREFIX} 原样转发到 http://{upstream}（路径和查询参数不变）；其余一律 404。"
    );
    c.push_str(
        "# Install: put this file in the http {} context (e.g. /etc/nginx/conf.d/qa-wecom.conf), then `nginx -t && nginx -s reload`.\n\
         # 安装：放入 http {} 上下文（如 /etc/nginx/conf.d/qa-wecom.conf），然后执行 `nginx -t && nginx -s reload`。\n",
    );
    if matches!(
        plan.qa_upstream.host,
        crate::validate::UpstreamHost::Name(_)
    ) {
        c.push_str(
            "# The QA host name must resolve on this server when nginx starts. / nginx 启动时本机必须能解析 QA 主机名。\n",
        );
    }
    c.push_str("server {\n");
    for l in listen_lines(plan, opts) {
        let _ = writeln!(c, "    {l}");
    }
    let _ = writeln!(c, "    server_name {domain};");
    c.push_str("    server_tokens off;\n\n");
    if plan.tls.mode.uses_tls() {
        let cert = opts
            .certificate_path
            .as_ref()
            .unwrap_or(&plan.tls.server_certificate_path);
        let key = opts.key_path.as_ref().unwrap_or(&plan.tls.server_key_path);
        let _ = writeln!(
            c,
            "    # Certificate chain (leaf first) and private key. / 证书链（叶子证书在前）和私钥。"
        );
        let _ = writeln!(c, "    ssl_certificate     {};", cert.as_str());
        let _ = writeln!(c, "    ssl_certificate_key {};", key.as_str());
        c.push_str("    ssl_protocols       TLSv1.2 TLSv1.3;\n");
        c.push_str("    ssl_session_timeout 10m;\n\n");
    } else {
        c.push_str(
            "    # TLS mode none: plain HTTP, WeCom session archive will not work. / 未启用 TLS：HTTP 明文，会话存档不可用。\n\n",
        );
    }
    c.push_str("    # WeCom callbacks are small XML documents. / 企业微信回调是很小的 XML。\n");
    c.push_str("    client_max_body_size 1m;\n\n");
    let _ = writeln!(c, "    location ^~ {CALLBACK_PREFIX} {{");
    c.push_str(
        "        # WeCom sends GET (URL verification) and POST (events) only. / 企业微信只发送 GET（校验 URL）和 POST（事件）。\n\
         \x20       limit_except GET POST {\n\
         \x20           deny all;\n\
         \x20       }\n",
    );
    c.push_str(
        "        # No URI after the address: the path and query go to QA exactly as received. / 地址后不带 URI：路径和查询参数原样转发。\n",
    );
    let _ = writeln!(c, "        proxy_pass http://{upstream};");
    c.push_str(
        "        proxy_http_version 1.1;\n\
         \x20       proxy_set_header Connection \"\";\n\
         \x20       proxy_set_header Host $host;\n\
         \x20       proxy_set_header X-Real-IP $remote_addr;\n\
         \x20       proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
         \x20       proxy_set_header X-Forwarded-Proto $scheme;\n\
         \x20       proxy_redirect off;\n",
    );
    c.push_str(
        "        # WeCom waits 1 s for the URL check and 5 s for an event, then retries itself: fail fast, never retry here.\n\
         \x20       # 企业微信校验 URL 等待 1 秒、事件等待 5 秒，超时后自行重试：快速失败，这里不重试。\n\
         \x20       proxy_connect_timeout 2s;\n\
         \x20       proxy_send_timeout 5s;\n\
         \x20       proxy_read_timeout 5s;\n\
         \x20       proxy_next_upstream off;\n",
    );
    c.push_str("    }\n\n");
    c.push_str(
        "    # Nothing else of QA is exposed. / 不暴露 QA 的其他任何路径。\n\
         \x20   location / {\n\
         \x20       return 404;\n\
         \x20   }\n",
    );
    c.push_str("}\n");
    c
}
