import { beforeEach, describe, expect, it, vi } from "vitest";

// A hand-made stand-in for Tauri's invoke: records calls, answers with `reply`.
const calls: unknown[][] = [];
let reply: () => Promise<unknown> = async () => undefined;
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...a: unknown[]) => {
    calls.push(a);
    return reply();
  },
}));

import { recommendBandwidth, toIpcError } from "./index";

describe("ipc", () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("passes the command name and camelCase arguments to the back end", async () => {
    reply = async () => ({ users: 20000, mbps: 5 });
    await expect(recommendBandwidth(20000)).resolves.toEqual({ users: 20000, mbps: 5 });
    expect(calls).toEqual([["recommend_bandwidth", { users: 20000 }]]);
  });

  it("rejects with the back end's {code, message, params} unchanged", async () => {
    reply = async () => {
      throw { code: "users_not_positive", message: "m", params: { n: "0" } };
    };
    const error = await recommendBandwidth(0).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toEqual({ code: "users_not_positive", message: "m", params: { n: "0" } });
  });

  it("turns anything else into ipc_unavailable with the original text", () => {
    expect(toIpcError(new Error("boom"))).toEqual({ code: "ipc_unavailable", message: "boom", params: {} });
    expect(toIpcError("plain")).toMatchObject({ code: "ipc_unavailable", message: "plain" });
  });
});
