// Typed wrappers of the open-plan commands (new, open, demo, save, update, autosave, close) and of
// the screens that work on it (TLS, WeCom check, network files, verify, export), over ./index's `call`.
// Every plan command answers the whole PlanView: the core's validation and each step's status.

import {
  call,
  rungChannel,
  type AutosaveInfo,
  type LiveRung,
  type ExportFormat,
  type ExportResult,
  type FaultMode,
  type KeyAlgorithm,
  type NetworkFiles,
  type PlanView,
  type Report,
  type TlsWritten,
  type WecomFacts,
} from "./index";

/** A plan section as `plan_update` takes it, or the secrets. */
export type Section = "resources" | "tls" | "wecom" | "network" | "database" | "quick_audience" | "secrets";

export const planGet = () => call<PlanView | null>("plan_get");
export const planNew = () => call<PlanView>("plan_new");
export const planOpen = (path: string) => call<PlanView>("plan_open", { path });
export const planRecent = () => call<string[]>("plan_recent");
/** Sample values, the built-in receiver on loopback with a self-signed pair, the callback at it. */
export const planDemo = () => call<PlanView>("plan_demo");
export const planSave = () => call<PlanView>("plan_save");
export const planSaveAs = (path: string) => call<PlanView>("plan_save_as", { path });
export const planUpdate = (section: Section, value: unknown) => call<PlanView>("plan_update", { section, value });
export const planGenerateSecrets = () => call<PlanView>("plan_generate_secrets");

export const autosaveOffer = () => call<AutosaveInfo | null>("autosave_offer");
export const autosaveRestore = () => call<PlanView>("autosave_restore");
export const autosaveDiscard = () => call<null>("autosave_discard");
/** Closes the window without saving (after the admin said so). */
export const appCloseDiscarding = () => call<null>("app_close_discarding");

/** The provided certificate's inspection report (read → name → validity → key → chain); refused
 *  `tls_inspect_not_provided` in another mode, `tls_inspect_no_certificate` before a chain is set. */
export const tlsInspect = () => call<Report<unknown>>("tls_inspect");
/** Key + CSR (`csr`) or a demo pair (`self_signed`) into `folder` ("" = the plan's folder), as job
 *  `job` (see `cancelJob`; cancelled, nothing is written). */
export const tlsGenerate = (mode: "csr" | "self_signed", algorithm: KeyAlgorithm, folder: string, job?: string) =>
  call<TlsWritten>("tls_generate", { mode, algorithm, folder, job: job ?? null });

/** The WeCom API check's report: the probes' steps plus what the check saw (egress IP, callback IPs). */
export type WecomReport = Report<WecomFacts>;
/** "Check with WeCom": gettoken and the probes, kept as the plan's last check; `apiBase` null = the
 *  default (WeCom's API, or demo mode's fake for a demo plan). */
export const wecomCheck = (apiBase: string | null, job?: string, onRung?: (rung: LiveRung) => void) =>
  call<WecomReport>("wecom_check", { api_base: apiBase, job: job ?? null, on_rung: rungChannel(onRung) });
/** WeCom's API base, or for a demo plan the loopback address of demo mode's fake. */
export const wecomDefaultApiBase = () => call<string>("wecom_default_api_base");

export const networkFiles = () => call<NetworkFiles>("network_files");

/** The bundle written as job `job` (see `cancelJob`). */
export const exportBundle = (output: string, format: ExportFormat, job?: string) =>
  call<ExportResult>("export_bundle", { output, format, job: job ?? null });
export const revealExport = (path: string) => call<null>("reveal_export", { path });

/** Every fault the built-in receiver can simulate, in the core's order. */
export const faultModes = () => call<FaultMode[]>("fault_modes");
/** The URL verification of the open plan (its receiver in demo mode); the report lands in the view.
 *  As job `job` (see `cancelJob`), each rung handed to `onRung` as it is recorded. */
export const verifyCallback = (job?: string, onRung?: (rung: LiveRung) => void) =>
  call<PlanView>("check_callback", { event: false, job: job ?? null, on_rung: rungChannel(onRung) });
/** A sample event POSTed to the open plan's URL; the report lands in the view (`event_report`).
 *  Job and rungs as `verifyCallback`. */
export const sendTestEvent = (job?: string, onRung?: (rung: LiveRung) => void) =>
  call<PlanView>("check_callback", { event: true, job: job ?? null, on_rung: rungChannel(onRung) });
/** Demo mode: restarts the built-in receiver with `fault` (null = behaving correctly). */
export const startReceiver = (fault: FaultMode | null) => call<PlanView>("start_receiver", { fault });
