// The only module that talks to the Rust back end (and the only importer of @tauri-apps/*).
// Every call resolves to data or rejects with an IpcError `{ code, message, params }`.

import { invoke } from "@tauri-apps/api/core";
import type {
  AppInfo,
  BandwidthAdvice,
  CallbackUrlCheck,
  ErrorCodeInfo,
  FaultMode,
  GeneratedSecrets,
  IpcError,
  LadderFacts,
  ReceiverInfo,
  Report,
} from "./bindings";

// Every type generated from Rust is part of this module's interface.
export type * from "./bindings";

/** The report of the ladder (verify and send-event): the one report shape with the callback URL. */
export type LadderReport = Report<LadderFacts>;

/** Token, EncodingAESKey and corpid of a callback: what WeCom and the endpoint share. */
export type CallbackCredentials = { token: string; encodingAesKey: string; corpId: string };

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

export const callbackUrl = (domain: string, corpId: string, tls: boolean) =>
  call<CallbackUrlCheck>("callback_url", { domain, corpId, tls });
export const generateSecrets = () => call<GeneratedSecrets>("generate_secrets");
export const verifyCallback = (url: string, c: CallbackCredentials) => call<LadderReport>("verify_callback", { url, ...c });
export const sendTestEvent = (url: string, c: CallbackCredentials) => call<LadderReport>("send_test_event", { url, ...c });
export const startReceiver = (c: CallbackCredentials, fault: FaultMode | null) =>
  call<ReceiverInfo>("start_receiver", { ...c, fault });
export const stopReceiver = () => call<null>("stop_receiver");
export const lookupErrorCode = (code: number) => call<ErrorCodeInfo>("lookup_error_code", { code });
