//! The one error shape that crosses IPC: `{ code, message, params }`. The UI translates by `code`
//! (and fills `params` into its own message); `message` is the English text for logs and fallbacks.

use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    /// Stable, snake_case; the UI's message catalogue is keyed by it.
    pub code: String,
    /// English explanation, for logs and as the fallback when the UI lacks a translation.
    pub message: String,
    /// Values the translated message needs (never secrets).
    pub params: BTreeMap<String, String>,
}

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
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
