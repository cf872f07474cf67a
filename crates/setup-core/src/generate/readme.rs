//! `README.md` of the bundle: what is inside and the order to apply it, in English and Chinese.

use crate::plan::TlsMode;
use crate::validate::CheckedPlan;
use std::fmt::Write as _;

/// One line of the contents table: English and Chinese descriptions of a bundle path.
fn describe(path: &str) -> (&'static str, &'static str) {
    match path {
        "README.md" => (
            "this file: contents and order to apply",
            "本文件：内容与实施顺序",
        ),
        "plan.toml" => ("the plan (no secrets)", "计划文件（不含密钥）"),
        "SHA256SUMS" => (
            "checksums: `sha256sum -c SHA256SUMS`",
            "校验和：`sha256sum -c SHA256SUMS`",
        ),
        "wecom-console.md" => (
            "WeCom admin-console checklist (secrets referenced)",
            "企业微信后台配置清单（密钥另存）",
        ),
        "secrets/secrets.toml" => (
            "app Secret, Token, EncodingAESKey (private)",
            "应用 Secret、Token、EncodingAESKey（保密）",
        ),
        "secrets/wecom-console.md" => (
            "the checklist with the exact values (private)",
            "含实际值的配置清单（保密）",
        ),
        "secrets/tls/private.key" => ("TLS private key (private)", "TLS 私钥（保密）"),
        "network/nginx.conf" => (
            "nginx server block for the callback domain",
            "回调域名的 nginx server 配置",
        ),
        "network/waf-allowlist.json" => (
            "WAF allow rule, machine-readable",
            "WAF 放行规则（机器可读）",
        ),
        "network/waf-allowlist.md" => ("WAF console steps", "WAF 控制台操作步骤"),
        "network/wecom-callback-ips.txt" => (
            "WeCom's callback source addresses, dated (advisory)",
            "企业微信回调来源地址及获取时间（仅供参考）",
        ),
        "tls/certificate.pem" => ("certificate chain", "证书链"),
        "tls/request.csr" => (
            "certificate signing request for your CA",
            "提交给 CA 的证书签名请求",
        ),
        "tls/fingerprints.txt" => (
            "SHA-256 fingerprints of the certificates",
            "证书的 SHA-256 指纹",
        ),
        "database/create-analysis-db.sql" => (
            "create the analysis database (UTF8)",
            "创建分析数据库（UTF8）",
        ),
        "ops/trigger-import.sh" => (
            "start the WECHAT_WECOM import by hand",
            "手动触发 WECHAT_WECOM 导入",
        ),
        "diagram/topology.svg" => ("network diagram", "网络拓扑图"),
        "report/verification.json" => ("last live verification", "最近一次在线验证结果"),
        _ => ("", ""),
    }
}

/// The README for a bundle that holds `paths`.
pub fn readme(plan: &CheckedPlan, paths: &[&str]) -> String {
    let domain = plan.domain.as_str();
    let cert = plan.tls.server_certificate_path.as_str();
    let key = plan.tls.server_key_path.as_str();
    let mbps = plan.bandwidth.mbps;
    let users = plan.wecom_users;
    let ip = plan
        .public_ip
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "<EIP>".to_owned());
    let db = plan.database_name.as_str();
    let mut contents = String::new();
    for p in paths {
        let (en, zh) = describe(p);
        let _ = writeln!(contents, "| `{p}` | {en} | {zh} |");
    }
    let has = |p: &str| paths.contains(&p);
    let (tls_en, tls_zh) = match plan.tls.mode {
        TlsMode::None => (
            "TLS mode is none: nothing to install (plain HTTP; WeCom session archive will not work).".to_owned(),
            "未启用 TLS：无需安装证书（HTTP 明文；企业微信会话存档不可用）。".to_owned(),
        ),
        TlsMode::Csr if has("tls/request.csr") => (
            format!("Send `tls/request.csr` to your CA. Put the issued chain (leaf first) at `{cert}` and `secrets/tls/private.key` at `{key}` (mode 0600)."),
            format!("将 `tls/request.csr` 提交给 CA。把签发的证书链（叶子证书在前）放到 `{cert}`，`secrets/tls/private.key` 放到 `{key}`（权限 0600）。"),
        ),
        _ if !has("tls/certificate.pem") => (
            format!("This bundle has no certificate: install the chain (leaf first) at `{cert}` and its key at `{key}` (mode 0600)."),
            format!("本部署包不含证书：请将证书链（叶子证书在前）安装到 `{cert}`，私钥安装到 `{key}`（权限 0600）。"),
        ),
        TlsMode::Provided => (
            format!("Copy `tls/certificate.pem` to `{cert}` and `secrets/tls/private.key` to `{key}` (mode 0600, owner root). The chain was inspected at export: it covers `{domain}`, is valid, matches the key and is complete up to a trusted root (an export with a certificate that fails this is refused). Compare `tls/fingerprints.txt` with `openssl x509 -noout -fingerprint -sha256 -in {cert}` after installing."),
            format!("将 `tls/certificate.pem` 复制到 `{cert}`，`secrets/tls/private.key` 复制到 `{key}`（权限 0600，属主 root）。导出时已检查证书链：覆盖 `{domain}`、在有效期内、与私钥匹配、可完整链接到受信任的根证书（未通过检查的证书会被拒绝导出）。安装后可用 `openssl x509 -noout -fingerprint -sha256 -in {cert}` 与 `tls/fingerprints.txt` 核对。"),
        ),
        _ => (
            format!("Copy `tls/certificate.pem` to `{cert}` and `secrets/tls/private.key` to `{key}` (mode 0600, owner root)."),
            format!("将 `tls/certificate.pem` 复制到 `{cert}`，`secrets/tls/private.key` 复制到 `{key}`（权限 0600，属主 root）。"),
        ),
    };
    format!(
        "# QA WeCom deployment bundle for {domain} / {domain} 的 QA 企业微信部署包

Callback URL / 回调 URL: `{url}`

Files under `secrets/` are private (folder 0700, files 0600): do not share them. Every other file
is free of secrets. / `secrets/` 下的文件为保密内容（目录 0700，文件 0600），请勿外传；其余文件均不含密钥。

## Contents / 内容

| path / 路径 | what | 说明 |
|---|---|---|
{contents}
## Order to apply (English)

1. **DNS and EIP.** Point `{domain}` to `{ip}`; EIP bandwidth {mbps} Mbps for {users} WeCom users.
   The domain's ICP filing entity must match the enterprise registered in WeCom.
2. **TLS.** {tls_en}
3. **Reverse proxy.** Install `network/nginx.conf` in nginx's `http {{}}` context, run
   `nginx -t`, then `nginx -s reload`. Only `/restapi/thirdservice/we/com` reaches QA.
4. **WAF.** Apply `network/waf-allowlist.md` (same rule in `waf-allowlist.json`).
5. **Check the path.** `qa-wecom verify --url '{url}' --token … --aes-key … --corp-id {corp}` (values in
   `secrets/secrets.toml`); it must pass before the next step.
6. **WeCom console.** Follow `wecom-console.md` (values in `secrets/wecom-console.md`): visible range,
   customer-contact permissions, Set API Receive, then the trusted IP.
7. **Database.** Run `database/create-analysis-db.sql` (creates `{db}` with UTF8; the encoding
   cannot be changed later).
8. **Import.** When QA is configured, `ops/trigger-import.sh` starts the WECHAT_WECOM day import.

## 实施顺序（中文）

1. **DNS 与 EIP。** 将 `{domain}` 解析到 `{ip}`；{users} 名企业微信用户对应 EIP 带宽 {mbps} Mbps。
   域名的 ICP 备案主体必须与企业微信注册企业一致。
2. **TLS。** {tls_zh}
3. **反向代理。** 将 `network/nginx.conf` 放入 nginx 的 `http {{}}` 上下文，执行 `nginx -t`，再执行
   `nginx -s reload`。只有 `/restapi/thirdservice/we/com` 会转发到 QA。
4. **WAF。** 按 `network/waf-allowlist.md` 配置（机器可读版本见 `waf-allowlist.json`）。
5. **验证链路。** `qa-wecom verify --url '{url}' --token … --aes-key … --corp-id {corp}`（值见
   `secrets/secrets.toml`），通过后再进行下一步。
6. **企业微信后台。** 按 `wecom-console.md` 操作（实际值见 `secrets/wecom-console.md`）：可见范围、客户联系
   权限、设置 API 接收，最后添加可信 IP。
7. **数据库。** 执行 `database/create-analysis-db.sql`（以 UTF8 创建 `{db}`；编码创建后无法修改）。
8. **导入。** QA 配置完成后，运行 `ops/trigger-import.sh` 触发 WECHAT_WECOM 日导入。
",
        url = plan.callback_url,
        corp = plan.corp_id.as_str(),
    )
}
