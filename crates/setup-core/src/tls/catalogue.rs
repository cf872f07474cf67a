//! The bilingual catalogue of inspection findings: for each code (and, for `parse_error`,
//! `name_mismatch`, `untrusted_root` and `chain_invalid`, each `reason`) a message and a fix in
//! English and 简体中文, with `{param}` placeholders filled from the finding's params. The texts are
//! data: `catalogue.toml`.

use super::findings::FindingCode;
use crate::catalogue::{Catalogue, Part};
use crate::text::Text;
use std::collections::BTreeMap;
use std::sync::LazyLock;

static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::embedded(include_str!("catalogue.toml")));

/// The message and the fix of a finding, rendered with its params.
pub(crate) fn render(code: FindingCode, params: &BTreeMap<String, String>) -> (Text, Text) {
    let key = entry_key(code, params);
    let file = params.get("file").map_or("", String::as_str);
    let mut texts = params.clone();
    for (k, v) in [
        ("file_en", file_en(file)),
        ("file_zh", file_zh(file)),
        ("convert", convert_command(file)),
    ] {
        texts.entry(k.to_owned()).or_insert_with(|| v.to_owned());
    }
    let summary = CATALOGUE.text(&key, Part::Summary, &texts);
    let fix = CATALOGUE
        .get(&key, Part::Fix, &texts)
        .unwrap_or_else(|| Text::new("", ""));
    (summary, fix)
}

/// The entry of a finding: the code, or its reading of one `reason` (`parse_error.der`,
/// `name_mismatch.no_san`, …) or of a self-signed root, when the catalogue has one.
fn entry_key(code: FindingCode, params: &BTreeMap<String, String>) -> String {
    let code: &'static str = code.into();
    let variant = match params.get("self_signed").map(String::as_str) {
        Some("true") if code == "untrusted_root" => "self_signed",
        _ => params.get("reason").map_or("", String::as_str),
    };
    let key = format!("{code}.{variant}");
    if !variant.is_empty() && CATALOGUE.has(&key, Part::Summary) {
        key
    } else {
        code.to_owned()
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls::findings::{Finding, Severity};
    use strum::IntoEnumIterator;

    #[test]
    fn every_code_has_a_summary_every_failure_a_fix_and_every_entry_a_code() {
        let codes: Vec<&str> = FindingCode::iter().map(<&str>::from).collect();
        for code in FindingCode::iter() {
            let key: &str = code.into();
            assert!(CATALOGUE.has(key, Part::Summary), "{key}");
            let passing = code.severity() == Severity::Info;
            assert_eq!(CATALOGUE.has(key, Part::Fix), !passing, "{key}");
        }
        assert_eq!(
            CATALOGUE.unknown(codes.iter().copied()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_file_kind_names_the_file_in_both_languages() {
        let f = Finding::new(
            FindingCode::ParseError,
            [("reason", "der"), ("file", "key")],
        );
        assert_eq!(
            f.message.en,
            "The private key file is binary DER, not PEM text."
        );
        assert_eq!(f.message.zh, "私钥文件是二进制 DER 格式，不是 PEM 文本。");
        assert!(f.fix.en.contains("openssl pkey -inform der"), "{:?}", f.fix);
        assert!(
            !f.params.contains_key("file_en"),
            "derived texts stay out of params"
        );
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
        for code in FindingCode::iter() {
            let f = Finding::new(code, params);
            for t in [&f.message.en, &f.message.zh, &f.fix.en, &f.fix.zh] {
                assert!(!t.contains('{'), "{code:?}: {t}");
            }
            assert!(!f.message.en.is_empty() && !f.message.zh.is_empty());
            let passing = code.severity() == Severity::Info;
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
