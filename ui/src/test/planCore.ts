// A stand-in for the Rust side of the open plan in component tests: it holds a PlanView, applies
// `plan_update` the way the real command does (one whole section, or the secrets), and answers the
// view with the issues of the test's own rules, each step's status from them, and the bandwidth
// of the test's `bandwidth` function. Every update is recorded so a test can check what was sent.

import type { BandwidthAdvice, Issue, PlanView, StepState } from "../ipc";
import type { Handler } from "./backend";

export type Rules = (view: PlanView) => Issue[];

export type Update = { section: string; value: unknown };

/** The step whose screen edits `field` (as the core's `step_of`). */
function stepOf(field: string): StepState["step"] {
  if (field.startsWith("network.") || field.startsWith("quick_audience.")) return "network";
  if (field.startsWith("wecom.") || field === "secrets.app_secret") return "wecom_app";
  if (field === "secrets.token" || field === "secrets.encoding_aes_key") return "callback";
  return "resources";
}

export function fakePlanCore(
  start: PlanView,
  rules: Rules = () => [],
  bandwidth: (users: number) => BandwidthAdvice | null = () => null,
) {
  let view: PlanView = structuredClone(start);
  const updates: Update[] = [];

  function answer(): PlanView {
    const issues = rules(view);
    const users = view.plan.resources.wecom_users;
    const steps = view.steps.map((s): StepState => {
      if (s.step === "start") return s;
      const mine = issues.filter((i) => stepOf(i.field) === s.step);
      const error = mine.find((i) => i.severity === "error");
      if (error) return { step: s.step, status: "error", reason: error.message };
      if (mine.length > 0) return { step: s.step, status: "warning", reason: null };
      return { step: s.step, status: s.status === "not_started" ? "not_started" : "done", reason: null };
    });
    view = { ...view, issues, steps, bandwidth: users === null ? null : bandwidth(users), dirty: true };
    return structuredClone(view);
  }

  const handlers: Record<string, Handler> = {
    plan_get: () => structuredClone(view),
    plan_update: ({ section, value }) => {
      updates.push({ section: String(section), value: structuredClone(value) });
      if (section === "secrets") view = { ...view, secrets: value as PlanView["secrets"] };
      else view = { ...view, plan: { ...view.plan, [String(section)]: value } };
      return answer();
    },
  };

  return {
    handlers,
    updates,
    /** The view as the core would answer it now. */
    view: () => answer(),
    /** Replaces the held view (e.g. after a generation the test answers itself). */
    set: (v: PlanView) => {
      view = structuredClone(v);
    },
    lastUpdate: (section: string) => [...updates].reverse().find((u) => u.section === section)?.value,
  };
}
