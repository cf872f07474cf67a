// PlanView fixtures shaped like the back end's answers: the demo plan, a blank new plan, a helper
// to set one step's status with its reason, and the core's issues, whose samples issues.json keeps
// by code (types from the generated bindings).

import type { Issue, PlanView, StepStatus, Text, WizardStep } from "../ipc";
import SAMPLE_ISSUES from "./issues.json";

const STEPS: WizardStep[] = ["start", "resources", "wecom_app", "network", "callback", "verify", "database", "export"];

/** The demo's built-in receiver, where Verify goes in demo mode. */
export const DEMO_URL =
  "https://127.0.0.1:41234/restapi/thirdservice/we/com/inner/event/oneparty/callback/wwb697d33134e48cfc";
/** The demo plan's callback URL (its domain validates; nothing listens there). */
export const DEMO_CALLBACK_URL =
  "https://qawecom.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/wwb697d33134e48cfc";
const CONSOLE_STEPS = ["visible_range", "customer_contact", "developer_id", "api_receive"];

/** The demo plan as plan_demo answers it: every step done except Verify and Export (not run). */
export function demoView(): PlanView {
  return {
    plan: {
      version: 1,
      secrets_file: null,
      resources: { domain: "qawecom.example.com", public_ip: "203.0.113.10", wecom_users: 120000 },
      tls: {
        mode: "self_signed",
        certificate_file: "tls/qawecom.example.com.crt",
        csr_file: null,
        server_certificate_path: null,
        server_key_path: null,
      },
      wecom: { corp_id: "wwb697d33134e48cfc", agent_id: 1000002, console_done: [] },
      network: { qa_upstream: "127.0.0.1:8080", proxy: "nginx" },
      database: { kind: "gaussdb", name: "qa_analysis" },
      quick_audience: {
        organization_id: "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6",
        workspace_id: "5a3e3999-fccb-43ef-b232-9cbbae053e8b",
      },
    },
    secrets: {
      app_secret: "DemoAppSecretNotRealDemoAppSecretNotReal123",
      token: "QDG6eK",
      encoding_aes_key: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
      private_key_file: "tls/qawecom.example.com.key",
    },
    path: "/home/admin/.local/share/qa-wecom-setup/demo/plan.toml",
    dirty: false,
    demo: true,
    issues: [],
    steps: STEPS.map((step) => ({
      step,
      status: step === "verify" || step === "export" ? "not_started" : "done",
      reason: null,
    })),
    callback_url: DEMO_CALLBACK_URL,
    bandwidth: { users: 120000, mbps: 20 },
    receiver: { url: DEMO_URL, fault: null },
    verification: null,
    wecom_report: null,
    exported: null,
    verify_target: { url: DEMO_URL, receiver: true, blockers: [] },
    event_report: null,
    database_check: null,
    console_steps: CONSOLE_STEPS,
  };
}

/** A new plan as plan_new answers it: nothing entered, no Token and EncodingAESKey yet. */
export function newView(): PlanView {
  const v = demoView();
  return {
    ...v,
    plan: {
      version: 1,
      secrets_file: null,
      resources: { domain: null, public_ip: null, wecom_users: null },
      tls: { mode: null, certificate_file: null, csr_file: null, server_certificate_path: null, server_key_path: null },
      wecom: { corp_id: null, agent_id: null, console_done: [] },
      network: { qa_upstream: null, proxy: null },
      database: { kind: "postgresql", name: "qa_analysis" },
      quick_audience: { organization_id: null, workspace_id: null },
    },
    secrets: { app_secret: null, token: null, encoding_aes_key: null, private_key_file: null },
    path: null,
    demo: false,
    steps: STEPS.map((step) => ({ step, status: step === "start" ? "done" : "not_started", reason: null })),
    callback_url: null,
    bandwidth: null,
    receiver: null,
    verify_target: { url: null, receiver: false, blockers: [] },
  };
}

/** `view` with one step's status (and its reason) changed. */
export function withStep(view: PlanView, step: WizardStep, status: StepStatus, reason: Text | null = null): PlanView {
  return { ...view, steps: view.steps.map((s) => (s.step === step ? { step, status, reason } : s)) };
}

/** An issue as the core reports it. */
export function issue(field: string, code: Issue["code"], severity: Issue["severity"], message: Text, fix: Text): Issue {
  return { field, code, severity, message, fix, params: {} };
}

/** A code of the core's issues that issues.json holds a sample of. */
export type SampleCode = keyof typeof SAMPLE_ISSUES;

/** The sample issue of `code`, as issues.json keeps it: its field, severity and both texts. */
export function sampleIssue(code: SampleCode): Issue {
  const s = SAMPLE_ISSUES[code];
  return issue(s.field, code, s.severity as Issue["severity"], s.message, s.fix);
}
