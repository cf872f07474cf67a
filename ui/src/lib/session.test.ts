import { beforeEach, describe, expect, it } from "vitest";
import { credentials, resetSession, session, verifyTarget } from "./session.svelte";
import { localhostCheck } from "../test/fixtures";

describe("the shared session", () => {
  beforeEach(() => resetSession());

  it("has credentials only once the corpid is usable and both secrets are generated", () => {
    expect(credentials(session)).toBeNull();
    session.corpId = " ww0123456789abcdef ";
    session.token = "t".repeat(32);
    expect(credentials(session)).toBeNull();
    session.encodingAesKey = "k".repeat(43);
    expect(credentials(session)).toEqual({
      token: "t".repeat(32),
      encodingAesKey: "k".repeat(43),
      corpId: "ww0123456789abcdef",
    });
  });

  it("a corpid with an error from the core gives no credentials; a domain error does not matter", () => {
    Object.assign(session, { corpId: "ww1", token: "t", encodingAesKey: "k", issues: [...localhostCheck.issues] });
    expect(credentials(session)).not.toBeNull();
    session.issues = [{ ...localhostCheck.issues[0], field: "wecom.corp_id", code: "corp_id_invalid" }];
    expect(credentials(session)).toBeNull();
  });

  it("Verify targets the built-in receiver while it runs, else the callback URL", () => {
    expect(verifyTarget(session)).toBeNull();
    session.callbackUrl = "https://qa.example.com/cb";
    expect(verifyTarget(session)).toBe("https://qa.example.com/cb");
    session.receiver = { url: "http://127.0.0.1:1/cb", fault: null };
    expect(verifyTarget(session)).toBe("http://127.0.0.1:1/cb");
  });

  it("reset forgets everything, secrets included", () => {
    session.token = "secret";
    resetSession();
    expect(session.token).toBe("");
  });
});
