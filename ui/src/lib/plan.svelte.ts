// The open plan as the screens see it: the last PlanView the Rust side answered (it holds the plan;
// this is only its picture). Screens edit a section with `updateSection`, which sends the whole
// section and keeps only the newest answer, so fast typing never shows an older state.
// `generation` changes when another plan is loaded (new, open, demo, restore): screens then reset
// their form fields from the view.

import { toIpcError, type Issue, type IpcError, type PlanView, type StepState, type WizardStep } from "../ipc";
import { planGet, planUpdate, type Section } from "../ipc/plan";
import { issuesOf } from "./report";

export type PlanState = {
  view: PlanView | null;
  /** Bumped on every load of a different plan (not on edits). */
  generation: number;
  /** The last failed command, for the frame to show. */
  error: IpcError | null;
  /** Fields whose text cannot even be sent (e.g. letters in a number), by field, with their step:
   *  they block Next like the core's errors. */
  unreadable: Record<string, WizardStep>;
};

export const planState: PlanState = $state({ view: null, generation: 0, error: null, unreadable: {} });

/** Marks a field of `step` as unreadable (or readable again). */
export function setUnreadable(step: WizardStep, field: string, bad: boolean): void {
  if (bad) planState.unreadable[field] = step;
  else delete planState.unreadable[field];
}

/** Whether any field of `step` is unreadable. */
export function stepUnreadable(step: string): boolean {
  return Object.values(planState.unreadable).includes(step as WizardStep);
}

let seq = 0;

/** Shows a freshly loaded plan (new, open, demo, restore). */
export function loaded(view: PlanView): PlanView {
  seq++;
  planState.view = view;
  planState.generation++;
  planState.error = null;
  planState.unreadable = {};
  return view;
}

/** Shows the answer of an edit or a save of the same plan. */
export function refreshed(view: PlanView): PlanView {
  seq++;
  planState.view = view;
  planState.error = null;
  return view;
}

/** Shows the plan again as the Rust side now holds it (after a command that changed it on its own,
 *  e.g. a check that keeps its report or an export that saved the plan). */
export async function reloadPlan(): Promise<void> {
  const v = await planGet();
  if (v) refreshed(v);
}

/** Runs a plan command that answers a PlanView; a failure lands in `planState.error` and is rethrown. */
export async function run(command: () => Promise<PlanView>, how: "load" | "refresh" = "refresh"): Promise<PlanView> {
  try {
    const v = await command();
    return how === "load" ? loaded(v) : refreshed(v);
  } catch (e) {
    const error = toIpcError(e);
    // A cancel the admin asked for is no failure of the plan: the screen that ran it says so.
    if (error.code !== "cancelled") planState.error = error;
    throw error;
  }
}

/** Replaces one section (or the secrets) and shows the core's verdict; only the newest answer counts. */
export async function updateSection(section: Section, value: unknown): Promise<void> {
  const mine = ++seq;
  try {
    const v = await planUpdate(section, value);
    if (mine === seq) {
      planState.view = v;
      planState.error = null;
    }
  } catch (e) {
    if (mine === seq) planState.error = toIpcError(e);
  }
}

/** The core's issues for one field path (e.g. "resources.domain"), errors first. */
export function fieldIssues(field: string): Issue[] {
  return planState.view ? issuesOf(planState.view.issues, field) : [];
}

/** Whether a field has an error (for aria-invalid). */
export function fieldHasError(field: string): boolean {
  return fieldIssues(field).some((i) => i.severity === "error");
}

/** A step's status in the open plan, or null when no plan is open (or the step is outside the flow). */
export function stepState(step: WizardStep | string): StepState | null {
  return planState.view?.steps.find((s) => s.step === step) ?? null;
}

/** Text input → the plan's optional string ("" becomes null). */
export function optText(v: string): string | null {
  const s = v.trim();
  return s === "" ? null : v;
}

/** Text input → an optional whole number; anything else is kept as null and reported by the caller. */
export function optInt(v: string): number | null {
  const s = v.trim();
  return /^\d+$/.test(s) ? Number(s) : null;
}

/** For tests: no plan open. */
export function resetPlan(): void {
  seq++;
  planState.view = null;
  planState.generation++;
  planState.error = null;
  planState.unreadable = {};
}
