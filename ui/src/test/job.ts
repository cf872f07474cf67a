// A long-running command for component tests (a live check): it sends its first rungs on the
// command's `on_rung` channel, then runs until `cancel_job` names its job, and ends the way the
// Rust side ends a cancelled job (rejected with the code `cancelled`).

import type { LiveRung } from "../ipc";
import type { FakeChannel } from "./channel";
import type { Handler } from "./backend";

/** The command (`run`) and its `cancel_job` handler; `cancels` holds each cancel_job's arguments. */
export function hangingJob(rungs: LiveRung[]): { run: Handler; cancel_job: Handler; cancels: unknown[] } {
  const cancels: unknown[] = [];
  let stop: (job: unknown) => void = () => {};
  return {
    cancels,
    run: (a) =>
      new Promise((_, reject) => {
        const channel = a.on_rung as FakeChannel<LiveRung>;
        for (const rung of rungs) channel.send(rung);
        stop = (job) => {
          if (job === a.job) reject({ code: "cancelled", message: "cancelled", params: {} });
        };
      }),
    cancel_job: (a) => {
      cancels.push(a);
      stop(a.job);
      return true;
    },
  };
}
