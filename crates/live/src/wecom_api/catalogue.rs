//! The WeCom check's diagnoses: every WeCom `errcode` the check knows (the global codes, whose
//! meaning and fix come from `setup_core::errcodes`, plus the check-specific readings: 48002 on the
//! customer-contact call, an empty visible range, 60020 with its `from ip:`), and the transport
//! failures, each with a summary and a fix in English and Simplified Chinese. Unknown codes point
//! at WeCom's official lookup.
//!
//! Decisions are made on `errcode` only; `errmsg` is shown as received but never matched, except to
//! pull the `from ip:` address out of a 60020 reply.

use std::net::IpAddr;

use setup_core::errcodes::{self, CodeSource};

use super::client::TransportError;
use super::report::{WecomDiagnosisCode as Code, WecomStepName};
use setup_core::report::{Finding, Params, Severity};
use setup_core::text::Text;

/// WeCom's official error-code lookup page for `errcode`.
pub fn error_lookup_url(errcode: i64) -> String {
    format!("https://open.work.weixin.qq.com/devtool/query?e={errcode}")
}

/// The WeCom error codes this catalogue explains (besides 0).
pub const KNOWN_ERRCODES: [i64; 12] = [
    -1, 40001, 40013, 40014, 40056, 41001, 42001, 45009, 48002, 60011, 60020, 301002,
];

// Console paths, as the admin sees them (English UI / Chinese UI).
const APP_EN: &str = "WeCom admin console → App Management → Apps → (your self-built app)";
const APP_ZH: &str = "企业微信管理后台 → 应用管理 → 应用 → （你的自建应用）";
const API_LIST_EN: &str = "Customers & Upstream/Downstream → Customer Contact → Customers → API → \
Apps that may call the API → Edit";
const API_LIST_ZH: &str = "客户与上下游 → 客户联系 → 客户 → API → 可调用接口的应用 → 修改";

fn diag(
    code: Code,
    errcode: Option<i64>,
    summary: String,
    fix: String,
    summary_zh: String,
    fix_zh: String,
) -> Finding {
    let mut params = Params::new();
    if let Some(e) = errcode {
        params.insert("errcode".into(), e.to_string());
        params.insert("help_url".into(), error_lookup_url(e));
    }
    let severity = match code {
        Code::Ok => Severity::Info,
        Code::NoFollowUsers => Severity::Warning,
        _ => Severity::Error,
    };
    Finding::new(
        code,
        severity,
        Text::new(summary, summary_zh),
        Text::new(fix, fix_zh),
        params,
    )
}

/// The address after `from ip:` in a WeCom `errmsg` (60020 replies carry it), if it parses.
pub fn extract_from_ip(errmsg: &str) -> Option<IpAddr> {
    let lower = errmsg.to_ascii_lowercase();
    let start = lower.find("from ip:")? + "from ip:".len();
    let rest = errmsg.get(start..)?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
        .unwrap_or(rest.len());
    let candidate = rest.get(..end)?.trim_end_matches(['.', ':']);
    candidate.parse().ok()
}

/// The diagnosis for a non-zero `errcode` received by `step`.
pub fn for_errcode(step: WecomStepName, errcode: i64, errmsg: &str) -> Finding {
    if errcode == 48002 && step == WecomStepName::CustomerContact {
        return not_in_customer_contact_api_list();
    }
    if errcode == 60020 {
        return ip_not_allowed(extract_from_ip(errmsg));
    }
    describe_errcode(errcode)
}

/// The general reading of a WeCom `errcode` (no check context), or the official lookup link for
/// codes outside [`KNOWN_ERRCODES`].
///
/// The meaning and fix of a global code come from [`setup_core::errcodes`], the one catalogue the
/// Troubleshoot page and `qa-wecom errcode` show too. Only the readings that the check's own
/// context changes stay here: 60020 (the trusted-IP steps), and 40014 / 41001 / 42001, which right
/// after the check's own fresh `gettoken` point at a proxy or a reset Secret rather than at the
/// caller's token handling.
pub fn describe_errcode(errcode: i64) -> Finding {
    let e = Some(errcode);
    let code = match errcode {
        0 => return ok(false),
        60020 => return ip_not_allowed(None),
        40014 => {
            return diag(
                Code::InvalidAccessToken,
                e,
                "WeCom rejected the access_token (errcode 40014).".into(),
                "Run the check again. If it persists, another system may have reset this app's \
                 Secret: view the Secret again and use the current one."
                    .into(),
                "企业微信拒绝了 access_token（errcode 40014）。".into(),
                "请再运行一次检查；如仍出现，可能有其他系统重置了该应用的 Secret：请重新查看并使用当前的 Secret。"
                    .into(),
            );
        }
        41001 => {
            return diag(
                Code::MissingAccessToken,
                e,
                "The request reached WeCom without an access_token (errcode 41001).".into(),
                "A proxy or gateway between this machine and the WeCom API may strip query \
                 strings: call the API directly or fix the proxy, then run the check again."
                    .into(),
                "请求到达企业微信时缺少 access_token（errcode 41001）。".into(),
                "本机与企业微信 API 之间的代理或网关可能去掉了查询参数：请直连 API 或修正代理后再检查。"
                    .into(),
            );
        }
        42001 => {
            return diag(
                Code::AccessTokenExpired,
                e,
                "The access_token has expired (errcode 42001).".into(),
                "Run the check again (each check fetches a fresh token). If it keeps happening, a \
                 caching proxy may be serving old replies."
                    .into(),
                "access_token 已过期（errcode 42001）。".into(),
                "请再运行一次检查（每次检查都会获取新的 token）；如反复出现，可能有缓存代理返回了旧的响应。"
                    .into(),
            );
        }
        -1 => Code::SystemBusy,
        40001 => Code::InvalidSecret,
        40013 => Code::InvalidCorpId,
        40056 => Code::InvalidAgentId,
        45009 => Code::RateLimited,
        48002 => Code::ApiForbidden,
        60011 => Code::NoPrivilege,
        301002 => Code::TokenOfAnotherApp,
        other => return unknown_errcode(other),
    };
    match errcodes::lookup(errcode).filter(|i| i.source == CodeSource::WecomApi) {
        Some(info) => diag(
            code,
            e,
            format!(
                "{} (errcode {errcode}).",
                info.meaning.en.trim_end_matches('.')
            ),
            info.fix.en,
            format!(
                "{}（errcode {errcode}）。",
                info.meaning.zh.trim_end_matches('。')
            ),
            info.fix.zh,
        ),
        None => unknown_errcode(errcode),
    }
}

fn unknown_errcode(errcode: i64) -> Finding {
    let url = error_lookup_url(errcode);
    diag(
        Code::UnknownErrcode,
        Some(errcode),
        format!("WeCom answered errcode {errcode}, which this tool does not explain."),
        format!("Look the code up in WeCom's official error-code tool: {url}"),
        format!("企业微信返回了 errcode {errcode}，本工具未收录该错误码。"),
        format!("请在企业微信官方错误码查询工具中查看：{url}"),
    )
}

/// 48002 on `externalcontact/get_follow_user_list` (manual §4.2, FAQ §6.1).
pub fn not_in_customer_contact_api_list() -> Finding {
    diag(
        Code::NotInCustomerContactApiList,
        Some(48002),
        "The app is not in the customer-contact “apps that may call the API” list (errcode 48002), \
         so QA cannot read customer data."
            .into(),
        format!(
            "In the WeCom admin console open {API_LIST_EN}, tick this self-built app and save \
             (manual §4.2). While there, bind the WeChat developer ID as well (§4.2 step 1). Then run \
             the check again."
        ),
        "该应用不在客户联系的“可调用接口的应用”列表中（errcode 48002），QA 无法读取客户数据。".into(),
        format!(
            "在企业微信管理后台打开 {API_LIST_ZH}，勾选该自建应用并保存（手册 §4.2）；同时在该处绑定微信\
             开发者ID（§4.2 第 1 步）。然后再运行一次检查。"
        ),
    )
}

/// 60020: the calling IP is not in the app's trusted IPs. `ip` is the `from ip:` of the reply.
pub fn ip_not_allowed(ip: Option<IpAddr>) -> Finding {
    let (summary, what, summary_zh, what_zh) = match ip {
        Some(ip) => (
            format!(
                "WeCom refused the call from IP {ip}: it is not in the app's trusted IPs (errcode 60020)."
            ),
            format!("exactly {ip}"),
            format!("企业微信拒绝了来自 IP {ip} 的调用：该 IP 不在应用的企业可信IP中（errcode 60020）。"),
            format!("准确地添加 {ip}"),
        ),
        None => (
            "WeCom refused the call: this machine's IP is not in the app's trusted IPs (errcode 60020)."
                .to_owned(),
            "this machine's egress IP".to_owned(),
            "企业微信拒绝了调用：本机 IP 不在应用的企业可信IP中（errcode 60020）。".to_owned(),
            "添加本机的出口 IP".to_owned(),
        ),
    };
    diag(
        Code::IpNotAllowed,
        Some(60020),
        summary,
        format!(
            "Add {what} to the app's trusted IPs: {APP_EN} → Developer API → Enterprise Trusted IP → \
             Configure. WeCom unlocks this field only after the callback URL (or a trusted domain) has \
             been verified, so verify the callback URL first. Wait about a minute after saving, then \
             run the check again. This is the address this check called from; QA's servers call the \
             API from their own egress IP, which must be in the list too."
        ),
        summary_zh,
        format!(
            "在 {APP_ZH} → 开发者接口 → 企业可信IP → 配置 中{what_zh}。企业微信只有在回调 URL（或可信域名）\
             验证通过后才允许填写该项，因此请先完成回调 URL 的验证。保存后约一分钟生效，再运行一次检查。\
             这是本次检查发出请求的地址；QA 服务器以其自身的出口 IP 调用 API，该 IP 也必须在列表中。"
        ),
    )
}

/// `agent/get` lists no member, department or tag (manual §4.1).
pub fn empty_visible_range(agent_id: u64) -> Finding {
    diag(
        Code::EmptyVisibleRange,
        None,
        format!("The visible range of app {agent_id} is empty: no member, department or tag."),
        format!(
            "Set the visible range: {APP_EN} → Visible Range → Edit; add the departments or members \
             whose data QA should read. Without it QA cannot read contacts or customer data \
             (manual §4.1)."
        ),
        format!("应用 {agent_id} 的可见范围为空：没有任何成员、部门或标签。"),
        format!(
            "设置可见范围：{APP_ZH} → 可见范围 → 编辑，添加 QA 需要读取其数据的部门或成员。\
             未设置可见范围时，QA 无法获取通讯录和客户数据（手册 §4.1）。"
        ),
    )
}

/// The customer-contact API answered with an empty `follow_user` list.
pub fn no_follow_users() -> Finding {
    diag(
        Code::NoFollowUsers,
        None,
        "The app may call the customer-contact API, but no member with customer contact is in its \
         visible range."
            .into(),
        format!(
            "Make sure the members who serve customers have customer contact enabled and are inside \
             the app's visible range ({APP_EN} → Visible Range, manual §4.1)."
        ),
        "该应用可以调用客户联系接口，但其可见范围内没有开通客户联系的成员。".into(),
        format!(
            "请确认服务客户的成员已开通客户联系，并且在应用的可见范围内（{APP_ZH} → 可见范围，手册 §4.1）。"
        ),
    )
}

/// Every step passed. `with_agent` says whether the visible range was checked too.
pub fn ok(with_agent: bool) -> Finding {
    let (en, zh) = if with_agent {
        (
            "The corpid, the Secret, the customer-contact permission and the visible range are in order.",
            "corpid、Secret、客户联系权限和可见范围均正常。",
        )
    } else {
        (
            "The corpid, the Secret and the customer-contact permission are in order (give the AgentId \
             to check the visible range too).",
            "corpid、Secret 和客户联系权限均正常（提供 AgentId 可同时检查可见范围）。",
        )
    };
    diag(
        Code::Ok,
        None,
        en.into(),
        "Nothing to do.".into(),
        zh.into(),
        "无需处理。".into(),
    )
}

/// A reply that is not the documented JSON.
pub fn malformed(what: &str) -> Finding {
    diag(
        Code::MalformedReply,
        None,
        format!("The API reply is not the documented JSON ({what})."),
        "Check the API base URL: something other than the WeCom API (a proxy, a captive portal, a web \
         page) answered."
            .into(),
        format!("API 的响应不是文档规定的 JSON（{what}）。"),
        "请检查 API 地址：回应的不是企业微信 API（可能是代理、认证门户或网页）。".into(),
    )
}

/// A failure below the JSON level.
pub fn transport(err: &TransportError, api_base: &str) -> Finding {
    let net_fix_en = format!(
        "Check that this machine can reach {api_base} over HTTPS (firewall, proxy, DNS); QA's servers \
         need the same outbound access to the WeCom API."
    );
    let net_fix_zh = format!(
        "请确认本机可以通过 HTTPS 访问 {api_base}（防火墙、代理、DNS）；QA 服务器也需要同样的访问企业微信 API 的出站权限。"
    );
    let base_fix_en = format!(
        "Check the API base URL ({api_base}); the default is https://qyapi.weixin.qq.com. WeCom \
         answers 200 with an errcode; anything else comes from a proxy or gateway in between."
    );
    let base_fix_zh = format!(
        "请检查 API 地址（{api_base}），默认为 https://qyapi.weixin.qq.com。企业微信总是以 HTTP 200 加 errcode \
         作答，其他响应来自中间的代理或网关。"
    );
    match err {
        TransportError::Timeout { ms } => diag(
            Code::Timeout,
            None,
            format!("No complete answer from the WeCom API within {ms} ms."),
            net_fix_en,
            format!("{ms} 毫秒内未收到企业微信 API 的完整响应。"),
            net_fix_zh,
        ),
        TransportError::Dns { host, message } => diag(
            Code::DnsFailed,
            None,
            format!("The API host {host} did not resolve ({message})."),
            net_fix_en,
            format!("无法解析 API 主机名 {host}（{message}）。"),
            net_fix_zh,
        ),
        TransportError::Refused { addr } => diag(
            Code::ConnectRefused,
            None,
            format!("Nothing accepts connections at {addr}."),
            base_fix_en,
            format!("{addr} 拒绝连接。"),
            base_fix_zh,
        ),
        TransportError::Connect { addr, message } => diag(
            Code::ConnectFailed,
            None,
            format!("Could not connect to {addr} ({message})."),
            net_fix_en,
            format!("无法连接到 {addr}（{message}）。"),
            net_fix_zh,
        ),
        TransportError::Tls { host, message } => diag(
            Code::TlsFailed,
            None,
            format!("The TLS handshake with {host} failed ({message})."),
            format!(
                "An HTTPS-inspecting proxy or firewall may be replacing WeCom's certificate: allow \
                 direct HTTPS to {host}, or check the API base URL."
            ),
            format!("与 {host} 的 TLS 握手失败（{message}）。"),
            format!(
                "可能有解密 HTTPS 的代理或防火墙替换了企业微信的证书：请放行到 {host} 的直连 HTTPS，或检查 API 地址。"
            ),
        ),
        TransportError::Http { message } => diag(
            Code::MalformedReply,
            None,
            format!("The HTTP exchange with the API failed ({message})."),
            base_fix_en,
            format!("与 API 的 HTTP 交互失败（{message}）。"),
            base_fix_zh,
        ),
        TransportError::Redirect { status } => diag(
            Code::Redirect,
            None,
            format!(
                "The API answered with a redirect (HTTP {status}); redirects are not followed."
            ),
            base_fix_en,
            format!("API 返回了重定向（HTTP {status}），不会跟随重定向。"),
            base_fix_zh,
        ),
        TransportError::Status { status } => diag(
            Code::HttpStatus,
            None,
            format!("The API answered HTTP {status} instead of 200."),
            base_fix_en,
            format!("API 返回了 HTTP {status}，而不是 200。"),
            base_fix_zh,
        ),
        TransportError::BodyTooLarge { cap } => diag(
            Code::BodyTooLarge,
            None,
            format!("The API reply is larger than {cap} bytes."),
            base_fix_en,
            format!("API 的响应超过了 {cap} 字节。"),
            base_fix_zh,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_errcode_has_both_languages_and_the_lookup_link() {
        for code in KNOWN_ERRCODES {
            let d = describe_errcode(code);
            assert!(!d.is(Code::UnknownErrcode), "{code} is in the catalogue");
            assert_eq!(d.param("errcode"), code.to_string());
            for text in [&d.summary.en, &d.fix.en, &d.summary.zh, &d.fix.zh] {
                assert!(!text.trim().is_empty(), "{code}: empty text");
            }
            assert!(
                d.summary
                    .zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            );
            assert!(
                d.fix
                    .zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            );
            assert_eq!(d.param("help_url"), error_lookup_url(code));
        }
    }

    #[test]
    fn unknown_errcode_links_to_the_official_lookup_for_that_code() {
        let d = describe_errcode(86001);
        assert!(d.is(Code::UnknownErrcode));
        let url = "https://open.work.weixin.qq.com/devtool/query?e=86001";
        assert_eq!(d.param("help_url"), url);
        assert!(d.fix.en.contains(url) && d.fix.zh.contains(url));
    }

    #[test]
    fn from_ip_is_extracted_from_a_60020_errmsg() {
        let msg = "not allow to access from your ip, hint: [1618999999_11_abc], from ip: 203.0.113.7, \
                   more info at https://open.work.weixin.qq.com/devtool/query?e=60020";
        assert_eq!(
            extract_from_ip(msg),
            Some("203.0.113.7".parse().expect("ip"))
        );
        assert_eq!(
            extract_from_ip("x, From IP: 2001:db8::1, more"),
            Some("2001:db8::1".parse().expect("ip"))
        );
        assert_eq!(extract_from_ip("from ip: nonsense"), None);
        assert_eq!(extract_from_ip("no address here"), None);
    }

    #[test]
    fn customer_contact_48002_reads_as_not_in_the_api_list_elsewhere_as_forbidden() {
        let d = for_errcode(WecomStepName::CustomerContact, 48002, "api forbidden");
        assert!(d.is(Code::NotInCustomerContactApiList));
        assert!(d.fix.en.contains("Apps that may call the API"));
        assert!(d.fix.zh.contains("可调用接口的应用"));
        let d = for_errcode(WecomStepName::Agent, 48002, "api forbidden");
        assert!(d.is(Code::ApiForbidden));
    }

    #[test]
    fn ip_not_allowed_names_the_exact_ip_and_the_ordering() {
        let d = for_errcode(
            WecomStepName::Gettoken,
            60020,
            "from ip: 198.51.100.4, more info",
        );
        assert!(d.is(Code::IpNotAllowed));
        assert!(d.fix.en.contains("exactly 198.51.100.4"));
        assert!(d.fix.en.contains("callback URL"));
        assert!(d.fix.en.contains("minute"));
        assert!(d.fix.zh.contains("198.51.100.4"));
    }
}
