// The wizard's steps in order (product.md "The flow"), plus Troubleshoot and Keep it working, which are always reachable.

export const FLOW = [
  "start",
  "resources",
  "wecom_app",
  "network",
  "callback",
  "verify",
  "database",
  "export",
] as const;

export type FlowStep = (typeof FLOW)[number];
/** Outside the flow, always reachable: Troubleshoot and the day-2 page. */
export type StepId = FlowStep | "troubleshoot" | "keep_working";

export function isFlowStep(id: StepId): id is FlowStep {
  return (FLOW as readonly string[]).includes(id);
}

/** The step Next leads to, or null on the last one. From Troubleshoot, Next returns to the flow start. */
export function nextStep(id: StepId): StepId | null {
  if (!isFlowStep(id)) return FLOW[0];
  const i = FLOW.indexOf(id);
  return i + 1 < FLOW.length ? FLOW[i + 1] : null;
}

/** The step Back leads to, or null on the first one. */
export function previousStep(id: StepId): StepId | null {
  if (!isFlowStep(id)) return null;
  const i = FLOW.indexOf(id);
  return i > 0 ? FLOW[i - 1] : null;
}

/** 1-based position in the flow, or null for Troubleshoot. */
export function position(id: StepId): number | null {
  return isFlowStep(id) ? FLOW.indexOf(id) + 1 : null;
}
