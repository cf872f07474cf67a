//! The bounds every live check respects, whatever the far end does.

use std::time::Duration;

/// Overall budget of one check unless the caller sets another.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// WeCom's budget for the URL-verification reply.
pub const WECOM_VERIFY_BUDGET: Duration = Duration::from_secs(1);

/// WeCom's budget for an event delivery.
pub const WECOM_EVENT_BUDGET: Duration = Duration::from_secs(5);

/// Most bytes read from any response body.
pub const BODY_CAP: usize = 64 * 1024;
