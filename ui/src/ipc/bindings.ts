// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit.

export type AppInfo = { name: string, version: string, };

export type IpcError = { 
/**
 * Stable, snake_case; the UI's message catalogue is keyed by it.
 */
code: Code, 
/**
 * English explanation, for logs and as the fallback when the UI lacks a translation.
 */
message: string, 
/**
 * Values the translated message needs (never secrets).
 */
params: { [key in string]: string }, };

export type Code = ErrorCode | AppCode;

export type ErrorCode = "file_read_failed" | "file_write_failed" | "file_parse_failed" | "file_version_missing" | "file_version_unsupported" | "file_exists" | "secrets_file_missing" | "plan_invalid" | "plan_incomplete" | "domain_missing" | "users_not_positive" | "tls_file_exists" | "tls_file_too_large" | "tls_write_failed" | "tls_domain_invalid" | "tls_random_failed" | "tls_generation_failed" | "tls_file_unreadable" | "tls_file_wrong_content" | "secret_leak" | "target_not_a_bundle" | "bundle_has_other_files" | "target_exists" | "output_holds_plan" | "bundle_write_failed" | "no_previous_pair" | "report_unreadable" | "echostr_and_body" | "body_too_large" | "invalid_url" | "invalid_credentials" | "invalid_pem" | "demo_certificate_failed" | "listen_failed" | "tls_setup" | "zero_timeout" | "empty_corp_id" | "invalid_corp_id" | "empty_secret" | "invalid_api_base" | "unknown_code";

export type AppCode = "state" | "no_plan" | "no_path" | "plan_not_saved" | "bad_section" | "not_demo" | "network_inputs_invalid" | "verify_not_ready" | "job_busy" | "cancelled" | "export_failed" | "reveal_failed" | "reveal_missing" | "tls_bad_mode" | "tls_domain_missing" | "tls_no_folder" | "tls_folder_relative" | "tls_generate_failed" | "tls_inspect_not_provided" | "tls_inspect_no_certificate" | "tls_report_failed" | "ipc_unavailable" | "errcode_not_a_number" | "decrypt_input_missing" | "database_url_missing" | "plan_path_missing";

export type LiveRung = { probe: number, 
/**
 * The step name, snake_case (`dns`, `gettoken`, `encoding`, …).
 */
name: string, status: Status, detail: Text, elapsed_ms: number, };

export type BandwidthAdvice = { users: number, mbps: number, };

export type Issue = { code: IssueCode, severity: Severity, 
/**
 * The field path, e.g. `resources.domain` or `secrets.token`.
 */
field: string, 
/**
 * What is wrong.
 */
message: Text, 
/**
 * How to fix it.
 */
fix: Text, 
/**
 * The values the message is built from (never a secret).
 */
params: { [key in string]: string }, };

export type IssueCode = "domain_missing" | "domain_has_scheme" | "domain_has_port" | "domain_has_path" | "domain_forbidden_char" | "domain_invalid_char" | "domain_is_ip" | "domain_too_long" | "domain_label_too_long" | "domain_empty_label" | "domain_label_hyphen" | "domain_single_label" | "domain_numeric_tld" | "domain_idn_invalid" | "domain_idn_converted" | "public_ip_invalid" | "public_ip_not_public" | "users_missing" | "users_not_positive" | "tls_mode_missing" | "tls_none" | "tls_self_signed" | "tls_certificate_missing" | "tls_files_not_set" | "tls_private_key_missing" | "server_path_not_absolute" | "server_path_forbidden_char" | "file_path_invalid" | "corp_id_missing" | "corp_id_invalid" | "corp_id_unusual_shape" | "agent_id_missing" | "agent_id_invalid" | "upstream_missing" | "upstream_has_scheme" | "upstream_has_path" | "upstream_forbidden_char" | "upstream_port_missing" | "upstream_port_invalid" | "upstream_ipv6_brackets" | "upstream_host_invalid" | "proxy_other" | "database_kind_missing" | "database_name_missing" | "database_name_invalid" | "organization_id_missing" | "organization_id_invalid" | "workspace_id_missing" | "workspace_id_invalid" | "secrets_file_missing" | "secrets_file_permissions" | "app_secret_missing" | "app_secret_invalid" | "token_missing" | "token_invalid_char" | "token_too_long" | "aes_key_missing" | "aes_key_wrong_length" | "aes_key_invalid_char" | "aes_key_padded" | "aes_key_noncanonical" | "tls_parse_error" | "tls_name_mismatch" | "tls_expired" | "tls_not_yet_valid" | "tls_expiring_soon" | "tls_key_mismatch" | "tls_chain_order" | "tls_chain_incomplete" | "tls_untrusted_root" | "tls_weak_key" | "tls_weak_signature" | "tls_chain_invalid" | "tls_chain_extra" | "tls_key_unsupported";

export type Severity = "info" | "warning" | "error";

export type Text = { en: string, zh: string, };

export type Report<X> = { 
/**
 * No step failed and the diagnosis is not an error (warnings allowed).
 */
ok: boolean, check: CheckKind, 
/**
 * The language of `detail`, `summary` and `fix` (both are always in `text`).
 */
lang: Lang, 
/**
 * From the start of the first step to the verdict.
 */
elapsed_ms: number, steps: Array<Step>, 
/**
 * Why the check passed or failed, and what to do.
 */
diagnosis: Finding, 
/**
 * What works but deserves attention; the check still passes.
 */
warnings: Array<Finding>, } & X;

export type CheckKind = "verify" | "event" | "wecom" | "database" | "certificate" | "plan";

export type Lang = "en" | "zh";

export type Step = { 
/**
 * The check's step name, snake_case (`dns`, `gettoken`, `encoding`, …).
 */
name: string, status: Status, 
/**
 * What was seen, in the report's language.
 */
detail: string, elapsed_ms: number, text: StepText, };

export type Status = "pass" | "fail" | "skip" | "warn";

export type StepText = { detail: Text, };

export type Finding = { 
/**
 * Stable, snake_case; the check's documented list.
 */
code: string, severity: Severity, 
/**
 * What it means, in the report's language.
 */
summary: string, 
/**
 * What to do, in the report's language.
 */
fix: string, 
/**
 * The values the texts were rendered with (never a secret).
 */
params: { [key in string]: string }, 
/**
 * Both languages.
 */
text: FindingText, };

export type FindingText = { summary: Text, fix: Text, };

export type LadderFacts = { 
/**
 * The callback URL as configured (no signed query).
 */
url: string, };

export type FaultMode = "json_wrapped" | "quoted" | "bom" | "trailing_newline" | "trailing_whitespace" | "echo_ciphertext" | "wrong_key" | "server_error_code" | "bytes_repr" | "double_url_decode" | "inconsistent_backends" | "html" | "not_found" | "server_error" | "auth_required" | "method_not_allowed" | "redirect" | "slow" | "hang" | "huge_body" | "empty";

export type WecomFacts = { 
/**
 * The API base URL the check used.
 */
api_base: string, corp_id: string, agent_id: number | null, 
/**
 * The egress IP WeCom saw (from a 60020 reply's `from ip:`), when it reported one.
 */
egress_ip: string | null, 
/**
 * WeCom's callback source addresses and CIDR ranges (`getcallbackip`), empty when they
 * could not be fetched. WeCom changes the list: it is as of `checked_at`.
 */
callback_ips: Array<string>, 
/**
 * When the check ran, RFC 3339 UTC.
 */
checked_at: string, };

export type ReceiverInfo = { 
/**
 * The callback URL on loopback, e.g. `https://127.0.0.1:41234/restapi/…/callback/{corpid}`.
 */
url: string, 
/**
 * The deliberate misbehaviour, if any.
 */
fault: FaultMode | null, };

export type PlanView = { plan: Plan, secrets: SecretsView, 
/**
 * Where it is saved; `null` until the first Save as.
 */
path: string | null, dirty: boolean, demo: boolean, 
/**
 * Every problem of the plan and its secrets (a provided certificate inspected too).
 */
issues: Array<Issue>, 
/**
 * Each wizard step's status, in order.
 */
steps: Array<StepState>, 
/**
 * The URL to enter in the WeCom console, once domain and corpid are valid.
 */
callback_url: string | null, bandwidth: BandwidthAdvice | null, 
/**
 * The built-in receiver while it runs: Verify targets it.
 */
receiver: ReceiverInfo | null, 
/**
 * The last verification report, kept for the export.
 */
verification: Report<LadderFacts> | null, 
/**
 * The last WeCom API check's report; its callback IPs go into the export.
 */
wecom_report: Report<WecomFacts> | null, exported: string | null, 
/**
 * What Verify checks, and what keeps it from running.
 */
verify_target: VerifyTarget, 
/**
 * The last test-event report.
 */
event_report: Report<LadderFacts> | null, 
/**
 * The last database encoding check (its URL masked, no password).
 */
database_check: Report<DbFacts> | null, 
/**
 * The admin-console steps the Callback step lists with a tick box, in order (the ids
 * `plan.wecom.console_done` holds).
 */
console_steps: Array<string>, };

export type VerifyTarget = { 
/**
 * The URL checked: the built-in receiver's while it runs (demo mode), else the callback URL;
 * `null` while unknown (no valid callback URL, or the receiver not started yet).
 */
url: string | null, 
/**
 * The built-in receiver stands in for the customer's server (demo mode); it is started by
 * the first check when it is not running.
 */
receiver: boolean, 
/**
 * The errors of the fields the check needs (corpid, Token, EncodingAESKey, and the domain
 * unless the receiver stands in): while there are any, the check refuses to run.
 */
blockers: Array<Issue>, };

export type SecretsView = { app_secret: string | null, token: string | null, encoding_aes_key: string | null, 
/**
 * The TLS private key file on this machine.
 */
private_key_file: string | null, };

export type StepState = { step: WizardStep, status: StepStatus, reason: Text | null, };

export type StepStatus = "not_started" | "done" | "warning" | "error";

export type WizardStep = "start" | "resources" | "wecom_app" | "network" | "callback" | "verify" | "database" | "export";

export type AutosaveInfo = { path: string | null, demo: boolean, };

export type Plan = { 
/**
 * The file format version (`1`).
 */
version: number, 
/**
 * The secrets file, relative to the plan file's folder; `None` means `<plan name>.secrets.toml`.
 */
secrets_file: string | null, resources: Resources, tls: Tls, wecom: WeCom, network: Network, database: Database, quick_audience: QuickAudience, };

export type Resources = { 
/**
 * The callback's second-level domain, a host name only (IDN allowed; used as punycode).
 */
domain: string | null, 
/**
 * The public IP (EIP, IPv4 or IPv6) the domain points to; optional.
 */
public_ip: string | null, 
/**
 * The number of WeCom users (members of the enterprise); sizes the EIP bandwidth.
 */
wecom_users: number | null, };

export type Tls = { mode: TlsMode | null, 
/**
 * The certificate chain (PEM, leaf first) on this machine; copied into the bundle's `tls/`.
 */
certificate_file: string | null, 
/**
 * The certificate signing request (PEM) on this machine, for mode `csr`.
 */
csr_file: string | null, 
/**
 * Where nginx reads the certificate chain on the server; default `/etc/nginx/tls/<domain>.crt`.
 */
server_certificate_path: string | null, 
/**
 * Where nginx reads the private key on the server; default `/etc/nginx/tls/<domain>.key`.
 */
server_key_path: string | null, };

export type TlsMode = "provided" | "csr" | "self_signed" | "none";

export type WeCom = { 
/**
 * The enterprise ID (corpid), e.g. `ww` + 16 hex digits.
 */
corp_id: string | null, 
/**
 * The self-built app's AgentId.
 */
agent_id: number | null, 
/**
 * The admin-console steps already done (the wizard's tick boxes), by [`CONSOLE_STEPS`] id.
 */
console_done?: Array<string>, };

export type Network = { 
/**
 * The QA service (or its SLB) as `host:port`; IPv6 as `[addr]:port`.
 */
qa_upstream: string | null, 
/**
 * The reverse proxy in front of QA; `None` means nginx.
 */
proxy: ProxyKind | null, };

export type ProxyKind = "nginx" | "other";

export type Database = { kind: DatabaseKind | null, 
/**
 * The database name (a lowercase SQL identifier).
 */
name: string | null, };

export type DatabaseKind = "gaussdb" | "postgresql";

export type QuickAudience = { 
/**
 * The QA organization ID (UUID).
 */
organization_id: string | null, 
/**
 * The QA workspace (space) ID (UUID).
 */
workspace_id: string | null, };

export type KeyAlgorithm = "rsa2048" | "ecdsa_p256";

export type TlsWritten = { view: PlanView, 
/**
 * Every file written, the private key (0600) first.
 */
files: Array<string>, };

export type NetworkFiles = { nginx_conf: string, waf_json: string, waf_steps: string, };

export type ExportResult = { summary: ExportSummary, 
/**
 * Files whose SHA-256 matches their `SHA256SUMS` line (folder exports; a zip is checked
 * inside the archive by the same lines).
 */
sums_ok: number, 
/**
 * Lines whose file is missing or differs.
 */
sums_bad: Array<string>, 
/**
 * Whether the last verification report went into `report/verification.json`.
 */
with_verification: boolean, 
/**
 * Whether `network/wecom-callback-ips.txt` lists the callback IPs of the last WeCom check
 * (otherwise it says how to fetch them).
 */
with_callback_ips: boolean, };

export type ExportSummary = { output: string, format: ExportFormat, files: Array<ExportedFile>, 
/**
 * The plan's warnings (errors stop the export).
 */
warnings: Array<Issue>, };

export type ExportedFile = { path: string, sha256: string, bytes: number, 
/**
 * Under `secrets/`.
 */
secret: boolean, };

export type ExportFormat = "dir" | "zip";

export type ErrorCodeInfo = { code: number, source: CodeSource, 
/**
 * A short stable name (the official one for library codes).
 */
name: string, meaning: Text, fix: Text, };

export type CodeSource = "wecom_api" | "callback_library";

export type Decryption = { ok: boolean, kind: CaptureKind, 
/**
 * The plaintext (the echostr's number, or the event XML) when `ok`; else what was wrong and
 * what to check, in English (never the Token or the EncodingAESKey).
 */
message: string, 
/**
 * On failure: the official code (−40001 … −40011).
 */
code?: number, 
/**
 * On failure: the official name, e.g. `ValidateCorpid_Error`.
 */
name?: string, 
/**
 * On failure: what the code means, in English and Chinese (the error-code catalogue's entry).
 */
meaning?: Text, 
/**
 * On failure: how to fix it, in English and Chinese.
 */
fix?: Text, 
/**
 * The query has no `echostr` and no body was given: it is an event POST, decrypt it with its
 * body.
 */
needs_body: boolean, };

export type CaptureKind = "url_verification" | "event";

export type ImportTrigger = { 
/**
 * `curl --location '…/{organization}/{workspace}/WECHAT_WECOM'`, to run inside the QA core
 * container; `None` while an ID has an error.
 */
command: string | null, 
/**
 * The IDs' issues (fields `quick_audience.organization_id` / `.workspace_id`).
 */
issues: Array<Issue>, };

export type DatabaseSql = { 
/**
 * `None` while the name has an error.
 */
sql: string | null, 
/**
 * The name's issues (field `database.name`), in English and Chinese.
 */
issues: Array<Issue>, };

export type DbFacts = { 
/**
 * The connection string with the password masked.
 */
target: string, host: string, port: number, user: string | null, database: string | null, 
/**
 * The libpq sslmode in force (`prefer` unless the URL says otherwise).
 */
ssl_mode: string, 
/**
 * Whether the session was encrypted.
 */
tls: boolean, server_encoding: string | null, client_encoding: string | null, 
/**
 * The database's collation (`pg_database.datcollate`).
 */
lc_collate: string | null, server_version: string | null, };

export type Rotation = { 
/**
 * `true` for a rollback.
 */
rollback: boolean, 
/**
 * The secrets file that now holds the pair to use.
 */
secrets_file: string, 
/**
 * Where the pair it replaced is kept (0600).
 */
previous_file: string, 
/**
 * What to do now, in order.
 */
steps: Array<Text>, };
