//! `ops/trigger-import.sh`: the seed §6.2 command that starts the WECHAT_WECOM day import by
//! hand, with the plan's organization and workspace IDs (overridable as arguments, checked as
//! UUIDs before anything runs); and the same command for IDs typed on the Troubleshoot page.

use super::GENERATED_BY;
use crate::validate::{CheckedPlan, Issue, IssueCode, field, issues_of, uuid};
use serde::Serialize;
use ts_rs::TS;

/// The QA core container's local endpoint of seed §6.2 (loopback inside the container).
pub const IMPORT_BASE: &str = "http://127.0.0.1:9001/swagger/test/invoke/day/dataimport";

/// The import URL for an organization and a workspace (values or shell variables).
fn import_url(organization: &str, workspace: &str) -> String {
    format!("{IMPORT_BASE}/{organization}/{workspace}/WECHAT_WECOM")
}

/// The manual import command for typed IDs, once both are UUIDs.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportTrigger {
    /// `curl --location '…/{organization}/{workspace}/WECHAT_WECOM'`, to run inside the QA core
    /// container; `None` while an ID has an error.
    pub command: Option<String>,
    /// The IDs' issues (fields `quick_audience.organization_id` / `.workspace_id`).
    pub issues: Vec<Issue>,
}

/// Validates the organization and workspace IDs as typed (surrounding white space is ignored; a
/// blank ID is not a UUID either) and gives the seed §6.2 command with them, lowercase.
pub fn check(organization_id: &str, workspace_id: &str) -> ImportTrigger {
    let (org, mut issues) = issues_of(
        field::ORGANIZATION_ID,
        uuid(organization_id.trim(), IssueCode::OrganizationIdInvalid),
    );
    let (ws, more) = issues_of(
        field::WORKSPACE_ID,
        uuid(workspace_id.trim(), IssueCode::WorkspaceIdInvalid),
    );
    issues.extend(more);
    let command = match (org, ws) {
        (Some(o), Some(w)) => Some(format!(
            "curl --location '{}'",
            import_url(&o.hyphenated().to_string(), &w.hyphenated().to_string())
        )),
        _ => None,
    };
    ImportTrigger { command, issues }
}

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

curl --location "{url}"
"#,
        url = import_url("$ORGANIZATION_ID", "$WORKSPACE_ID")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_gives_the_manuals_command_for_its_example_ids() {
        let t = check(
            " 0A27B751-DB52-4EC2-B2BC-E7B747C0BFB6 ",
            "5a3e3999-fccb-43ef-b232-9cbbae053e8b",
        );
        assert!(t.issues.is_empty(), "{:?}", t.issues);
        // Seed §6.2, character for character.
        assert_eq!(
            t.command.as_deref(),
            Some(
                "curl --location 'http://127.0.0.1:9001/swagger/test/invoke/day/dataimport/0a27b751-db52-4ec2-b2bc-e7b747c0bfb6/5a3e3999-fccb-43ef-b232-9cbbae053e8b/WECHAT_WECOM'"
            )
        );
    }

    #[test]
    fn check_names_each_id_that_is_not_a_uuid() {
        let t = check("0a27b751db524ec2b2bce7b747c0bfb6", "'; rm -rf / #");
        assert_eq!(t.command, None);
        assert_eq!(
            crate::validate::field_codes(&t.issues),
            [
                (field::ORGANIZATION_ID, IssueCode::OrganizationIdInvalid),
                (field::WORKSPACE_ID, IssueCode::WorkspaceIdInvalid)
            ]
        );
        let blank = check("", "5a3e3999-fccb-43ef-b232-9cbbae053e8b");
        assert_eq!(blank.issues.len(), 1);
        assert_eq!(blank.issues[0].code, IssueCode::OrganizationIdInvalid);
    }
}
