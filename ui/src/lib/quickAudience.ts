// The two Quick Audience IDs, as Network edits them into the plan's `quick_audience` section and
// Troubleshoot types them for the manual import trigger: the key in that section, the locale key of
// the label (under each step's own texts), a short name for test ids, and a UUID shown as example.

export type QuickAudienceId = "organization_id" | "workspace_id";

export const QUICK_AUDIENCE_IDS = [
  { key: "organization_id", label: "organizationId", short: "org", placeholder: "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6" },
  { key: "workspace_id", label: "workspaceId", short: "ws", placeholder: "5a3e3999-fccb-43ef-b232-9cbbae053e8b" },
] as const satisfies { key: QuickAudienceId; label: string; short: string; placeholder: string }[];

/** Both IDs as typed text, empty until filled. */
export const noQuickAudienceIds = (): Record<QuickAudienceId, string> => ({ organization_id: "", workspace_id: "" });
