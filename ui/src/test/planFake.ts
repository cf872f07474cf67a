// A stand-in for the Rust side's open plan in component tests: it holds a PlanView, applies
// `plan_update` (a section or the secrets) to it and answers the whole view, as the real commands
// do. The core's verdict on the new values comes from the test (`issues`), so each test states
// the rule it relies on; other commands are the test's own handlers, which may change the view.

import type { Mock } from "vitest";
import type { Issue, PlanView } from "../ipc";
import { answerWith, type Handler } from "./backend";
import { loaded } from "../lib/plan.svelte";

export type PlanFake = {
  /** The plan as the fake back end holds it now. */
  view: PlanView;
  /** Answers the current view (a copy, like a fresh IPC answer). */
  answer: () => PlanView;
};

export function planFake(
  invoke: Mock,
  start: PlanView,
  options: { issues?: (view: PlanView) => Issue[]; handlers?: (fake: PlanFake) => Record<string, Handler> } = {},
): PlanFake {
  const fake: PlanFake = {
    view: structuredClone(start),
    answer: () => structuredClone(fake.view),
  };
  const judge = () => {
    if (options.issues) fake.view.issues = options.issues(fake.view);
  };
  answerWith(invoke, {
    plan_update: (a) => {
      const section = a.section as string;
      if (section === "secrets") fake.view.secrets = structuredClone(a.value) as PlanView["secrets"];
      else (fake.view.plan as Record<string, unknown>)[section] = structuredClone(a.value);
      fake.view.dirty = true;
      judge();
      return fake.answer();
    },
    ...options.handlers?.(fake),
  });
  judge();
  loaded(fake.answer());
  return fake;
}
