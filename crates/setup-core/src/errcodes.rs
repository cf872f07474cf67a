//! The error-code catalogue of the Troubleshoot page and `qa-wecom errcode`: WeCom API global
//! codes and the callback library codes (WXBizMsgCrypt −40001 … −40011), each with its meaning
//! and fix in English and Chinese, kept as data in `errcodes.toml`.

use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use ts_rs::TS;

/// Where a code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CodeSource {
    /// A WeCom server API `errcode`.
    WecomApi,
    /// The callback encryption library (WXBizMsgCrypt).
    CallbackLibrary,
}

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ErrorCodeInfo {
    #[ts(type = "number")]
    pub code: i64,
    pub source: CodeSource,
    /// A short stable name (the official one for library codes).
    pub name: String,
    pub meaning: Text,
    pub fix: Text,
}

/// One row of `errcodes.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    code: i64,
    #[serde(default)]
    name: String,
    meaning: Text,
    fix: Text,
}

/// The two tables of `errcodes.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    wecom_api: Vec<Row>,
    callback_library: Vec<Row>,
}

/// The catalogue, parsed once; a damaged file is an empty catalogue (the tests below fail).
static CATALOGUE: LazyLock<Vec<ErrorCodeInfo>> = LazyLock::new(|| {
    let Ok(table) = toml::from_str::<Table>(include_str!("errcodes.toml")) else {
        return Vec::new();
    };
    let api = table
        .wecom_api
        .into_iter()
        .map(|r| info(r, CodeSource::WecomApi));
    let library = table
        .callback_library
        .into_iter()
        .map(|r| info(r, CodeSource::CallbackLibrary));
    api.chain(library).collect()
});

fn info(row: Row, source: CodeSource) -> ErrorCodeInfo {
    let name = match source {
        CodeSource::WecomApi => row.name,
        CodeSource::CallbackLibrary => i32::try_from(row.code)
            .ok()
            .and_then(wecom_crypto::code_name)
            .map_or(row.name, str::to_owned),
    };
    ErrorCodeInfo {
        code: row.code,
        source,
        name,
        meaning: row.meaning,
        fix: row.fix,
    }
}

/// Every entry: the WeCom API codes, then the library codes.
pub fn all() -> Vec<ErrorCodeInfo> {
    CATALOGUE.clone()
}

/// The entry for `code`, if the catalogue has it.
pub fn lookup(code: i64) -> Option<ErrorCodeInfo> {
    CATALOGUE.iter().find(|i| i.code == code).cloned()
}

/// WeCom's official error-code lookup page for `code`.
pub fn lookup_url(code: i64) -> String {
    format!("https://open.work.weixin.qq.com/devtool/query?e={code}")
}

/// The one answer, for the CLI and the app alike, for a code the catalogue does not have: that it
/// is not here, and WeCom's official lookup page for it.
pub fn unknown(code: i64) -> Text {
    let url = lookup_url(code);
    Text::new(
        format!(
            "{code} is not in this tool's catalogue; look it up in WeCom's official error-code tool: {url}"
        ),
        format!("本工具的错误码目录中没有 {code}；请在企业微信官方错误码查询工具中查看：{url}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_file_parses() {
        let parsed = toml::from_str::<Table>(include_str!("errcodes.toml"));
        assert!(parsed.is_ok(), "{:?}", parsed.err());
    }

    #[test]
    fn the_catalogue_has_every_required_code_with_both_languages() {
        let required = [
            -1, 40001, 40013, 40014, 40056, 41001, 42001, 45009, 48002, 60011, 60020, 301002,
            -40001, -40002, -40003, -40004, -40005, -40006, -40007, -40008, -40009, -40010, -40011,
        ];
        for code in required {
            let i = lookup(code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(!i.name.is_empty());
            for s in [&i.meaning.en, &i.meaning.zh, &i.fix.en, &i.fix.zh] {
                assert!(!s.is_empty(), "{code}");
            }
        }
    }

    #[test]
    fn library_codes_carry_the_official_names() {
        assert_eq!(
            lookup(-40001).map(|i| i.name),
            Some("ValidateSignature_Error".into())
        );
        assert_eq!(
            lookup(-40005).map(|i| i.source),
            Some(CodeSource::CallbackLibrary)
        );
        assert_eq!(lookup(60020).map(|i| i.source), Some(CodeSource::WecomApi));
    }

    #[test]
    fn codes_are_unique_and_unknown_codes_are_not_found() {
        let all = all();
        let mut codes: Vec<i64> = all.iter().map(|i| i.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert!(lookup(12345).is_none());
        assert!(lookup(0).is_none());
    }

    #[test]
    fn an_unknown_code_points_at_the_official_lookup_for_that_code() {
        let t = unknown(86001);
        let url = "https://open.work.weixin.qq.com/devtool/query?e=86001";
        assert_eq!(lookup_url(86001), url);
        assert!(t.en.contains(url) && t.zh.contains(url), "{t:?}");
        assert!(
            t.en.starts_with("86001 is not") && t.zh.contains("没有 86001"),
            "{t:?}"
        );
    }
}
