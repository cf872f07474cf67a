//! Writes the plan and the secrets as commented, human-readable TOML. Every value goes through
//! the `toml` crate's own string encoder, so any text round-trips; unset fields are written as
//! comments so the admin sees what can be filled in.

use super::model::{PLAN_VERSION, Plan, SECRETS_VERSION, Secrets};
use std::fmt::Write as _;

/// A TOML string literal for `s`, escaped by the `toml` crate.
pub(crate) fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

struct Doc(String);

impl Doc {
    fn line(&mut self, s: &str) {
        self.0.push_str(s);
        self.0.push('\n');
    }

    fn comment(&mut self, en: &str, zh: &str) {
        let _ = writeln!(self.0, "# {en}");
        let _ = writeln!(self.0, "# {zh}");
    }

    fn string(&mut self, key: &str, value: Option<&str>, example: &str) {
        match value {
            Some(v) => {
                let _ = writeln!(self.0, "{key} = {}", toml_string(v));
            }
            None => {
                let _ = writeln!(self.0, "# {key} = {}", toml_string(example));
            }
        }
    }

    fn int(&mut self, key: &str, value: Option<i64>, example: i64) {
        match value {
            Some(v) => {
                let _ = writeln!(self.0, "{key} = {v}");
            }
            None => {
                let _ = writeln!(self.0, "# {key} = {example}");
            }
        }
    }
}

/// The plan as a commented TOML document.
pub fn render_plan(plan: &Plan) -> String {
    let mut d = Doc(String::new());
    d.comment(
        "QA WeCom Setup plan. No secrets in this file: they are in the secrets file below (0600).",
        "QA 企业微信接入计划。本文件不含任何密钥：密钥在下面的 secrets 文件中（权限 0600）。",
    );
    d.comment(
        "Check it with `qa-wecom plan check <this file>`.",
        "用 `qa-wecom plan check <本文件>` 检查。",
    );
    let _ = writeln!(d.0, "version = {PLAN_VERSION}");
    d.comment(
        "The secrets file, relative to this file's folder (default: <plan name>.secrets.toml).",
        "密钥文件，相对于本文件所在目录（默认：<计划名>.secrets.toml）。",
    );
    d.string(
        "secrets_file",
        plan.secrets_file.as_deref(),
        "plan.secrets.toml",
    );

    d.line("");
    d.line("[resources]");
    d.comment(
        "Callback domain, host name only (no https://, port or path). Its ICP filing entity must match the enterprise registered in WeCom.",
        "回调二级域名，仅主机名（不含 https://、端口、路径）。其 ICP 备案主体必须与企业微信注册企业一致。",
    );
    d.string(
        "domain",
        plan.resources.domain.as_deref(),
        "qawecom.example.com",
    );
    d.comment(
        "Public IP (EIP) the domain points to; optional, used by the DNS check.",
        "域名解析到的公网 IP（EIP）；可选，用于 DNS 检查。",
    );
    d.string(
        "public_ip",
        plan.resources.public_ip.as_deref(),
        "203.0.113.10",
    );
    d.comment(
        "Number of WeCom users; sizes the EIP bandwidth (<= 1,000,000: 5 Mbps; <= 5,000,000: 10 Mbps; more: 15 Mbps).",
        "企业微信用户数；决定 EIP 带宽（<= 100 万：5 Mbps；<= 500 万：10 Mbps；更多：15 Mbps）。",
    );
    d.int("wecom_users", plan.resources.wecom_users, 120_000);

    d.line("");
    d.line("[tls]");
    d.comment(
        "provided | csr | self_signed | none (none = plain HTTP: no session archive).",
        "provided（自有证书）| csr（生成密钥和 CSR）| self_signed（自签名，仅演示/测试）| none（HTTP 明文，会话存档不可用）。",
    );
    d.string("mode", plan.tls.mode.map(|m| m.as_str()), "provided");
    d.comment(
        "Certificate chain (PEM, leaf first) on this machine; the private key path is in the secrets file.",
        "本机上的证书链（PEM，叶子证书在前）；私钥路径在密钥文件中。",
    );
    d.string(
        "certificate_file",
        plan.tls.certificate_file.as_deref(),
        "certs/qawecom.example.com.fullchain.pem",
    );
    d.comment(
        "CSR (PEM) on this machine, for mode csr.",
        "本机上的 CSR（PEM），用于 csr 模式。",
    );
    d.string(
        "csr_file",
        plan.tls.csr_file.as_deref(),
        "certs/qawecom.example.com.csr",
    );
    d.comment(
        "Where nginx reads the certificate and the key on the server (default /etc/nginx/tls/<domain>.crt and .key).",
        "服务器上 nginx 读取证书和私钥的位置（默认 /etc/nginx/tls/<域名>.crt 和 .key）。",
    );
    d.string(
        "server_certificate_path",
        plan.tls.server_certificate_path.as_deref(),
        "/etc/nginx/tls/qawecom.example.com.crt",
    );
    d.string(
        "server_key_path",
        plan.tls.server_key_path.as_deref(),
        "/etc/nginx/tls/qawecom.example.com.key",
    );

    d.line("");
    d.line("[wecom]");
    d.comment(
        "Enterprise ID (My Company > Company Information > Company ID) and the self-built app's AgentId. The app Secret is in the secrets file.",
        "企业 ID（我的企业 > 企业信息 > 企业ID）和自建应用的 AgentId。应用 Secret 在密钥文件中。",
    );
    d.string(
        "corp_id",
        plan.wecom.corp_id.as_deref(),
        "wwb697d33134e48cfc",
    );
    d.int("agent_id", plan.wecom.agent_id, 1_000_002);
    d.comment(
        "Admin-console steps already done (ticked in the wizard): visible_range, customer_contact, developer_id, api_receive.",
        "已完成的管理后台步骤（在向导中勾选）：visible_range、customer_contact、developer_id、api_receive。",
    );
    if plan.wecom.console_done.is_empty() {
        d.line("# console_done = []");
    } else {
        let items: Vec<String> = plan
            .wecom
            .console_done
            .iter()
            .map(|s| toml_string(s))
            .collect();
        let _ = writeln!(d.0, "console_done = [{}]", items.join(", "));
    }

    d.line("");
    d.line("[network]");
    d.comment(
        "QA service (or its SLB) that /restapi/thirdservice/we/com is forwarded to: host:port, IPv6 as [addr]:port.",
        "/restapi/thirdservice/we/com 转发到的 QA 服务（或其 SLB）：host:port，IPv6 写作 [地址]:端口。",
    );
    d.string(
        "qa_upstream",
        plan.network.qa_upstream.as_deref(),
        "10.0.0.12:8080",
    );
    d.comment(
        "Reverse proxy: nginx | other.",
        "反向代理：nginx | other（其他）。",
    );
    d.string("proxy", plan.network.proxy.map(|p| p.as_str()), "nginx");

    d.line("");
    d.line("[database]");
    d.comment(
        "QA analysis-source database: gaussdb | postgresql, and its name (created with UTF8).",
        "QA 分析源数据库：gaussdb | postgresql，以及库名（以 UTF8 编码创建）。",
    );
    d.string("kind", plan.database.kind.map(|k| k.as_str()), "postgresql");
    d.string("name", plan.database.name.as_deref(), "qa_analysis");

    d.line("");
    d.line("[quick_audience]");
    d.comment(
        "Organization and workspace IDs (UUIDs) for the manual data-import trigger (ops/trigger-import.sh).",
        "组织 ID 和空间 ID（UUID），用于手动触发数据导入（ops/trigger-import.sh）。",
    );
    d.string(
        "organization_id",
        plan.quick_audience.organization_id.as_deref(),
        "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6",
    );
    d.string(
        "workspace_id",
        plan.quick_audience.workspace_id.as_deref(),
        "5a3e3999-fccb-43ef-b232-9cbbae053e8b",
    );
    d.0
}

/// The secrets as a commented TOML document. This is the one place that writes secret values.
pub fn render_secrets(secrets: &Secrets) -> String {
    let mut d = Doc(String::new());
    d.comment(
        "QA WeCom Setup secrets. Keep this file private (mode 0600); never share or commit it.",
        "QA 企业微信接入密钥。请妥善保管本文件（权限 0600），不要分享或提交到代码库。",
    );
    let _ = writeln!(d.0, "version = {SECRETS_VERSION}");
    d.comment(
        "The self-built app's Secret (app details page in the WeCom admin console).",
        "自建应用的 Secret（企业微信管理后台的应用详情页）。",
    );
    d.string(
        "app_secret",
        secrets.app_secret.as_ref().map(|s| s.expose()),
        "",
    );
    d.comment(
        "Callback Token (letters and digits, at most 32) and EncodingAESKey (43 letters and digits).",
        "回调 Token（字母和数字，最多 32 位）和 EncodingAESKey（43 位字母和数字）。",
    );
    d.string("token", secrets.token.as_ref().map(|s| s.expose()), "");
    d.string(
        "encoding_aes_key",
        secrets.encoding_aes_key.as_ref().map(|s| s.expose()),
        "",
    );
    d.line("");
    d.line("[tls]");
    d.comment(
        "The TLS private key (PEM): a file relative to this file's folder, or the PEM itself.",
        "TLS 私钥（PEM）：相对于本文件所在目录的文件路径，或 PEM 内容本身。",
    );
    d.string(
        "private_key_file",
        secrets.tls.private_key_file.as_deref(),
        "qawecom.example.com.key",
    );
    if let Some(pem) = &secrets.tls.private_key_pem {
        let _ = writeln!(d.0, "private_key_pem = {}", toml_string(pem.expose()));
    }
    d.0
}
