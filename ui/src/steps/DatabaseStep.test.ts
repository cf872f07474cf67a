// The Database screen on the open plan, against a stand-in back end: kind and name are the plan's
// `database` section (edits sent whole, the core's issues shown), the creation SQL follows the
// plan's values; the live check sends the password to the check only, its report comes back in
// the plan's view, in the UI language, and the password is masked and never shown.

import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import DatabaseStep from "./DatabaseStep.svelte";
import { setLang } from "../lib/i18n";
import { loaded } from "../lib/plan.svelte";
import { demoView, issue, newView } from "../test/plan";
import { planFake, type PlanFake } from "../test/planFake";
import type { Handler } from "../test/backend";
import { finding, step, t } from "../test/fixtures";
import type { DatabaseSql, PlanView } from "../ipc";
import type { DbReport } from "../ipc/tools";
import { freshEachTest } from "../test/fresh";

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
    step("connect", "pass", "connected to 127.0.0.1:5432 as qa", "已以 qa 身份连接 127.0.0.1:5432", 3),
    step("encoding", "fail", "server_encoding is SQL_ASCII", "server_encoding 为 SQL_ASCII", 3),
  ],
  diagnosis: finding(
    "encoding_sql_ascii",
    "error",
    t("The database is SQL_ASCII: QA's import will fail.", "数据库编码为 SQL_ASCII：QA 导入将失败。"),
    t("Create a new database with UTF8.", "请以 UTF8 新建数据库。"),
  ),
  warnings: [],
};

/** The core's rule this test relies on: the name must be a plain lowercase identifier. */
const nameIssues = (v: PlanView) => {
  const name = v.plan.database.name ?? "";
  return /^[a-z_][a-z0-9_]*$/.test(name)
    ? []
    : [
        issue(
          "database.name",
          "database_name_invalid",
          "error",
          { en: `The database name ${name} is not a plain SQL identifier.`, zh: `数据库名 ${name} 不是简单的 SQL 标识符。` },
          { en: "Use lowercase letters, digits and underscores.", zh: "请使用小写字母、数字和下划线。" },
        ),
      ];
};

/** The plan on the fake back end, with the SQL and the check as the Rust side answers them. */
function backEnd(start: PlanView, check?: Handler): PlanFake {
  return planFake(invoke, start, {
    issues: nameIssues,
    handlers: (f) => ({
      database_sql: sqlOf,
      database_check: (a) => {
        f.view.database_check = (check ?? (() => sqlAscii))(a) as DbReport;
        return f.answer();
      },
    }),
  });
}

const sqlText = () => (screen.getByTestId("database-sql") as HTMLTextAreaElement).value;

freshEachTest(invoke);

describe("Database step: the plan's database and its creation SQL", () => {
  it("shows the plan's kind and name, asks the core for that script and sends an edit as the whole section", async () => {
    const fake = backEnd(demoView());
    render(DatabaseStep);
    expect((screen.getByTestId("field-database.kind") as HTMLSelectElement).value).toBe("gaussdb");
    expect((screen.getByTestId("field-database.name") as HTMLInputElement).value).toBe("qa_analysis");
    expect(invoke).toHaveBeenLastCalledWith("database_sql", { kind: "gaussdb", name: "qa_analysis" });
    await vi.waitFor(() => expect(sqlText()).toContain("on GaussDB"));
    await fireEvent.change(screen.getByTestId("field-database.kind"), { target: { value: "postgresql" } });
    expect(invoke).toHaveBeenCalledWith("plan_update", {
      section: "database",
      value: { kind: "postgresql", name: "qa_analysis" },
    });
    await vi.waitFor(() => expect(sqlText()).toContain("on PostgreSQL"));
    expect(fake.view.plan.database).toEqual({ kind: "postgresql", name: "qa_analysis" });
  });

  it("without a kind it asks for one and shows no script until it is chosen", async () => {
    const v = newView();
    v.plan.database = { kind: null, name: "qa_analysis" };
    backEnd(v);
    render(DatabaseStep);
    expect(screen.getByTestId("field-database.kind").textContent).toContain("Choose the database");
    expect(invoke).not.toHaveBeenCalledWith("database_sql", expect.anything());
    expect(screen.queryByTestId("database-sql")).toBeNull();
    await fireEvent.change(screen.getByTestId("field-database.kind"), { target: { value: "gaussdb" } });
    await vi.waitFor(() => expect(sqlText()).toContain("on GaussDB"));
  });

  it("a bad name shows the core's issue in the current language and no script; a blank one is sent as none", async () => {
    backEnd(newView());
    render(DatabaseStep);
    await screen.findByTestId("database-sql");
    await fireEvent.input(screen.getByTestId("field-database.name"), { target: { value: "QA-Analysis" } });
    const issues = await screen.findByTestId("issues-database.name");
    expect(issues.textContent).toContain("is not a plain SQL identifier");
    await vi.waitFor(() => expect(screen.queryByTestId("database-sql")).toBeNull());
    expect(screen.getByTestId("field-database.name").getAttribute("aria-invalid")).toBe("true");
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("issues-database.name").textContent).toContain("不是简单的 SQL 标识符"));
    await fireEvent.input(screen.getByTestId("field-database.name"), { target: { value: " " } });
    expect(invoke).toHaveBeenCalledWith("plan_update", { section: "database", value: { kind: "postgresql", name: null } });
  });

  it("another plan loaded shows that plan's database", async () => {
    backEnd(newView());
    render(DatabaseStep);
    loaded(demoView());
    await vi.waitFor(() => expect((screen.getByTestId("field-database.kind") as HTMLSelectElement).value).toBe("gaussdb"));
  });
});

describe("Database step: the live check", () => {
  it("sends URL and password to the check only and shows the plan's report, the password masked and never shown", async () => {
    backEnd(newView());
    render(DatabaseStep);
    const password = screen.getByTestId("database-password") as HTMLInputElement;
    expect(password.type).toBe("password");
    await fireEvent.input(screen.getByTestId("database-url"), { target: { value: " postgresql://qa@127.0.0.1:5432/qa_analysis " } });
    await fireEvent.input(password, { target: { value: PASSWORD } });
    await fireEvent.click(screen.getByTestId("database-password-reveal"));
    expect(password.type).toBe("text");
    await fireEvent.click(screen.getByTestId("database-password-reveal"));
    await fireEvent.click(screen.getByTestId("database-check"));
    expect(invoke).toHaveBeenLastCalledWith("database_check", {
      url: "postgresql://qa@127.0.0.1:5432/qa_analysis",
      password: PASSWORD,
      job: expect.stringMatching(/^database-/),
    });
    expect(invoke.mock.calls.filter(([cmd]) => cmd !== "database_check").flat().map((a) => JSON.stringify(a)).join(" ")).not.toContain(PASSWORD);
    const report = await screen.findByTestId("database-report");
    expect(report.getAttribute("data-ok")).toBe("false");
    const rungs = [...report.querySelectorAll("[data-rung]")].map((r) => `${r.getAttribute("data-rung")}:${r.getAttribute("data-status")}`);
    expect(rungs).toEqual(["connect:pass", "encoding:fail"]);
    expect(report.textContent).toContain("Connect");
    expect(screen.getByTestId("database-report-diagnosis").getAttribute("data-code")).toBe("encoding_sql_ascii");
    expect(screen.getByTestId("database-facts").textContent).toContain("SQL_ASCII");
    expect(document.body.textContent).not.toContain(PASSWORD);
    expect(JSON.stringify({ ...localStorage })).not.toContain(PASSWORD);
    setLang("zh-CN");
    await vi.waitFor(() => expect(screen.getByTestId("database-report-diagnosis").textContent).toContain("请以 UTF8 新建数据库"));
    expect(screen.getByTestId("database-report").textContent).toContain("编码");
  });

  it("the plan's last check is shown when the screen opens", () => {
    const v = newView();
    v.database_check = sqlAscii;
    backEnd(v);
    render(DatabaseStep);
    expect(screen.getByTestId("database-report-diagnosis").getAttribute("data-code")).toBe("encoding_sql_ascii");
  });

  it("an empty password is sent as none; no URL asks for one; an unusable URL says how to write it", async () => {
    backEnd(newView(), (a) => {
      if (String(a.url).startsWith("postgresql://[")) throw { code: "invalid_url", message: "invalid IPv6 host", params: {} };
      return sqlAscii;
    });
    render(DatabaseStep);
    await fireEvent.click(screen.getByTestId("database-check"));
    expect(invoke).not.toHaveBeenCalledWith("database_check", expect.anything());
    expect((await screen.findByTestId("database-error")).textContent).toContain("Enter the connection URL");
    await fireEvent.input(screen.getByTestId("database-url"), { target: { value: "postgresql://qa@db/qa" } });
    await fireEvent.click(screen.getByTestId("database-check"));
    expect(invoke).toHaveBeenLastCalledWith("database_check", {
      url: "postgresql://qa@db/qa",
      password: null,
      job: expect.stringMatching(/^database-/),
    });
    await fireEvent.input(screen.getByTestId("database-url"), { target: { value: "postgresql://[::1/qa" } });
    await fireEvent.click(screen.getByTestId("database-check"));
    const error = (await screen.findByTestId("database-error")).textContent;
    expect(error).toContain("invalid IPv6 host");
    expect(error).toContain("postgresql://user@host:5432/database");
  });
});
