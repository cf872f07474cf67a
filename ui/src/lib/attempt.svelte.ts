// What a screen's action button runs (a live check, a decryption, a rotation): while it runs the
// button is busy, and the error of its last run is shown under it. One place for the
// busy / clear the error / run / keep the error / not busy dance each step wrote itself.

import { toIpcError, type Code, type IpcError } from "../ipc";

export class Attempt<Kind extends string = "run"> {
  /** What runs now (the kind given to `run`), or null when idle. */
  running: Kind | null = $state(null);
  /** Why the last run failed, or what the screen refused before running; null after a good run. */
  error: IpcError | null = $state(null);

  get busy(): boolean {
    return this.running !== null;
  }

  /** Runs `work` marked as `kind`, the last error cleared; an error it throws becomes `error`. */
  async run(work: () => Promise<unknown>, kind: Kind = "run" as Kind): Promise<void> {
    this.running = kind;
    this.error = null;
    try {
      await work();
    } catch (e) {
      this.error = toIpcError(e);
    } finally {
      this.running = null;
    }
  }

  /** Refuses to run: an input the screen checks itself is missing (`code` names it for the UI). */
  refuse(code: Code, message: string): void {
    this.error = { code, message, params: {} };
  }
}
