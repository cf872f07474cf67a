//! `ops/trigger-import.sh`: the seed §6.2 command that starts the WECHAT_WECOM day import by
//! hand, with the plan's organization and workspace IDs (overridable as arguments, checked as
//! UUIDs before anything runs).

use super::GENERATED_BY;
use crate::validate::CheckedPlan;

/// The QA core container's local endpoint of seed §6.2 (loopback inside the container).
pub const IMPORT_BASE: &str = "http://127.0.0.1:9001/swagger/test/invoke/day/dataimport";

/// The POSIX shell script.
pub fn trigger_import_sh(plan: &CheckedPlan) -> String {
    let org = plan
        .organization_id
        .map(|u| u.hyphenated().to_string())
        .unwrap_or_default();
    let ws = plan
        .workspace_id
        .map(|u| u.hyphenated().to_string())
        .unwrap_or_default();
    format!(
        r#"#!/bin/sh
# {GENERATED_BY}
# Start the WECHAT_WECOM day import of Quick Audience by hand (seed §6.2).
# Run it inside the QA core container, for example:
#   docker exec -i <core-container> sh -s < ops/trigger-import.sh
#   sh trigger-import.sh [ORGANIZATION_ID WORKSPACE_ID]
# 手动触发 Quick Audience 的 WECHAT_WECOM 日导入（接入手册 §6.2）。请在 QA core 容器内运行，
# 参数可覆盖计划中的组织 ID 和空间 ID。
set -eu

ORGANIZATION_ID="${{1:-{org}}}"
WORKSPACE_ID="${{2:-{ws}}}"

is_uuid() {{
    h='[0-9a-fA-F]'
    case "$1" in
        $h$h$h$h$h$h$h$h-$h$h$h$h-$h$h$h$h-$h$h$h$h-$h$h$h$h$h$h$h$h$h$h$h$h) return 0 ;;
        *) return 1 ;;
    esac
}}

if ! is_uuid "$ORGANIZATION_ID" || ! is_uuid "$WORKSPACE_ID"; then
    echo "usage: $0 ORGANIZATION_ID WORKSPACE_ID  (both UUIDs, e.g. 0a27b751-db52-4ec2-b2bc-e7b747c0bfb6)" >&2
    echo "用法：$0 组织ID 空间ID（均为 UUID）" >&2
    exit 2
fi

curl --location "{IMPORT_BASE}/$ORGANIZATION_ID/$WORKSPACE_ID/WECHAT_WECOM"
"#
    )
}
