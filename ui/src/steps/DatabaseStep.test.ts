// The Database screen against a stand-in back end: the creation SQL follows the kind and name and
// reports the name's issues; the live check sends the password to the check only, shows the report
// in the UI language, and never shows the password.

import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import DatabaseStep from "./DatabaseStep.svelte";
import { setLang } from "../lib/i18n";
import { answerWith, type Handler } from "../test/backend";
import type { DatabaseSql, Finding, Step } from "../ipc";
import type { DbReport } from "../ipc/tools";

const backEnd = (handlers: Record<string, Handler>) => answerWith(invoke, handlers);

const PASSWORD = "Pg-secret-PASSWORD-91";

/** The core's answer: the script names the product and the database. */
function sqlOf(a: Record<string, unknown>): DatabaseSql {
  const name = String(a.name);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    return {
      sql: null,
      issues: [
        {
          code: "database_name_invalid",
          severity: "error",
          field: "database.name",
          message: { en: `The database name ${name} is not a plain SQL identifier.`, zh: `数据库名 ${name} 不是简单的 SQL 标识符。` },
          fix: { en: "Use lowercase letters, digits and underscores.", zh: "请使用小写字母、数字和下划线。" },
          params: { value: name },
        },
      ],
    };
  }
  const product = a.kind === "gaussdb" ? "GaussDB" : "PostgreSQL";
  return { sql: `-- on ${product}\nCREATE DATABASE ${name} WITH ENCODING 'UTF8' TEMPLATE template0;\n`, issues: [] };
}

function step(name: string, status: Step["status"], en: string, zh: string): Step {
  return { name, status, detail: en, elapsed_ms: 3, text: { detail: { en, zh } } };
}

function finding(code: string, severity: Finding["severity"], summary: [string, string], fix: [string, string]): Finding {
  return {
    code,
    severity,
    summary: summary[0],
    fix: fix[0],
    params: {},
    text: { summary: { en: summary[0], zh: summary[1] }, fix: { en: fix[0], zh: fix[1] } },
  };
}

/** A SQL_ASCII database, as `db check --json` reports it. */
const sqlAscii: DbReport = {
  ok: false,
  check: "database",
  lang: "en",
  elapsed_ms: 12,
  target: "postgresql://qa@127.0.0.1:5432/qa_analysis",
  host: "127.0.0.1",
  port: 5432,
  user: "qa",
  database: "qa_analysis",
  ssl_mode: "prefer",
  tls: false,
  server_encoding: "SQL_ASCII",
  client_encoding: "UTF8",
  lc_collate: "C",
  server_version: "15.18",
  steps: [
    step("connect", "pass", "connected to 127.0.0.1:5432 as qa", "已以 qa 身份连接 127.0.0.1:5432"),
    step("encoding", "fail", "server_encoding is SQL_ASCII", "server_encoding 为 SQL_ASCII"),
  ],
  diagnosis: finding(
    "encoding_sql_ascii",
    "error",
    ["The database is SQL_ASCII: QA's import will fail.", "数据库编码为 SQL_ASCII：QA 导入将失败。"],
    ["Create a new database with UTF8.", "请以 UTF8 新建数据库。"],
  ),
  warnings: [],
};

beforeEach(() => {
  setLang("en");
  invoke.mockReset();
});

describe("Database step: the creation SQL", () => {
  it("asks the core for the script of the kind it is given and follows the edits", async () => {
    backEnd({ database_sql: sqlOf });
    const onchange = vi.fn();
    render(DatabaseStep, { kind: "gaussdb", onchange });
    expect(invoke).toHaveBeenLastCalledWith("database_sql", { kind: "gaussdb", name: "qa_analysis" });
    const sql = (await screen.findByTestId("database-sql")) as HTMLTextAreaElement;
    await vi.waitFor(() => expect(sql.value).toContain("on GaussDB"));
    await fireEvent.change(screen.getByTestId("database-kind"), { target: { value: "postgresql" } });
    expect(invoke).toHaveBeenLastCalledWith("database_sql", { kind: "postgresql", name: "qa_analysis" });
    expect(onchange).toHaveBeenLastCalledWith({ kind: "postgresql", name: "qa_analysis" });
    await vi.waitFor(() => expect((screen.getByTestId("database-sql") as HTMLTextAreaElement).value).toContain("on PostgreSQL"));
  });

  it("without a kind it asks for one and shows no script until it is chosen", async () => {
    backEnd({ database_sql: sqlOf });
    const onchange = vi.fn();
    render(DatabaseStep, { kind: null, onchange });
    expect(screen.getByTestId("database-kind").textContent).toContain("Choose the database");
    expect(invoke).not.toHaveBeenCalled();
    expect(screen.queryByTestId("database-sql")).toBeNull();
    await fireEvent.change(screen.getByTestId("database-kind"), { target: { value: "gaussdb" } });
    expect(onchange).toHaveBeenLastCalledWith({ kind: "gaussdb", name: "qa_analysis" });
    expect(((await screen.findByTestId("database-sql")) as HTMLTextAreaElement).value).toContain("on GaussDB");
  });

  it("a bad name shows the core's issue in the current language and no script", async () => {
    backEnd({ database_sql: sqlOf });
    render(DatabaseStep, { kind: "postgresql", name: "qa_analysis" });
    await screen.findByTestId("database-sql");
    await fireEvent.input(screen.getByTestId("database-name"), { target: { value: "QA-Analysis" } });
    const issues = await screen.findByTestId("database-name-issues");
    expect(issues.textContent).toContain("is not a plain SQL identifier");
    expect(screen.queryByTestId("database-sql")).toBeNull();
    expect(screen.getByTestId("database-name").getAttribute("aria-invalid")).toBe("true");
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("database-name-issues").textContent).toContain("不是简单的 SQL 标识符"));
  });
});

describe("Database step: the live check", () => {
  it("sends URL and password to the check only and shows the report, never the password", async () => {
    backEnd({ database_sql: sqlOf, database_check: () => sqlAscii });
    render(DatabaseStep, { kind: "postgresql" });
    await fireEvent.input(screen.getByTestId("database-url"), { target: { value: " postgresql://qa@127.0.0.1:5432/qa_analysis " } });
    await fireEvent.input(screen.getByTestId("database-password"), { target: { value: PASSWORD } });
    await fireEvent.click(screen.getByTestId("database-check"));
    expect(invoke).toHaveBeenLastCalledWith("database_check", {
      url: "postgresql://qa@127.0.0.1:5432/qa_analysis",
      password: PASSWORD,
    });
    expect(invoke.mock.calls.filter(([cmd]) => cmd !== "database_check").flat().join(" ")).not.toContain(PASSWORD);
    const report = await screen.findByTestId("database-report");
    expect(report.getAttribute("data-ok")).toBe("false");
    const rungs = [...report.querySelectorAll("[data-rung]")].map((r) => `${r.getAttribute("data-rung")}:${r.getAttribute("data-status")}`);
    expect(rungs).toEqual(["connect:pass", "encoding:fail"]);
    expect(report.textContent).toContain("Connect");
    expect(screen.getByTestId("database-report-diagnosis").getAttribute("data-code")).toBe("encoding_sql_ascii");
    expect(screen.getByTestId("database-facts").textContent).toContain("SQL_ASCII");
    expect(document.body.textContent).not.toContain(PASSWORD);
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("database-report-diagnosis").textContent).toContain("请以 UTF8 新建数据库"));
    expect(screen.getByTestId("database-report").textContent).toContain("编码");
  });

  it("an empty password is sent as none; no URL asks for one; an unusable URL says how to write it", async () => {
    backEnd({
      database_sql: sqlOf,
      database_check: (a) => {
        if (String(a.url).startsWith("postgresql://[")) throw { code: "invalid_url", message: "invalid IPv6 host", params: {} };
        return sqlAscii;
      },
    });
    render(DatabaseStep, { kind: "postgresql" });
    await fireEvent.click(screen.getByTestId("database-check"));
    expect(invoke).not.toHaveBeenCalledWith("database_check", expect.anything());
    expect((await screen.findByTestId("database-error")).textContent).toContain("Enter the connection URL");
    await fireEvent.input(screen.getByTestId("database-url"), { target: { value: "postgresql://qa@db/qa" } });
    await fireEvent.click(screen.getByTestId("database-check"));
    expect(invoke).toHaveBeenLastCalledWith("database_check", { url: "postgresql://qa@db/qa", password: null });
    await fireEvent.input(screen.getByTestId("database-url"), { target: { value: "postgresql://[::1/qa" } });
    await fireEvent.click(screen.getByTestId("database-check"));
    const error = (await screen.findByTestId("database-error")).textContent;
    expect(error).toContain("invalid IPv6 host");
    expect(error).toContain("postgresql://user@host:5432/database");
  });
});
