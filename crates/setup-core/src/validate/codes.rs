//! The validation codes: one stable snake_case code per problem, its severity, and what it means
//! and how to fix it in English and Chinese. The UI may translate by code; the CLI prints these.

use crate::text::Text;
use crate::tls::FindingCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// How bad a problem is: errors block export, warnings are shown and allowed (validation never
/// reports `info`).
pub use crate::report::Severity;

/// Every problem validation can report. The serialized names are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    DomainMissing,
    DomainHasScheme,
    DomainHasPort,
    DomainHasPath,
    DomainForbiddenChar,
    DomainInvalidChar,
    DomainIsIp,
    DomainTooLong,
    DomainLabelTooLong,
    DomainEmptyLabel,
    DomainLabelHyphen,
    DomainSingleLabel,
    DomainNumericTld,
    DomainIdnInvalid,
    DomainIdnConverted,
    PublicIpInvalid,
    PublicIpNotPublic,
    UsersMissing,
    UsersNotPositive,
    TlsModeMissing,
    TlsNone,
    TlsSelfSigned,
    TlsCertificateMissing,
    TlsFilesNotSet,
    TlsPrivateKeyMissing,
    ServerPathNotAbsolute,
    ServerPathForbiddenChar,
    FilePathInvalid,
    CorpIdMissing,
    CorpIdInvalid,
    CorpIdUnusualShape,
    AgentIdMissing,
    AgentIdInvalid,
    UpstreamMissing,
    UpstreamHasScheme,
    UpstreamHasPath,
    UpstreamForbiddenChar,
    UpstreamPortMissing,
    UpstreamPortInvalid,
    UpstreamIpv6Brackets,
    UpstreamHostInvalid,
    ProxyOther,
    DatabaseKindMissing,
    DatabaseNameMissing,
    DatabaseNameInvalid,
    OrganizationIdMissing,
    OrganizationIdInvalid,
    WorkspaceIdMissing,
    WorkspaceIdInvalid,
    SecretsFileMissing,
    SecretsFilePermissions,
    AppSecretMissing,
    AppSecretInvalid,
    TokenMissing,
    TokenInvalidChar,
    TokenTooLong,
    AesKeyMissing,
    AesKeyWrongLength,
    AesKeyInvalidChar,
    /// TLS inspection (mode `provided`): a file is unreadable or not the right PEM.
    TlsParseError,
    /// TLS inspection: the certificate does not cover the plan's domain.
    TlsNameMismatch,
    /// TLS inspection: a certificate of the chain has expired.
    TlsExpired,
    /// TLS inspection: a certificate of the chain is not valid yet.
    TlsNotYetValid,
    /// TLS inspection: a certificate of the chain expires soon (warning).
    TlsExpiringSoon,
    /// TLS inspection: the private key does not belong to the certificate.
    TlsKeyMismatch,
    /// TLS inspection: the chain is not leaf first, each followed by its issuer.
    TlsChainOrder,
    /// TLS inspection: an intermediate certificate is missing.
    TlsChainIncomplete,
    /// TLS inspection: the chain ends at a root that is not trusted.
    TlsUntrustedRoot,
    /// TLS inspection: a key that is too small.
    TlsWeakKey,
    /// TLS inspection: a certificate signed with SHA-1 or MD5.
    TlsWeakSignature,
    /// TLS inspection: a TLS client rejects the chain (usage, CA flags…).
    TlsChainInvalid,
    /// TLS inspection: certificates that are not part of the chain (warning).
    TlsChainExtra,
    /// TLS inspection: a key type many clients cannot use (warning).
    TlsKeyUnsupported,
}

impl IssueCode {
    /// Every code, for documentation and tests.
    pub const ALL: [IssueCode; 73] = {
        use IssueCode::*;
        [
            DomainMissing,
            DomainHasScheme,
            DomainHasPort,
            DomainHasPath,
            DomainForbiddenChar,
            DomainInvalidChar,
            DomainIsIp,
            DomainTooLong,
            DomainLabelTooLong,
            DomainEmptyLabel,
            DomainLabelHyphen,
            DomainSingleLabel,
            DomainNumericTld,
            DomainIdnInvalid,
            DomainIdnConverted,
            PublicIpInvalid,
            PublicIpNotPublic,
            UsersMissing,
            UsersNotPositive,
            TlsModeMissing,
            TlsNone,
            TlsSelfSigned,
            TlsCertificateMissing,
            TlsFilesNotSet,
            TlsPrivateKeyMissing,
            ServerPathNotAbsolute,
            ServerPathForbiddenChar,
            FilePathInvalid,
            CorpIdMissing,
            CorpIdInvalid,
            CorpIdUnusualShape,
            AgentIdMissing,
            AgentIdInvalid,
            UpstreamMissing,
            UpstreamHasScheme,
            UpstreamHasPath,
            UpstreamForbiddenChar,
            UpstreamPortMissing,
            UpstreamPortInvalid,
            UpstreamIpv6Brackets,
            UpstreamHostInvalid,
            ProxyOther,
            DatabaseKindMissing,
            DatabaseNameMissing,
            DatabaseNameInvalid,
            OrganizationIdMissing,
            OrganizationIdInvalid,
            WorkspaceIdMissing,
            WorkspaceIdInvalid,
            SecretsFileMissing,
            SecretsFilePermissions,
            AppSecretMissing,
            AppSecretInvalid,
            TokenMissing,
            TokenInvalidChar,
            TokenTooLong,
            AesKeyMissing,
            AesKeyWrongLength,
            AesKeyInvalidChar,
            TlsParseError,
            TlsNameMismatch,
            TlsExpired,
            TlsNotYetValid,
            TlsExpiringSoon,
            TlsKeyMismatch,
            TlsChainOrder,
            TlsChainIncomplete,
            TlsUntrustedRoot,
            TlsWeakKey,
            TlsWeakSignature,
            TlsChainInvalid,
            TlsChainExtra,
            TlsKeyUnsupported,
        ]
    };

    /// The issue code of a TLS inspection finding: `tls_` + the finding's code
    /// (`name_mismatch` → `tls_name_mismatch`). `None` for passed checks (`name_ok`, …).
    pub fn from_tls_finding(code: FindingCode) -> Option<IssueCode> {
        use IssueCode::*;
        Some(match code {
            FindingCode::ParseError => TlsParseError,
            FindingCode::NameMismatch => TlsNameMismatch,
            FindingCode::Expired => TlsExpired,
            FindingCode::NotYetValid => TlsNotYetValid,
            FindingCode::ExpiringSoon => TlsExpiringSoon,
            FindingCode::KeyMismatch => TlsKeyMismatch,
            FindingCode::ChainOrder => TlsChainOrder,
            FindingCode::ChainIncomplete => TlsChainIncomplete,
            FindingCode::UntrustedRoot => TlsUntrustedRoot,
            FindingCode::WeakKey => TlsWeakKey,
            FindingCode::WeakSignature => TlsWeakSignature,
            FindingCode::ChainInvalid => TlsChainInvalid,
            FindingCode::ChainExtra => TlsChainExtra,
            FindingCode::KeyUnsupported => TlsKeyUnsupported,
            FindingCode::NameOk
            | FindingCode::ValidityOk
            | FindingCode::KeyMatch
            | FindingCode::ChainOk
            | FindingCode::KeyType => return None,
        })
    }

    /// The TLS inspection finding this code stands for, if it is one.
    pub fn tls_finding(self) -> Option<FindingCode> {
        FindingCode::ALL
            .into_iter()
            .find(|f| IssueCode::from_tls_finding(*f) == Some(self))
    }

    /// The stable name, as serialized (`domain_has_scheme`).
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Errors block export; warnings do not.
    pub fn severity(self) -> Severity {
        use IssueCode::*;
        match self {
            DomainIdnConverted
            | PublicIpNotPublic
            | TlsNone
            | TlsSelfSigned
            | TlsFilesNotSet
            | CorpIdUnusualShape
            | ProxyOther
            | OrganizationIdMissing
            | WorkspaceIdMissing
            | SecretsFilePermissions
            | TlsExpiringSoon
            | TlsChainExtra
            | TlsKeyUnsupported => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// What is wrong, and how to fix it, built from the issue's parameters.
    pub fn describe(self, params: &BTreeMap<String, String>) -> (Text, Text) {
        use IssueCode::*;
        let p = |k: &str| params.get(k).cloned().unwrap_or_default();
        fn t(en: impl Into<String>, zh: impl Into<String>) -> Text {
            Text::new(en, zh)
        }
        if let Some(finding) = self.tls_finding() {
            // The certificate inspection's own catalogue: one wording for `cert inspect` and here.
            let f = crate::tls::Finding::new(finding, params.clone());
            return (f.message, f.fix);
        }
        match self {
            DomainMissing => (
                t("The callback domain is missing.", "缺少回调域名。"),
                t(
                    "Enter the second-level domain WeCom will call, e.g. qawecom.example.com.",
                    "请填写企业微信回调使用的二级域名，例如 qawecom.example.com。",
                ),
            ),
            DomainHasScheme => (
                t(
                    "The domain contains a scheme such as https://.",
                    "域名中包含了 https:// 之类的协议头。",
                ),
                t(
                    format!("Enter the host name only: {}.", p("suggestion")),
                    format!("只填写主机名：{}。", p("suggestion")),
                ),
            ),
            DomainHasPort => (
                t("The domain contains a port.", "域名中包含了端口。"),
                t(
                    format!(
                        "Enter the host name only ({}); the port comes from the TLS mode (443 or 80).",
                        p("suggestion")
                    ),
                    format!(
                        "只填写主机名（{}）；端口由 TLS 模式决定（443 或 80）。",
                        p("suggestion")
                    ),
                ),
            ),
            DomainHasPath => (
                t(
                    "The domain contains a path or query.",
                    "域名中包含了路径或查询参数。",
                ),
                t(
                    format!(
                        "Enter the host name only ({}); the callback path is added for you.",
                        p("suggestion")
                    ),
                    format!("只填写主机名（{}）；回调路径会自动添加。", p("suggestion")),
                ),
            ),
            DomainForbiddenChar => (
                t(
                    format!(
                        "The domain contains {}, which is not allowed in a host name.",
                        p("char")
                    ),
                    format!("域名中包含不允许的字符 {}。", p("char")),
                ),
                t(
                    "Remove spaces, quotes, ; { } # and control characters; a host name has only letters, digits, hyphens and dots.",
                    "请删除空格、引号、; { } # 和控制字符；主机名只能包含字母、数字、连字符和点。",
                ),
            ),
            DomainInvalidChar => (
                t(
                    format!(
                        "The domain contains {}, which is not allowed in a host name.",
                        p("char")
                    ),
                    format!("域名中包含不允许的字符 {}。", p("char")),
                ),
                t(
                    "Use only letters, digits, hyphens and dots (underscores and wildcards are not allowed).",
                    "只能使用字母、数字、连字符和点（不允许下划线和通配符）。",
                ),
            ),
            DomainIsIp => (
                t(
                    "The callback address is an IP address, not a domain.",
                    "回调地址是 IP 地址而不是域名。",
                ),
                t(
                    "Enter a domain whose ICP filing entity matches the WeCom enterprise; put the IP in the public IP field.",
                    "请填写 ICP 备案主体与企业微信企业一致的域名；IP 请填在公网 IP 一栏。",
                ),
            ),
            DomainTooLong => (
                t(
                    format!(
                        "The domain is {} characters long; at most 253 are allowed.",
                        p("length")
                    ),
                    format!("域名长度为 {} 个字符，最多允许 253 个。", p("length")),
                ),
                t("Use a shorter domain.", "请使用更短的域名。"),
            ),
            DomainLabelTooLong => (
                t(
                    format!(
                        "The part \"{}\" of the domain is longer than 63 characters.",
                        p("label")
                    ),
                    format!("域名中的 \"{}\" 部分超过 63 个字符。", p("label")),
                ),
                t(
                    "Each part between dots may have at most 63 characters.",
                    "点之间的每一段最多 63 个字符。",
                ),
            ),
            DomainEmptyLabel => (
                t(
                    "The domain has an empty part (two dots in a row, or a leading dot).",
                    "域名中有空的部分（连续两个点或以点开头）。",
                ),
                t("Remove the extra dot.", "请删除多余的点。"),
            ),
            DomainLabelHyphen => (
                t(
                    format!(
                        "The part \"{}\" of the domain starts or ends with a hyphen.",
                        p("label")
                    ),
                    format!("域名中的 \"{}\" 部分以连字符开头或结尾。", p("label")),
                ),
                t(
                    "A part may not start or end with '-'.",
                    "每一段不能以 '-' 开头或结尾。",
                ),
            ),
            DomainSingleLabel => (
                t(
                    "The domain has no dot; WeCom needs a public domain.",
                    "域名中没有点；企业微信需要公网域名。",
                ),
                t(
                    "Enter the full domain, e.g. qawecom.example.com.",
                    "请填写完整域名，例如 qawecom.example.com。",
                ),
            ),
            DomainNumericTld => (
                t(
                    "The domain ends in a number, which is not a valid top-level domain.",
                    "域名以数字结尾，不是有效的顶级域名。",
                ),
                t(
                    "Enter a domain such as qawecom.example.com, or an IP in the public IP field.",
                    "请填写形如 qawecom.example.com 的域名；IP 请填在公网 IP 一栏。",
                ),
            ),
            DomainIdnInvalid => (
                t(
                    "The internationalized domain cannot be converted to punycode.",
                    "该国际化域名无法转换为 punycode。",
                ),
                t(
                    "Check the spelling, or enter the xn-- form your registrar shows.",
                    "请检查拼写，或填写注册商提供的 xn-- 形式。",
                ),
            ),
            DomainIdnConverted => (
                t(
                    format!(
                        "The domain will be used in its punycode form {}.",
                        p("ascii")
                    ),
                    format!("域名将以 punycode 形式 {} 使用。", p("ascii")),
                ),
                t(
                    "Nothing to do; make sure the DNS record and the certificate use this form.",
                    "无需操作；请确认 DNS 记录和证书使用该形式。",
                ),
            ),
            PublicIpInvalid => (
                t(
                    "The public IP is not an IPv4 or IPv6 address.",
                    "公网 IP 不是有效的 IPv4 或 IPv6 地址。",
                ),
                t(
                    "Enter the EIP as shown in the cloud console, e.g. 203.0.113.10 or 2001:db8::10 (no brackets, no port), or leave it empty.",
                    "请按云控制台显示填写 EIP，例如 203.0.113.10 或 2001:db8::10（不带方括号和端口），或留空。",
                ),
            ),
            PublicIpNotPublic => (
                t(
                    format!("{} is a {} address, not a public one.", p("ip"), p("range")),
                    format!("{} 是{}地址，不是公网地址。", p("ip"), p("range_zh")),
                ),
                t(
                    "Enter the EIP the domain resolves to from the Internet; WeCom cannot reach a private address.",
                    "请填写域名在公网解析到的 EIP；企业微信无法访问内网地址。",
                ),
            ),
            UsersMissing => (
                t(
                    "The number of WeCom users is missing.",
                    "缺少企业微信用户数。",
                ),
                t(
                    "Enter the number of members of the enterprise; it sizes the EIP bandwidth.",
                    "请填写企业成员数量，用于确定 EIP 带宽。",
                ),
            ),
            UsersNotPositive => (
                t(
                    format!(
                        "The number of WeCom users must be a positive whole number, got {}.",
                        p("value")
                    ),
                    format!("企业微信用户数必须是正整数，当前为 {}。", p("value")),
                ),
                t("Enter a number of at least 1.", "请填写不小于 1 的数字。"),
            ),
            TlsModeMissing => (
                t("The TLS mode is missing.", "缺少 TLS 模式。"),
                t(
                    "Choose provided, csr, self_signed or none.",
                    "请选择 provided、csr、self_signed 或 none。",
                ),
            ),
            TlsNone => (
                t(
                    "Without TLS the callback is plain HTTP and WeCom session archive will not work.",
                    "不使用 TLS 时回调为 HTTP 明文，企业微信会话存档功能不可用。",
                ),
                t(
                    "Provide a certificate for the domain (mode provided or csr) unless this is a test.",
                    "除测试外，请为域名提供证书（provided 或 csr 模式）。",
                ),
            ),
            TlsSelfSigned => (
                t(
                    "A self-signed certificate is for demos and staging only: WeCom does not trust it.",
                    "自签名证书仅用于演示和测试：企业微信不信任它。",
                ),
                t(
                    "Use a certificate from a CA for production (mode provided or csr).",
                    "生产环境请使用 CA 签发的证书（provided 或 csr 模式）。",
                ),
            ),
            TlsCertificateMissing => (
                t(
                    "Mode provided needs the certificate chain file.",
                    "provided 模式需要证书链文件。",
                ),
                t(
                    "Set tls.certificate_file to the PEM chain (leaf first) on this machine.",
                    "请将 tls.certificate_file 设为本机上的 PEM 证书链（叶子证书在前）。",
                ),
            ),
            TlsFilesNotSet => (
                t(
                    "No TLS files are set, so the bundle will not contain them.",
                    "未设置 TLS 文件，导出包中将不包含它们。",
                ),
                t(
                    "Generate them in the TLS step (or with `qa-wecom cert`) and set their paths, or install them on the server yourself.",
                    "请在 TLS 步骤（或用 `qa-wecom cert`）生成并填写路径，或自行在服务器上安装。",
                ),
            ),
            TlsPrivateKeyMissing => (
                t(
                    "The TLS private key is missing from the secrets file.",
                    "密钥文件中缺少 TLS 私钥。",
                ),
                t(
                    "Set tls.private_key_file (or tls.private_key_pem) in the secrets file.",
                    "请在密钥文件中设置 tls.private_key_file（或 tls.private_key_pem）。",
                ),
            ),
            ServerPathNotAbsolute => (
                t(
                    format!("The server path {} is not absolute.", p("path")),
                    format!("服务器路径 {} 不是绝对路径。", p("path")),
                ),
                t(
                    "Use a path that starts with /, e.g. /etc/nginx/tls/qawecom.example.com.crt.",
                    "请使用以 / 开头的路径，例如 /etc/nginx/tls/qawecom.example.com.crt。",
                ),
            ),
            ServerPathForbiddenChar => (
                t(
                    format!(
                        "The server path contains {}, which would break the nginx configuration.",
                        p("char")
                    ),
                    format!("服务器路径中包含 {}，会破坏 nginx 配置。", p("char")),
                ),
                t(
                    "Use a path without spaces, quotes, ; { } # $ \\ or control characters.",
                    "请使用不含空格、引号、; { } # $ \\ 和控制字符的路径。",
                ),
            ),
            FilePathInvalid => (
                t(
                    "The file path contains control characters.",
                    "文件路径中包含控制字符。",
                ),
                t("Choose the file again.", "请重新选择文件。"),
            ),
            CorpIdMissing => (
                t(
                    "The corpid (enterprise ID) is missing.",
                    "缺少企业 ID（corpid）。",
                ),
                t(
                    "Copy it from My Company > Company Information > Company ID in the WeCom admin console.",
                    "请从企业微信管理后台 我的企业 > 企业信息 > 企业ID 复制。",
                ),
            ),
            CorpIdInvalid => (
                t(
                    format!(
                        "The corpid {} is not valid: it must be 1 to 64 letters and digits.",
                        p("reason")
                    ),
                    format!(
                        "企业 ID {}，无效：必须是 1 到 64 位字母和数字。",
                        p("reason_zh")
                    ),
                ),
                t(
                    "Copy it again from My Company > Company Information > Company ID.",
                    "请从 我的企业 > 企业信息 > 企业ID 重新复制。",
                ),
            ),
            CorpIdUnusualShape => (
                t(
                    format!(
                        "The corpid {} does not look like ww followed by 16 lowercase hex digits.",
                        p("value")
                    ),
                    format!(
                        "企业 ID {} 不是常见的 ww 加 16 位小写十六进制形式。",
                        p("value")
                    ),
                ),
                t(
                    "Double-check it (it is case-sensitive); if it is what the console shows, keep it.",
                    "请再次核对（区分大小写）；如果与后台显示一致，可以保留。",
                ),
            ),
            AgentIdMissing => (
                t(
                    "The AgentId of the self-built app is missing.",
                    "缺少自建应用的 AgentId。",
                ),
                t(
                    "Copy it from the app's page in the WeCom admin console (App Management).",
                    "请从企业微信管理后台 应用管理 中该应用的页面复制。",
                ),
            ),
            AgentIdInvalid => (
                t(
                    format!(
                        "The AgentId must be a positive whole number, got {}.",
                        p("value")
                    ),
                    format!("AgentId 必须是正整数，当前为 {}。", p("value")),
                ),
                t(
                    "Copy it again from the app's page (e.g. 1000002).",
                    "请从应用页面重新复制（例如 1000002）。",
                ),
            ),
            UpstreamMissing => (
                t("The QA service address is missing.", "缺少 QA 服务地址。"),
                t(
                    "Enter the QA service (or SLB) address as host:port, e.g. 10.0.0.12:8080.",
                    "请以 host:port 形式填写 QA 服务（或 SLB）地址，例如 10.0.0.12:8080。",
                ),
            ),
            UpstreamHasScheme => (
                t(
                    "The QA service address contains a scheme such as http://.",
                    "QA 服务地址中包含了 http:// 之类的协议头。",
                ),
                t(
                    format!("Enter host:port only: {}.", p("suggestion")),
                    format!("只填写 host:port：{}。", p("suggestion")),
                ),
            ),
            UpstreamHasPath => (
                t(
                    "The QA service address contains a path.",
                    "QA 服务地址中包含了路径。",
                ),
                t(
                    format!(
                        "Enter host:port only ({}); the request path is forwarded unchanged.",
                        p("suggestion")
                    ),
                    format!(
                        "只填写 host:port（{}）；请求路径会原样转发。",
                        p("suggestion")
                    ),
                ),
            ),
            UpstreamForbiddenChar => (
                t(
                    format!(
                        "The QA service address contains {}, which is not allowed.",
                        p("char")
                    ),
                    format!("QA 服务地址中包含不允许的字符 {}。", p("char")),
                ),
                t(
                    "Use only host:port, e.g. 10.0.0.12:8080.",
                    "只能填写 host:port，例如 10.0.0.12:8080。",
                ),
            ),
            UpstreamPortMissing => (
                t(
                    "The QA service address has no port.",
                    "QA 服务地址缺少端口。",
                ),
                t(
                    "Add the port, e.g. 10.0.0.12:8080.",
                    "请加上端口，例如 10.0.0.12:8080。",
                ),
            ),
            UpstreamPortInvalid => (
                t(
                    format!("The port {} is not between 1 and 65535.", p("port")),
                    format!("端口 {} 不在 1 到 65535 之间。", p("port")),
                ),
                t("Enter the port QA listens on.", "请填写 QA 监听的端口。"),
            ),
            UpstreamIpv6Brackets => (
                t(
                    "An IPv6 QA service address needs brackets around the address.",
                    "IPv6 形式的 QA 服务地址需要用方括号括起地址。",
                ),
                t(
                    "Write it as [2001:db8::12]:8080.",
                    "请写作 [2001:db8::12]:8080。",
                ),
            ),
            UpstreamHostInvalid => (
                t(
                    format!(
                        "The host {} of the QA service address is not an IP address or a host name.",
                        p("host")
                    ),
                    format!("QA 服务地址中的主机 {} 不是 IP 地址或主机名。", p("host")),
                ),
                t(
                    "Enter the QA service's IP, SLB address or internal host name.",
                    "请填写 QA 服务的 IP、SLB 地址或内网主机名。",
                ),
            ),
            ProxyOther => (
                t(
                    "No configuration is generated for your proxy.",
                    "不会为您的代理生成配置。",
                ),
                t(
                    "Apply the rule in network/nginx.conf to your proxy by hand: forward the prefix unchanged, 404 for the rest.",
                    "请参照 network/nginx.conf 手动配置：前缀原样转发，其余返回 404。",
                ),
            ),
            DatabaseKindMissing => (
                t(
                    "The analysis database kind is missing.",
                    "缺少分析数据库类型。",
                ),
                t(
                    "Choose gaussdb or postgresql.",
                    "请选择 gaussdb 或 postgresql。",
                ),
            ),
            DatabaseNameMissing => (
                t(
                    "The analysis database name is missing.",
                    "缺少分析数据库名称。",
                ),
                t(
                    "Enter a name such as qa_analysis.",
                    "请填写名称，例如 qa_analysis。",
                ),
            ),
            DatabaseNameInvalid => (
                t(
                    format!(
                        "The database name {} is not a plain SQL identifier.",
                        p("value")
                    ),
                    format!("数据库名 {} 不是简单的 SQL 标识符。", p("value")),
                ),
                t(
                    "Use 1 to 63 lowercase letters, digits and underscores, starting with a letter or underscore.",
                    "请使用 1 到 63 位小写字母、数字和下划线，以字母或下划线开头。",
                ),
            ),
            OrganizationIdMissing => (
                t(
                    "The QA organization ID is not set; ops/trigger-import.sh will ask for it.",
                    "未设置 QA 组织 ID；ops/trigger-import.sh 运行时需要提供。",
                ),
                t(
                    "Copy it from QA (organization management) if you know it.",
                    "如已知，请从 QA 组织管理中复制。",
                ),
            ),
            OrganizationIdInvalid => (
                t(
                    "The QA organization ID is not a UUID.",
                    "QA 组织 ID 不是 UUID。",
                ),
                t(
                    "Enter it as 8-4-4-4-12 hex digits, e.g. 0a27b751-db52-4ec2-b2bc-e7b747c0bfb6.",
                    "请按 8-4-4-4-12 位十六进制填写，例如 0a27b751-db52-4ec2-b2bc-e7b747c0bfb6。",
                ),
            ),
            WorkspaceIdMissing => (
                t(
                    "The QA workspace ID is not set; ops/trigger-import.sh will ask for it.",
                    "未设置 QA 空间 ID；ops/trigger-import.sh 运行时需要提供。",
                ),
                t(
                    "Copy it from QA (workspace management) if you know it.",
                    "如已知，请从 QA 空间管理中复制。",
                ),
            ),
            WorkspaceIdInvalid => (
                t(
                    "The QA workspace ID is not a UUID.",
                    "QA 空间 ID 不是 UUID。",
                ),
                t(
                    "Enter it as 8-4-4-4-12 hex digits, e.g. 5a3e3999-fccb-43ef-b232-9cbbae053e8b.",
                    "请按 8-4-4-4-12 位十六进制填写，例如 5a3e3999-fccb-43ef-b232-9cbbae053e8b。",
                ),
            ),
            SecretsFileMissing => (
                t(
                    format!("The secrets file {} does not exist.", p("path")),
                    format!("密钥文件 {} 不存在。", p("path")),
                ),
                t(
                    "Create it with `qa-wecom plan new`, or set secrets_file in the plan to where it is.",
                    "请用 `qa-wecom plan new` 创建，或在计划中将 secrets_file 设为其所在位置。",
                ),
            ),
            SecretsFilePermissions => (
                t(
                    "The secrets file can be read by other users.",
                    "密钥文件可被其他用户读取。",
                ),
                t(
                    format!("Run: chmod 600 {}", p("path")),
                    format!("请执行：chmod 600 {}", p("path")),
                ),
            ),
            AppSecretMissing => (
                t("The app Secret is missing.", "缺少应用 Secret。"),
                t(
                    "Copy it from the self-built app's page in the WeCom admin console (it is sent to the admin's WeCom).",
                    "请在企业微信管理后台自建应用页面查看 Secret（会发送到管理员的企业微信）并复制。",
                ),
            ),
            AppSecretInvalid => (
                t(
                    "The app Secret contains spaces, quotes or control characters.",
                    "应用 Secret 中包含空格、引号或控制字符。",
                ),
                t(
                    "Copy it again without surrounding text.",
                    "请重新复制，不要带上多余的文字。",
                ),
            ),
            TokenMissing => (
                t("The callback Token is missing.", "缺少回调 Token。"),
                t(
                    "Generate one (`qa-wecom secrets`) or paste the one already set in the WeCom console.",
                    "请生成一个（`qa-wecom secrets`），或粘贴企业微信后台已设置的 Token。",
                ),
            ),
            TokenInvalidChar => (
                t(
                    "The Token may contain only letters and digits.",
                    "Token 只能包含字母和数字。",
                ),
                t(
                    "Generate a new one, or copy it again from the WeCom console.",
                    "请重新生成，或从企业微信后台重新复制。",
                ),
            ),
            TokenTooLong => (
                t(
                    format!(
                        "The Token has {} characters; at most 32 are allowed.",
                        p("length")
                    ),
                    format!("Token 有 {} 个字符，最多允许 32 个。", p("length")),
                ),
                t(
                    "Generate a new one, or copy it again from the WeCom console.",
                    "请重新生成，或从企业微信后台重新复制。",
                ),
            ),
            AesKeyMissing => (
                t("The EncodingAESKey is missing.", "缺少 EncodingAESKey。"),
                t(
                    "Generate one (`qa-wecom secrets`) or paste the one already set in the WeCom console.",
                    "请生成一个（`qa-wecom secrets`），或粘贴企业微信后台已设置的 EncodingAESKey。",
                ),
            ),
            AesKeyWrongLength => (
                t(
                    format!(
                        "The EncodingAESKey has {} characters; it must have exactly 43.",
                        p("length")
                    ),
                    format!("EncodingAESKey 有 {} 个字符，必须正好 43 个。", p("length")),
                ),
                t(
                    "Copy the whole value again from the WeCom console, or generate a new one.",
                    "请从企业微信后台重新完整复制，或重新生成。",
                ),
            ),
            AesKeyInvalidChar => (
                t(
                    "The EncodingAESKey may contain only letters and digits.",
                    "EncodingAESKey 只能包含字母和数字。",
                ),
                t(
                    "Copy it again from the WeCom console (no = at the end), or generate a new one.",
                    "请从企业微信后台重新复制（末尾没有 =），或重新生成。",
                ),
            ),
            TlsParseError | TlsNameMismatch | TlsExpired | TlsNotYetValid | TlsExpiringSoon
            | TlsKeyMismatch | TlsChainOrder | TlsChainIncomplete | TlsUntrustedRoot
            | TlsWeakKey | TlsWeakSignature | TlsChainInvalid | TlsChainExtra
            | TlsKeyUnsupported => (
                t(
                    "The TLS certificate failed an inspection.",
                    "TLS 证书未通过检查。",
                ),
                t(
                    "Run `qa-wecom cert inspect` on the certificate and key for details.",
                    "请对证书和私钥运行 `qa-wecom cert inspect` 查看详情。",
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_name_and_non_empty_texts_in_both_languages() {
        let mut names = std::collections::BTreeSet::new();
        for code in IssueCode::ALL {
            assert!(names.insert(code.as_str()), "duplicate {code:?}");
            let (msg, fix) = code.describe(&BTreeMap::new());
            for s in [&msg.en, &msg.zh, &fix.en, &fix.zh] {
                assert!(!s.trim().is_empty(), "{code:?}");
            }
        }
        assert_eq!(IssueCode::UsersNotPositive.as_str(), "users_not_positive");
    }

    #[test]
    fn tls_issue_codes_are_tls_plus_the_finding_code_with_the_same_severity() {
        let mut mapped = 0;
        for f in FindingCode::ALL {
            let Some(code) = IssueCode::from_tls_finding(f) else {
                assert_eq!(f.severity(), crate::tls::Severity::Info, "{f:?}");
                continue;
            };
            mapped += 1;
            assert_eq!(code.as_str(), format!("tls_{}", f.as_str()));
            assert_eq!(code.tls_finding(), Some(f));
            let warning = f.severity() == crate::tls::Severity::Warning;
            assert_eq!(code.severity() == Severity::Warning, warning, "{f:?}");
        }
        assert_eq!(mapped, 14);
        assert_eq!(IssueCode::DomainMissing.tls_finding(), None);
    }
}
