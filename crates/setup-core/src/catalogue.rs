//! Message catalogues as data: one TOML file per catalogue, keyed by the stable code, each entry a
//! `summary` and a `fix` in English and Chinese with `{param}` placeholders:
//!
//! ```toml
//! [dns_failed]
//! summary = { en = "The domain name {host} does not resolve.", zh = "域名 {host} 无法解析。" }
//! fix = { en = "Add an A record for {host} …", zh = "为 {host} 添加 A 记录…" }
//! ```
//!
//! A catalogue is embedded with `include_str!` and parsed once (`std::sync::LazyLock`); each
//! catalogue has a test that every code of its enum has an entry in both languages
//! ([`Catalogue::missing`]) and every entry belongs to a code ([`Catalogue::unknown`]).

use crate::report::Params;
use crate::text::Text;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One entry: what it means and what to do. Either may be absent for a variant entry, keyed
/// `"code.variant"` (e.g. `["http_status.404"]`, a fix that depends on a parameter), never for a
/// code.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub summary: Option<Text>,
    pub fix: Option<Text>,
}

/// A parsed catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    entries: BTreeMap<String, Entry>,
}

/// Which text of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Summary,
    Fix,
}

impl Catalogue {
    /// Parses a catalogue file.
    pub fn parse(toml_text: &str) -> Result<Self, toml::de::Error> {
        Ok(Catalogue {
            entries: toml::from_str(toml_text)?,
        })
    }

    /// Parses an embedded catalogue; a damaged one is empty (its completeness test fails).
    pub fn embedded(toml_text: &str) -> Self {
        Self::parse(toml_text).unwrap_or_default()
    }

    /// Embedded catalogues laid over each other: a later file's summary or fix of an entry
    /// replaces an earlier one's, what it leaves out is kept (shared wording first, then the
    /// check's own). A damaged file counts as empty.
    pub fn layered(toml_texts: &[&str]) -> Self {
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        for layer in toml_texts.iter().map(|t| Self::embedded(t)) {
            for (key, e) in layer.entries {
                let slot = entries.entry(key).or_default();
                slot.summary = e.summary.or(slot.summary.take());
                slot.fix = e.fix.or(slot.fix.take());
            }
        }
        Catalogue { entries }
    }

    /// The `part` of entry `key` with `params` filled in, if the entry has it.
    pub fn get(&self, key: &str, part: Part, params: &Params) -> Option<Text> {
        let found = self.entries.get(key).and_then(|e| match part {
            Part::Summary => e.summary.as_ref(),
            Part::Fix => e.fix.as_ref(),
        })?;
        Some(Text::new(fill(&found.en, params), fill(&found.zh, params)))
    }

    /// The `part` of entry `key` with `params` filled in; the key itself when it has none.
    pub fn text(&self, key: &str, part: Part, params: &Params) -> Text {
        self.get(key, part, params)
            .unwrap_or_else(|| Text::new(key, key))
    }

    /// Whether entry `key` has `part` in both languages.
    pub fn has(&self, key: &str, part: Part) -> bool {
        self.get(key, part, &Params::new())
            .is_some_and(|t| !t.en.trim().is_empty() && !t.zh.trim().is_empty())
    }

    /// The summary and the fix of `key`.
    pub fn render(&self, key: &str, params: &Params) -> (Text, Text) {
        (
            self.text(key, Part::Summary, params),
            self.text(key, Part::Fix, params),
        )
    }

    /// The codes among `codes` without a summary and a fix in both languages.
    pub fn missing<'a>(&self, codes: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        codes
            .into_iter()
            .filter(|c| !(self.has(c, Part::Summary) && self.has(c, Part::Fix)))
            .collect()
    }

    /// The entries whose key is neither one of `codes` nor starts with `code.` (a variant).
    pub fn unknown<'a>(&self, codes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let codes: Vec<&str> = codes.into_iter().collect();
        self.entries
            .keys()
            .filter(|k| {
                !codes
                    .iter()
                    .any(|c| *k == c || k.strip_prefix(c).is_some_and(|r| r.starts_with('.')))
            })
            .cloned()
            .collect()
    }

    /// The completeness test of a check's catalogue: `Ok` when this (layered) catalogue words
    /// every code in both languages and the check's own file `own_toml` has no entry that belongs
    /// to no code; else what is missing and what is extra.
    pub fn complete<C: Into<&'static str>>(
        &self,
        own_toml: &str,
        codes: impl IntoIterator<Item = C>,
    ) -> Result<(), String> {
        let codes: Vec<&str> = codes.into_iter().map(Into::into).collect();
        let missing = self.missing(codes.iter().copied());
        let extra = Self::embedded(own_toml).unknown(codes.iter().copied());
        match (missing.is_empty(), extra.is_empty()) {
            (true, true) => Ok(()),
            _ => Err(format!(
                "without texts: {missing:?}; without a code: {extra:?}"
            )),
        }
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

/// `template` with each `{name}` replaced by `params[name]` (`?` when absent). Braces that do
/// not enclose a lowercase name are kept as they are.
pub fn fill(template: &str, params: &Params) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            let name = &after[..name_len];
            out.push_str(params.get(name).map_or("?", String::as_str));
            rest = &after[name_len + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::params;

    const SAMPLE: &str = r#"
[dns_failed]
summary = { en = "The name {host} does not resolve.", zh = "域名 {host} 无法解析。" }
fix = { en = "Add an A record for {host}.", zh = "为 {host} 添加 A 记录。" }

[http_status]
summary = { en = "HTTP {status}.", zh = "HTTP {status}。" }
fix = { en = "Check the proxy.", zh = "检查代理。" }

["http_status.404"]
fix = { en = "The path is wrong.", zh = "路径不对。" }

[half]
summary = { en = "only English", zh = "" }
"#;

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        let p = params([("host", "qa.example.com".into())]);
        assert_eq!(fill("{host} and {port}", &p), "qa.example.com and ?");
        assert_eq!(
            fill(r#"{"echostr": 1} {Host}"#, &p),
            r#"{"echostr": 1} {Host}"#
        );
        assert_eq!(fill("no braces", &p), "no braces");
        assert_eq!(fill("trailing {", &p), "trailing {");
    }

    #[test]
    fn entries_render_in_both_languages_and_completeness_is_checked() {
        let c = Catalogue::parse(SAMPLE).expect("parses");
        let (summary, fix) = c.render("dns_failed", &params([("host", "x.cn".into())]));
        assert_eq!(
            summary,
            Text::new("The name x.cn does not resolve.", "域名 x.cn 无法解析。")
        );
        assert_eq!(fix.zh, "为 x.cn 添加 A 记录。");
        assert_eq!(
            c.text("http_status.404", Part::Fix, &Params::new()).en,
            "The path is wrong."
        );
        assert_eq!(
            c.missing(["dns_failed", "http_status", "half", "absent"]),
            ["half", "absent"]
        );
        assert_eq!(c.unknown(["dns_failed", "http_status"]), ["half"]);
        assert_eq!(c.text("absent", Part::Summary, &Params::new()).en, "absent");
    }

    #[test]
    fn a_later_layer_replaces_what_it_has_and_keeps_the_rest() {
        let shared = "[dns_failed]\nsummary = { en = \"shared\", zh = \"共享\" }\n";
        let own = "[dns_failed]\nfix = { en = \"own fix\", zh = \"自己的\" }\n\n[x]\nsummary = { en = \"x\", zh = \"乙\" }\n";
        let c = Catalogue::layered(&[shared, own]);
        let (summary, fix) = c.render("dns_failed", &Params::new());
        assert_eq!(
            (summary.en.as_str(), fix.en.as_str()),
            ("shared", "own fix")
        );
        assert!(c.has("x", Part::Summary) && !c.has("x", Part::Fix));
        let over = Catalogue::layered(&[
            shared,
            "[dns_failed]\nsummary = { en = \"mine\", zh = \"我的\" }",
        ]);
        assert_eq!(
            over.text("dns_failed", Part::Summary, &Params::new()).en,
            "mine"
        );
    }

    #[test]
    fn complete_names_the_codes_without_texts_and_the_entries_without_a_code() {
        let c = Catalogue::parse(SAMPLE).expect("parses");
        assert_eq!(c.complete("", ["dns_failed", "http_status"]), Ok(()));
        let err = c.complete(SAMPLE, ["dns_failed", "absent"]).unwrap_err();
        assert!(
            err.contains("\"absent\"") && err.contains("\"half\""),
            "{err}"
        );
    }

    #[test]
    fn a_damaged_catalogue_is_an_error_and_embeds_as_empty() {
        assert!(Catalogue::parse("[x]\nsummary = 3").is_err());
        assert!(Catalogue::parse("[x]\ntypo = { en = \"a\", zh = \"b\" }").is_err());
        assert_eq!(Catalogue::embedded("not toml [").keys().count(), 0);
    }
}
