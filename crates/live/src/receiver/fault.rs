//! Deliberate misbehaviour for demos and tests: one mode per diagnosis a server can cause. Modes
//! that replace the echostr reply apply to the URL-verification GET only (events are still
//! accepted); modes that stand for a broken proxy or service (status, redirect, delay, page,
//! size) apply to every request.

use serde::{Deserialize, Serialize};
use std::time::Duration;
use ts_rs::TS;

/// How the receiver misbehaves on purpose (`qa-wecom serve --fault MODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FaultMode {
    /// `{"code":0,"echostr":"<plaintext>"}` → `json_wrapped`.
    JsonWrapped,
    /// `"<plaintext>"` → `quoted`.
    Quoted,
    /// BOM + plaintext → `bom`.
    Bom,
    /// plaintext + `\n` → `trailing_whitespace`.
    Newline,
    /// The encrypted echostr as received → `ciphertext_echoed`.
    EchoCiphertext,
    /// Another 19-digit value, as a server with another key or corpid would return →
    /// `wrong_plaintext`.
    WrongKey,
    /// A front end's index page with 200 → `html_page`.
    Html,
    /// 404 → `http_status`.
    NotFound,
    /// 502 from the proxy → `http_status`.
    ServerError,
    /// 301 to `https://<host>/login` → `redirect`.
    Redirect,
    /// The correct reply after 1.2 s → `too_slow`.
    Slow,
    /// Accepts the request and never answers (for 5 minutes) → `timeout`.
    Hang,
    /// A 1 MiB body → `body_too_large`.
    HugeBody,
    /// 200 with an empty body → `empty_body`.
    Empty,
}

/// How long `slow` waits: past WeCom's 1 s, well inside the default 5 s timeout.
pub const SLOW_DELAY: Duration = Duration::from_millis(1200);
/// How long `hang` waits before giving up (so a forgotten connection still ends).
pub const HANG_DELAY: Duration = Duration::from_secs(300);
/// The size of `huge_body`.
pub const HUGE_BODY_BYTES: usize = 1024 * 1024;

impl FaultMode {
    /// Every mode.
    pub const ALL: [FaultMode; 14] = [
        FaultMode::JsonWrapped,
        FaultMode::Quoted,
        FaultMode::Bom,
        FaultMode::Newline,
        FaultMode::EchoCiphertext,
        FaultMode::WrongKey,
        FaultMode::Html,
        FaultMode::NotFound,
        FaultMode::ServerError,
        FaultMode::Redirect,
        FaultMode::Slow,
        FaultMode::Hang,
        FaultMode::HugeBody,
        FaultMode::Empty,
    ];

    /// The CLI / serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultMode::JsonWrapped => "json_wrapped",
            FaultMode::Quoted => "quoted",
            FaultMode::Bom => "bom",
            FaultMode::Newline => "newline",
            FaultMode::EchoCiphertext => "echo_ciphertext",
            FaultMode::WrongKey => "wrong_key",
            FaultMode::Html => "html",
            FaultMode::NotFound => "not_found",
            FaultMode::ServerError => "server_error",
            FaultMode::Redirect => "redirect",
            FaultMode::Slow => "slow",
            FaultMode::Hang => "hang",
            FaultMode::HugeBody => "huge_body",
            FaultMode::Empty => "empty",
        }
    }

    /// True for the modes that only change the echostr reply of the GET.
    pub fn only_on_verification(self) -> bool {
        matches!(
            self,
            FaultMode::JsonWrapped
                | FaultMode::Quoted
                | FaultMode::Bom
                | FaultMode::Newline
                | FaultMode::EchoCiphertext
                | FaultMode::WrongKey
                | FaultMode::Empty
        )
    }
}

impl std::fmt::Display for FaultMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for FaultMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FaultMode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = FaultMode::ALL.iter().map(|m| m.as_str()).collect();
                format!("unknown fault mode {s:?}; one of: {}", names.join(", "))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in FaultMode::ALL {
            assert_eq!(m.as_str().parse::<FaultMode>(), Ok(m));
            assert_eq!(
                serde_json::to_value(m).unwrap(),
                serde_json::Value::String(m.as_str().into())
            );
        }
        assert!("nope".parse::<FaultMode>().is_err());
    }
}
