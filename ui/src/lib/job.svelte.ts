// A long command the admin can cancel (a live check, a key generation, an export): each run gets a
// fresh job id the Rust side keeps its cancel switch under, the rungs it reports arrive live, and a
// cancel makes the command reject with `cancelled` — this screen then says "Cancelled" and shows
// no result of that run. Nothing here judges anything: the rungs are the core's.

import { get } from "svelte/store";
import { cancelJob, toIpcError, type LiveRung } from "../ipc";
import { announce } from "./announce.svelte";
import { t } from "./i18n";

let count = 0;

export class Job {
  /** The running job's id; null when idle. */
  id: string | null = $state(null);
  /** The last run was cancelled (cleared when the next one starts). */
  cancelled = $state(false);
  /** The rungs of the running (or last) run, as they arrived. */
  rungs: LiveRung[] = $state([]);

  constructor(private readonly kind: string) {}

  get running(): boolean {
    return this.id !== null;
  }

  /** Runs `work` under a fresh id; its result, or null when it was cancelled (any other error is
   *  rethrown). */
  async run<T>(work: (job: string, onRung: (rung: LiveRung) => void) => Promise<T>): Promise<T | null> {
    const id = `${this.kind}-${Date.now()}-${++count}`;
    this.id = id;
    this.cancelled = false;
    this.rungs = [];
    try {
      return await work(id, (rung) => {
        if (this.id === id) this.rungs.push(rung);
      });
    } catch (e) {
      if (toIpcError(e).code !== "cancelled") throw e;
      this.cancelled = true;
      announce(get(t)("common.cancelled"));
      return null;
    } finally {
      if (this.id === id) this.id = null;
    }
  }

  /** Asks the core to stop the running job (the run then ends as cancelled). */
  async cancel(): Promise<void> {
    if (this.id !== null) await cancelJob(this.id);
  }
}
