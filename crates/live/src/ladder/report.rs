//! The result of a live check as `product.md` specifies it for `verify --json`: the one report
//! shape of `setup_core::report` with `check: "verify"` (or `"event"` for `send-event`), the five
//! steps dns → tcp → tls → http → reply (each pass / fail / skip with its detail in English and
//! Simplified Chinese, and its own time), the diagnosis, and the callback `url`. Nothing in it is
//! secret: the URL is the configured callback URL, details name hosts, addresses, statuses and
//! sizes, never the Token, the key or the signed query.

use serde::Serialize;
use ts_rs::TS;

/// The rungs of the ladder, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum StepName {
    Dns,
    Tcp,
    Tls,
    Http,
    Reply,
}

/// What is particular to a ladder report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LadderFacts {
    /// The callback URL as configured (no signed query).
    pub url: String,
}

/// A ladder report: always the five rungs, in order.
pub type Report = setup_core::report::Report<LadderFacts>;

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn the_rungs_are_named_in_order() {
        let names: Vec<&str> = StepName::iter().map(<&str>::from).collect();
        assert_eq!(names, ["dns", "tcp", "tls", "http", "reply"]);
    }
}
