// Typed wrappers of the "Keep it working" commands (watch_once, rotate_pair, support_pack), over
// the one IPC entry point of ./index.

import { call, type ExportedFile, type LadderFacts, type Report, type Rotation } from "./index";

/** One check's report of a watch round: the verification (`check: "verify"`, with the URL) or the
 *  WeCom / database check (their own facts). */
export type WatchReport = Report<Partial<LadderFacts> & Record<string, unknown>>;

/** One round of `qa-wecom watch` for the plan; `url` overrides the plan's callback URL. */
export const watchOnce = (planPath: string, url: string | null) =>
  call<WatchReport[]>("watch_once", { plan_path: planPath, url });

/** `qa-wecom rotate` (or `--rollback`): the files that changed and the steps, never the values. */
export const rotatePair = (planPath: string, rollback: boolean) =>
  call<Rotation>("rotate_pair", { plan_path: planPath, rollback });

/** `qa-wecom support-pack`: writes the zip at `output` and lists what is inside. */
export const supportPack = (planPath: string, output: string) =>
  call<ExportedFile[]>("support_pack", { plan_path: planPath, output });
