// A stand-in for Tauri's `Channel` in component tests: the fake back end's handler gets it as the
// command's `on_rung` argument and calls `send` to deliver a rung the way the Rust side does.
// Wire it in with `vi.mock("@tauri-apps/api/core", async () => ({ …, Channel: (await
// import("../test/channel")).FakeChannel }))`.

export class FakeChannel<T = unknown> {
  constructor(public onmessage: (message: T) => void = () => {}) {}

  /** Delivers `message` as the Rust side's `channel.send` would. */
  send(message: T): void {
    this.onmessage(message);
  }
}
