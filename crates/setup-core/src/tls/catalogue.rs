//! The bilingual catalogue of inspection findings: for each code (and, for `parse_error`,
//! `name_mismatch`, `untrusted_root` and `chain_invalid`, each `reason`) a message and a fix in
//! English and 简体中文, with `{param}` placeholders filled from the finding's params.

use super::findings::FindingCode;
use crate::text::Text;
use std::collections::BTreeMap;

/// One catalogue entry: message and fix templates.
struct Entry {
    en: &'static str,
    zh: &'static str,
    fix_en: &'static str,
    fix_zh: &'static str,
}

const fn e(
    en: &'static str,
    zh: &'static str,
    fix_en: &'static str,
    fix_zh: &'static str,
) -> Entry {
    Entry {
        en,
        zh,
        fix_en,
        fix_zh,
    }
}

/// The message and the fix of a finding, rendered with its params.
pub(crate) fn render(code: FindingCode, params: &BTreeMap<String, String>) -> (Text, Text) {
    let reason = params.get("reason").map(String::as_str).unwrap_or("");
    let entry = entry(code, reason, params);
    let file = params.get("file").map(String::as_str).unwrap_or("");
    let extra: [(&str, &str); 3] = [
        ("file_en", file_en(file)),
        ("file_zh", file_zh(file)),
        ("convert", convert_command(file)),
    ];
    let fill = |t: &str| fill(t, params, &extra);
    (
        Text::new(fill(entry.en), fill(entry.zh)),
        Text::new(fill(entry.fix_en), fill(entry.fix_zh)),
    )
}

fn file_en(file: &str) -> &'static str {
    match file {
        "key" => "private key",
        "ca" => "CA certificate",
        _ => "certificate chain",
    }
}

fn file_zh(file: &str) -> &'static str {
    match file {
        "key" => "私钥",
        "ca" => "CA 证书",
        _ => "证书链",
    }
}

fn convert_command(file: &str) -> &'static str {
    match file {
        "key" => "openssl pkey -inform der -in KEY.der -out key.pem",
        _ => "openssl x509 -inform der -in CERT.der -out cert.pem",
    }
}

/// Replaces each `{name}` by the param (or extra) of that name; unknown names stay as they are.
fn fill(template: &str, params: &BTreeMap<String, String>, extra: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                let value = params
                    .get(name)
                    .map(String::as_str)
                    .or_else(|| extra.iter().find(|(k, _)| *k == name).map(|(_, v)| *v));
                match value {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn entry(code: FindingCode, reason: &str, params: &BTreeMap<String, String>) -> Entry {
    match code {
        FindingCode::ParseError => parse_error(reason),
        FindingCode::NameMismatch if reason == "no_san" => e(
            "The certificate has no Subject Alternative Name; modern TLS clients ignore its Common Name ({names}), so it covers no domain.",
            "证书没有使用者可选名称（SAN）；现代 TLS 客户端会忽略其通用名称（{names}），因此它不覆盖任何域名。",
            "Get a certificate that lists {domain} in its Subject Alternative Name.",
            "申请一张在 SAN 中列出 {domain} 的证书。",
        ),
        FindingCode::NameMismatch => e(
            "The certificate does not cover {domain}: it is for {names}.",
            "证书不覆盖域名 {domain}：它签发给 {names}。",
            "Get a certificate whose Subject Alternative Name lists {domain}, or change the domain in the plan. A wildcard covers exactly one label: *.example.com covers qa.example.com but not a.qa.example.com or example.com.",
            "申请一张在 SAN 中列出 {domain} 的证书，或修改计划中的域名。通配符只匹配一级：*.example.com 覆盖 qa.example.com，但不覆盖 a.qa.example.com 或 example.com。",
        ),
        FindingCode::Expired => e(
            "Certificate #{position} ({subject}) expired on {not_after}.",
            "第 {position} 个证书（{subject}）已于 {not_after} 过期。",
            "Renew it with your CA (for an intermediate, download the current intermediate from your CA) and install the new chain.",
            "向 CA 续期该证书（若是中间证书，请从 CA 下载当前的中间证书），然后安装新的证书链。",
        ),
        FindingCode::NotYetValid => e(
            "Certificate #{position} ({subject}) is not valid before {not_before}.",
            "第 {position} 个证书（{subject}）在 {not_before} 之前无效。",
            "Check this computer's clock; if it is right, wait until then or ask your CA to reissue the certificate.",
            "检查本机时钟；若时钟正确，请等到生效时间，或请 CA 重新签发证书。",
        ),
        FindingCode::ExpiringSoon => e(
            "Certificate #{position} ({subject}) expires in {days} days, on {not_after}.",
            "第 {position} 个证书（{subject}）将在 {days} 天后（{not_after}）过期。",
            "Renew it before then: once it expires WeCom can no longer deliver callbacks.",
            "请在此之前续期：证书过期后企业微信将无法投递回调。",
        ),
        FindingCode::KeyMismatch => e(
            "The private key does not belong to the server certificate ({subject}) nor to any other certificate in the file.",
            "私钥与服务器证书（{subject}）不匹配，也不属于文件中的任何其他证书。",
            "Use the key generated together with this certificate's CSR. Both must show the same public key: compare `openssl x509 -noout -pubkey -in CERT` with `openssl pkey -pubout -in KEY`.",
            "请使用与该证书的 CSR 一起生成的私钥。两者的公钥必须相同：对比 `openssl x509 -noout -pubkey -in CERT` 与 `openssl pkey -pubout -in KEY` 的输出。",
        ),
        FindingCode::ChainOrder => e(
            "The certificates are out of order: the server certificate must come first, each certificate followed by its issuer (positions in the right order: {order}).",
            "证书顺序不正确：服务器证书必须在最前，每个证书后面紧跟其签发者（正确顺序的位置：{order}）。",
            "Rewrite the chain file in the order {order}, e.g. `cat server.pem intermediate.pem > fullchain.pem`.",
            "按 {order} 的顺序重写证书链文件，例如 `cat server.pem intermediate.pem > fullchain.pem`。",
        ),
        FindingCode::ChainIncomplete => e(
            "The chain is incomplete: the issuer of certificate #{position} ({subject}) is missing: {issuer}.",
            "证书链不完整：缺少第 {position} 个证书（{subject}）的签发者：{issuer}。",
            "Append the intermediate certificate(s) from your CA after the server certificate (the \"full chain\" download). WeCom needs the full chain.",
            "将 CA 提供的中间证书追加到服务器证书之后（即下载“完整证书链”）。企业微信要求完整的证书链。",
        ),
        FindingCode::UntrustedRoot
            if params.get("self_signed").map(String::as_str) == Some("true") =>
        {
            e(
                "The certificate is self-signed ({subject}): WeCom will not trust it.",
                "证书是自签名的（{subject}）：企业微信不会信任它。",
                "Use a certificate from a public CA. A self-signed pair is for demos on this machine only; to check it anyway, pass it with --ca-cert.",
                "请使用公共 CA 签发的证书。自签名证书只用于本机演示；如仍要检查，请用 --ca-cert 传入它。",
            )
        }
        FindingCode::UntrustedRoot => e(
            "The chain ends at the root {subject}, which is not a trusted CA.",
            "证书链的根证书 {subject} 不是受信任的 CA。",
            "Use a certificate from a public CA that WeCom trusts. For a company CA, pass its root with --ca-cert to check the rest of the chain; WeCom itself will still not trust it.",
            "请使用企业微信信任的公共 CA 签发的证书。若是企业内部 CA，可用 --ca-cert 传入其根证书以检查证书链的其余部分；但企业微信本身仍不会信任它。",
        ),
        FindingCode::WeakKey => e(
            "Certificate #{position} ({subject}) has a weak key: {key}; the minimum is {minimum}.",
            "第 {position} 个证书（{subject}）的密钥太弱：{key}；最低要求为 {minimum}。",
            "Generate a new RSA-2048 or ECDSA P-256 key and CSR (`qa-wecom cert csr`) and have the certificate reissued.",
            "生成新的 RSA-2048 或 ECDSA P-256 密钥和 CSR（`qa-wecom cert csr`），并请 CA 重新签发证书。",
        ),
        FindingCode::WeakSignature => e(
            "Certificate #{position} ({subject}) is signed with {algorithm}, which TLS clients reject.",
            "第 {position} 个证书（{subject}）使用 {algorithm} 签名，TLS 客户端会拒绝。",
            "Have the certificate reissued with a SHA-256 signature.",
            "请 CA 使用 SHA-256 签名重新签发证书。",
        ),
        FindingCode::ChainInvalid if reason == "not_server_auth" => e(
            "The server certificate is not allowed for TLS servers: its Extended Key Usage lacks serverAuth.",
            "服务器证书不允许用于 TLS 服务器：其扩展密钥用法中没有 serverAuth。",
            "Ask your CA for a TLS server certificate (Extended Key Usage: serverAuth).",
            "请向 CA 申请 TLS 服务器证书（扩展密钥用法包含 serverAuth）。",
        ),
        FindingCode::ChainInvalid if reason == "ca_as_leaf" => e(
            "The server certificate is a CA certificate, which TLS clients refuse as a server certificate.",
            "服务器证书是 CA 证书，TLS 客户端不接受其作为服务器证书。",
            "Use the server (end-entity) certificate issued for the domain, not the CA certificate.",
            "请使用为该域名签发的服务器（终端实体）证书，而不是 CA 证书。",
        ),
        FindingCode::ChainInvalid => e(
            "A TLS client rejects this chain ({detail}).",
            "TLS 客户端拒绝此证书链（{detail}）。",
            "Check the chain with your CA and have it reissued if needed.",
            "请与 CA 核对证书链，必要时重新签发。",
        ),
        FindingCode::ChainExtra => e(
            "Certificate(s) {positions} are not part of the chain from the server certificate.",
            "第 {positions} 个证书不属于从服务器证书出发的证书链。",
            "Remove them from the chain file.",
            "请将它们从证书链文件中删除。",
        ),
        FindingCode::KeyUnsupported => e(
            "The server certificate's key ({key}) is not supported by many TLS clients.",
            "服务器证书的密钥（{key}）不被许多 TLS 客户端支持。",
            "Use an RSA-2048 (or larger) or ECDSA P-256 / P-384 key.",
            "请使用 RSA-2048（或更长）或 ECDSA P-256 / P-384 密钥。",
        ),
        FindingCode::NameOk => e(
            "The certificate covers {domain}.",
            "证书覆盖域名 {domain}。",
            "",
            "",
        ),
        FindingCode::ValidityOk => e(
            "Valid until {not_after} ({days} days left).",
            "有效期至 {not_after}（剩余 {days} 天）。",
            "",
            "",
        ),
        FindingCode::KeyMatch => e(
            "The private key belongs to the server certificate.",
            "私钥与服务器证书匹配。",
            "",
            "",
        ),
        FindingCode::ChainOk => e(
            "The chain is in order and complete up to the trusted root {anchor}.",
            "证书链顺序正确且完整，直至受信任的根证书 {anchor}。",
            "",
            "",
        ),
        FindingCode::KeyType => e(
            "Server certificate key: {key}.",
            "服务器证书密钥：{key}。",
            "",
            "",
        ),
    }
}

fn parse_error(reason: &str) -> Entry {
    match reason {
        "unreadable" => e(
            "Cannot read the {file_en} file: {error}.",
            "无法读取{file_zh}文件：{error}。",
            "Check the path and the file's permissions.",
            "请检查路径和文件权限。",
        ),
        "too_large" => e(
            "The {file_en} file is larger than {limit}: it is not a PEM certificate or key.",
            "{file_zh}文件大于 {limit}：它不是 PEM 证书或私钥。",
            "Choose the PEM file (.pem, .crt, .key) your CA or ops team provided.",
            "请选择 CA 或运维团队提供的 PEM 文件（.pem、.crt、.key）。",
        ),
        "empty" => e(
            "The {file_en} file is empty.",
            "{file_zh}文件是空的。",
            "Choose the file that contains the PEM text (it starts with -----BEGIN).",
            "请选择包含 PEM 文本的文件（以 -----BEGIN 开头）。",
        ),
        "der" => e(
            "The {file_en} file is binary DER, not PEM text.",
            "{file_zh}文件是二进制 DER 格式，不是 PEM 文本。",
            "Convert it to PEM: `{convert}`.",
            "请转换为 PEM：`{convert}`。",
        ),
        "no_pem" => e(
            "The {file_en} file contains no PEM block (no line starting with -----BEGIN).",
            "{file_zh}文件中没有 PEM 块（没有以 -----BEGIN 开头的行）。",
            "Choose the PEM file. From a PKCS#12 file (.pfx, .p12): `openssl pkcs12 -in FILE.pfx -nokeys -out chain.pem` for the chain, `openssl pkcs12 -in FILE.pfx -nocerts -nodes -out key.pem` for the key.",
            "请选择 PEM 文件。若是 PKCS#12 文件（.pfx、.p12）：证书链用 `openssl pkcs12 -in FILE.pfx -nokeys -out chain.pem` 导出，私钥用 `openssl pkcs12 -in FILE.pfx -nocerts -nodes -out key.pem` 导出。",
        ),
        "truncated" => e(
            "The PEM block \"{label}\" in the {file_en} file has no END line: the file is cut off.",
            "{file_zh}文件中的 PEM 块“{label}”没有 END 行：文件被截断了。",
            "Copy the whole file again, up to and including the -----END {label}----- line.",
            "请重新复制完整文件，直到并包括 -----END {label}----- 这一行。",
        ),
        "bad_begin" => e(
            "A -----BEGIN line in the {file_en} file is malformed.",
            "{file_zh}文件中的 -----BEGIN 行格式错误。",
            "Export the file again; do not edit the BEGIN / END lines by hand.",
            "请重新导出文件；不要手工修改 BEGIN / END 行。",
        ),
        "bad_base64" => e(
            "The base64 text inside the {file_en} file is damaged.",
            "{file_zh}文件中的 base64 文本已损坏。",
            "Copy the file again unchanged (no added spaces, no missing lines), or download it again.",
            "请原样重新复制文件（不要增加空格或丢失行），或重新下载。",
        ),
        "encrypted_key" => e(
            "The private key is encrypted with a password.",
            "私钥已用密码加密。",
            "Decrypt it into a file only you can read: `openssl pkey -in KEY -out key.pem` (asks for the password), then `chmod 600 key.pem`.",
            "请将其解密到只有你能读取的文件：`openssl pkey -in KEY -out key.pem`（会提示输入密码），然后执行 `chmod 600 key.pem`。",
        ),
        "key_instead_of_cert" => e(
            "The {file_en} file contains a private key, not a certificate.",
            "{file_zh}文件中是私钥，不是证书。",
            "Swap the files: --cert takes the certificate chain, --key the private key.",
            "请交换两个文件：--cert 传证书链，--key 传私钥。",
        ),
        "cert_instead_of_key" => e(
            "The private key file contains a certificate, not a private key.",
            "私钥文件中是证书，不是私钥。",
            "Swap the files: --cert takes the certificate chain, --key the private key.",
            "请交换两个文件：--cert 传证书链，--key 传私钥。",
        ),
        "csr_instead_of_cert" => e(
            "The {file_en} file contains a certificate signing request (CSR), not a certificate.",
            "{file_zh}文件中是证书签名请求（CSR），不是证书。",
            "Send the CSR to your CA and use the certificate chain it returns.",
            "请把 CSR 提交给 CA，并使用 CA 返回的证书链。",
        ),
        "public_key_instead_of_private" => e(
            "The private key file contains a public key, not a private key.",
            "私钥文件中是公钥，不是私钥。",
            "Use the private key generated with the CSR (it starts with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY----- / -----BEGIN EC PRIVATE KEY-----).",
            "请使用与 CSR 一起生成的私钥（以 -----BEGIN PRIVATE KEY----- 或 -----BEGIN RSA PRIVATE KEY----- / -----BEGIN EC PRIVATE KEY----- 开头）。",
        ),
        "unexpected_pem" => e(
            "The {file_en} file contains a \"{label}\" block, which is neither a certificate nor a private key.",
            "{file_zh}文件中是“{label}”块，既不是证书也不是私钥。",
            "Choose the PEM certificate chain for --cert and the PEM private key for --key.",
            "请为 --cert 选择 PEM 证书链，为 --key 选择 PEM 私钥。",
        ),
        "several_keys" => e(
            "The private key file contains {count} private keys.",
            "私钥文件中有 {count} 个私钥。",
            "Keep only the key that belongs to the certificate.",
            "只保留与证书对应的那个私钥。",
        ),
        "bad_certificate" => e(
            "Certificate #{position} in the {file_en} file is not a valid X.509 certificate ({error}).",
            "{file_zh}文件中的第 {position} 个证书不是有效的 X.509 证书（{error}）。",
            "Copy the certificate again unchanged, or download it again from your CA.",
            "请原样重新复制证书，或从 CA 重新下载。",
        ),
        "bad_key" => e(
            "The private key cannot be read ({error}).",
            "无法解析私钥（{error}）。",
            "Export the key again as PKCS#8: `openssl pkey -in KEY -out key.pem`.",
            "请将私钥重新导出为 PKCS#8：`openssl pkey -in KEY -out key.pem`。",
        ),
        "unsupported_key" => e(
            "The private key's type ({algorithm}) is not supported.",
            "不支持该私钥类型（{algorithm}）。",
            "Use an RSA (2048 bits or more) or ECDSA P-256 / P-384 key.",
            "请使用 RSA（2048 位或以上）或 ECDSA P-256 / P-384 密钥。",
        ),
        _ => e(
            "The {file_en} file cannot be read.",
            "无法解析{file_zh}文件。",
            "Choose the PEM file again.",
            "请重新选择 PEM 文件。",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls::findings::Finding;

    #[test]
    fn placeholders_are_filled_from_params_and_unknown_ones_stay() {
        let mut p = BTreeMap::new();
        p.insert("a".to_owned(), "x".to_owned());
        assert_eq!(fill("{a}-{b}-{", &p, &[]), "x-{b}-{");
        assert_eq!(fill("{file_en}", &p, &[("file_en", "key")]), "key");
    }

    #[test]
    fn every_code_renders_without_leftover_placeholders_in_both_languages() {
        let params = [
            ("domain", "qa.example.com"),
            ("names", "a.example.com"),
            ("position", "1"),
            ("positions", "3"),
            ("subject", "CN=x"),
            ("issuer", "CN=y"),
            ("not_after", "2030-01-01T00:00:00Z"),
            ("not_before", "2020-01-01T00:00:00Z"),
            ("days", "3"),
            ("order", "2, 1"),
            ("key", "RSA 1024-bit"),
            ("minimum", "RSA 2048-bit"),
            ("algorithm", "sha1WithRSAEncryption"),
            ("anchor", "CN=root"),
            ("detail", "UnknownIssuer"),
            ("error", "oops"),
            ("label", "X"),
            ("limit", "1 MiB"),
            ("count", "2"),
            ("file", "cert"),
        ];
        for code in FindingCode::ALL {
            let f = Finding::new(code, params);
            for t in [&f.message.en, &f.message.zh, &f.fix.en, &f.fix.zh] {
                assert!(!t.contains('{'), "{code:?}: {t}");
            }
            assert!(!f.message.en.is_empty() && !f.message.zh.is_empty());
            let passing = code.severity() == super::super::Severity::Info;
            assert_eq!(f.fix.en.is_empty(), passing, "{code:?}");
        }
        for reason in [
            "unreadable",
            "too_large",
            "empty",
            "der",
            "no_pem",
            "truncated",
            "bad_begin",
            "bad_base64",
            "encrypted_key",
            "key_instead_of_cert",
            "cert_instead_of_key",
            "csr_instead_of_cert",
            "public_key_instead_of_private",
            "unexpected_pem",
            "several_keys",
            "bad_certificate",
            "bad_key",
            "unsupported_key",
        ] {
            let mut p: Vec<(&str, &str)> = params.to_vec();
            p.push(("reason", reason));
            let f = Finding::new(FindingCode::ParseError, p);
            assert!(
                !f.message.zh.contains('{') && !f.fix.en.contains('{'),
                "{reason}"
            );
            assert_ne!(f.message.en, "The certificate chain file cannot be read.");
        }
    }
}
