//! Bilingual text: every message a person reads exists in English and Chinese, and the caller
//! picks one with [`Lang`]. Machines use the stable codes next to the text, never the text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A message in both languages of the product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The texts one after another, each language joined with a space.
    pub fn joined<'a>(texts: impl IntoIterator<Item = &'a Text>) -> Text {
        let (en, zh): (Vec<&str>, Vec<&str>) = texts
            .into_iter()
            .map(|t| (t.en.as_str(), t.zh.as_str()))
            .unzip();
        Text::new(en.join(" "), zh.join(" "))
    }
}

/// The language a person reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// `en`, or `zh` / `zh-CN` / `zh_CN` (any case): what `--lang` accepts.
impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "zh" | "zh-cn" | "zh_cn" => Ok(Lang::Zh),
            other => Err(format!("unknown language {other:?}: use en or zh")),
        }
    }
}

impl Lang {
    /// Chinese for a POSIX locale such as `zh_CN.UTF-8` or a tag such as `zh-Hans`, else English.
    pub fn from_locale(locale: &str) -> Self {
        if locale.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// From `LC_ALL`, `LC_MESSAGES` or `LANG`, the first one set and non-empty (POSIX order).
    pub fn from_env() -> Self {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .map(|v| Self::from_locale(&v))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_locales_pick_chinese_and_everything_else_english() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(Lang::from_locale("zh-Hans"), Lang::Zh);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }

    #[test]
    fn lang_parses_the_cli_spellings() {
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert_eq!("zh-CN".parse::<Lang>(), Ok(Lang::Zh));
        assert_eq!("ZH_cn".parse::<Lang>(), Ok(Lang::Zh));
        assert!("fr".parse::<Lang>().is_err());
    }

    #[test]
    fn get_returns_the_text_of_the_language() {
        let t = Text::new("hello", "你好");
        assert_eq!(t.get(Lang::En), "hello");
        assert_eq!(t.get(Lang::Zh), "你好");
    }
}
