//! The one error shape that crosses IPC: `{ code, message, params }`. The UI translates by `code`
//! (and fills `params` into its own message); `message` is the English text for logs and fallbacks.

use serde::Serialize;
use setup_core::error_code::ErrorCode;
use std::collections::BTreeMap;
use ts_rs::TS;

setup_core::snake_case_enum! {
    /// The codes only the app answers with (the core's are [`ErrorCode`]).
    pub enum AppCode {
        /// The app's state lock was poisoned by a panic.
        State,
        NoPlan,
        NoPath,
        PlanNotSaved,
        BadSection,
        NotDemo,
        NetworkInputsInvalid,
        VerifyNotReady,
        JobBusy,
        Cancelled,
        ExportFailed,
        RevealFailed,
        RevealMissing,
        TlsBadMode,
        TlsDomainMissing,
        TlsNoFolder,
        TlsFolderRelative,
        TlsGenerateFailed,
        TlsInspectNotProvided,
        TlsInspectNoCertificate,
        TlsReportFailed,
        /// The UI's own: the back end did not answer (`ui/src/ipc/index.ts`).
        IpcUnavailable,
        /// The UI's own: the error-code field holds no whole number.
        ErrcodeNotANumber,
        /// The UI's own: a decrypt field is empty.
        DecryptInputMissing,
        /// The UI's own: no database URL.
        DatabaseUrlMissing,
        /// The UI's own: Keep it working has no plan path.
        PlanPathMissing,
    }
}

/// Every code an IpcError can carry: the core's or the app's (a TypeScript union of both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(untagged)]
pub enum Code {
    Core(ErrorCode),
    App(AppCode),
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Core(c) => c.as_str(),
            Code::App(c) => c.into(),
        }
    }
}

/// So a test can say `assert_eq!(e.code, "no_plan")`, as the UI sees it.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<ErrorCode> for Code {
    fn from(c: ErrorCode) -> Self {
        Code::Core(c)
    }
}

impl From<AppCode> for Code {
    fn from(c: AppCode) -> Self {
        Code::App(c)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    /// Stable, snake_case; the UI's message catalogue is keyed by it.
    pub code: Code,
    /// English explanation, for logs and as the fallback when the UI lacks a translation.
    pub message: String,
    /// Values the translated message needs (never secrets).
    pub params: BTreeMap<String, String>,
}

impl IpcError {
    pub fn new(code: impl Into<Code>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            params: BTreeMap::new(),
        }
    }

    pub fn with_param(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }
}

impl From<setup_core::sizing::SizingError> for IpcError {
    fn from(e: setup_core::sizing::SizingError) -> Self {
        IpcError::new(e.code(), e.to_string())
    }
}

/// Input the live checks refuse before sending anything (a bad URL, an illegal EncodingAESKey),
/// or a receiver that cannot listen. A far end that misbehaves is never an error: it is the
/// report's diagnosis. The messages carry no secret (`live` guarantees it).
impl From<live::LiveError> for IpcError {
    fn from(e: live::LiveError) -> Self {
        let err = IpcError::new(e.code(), e.to_string());
        match &e {
            live::LiveError::InvalidUrl { url, .. } => err.with_param("url", url),
            live::LiveError::InvalidCredentials { code, .. } => err.with_param("errcode", code),
            live::LiveError::Listen { addr, .. } => err.with_param("addr", addr),
            live::LiveError::Pem { what, .. } => err.with_param("what", what),
            live::LiveError::DemoCertificate { .. } => err,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{AppCode, Code, ErrorCode};
    use serde_json::Value;
    use strum::IntoEnumIterator;

    fn locale(name: &str) -> Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../ui/src/locales")
            .join(name);
        serde_json::from_str(&std::fs::read_to_string(&path).expect("locale file")).expect("json")
    }

    /// Where the UI finds the message of `code`: the shared `errors` section or a step's own.
    fn translated(locale: &Value, code: &str) -> bool {
        let section_has = |s: &Value| s["errors"][code].as_str().is_some_and(|t| !t.is_empty());
        section_has(locale)
            || locale
                .as_object()
                .into_iter()
                .flatten()
                .any(|(_, s)| section_has(s))
    }

    #[test]
    fn every_code_the_app_can_send_has_an_english_and_a_chinese_message() {
        let codes = ErrorCode::iter()
            .map(Code::from)
            .chain(AppCode::iter().map(Code::from));
        let (en, zh) = (locale("en.json"), locale("zh-CN.json"));
        let mut missing = Vec::new();
        for code in codes {
            for (name, l) in [("en", &en), ("zh-CN", &zh)] {
                if !translated(l, code.as_str()) {
                    missing.push(format!("{name}: {}", code.as_str()));
                }
            }
        }
        assert!(missing.is_empty(), "codes without a message: {missing:?}");
    }

    #[test]
    fn a_code_goes_over_the_wire_as_its_snake_case_name() {
        let json =
            serde_json::to_value(super::IpcError::new(ErrorCode::TlsFileExists, "x")).unwrap();
        assert_eq!(json["code"], "tls_file_exists");
        let json = serde_json::to_value(super::IpcError::new(AppCode::NoPlan, "x")).unwrap();
        assert_eq!(json["code"], "no_plan");
    }
}
