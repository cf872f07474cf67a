import { describe, expect, it } from "vitest";
import { coreLang, diagnosis, issuesOf, ladder, parseErrorCode, pick } from "./report";
import { okReport, refusedReport, singleLabelIssue } from "../test/fixtures";
import type { Issue } from "../ipc";

describe("the ladder of a report", () => {
  it("has the five rungs in order with their label and status keys", () => {
    const rungs = ladder(okReport(), "en");
    expect(rungs.map((r) => r.name)).toEqual(["dns", "tcp", "tls", "http", "reply"]);
    expect(rungs.every((r) => r.status === "pass" && r.icon === "✓")).toBe(true);
    expect(rungs[3]).toMatchObject({ labelKey: "verify.rung.http", statusKey: "verify.status.pass", elapsedMs: 3 });
  });

  it("marks the failed rung and skips the rest", () => {
    const rungs = ladder(refusedReport(), "en");
    expect(rungs.map((r) => `${r.name}:${r.status}:${r.icon}`)).toEqual([
      "dns:pass:✓",
      "tcp:fail:✗",
      "tls:skip:–",
      "http:skip:–",
      "reply:skip:–",
    ]);
  });

  it("gives each rung's detail in the UI language", () => {
    expect(ladder(refusedReport(), "en").map((r) => r.detail)).toEqual([
      "127.0.0.1 is an IP address: no lookup",
      "connect to 127.0.0.1:41234: Connection refused (os error 111)",
      "not run: the TCP step failed",
      "not run: the TCP step failed",
      "not run: the TCP step failed",
    ]);
    expect(ladder(refusedReport(), "zh-CN").map((r) => r.detail)).toEqual([
      "127.0.0.1 是 IP 地址，无需解析",
      "连接 127.0.0.1:41234 失败：Connection refused (os error 111)",
      "未执行：TCP 步骤失败",
      "未执行：TCP 步骤失败",
      "未执行：TCP 步骤失败",
    ]);
  });

  it("takes the diagnosis from the report's text in the UI language", () => {
    expect(diagnosis(refusedReport(), "en")).toEqual({
      code: "connect_refused",
      summary: "The connection to 127.0.0.1:41234 was refused.",
      fix: "Check that nginx listens on port 41234.",
    });
    expect(diagnosis(refusedReport(), "zh-CN").summary).toBe("连接 127.0.0.1:41234 被拒绝。");
  });
});

describe("core texts", () => {
  it("map the UI's zh-CN onto the core's zh", () => {
    expect(coreLang("zh-CN")).toBe("zh");
    expect(coreLang("en")).toBe("en");
    expect(pick({ en: "a", zh: "甲" }, "zh-CN")).toBe("甲");
  });

  it("issues of one field, errors before warnings", () => {
    const warning: Issue = { ...singleLabelIssue, code: "domain_idn_converted", severity: "warning" };
    const other: Issue = { ...singleLabelIssue, field: "wecom.corp_id" };
    const list = issuesOf([warning, other, singleLabelIssue], "resources.domain");
    expect(list.map((i) => i.severity)).toEqual(["error", "warning"]);
  });
});

describe("error code input", () => {
  it("accepts whole numbers, negative ones and a typographic minus", () => {
    expect(parseErrorCode(" 48002 ")).toBe(48002);
    expect(parseErrorCode("-40001")).toBe(-40001);
    expect(parseErrorCode("−40011")).toBe(-40011);
  });

  it("rejects anything else", () => {
    for (const s of ["", "abc", "4.2", "1e5", "--1", "12345678901"]) expect(parseErrorCode(s), s).toBeNull();
  });
});
