//! `wecom-console.md`: the WeCom admin-console checklist (seed §4) in English and Chinese. Two
//! forms: [`ConsoleValues::Shown`] writes the exact Token and EncodingAESKey to enter (it goes
//! under `secrets/`), [`ConsoleValues::Referenced`] points to the secrets file instead (shareable).

use crate::validate::{CheckedPlan, CheckedSecrets};

/// Whether the checklist shows the secret values.
pub enum ConsoleValues<'a> {
    /// The exact values (for `secrets/wecom-console.md`).
    Shown(&'a CheckedSecrets),
    /// A reference to the secrets file (for the shareable `wecom-console.md`).
    Referenced,
}

/// The checklist.
pub fn console_checklist(plan: &CheckedPlan, values: ConsoleValues<'_>) -> String {
    let url = &plan.callback_url;
    let corp = plan.corp_id.as_str();
    let agent = plan.agent_id;
    let (token, key, secret_note_en, secret_note_zh) = match values {
        ConsoleValues::Shown(s) => (
            format!("`{}`", s.token.expose()),
            format!("`{}`", s.encoding_aes_key.expose()),
            "This file contains secrets: keep it private and delete it once the console is configured.",
            "本文件包含密钥：请妥善保管，后台配置完成后删除。",
        ),
        ConsoleValues::Referenced => (
            "`token` in `secrets/secrets.toml` (or `secrets/wecom-console.md`)".to_owned(),
            "`encoding_aes_key` in `secrets/secrets.toml` (or `secrets/wecom-console.md`)"
                .to_owned(),
            "The Token and EncodingAESKey are not in this file: they are in the bundle's secrets/ folder.",
            "Token 和 EncodingAESKey 不在本文件中：它们在导出包的 secrets/ 目录里。",
        ),
    };
    let http_note = if plan.tls.mode.uses_tls() {
        ""
    } else {
        "\n> TLS mode is none: the URL is plain `http://`, and WeCom session archive will not work.\n> 未启用 TLS：URL 为 `http://` 明文，企业微信会话存档不可用。\n"
    };
    format!(
        "# WeCom admin console checklist / 企业微信管理后台配置清单

{secret_note_en}
{secret_note_zh}
{http_note}
| value / 配置项 | enter / 填写 |
|---|---|
| corpid / 企业ID | `{corp}` |
| AgentId | `{agent}` |
| URL | `{url}` |
| Token | {token} |
| EncodingAESKey | {key} |

## English

Do these in order in the WeCom admin console (work.weixin.qq.com, App Management > the self-built
app):

- [ ] **0. Network first.** `network/nginx.conf` and the WAF rule are applied and the domain
  resolves to the EIP. WeCom sends a test request when you press Save in step 4; it fails
  otherwise.
- [ ] **1. Visible range (§4.1).** On the app page, set the visible range to the departments and
  members whose data QA needs. Without it, contacts and customer data cannot be read.
- [ ] **2. Customer contact permissions (§4.2).** Customer & Upstream/Downstream > Customer Contact
  > Customer: bind the WeChat developer ID, then under *API* tick this app in *apps that may call
  the API*. Without it, API calls return 48002.
- [ ] **3. Note the credentials.** corpid `{corp}`, AgentId `{agent}`, and the app Secret (in
  `secrets/secrets.toml`).
- [ ] **4. Set API Receive (§4.3).** On the app page, *Receive Messages > Set API Receive*: enter
  the URL, Token and EncodingAESKey above exactly (case-sensitive), then Save. WeCom must show
  the settings as saved.
- [ ] **5. Trusted IP (after step 4).** WeCom only unlocks *Enterprise trusted IP* once a callback
  URL is verified. Add QA's egress IP there (a 60020 error names it: `from ip: …`); it takes
  about a minute.
- [ ] **6. In QA.** Enter corpid, AgentId, Secret, Token and EncodingAESKey in QA's WeCom account
  settings.
- [ ] **7. Verify.** `qa-wecom verify --url '{url}' …` must pass.

## 中文

请在企业微信管理后台（work.weixin.qq.com，应用管理 > 该自建应用）按顺序完成：

- [ ] **0. 先完成网络配置。** 已应用 `network/nginx.conf` 和 WAF 规则，且域名已解析到 EIP。第 4 步点击
  保存时企业微信会发送测试请求，否则会保存失败。
- [ ] **1. 可见范围（§4.1）。** 在应用页面将可见范围设为 QA 需要其数据的部门和成员。未设置将无法获取
  通讯录和客户数据。
- [ ] **2. 客户联系权限（§4.2）。** 客户与上下游 > 客户联系 > 客户：绑定微信开发者 ID，并在 *API* 中
  的 *可调用接口的应用* 里勾选本应用。否则调用接口会返回 48002。
- [ ] **3. 记录凭据。** 企业ID `{corp}`、AgentId `{agent}`，以及应用 Secret（在
  `secrets/secrets.toml` 中）。
- [ ] **4. 设置 API 接收（§4.3）。** 应用页面 *接收消息 > 设置API接收*：按上表准确填写 URL、Token 和
  EncodingAESKey（区分大小写），然后保存，确认保存成功。
- [ ] **5. 企业可信 IP（第 4 步之后）。** 回调 URL 校验通过后企业微信才开放 *企业可信IP*。在此添加
  QA 的出口 IP（60020 错误中 `from ip: …` 即是），约一分钟后生效。
- [ ] **6. 在 QA 中配置。** 在 QA 的企业微信账号设置中填写企业ID、AgentId、Secret、Token 和
  EncodingAESKey。
- [ ] **7. 验证。** `qa-wecom verify --url '{url}' …` 必须通过。
"
    )
}
