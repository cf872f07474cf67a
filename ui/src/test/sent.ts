// What a step last wrote into the open plan, read from a component test's stand-in `invoke`: the
// `plan_update` each edit sends (the section's name and its whole new value).

import { expect, type Mock } from "vitest";
import type { Update } from "./planCore";

/** The arguments of the last IPC call, which must have been a `plan_update`. */
export function lastUpdate(invoke: Mock): Update {
  const [command, args] = invoke.mock.calls.at(-1) ?? [];
  expect(command).toBe("plan_update");
  return args as Update;
}

/** The last IPC call sent `section` with exactly `value`. */
export function expectLastUpdate(invoke: Mock, section: string, value: unknown) {
  expect(lastUpdate(invoke)).toEqual({ section, value });
}
