//! EIP bandwidth sizing by WeCom user count (seed §2.1: "100W" users is 100 × 10,000).

use crate::error_code::ErrorCode;
use crate::text::Text;
use serde::Serialize;
use ts_rs::TS;

/// The recommended EIP bandwidth for a number of WeCom users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct BandwidthAdvice {
    #[ts(type = "number")]
    pub users: u64,
    pub mbps: u32,
}

/// Why a user count cannot be sized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, error_code_derive::ErrorCode)]
pub enum SizingError {
    #[error("the number of WeCom users must be a positive whole number, got 0")]
    #[code(UsersNotPositive)]
    ZeroUsers,
}

impl SizingError {
    /// What is wrong and what to do, in both languages.
    pub fn text(&self) -> Text {
        match self {
            Self::ZeroUsers => Text::new(
                format!("{self}; enter a number of at least 1."),
                "企业微信用户数必须是正整数，请填写不小于 1 的数字。",
            ),
        }
    }
}

/// ≤ 1,000,000 users → 5 Mbps; ≤ 5,000,000 → 10 Mbps; more → 15 Mbps.
pub fn recommend_bandwidth(users: u64) -> Result<BandwidthAdvice, SizingError> {
    let mbps = match users {
        0 => return Err(SizingError::ZeroUsers),
        1..=1_000_000 => 5,
        1_000_001..=5_000_000 => 10,
        _ => 15,
    };
    Ok(BandwidthAdvice { users, mbps })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bandwidth_tiers_switch_exactly_at_the_manuals_boundaries() {
        let mbps = |n| recommend_bandwidth(n).unwrap().mbps;
        assert_eq!(mbps(1), 5);
        assert_eq!(mbps(1_000_000), 5);
        assert_eq!(mbps(1_000_001), 10);
        assert_eq!(mbps(5_000_000), 10);
        assert_eq!(mbps(5_000_001), 15);
        assert_eq!(mbps(u64::MAX), 15);
    }

    #[test]
    fn zero_users_is_rejected_with_its_code_and_both_languages() {
        assert_eq!(recommend_bandwidth(0), Err(SizingError::ZeroUsers));
        assert_eq!(SizingError::ZeroUsers.code(), ErrorCode::UsersNotPositive);
        let t = SizingError::ZeroUsers.text();
        assert!(
            t.en.contains("at least 1") && t.zh.contains("正整数"),
            "{t:?}"
        );
    }
}
