// The only module that talks to the Rust back end (and the only importer of @tauri-apps/*).
// Every call resolves to data or rejects with an IpcError `{ code, message, params }`.

import { Channel, invoke } from "@tauri-apps/api/core";
import type { AppInfo, BandwidthAdvice, ErrorCodeInfo, IpcError, LadderFacts, LiveRung, Report } from "./bindings";

// Every type generated from Rust is part of this module's interface.
export type * from "./bindings";

/** The report of the ladder (verify and send-event): the one report shape with the callback URL. */
export type LadderReport = Report<LadderFacts>;

function isIpcError(e: unknown): e is IpcError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** Any rejection, normalised to an IpcError so the UI can translate it by code. */
export function toIpcError(e: unknown): IpcError {
  if (isIpcError(e)) return { code: e.code, message: e.message, params: e.params ?? {} };
  const message = e instanceof Error ? e.message : String(e);
  return { code: "ipc_unavailable", message, params: {} };
}

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

export const appInfo = () => call<AppInfo>("app_info");
export const recommendBandwidth = (users: number) => call<BandwidthAdvice>("recommend_bandwidth", { users });

export const lookupErrorCode = (code: number) => call<ErrorCodeInfo>("lookup_error_code", { code });

/** Where a long check's rungs arrive, one message per rung as the core records it (the command's
 *  `on_rung` argument); null when the caller does not watch them. */
export function rungChannel(onRung?: (rung: LiveRung) => void): Channel<LiveRung> | null {
  return onRung ? new Channel<LiveRung>(onRung) : null;
}

/** Stops the running job `job` (its command then rejects with `cancelled`); false when it had
 *  already ended. */
export const cancelJob = (job: string) => call<boolean>("cancel_job", { job });
