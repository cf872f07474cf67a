// What the Callback step produced and the Verify step uses: domain, corpid, the callback URL, the
// generated Token and EncodingAESKey, the demo receiver and the last reports. Held in memory only:
// the UI never writes the Token or the EncodingAESKey anywhere (no localStorage, no file, no log).

import type { CallbackCredentials, Issue, LadderReport, ReceiverInfo } from "../ipc";

export type Session = {
  domain: string;
  corpId: string;
  /** TLS mode "none": the callback URL is http://. */
  tlsNone: boolean;
  /** From the core; null while the domain or corpid has an error. */
  callbackUrl: string | null;
  /** The core's issues for domain and corpid, errors and warnings. */
  issues: Issue[];
  token: string;
  encodingAesKey: string;
  /** The built-in receiver, when running: Verify then targets its URL. */
  receiver: ReceiverInfo | null;
  report: LadderReport | null;
  eventReport: LadderReport | null;
};

function blank(): Session {
  return {
    domain: "",
    corpId: "",
    tlsNone: false,
    callbackUrl: null,
    issues: [],
    token: "",
    encodingAesKey: "",
    receiver: null,
    report: null,
    eventReport: null,
  };
}

export const session: Session = $state(blank());

/** Back to an empty session (tests, and a future "new plan"). */
export function resetSession(): void {
  Object.assign(session, blank());
}

/** The corpid may be used: entered and without an error from the core. */
export function corpIdUsable(s: Session): boolean {
  return s.corpId.trim() !== "" && !s.issues.some((i) => i.field === "wecom.corp_id" && i.severity === "error");
}

/** Token, EncodingAESKey and corpid, or null while any is missing. */
export function credentials(s: Session): CallbackCredentials | null {
  if (s.token === "" || s.encodingAesKey === "" || !corpIdUsable(s)) return null;
  return { token: s.token, encodingAesKey: s.encodingAesKey, corpId: s.corpId.trim() };
}

/** The URL Verify checks: the built-in receiver's while it runs, else the callback URL. */
export function verifyTarget(s: Session): string | null {
  return s.receiver?.url ?? s.callbackUrl;
}
