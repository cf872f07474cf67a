// A stand-in back end for component tests: each command answered by its handler, anything else
// rejected the way the real IPC rejects ({ code, message, params }). Use with the test file's own
// `vi.mock("@tauri-apps/api/core", …)` around a `vi.fn()` invoke.

import type { Mock } from "vitest";

export type Handler = (args: Record<string, unknown>) => unknown;

export function answerWith(invoke: Mock, handlers: Record<string, Handler>) {
  invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
    const h = handlers[cmd];
    if (!h) throw { code: "not_mocked", message: cmd, params: {} };
    return h(args ?? {});
  });
}
