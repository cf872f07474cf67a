// Typed wrappers of the Database and Troubleshoot tools (database_sql, database_check,
// decrypt_callback, import_trigger), over the one IPC entry point of ./index.

import {
  call,
  type DatabaseKind,
  type DatabaseSql,
  type DbFacts,
  type Decryption,
  type ImportTrigger,
  type PlanView,
  type Report,
} from "./index";

/** The database check's report: the one report shape with the database facts. */
export type DbReport = Report<DbFacts>;

/** The script that creates the analysis database with UTF8 for `kind`, or the name's issues. */
export const databaseSql = (kind: DatabaseKind, name: string) => call<DatabaseSql>("database_sql", { kind, name });

/** `qa-wecom db check`: connect and judge the encoding; the report lands in the open plan's view
 *  (`database_check`). The password goes to this one call only (null when the URL carries it) and
 *  never comes back. */
export const databaseCheck = (url: string, password: string | null, job?: string) =>
  call<PlanView>("database_check", { url, password, job: job ?? null });

/** `qa-wecom decrypt`: a pasted capture (query string or whole URL, plus the body of an event POST). */
export const decryptCallback = (c: {
  token: string;
  encodingAesKey: string;
  corpId: string;
  query: string;
  body: string | null;
}) =>
  call<Decryption>("decrypt_callback", {
    token: c.token,
    encoding_aes_key: c.encodingAesKey,
    corp_id: c.corpId,
    query: c.query,
    body: c.body,
  });

/** The seed §6.2 import command for an organization and a workspace, or the IDs' issues. */
export const importTrigger = (organizationId: string, workspaceId: string) =>
  call<ImportTrigger>("import_trigger", { organization_id: organizationId, workspace_id: workspaceId });
