//! `network/waf-allowlist.json` and `network/waf-allowlist.md`: the WAF rule of seed §3.2 (allow
//! only the callback prefix on the domain from the Internet, block the rest) in a generic
//! machine-readable form and as console steps, with the optional narrowing of the prefix to
//! WeCom's callback source addresses (`wecom-callback-ips.txt`).

use crate::callback::CALLBACK_PREFIX;
use crate::validate::CheckedPlan;
use serde_json::json;

/// The schema name of the JSON form.
pub const WAF_SCHEMA: &str = "qa-wecom/waf-allowlist/v1";

/// The allow-list as JSON: one allow rule for the prefix, then a default block for the domain.
pub fn waf_json(plan: &CheckedPlan) -> String {
    let domain = plan.domain.as_str();
    let value = json!({
        "schema": WAF_SCHEMA,
        "domain": domain,
        "origin": plan.qa_upstream.to_string(),
        "rules": [
            {
                "name": "qa-wecom-callback-allow",
                "priority": 1,
                "action": "allow",
                "match": {
                    "host": domain,
                    "path_prefix": CALLBACK_PREFIX,
                    "methods": ["GET", "POST"],
                },
                "description": "WeCom callbacks (URL verification GET, event POST) reach QA.",
            },
            {
                "name": "qa-wecom-default-block",
                "priority": 100,
                "action": "block",
                "match": { "host": domain, "path_prefix": "/" },
                "description": "Nothing else of QA is reachable from the Internet.",
            }
        ],
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// Step-by-step text for a cloud WAF console, in English and Chinese.
pub fn waf_steps(plan: &CheckedPlan) -> String {
    let domain = plan.domain.as_str();
    let origin = plan.qa_upstream.to_string();
    let scheme = if plan.tls.mode.uses_tls() {
        "HTTPS 443"
    } else {
        "HTTP 80"
    };
    format!(
        "# WAF allow-list for the WeCom callback / 企业微信回调的 WAF 白名单

Seed §3.2: QA is reached only from the internal network; from the Internet, only the WeCom
callback prefix on `{domain}` is allowed. The same rule in machine-readable form is in
`waf-allowlist.json`.

## English

1. In the WAF console, add (or open) the protected website `{domain}` ({scheme}); its origin is
   the reverse proxy in front of QA (see `nginx.conf`; QA itself is `{origin}`).
2. Create a custom access-control rule named `qa-wecom-callback-allow`:
   match *URL path* **starts with** `{CALLBACK_PREFIX}` (and, if the console allows, method GET or
   POST); action **Allow** (skip further checks); highest priority.
3. Create a rule named `qa-wecom-default-block`: match *URL path* starts with `/`; action
   **Block**; lower priority than the rule above.
4. Make sure no bot-protection, JavaScript challenge or CAPTCHA applies to the prefix: WeCom's
   servers cannot answer them and the callback would fail.
5. Save, wait until the rules are active, then press *Save* on the WeCom callback settings (or run
   `qa-wecom verify`) to check.
6. Optional, stricter: admit only WeCom on the prefix. Add to `qa-wecom-callback-allow` the
   condition *source IP* **is one of** the addresses and ranges in `wecom-callback-ips.txt` (an IP
   address group, one entry per line; on nginx: `allow <address>;` lines then `deny all;` in the
   callback `location`). WeCom changes the list (fetch it again, WeCom says daily) and callbacks
   have been seen from outside it: after any change, check that the verification still passes,
   and remove the condition if WeCom's callbacks start failing. `qa-wecom verify` runs from your
   machine, not from WeCom, so add your own address while testing.

## 中文

1. 在 WAF 控制台添加（或打开）防护网站 `{domain}`（{scheme}）；源站为 QA 前面的反向代理（见
   `nginx.conf`；QA 服务本身为 `{origin}`）。
2. 新建自定义访问控制规则 `qa-wecom-callback-allow`：匹配条件 *URL 路径* **前缀为**
   `{CALLBACK_PREFIX}`（控制台支持时再限定请求方法为 GET 或 POST）；动作 **放行**（跳过后续检测）；
   优先级最高。
3. 新建规则 `qa-wecom-default-block`：匹配 *URL 路径* 前缀为 `/`；动作 **拦截**；优先级低于上一条。
4. 确认该前缀不受爬虫防护、JS 挑战或验证码影响：企业微信服务器无法通过这些校验，回调会失败。
5. 保存并等待规则生效后，在企业微信回调设置中点击 *保存*（或运行 `qa-wecom verify`）进行验证。
6. 可选（更严格）：只允许企业微信访问该前缀。在 `qa-wecom-callback-allow` 中增加条件 *源 IP*
   **属于** `wecom-callback-ips.txt` 中的地址和网段（建立 IP 地址组，每行一个；nginx 中在回调
   `location` 内写 `allow <地址>;` 各行，最后 `deny all;`）。企业微信会调整该列表（建议每天重新获取），
   也出现过来自列表之外地址的回调：每次修改后确认回调校验仍然通过，若企业微信回调开始失败请去掉该条件。
   `qa-wecom verify` 从你的电脑发起，而不是从企业微信发起，测试时请把你自己的地址也加入。
"
    )
}
