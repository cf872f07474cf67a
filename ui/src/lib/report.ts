// Pure helpers that turn the core's bilingual data (validation issues, live reports, error-code
// entries) into what a screen shows in the current UI language.

import type { Finding, Issue, LiveRung, Report, Status, Text } from "../ipc";
import type { Lang } from "./i18n";

/** The core's texts come as { en, zh }; the UI's languages are "en" and "zh-CN". */
export function coreLang(lang: Lang): "en" | "zh" {
  return lang === "zh-CN" ? "zh" : "en";
}

export function pick(text: Text, lang: Lang): string {
  return text[coreLang(lang)];
}

/** The issues of one field, errors first. */
export function issuesOf(issues: Issue[], field: string): Issue[] {
  const rank = (i: Issue) => (i.severity === "error" ? 0 : 1);
  return issues.filter((i) => i.field === field).sort((a, b) => rank(a) - rank(b));
}

export type Rung = {
  name: string;
  status: Status;
  detail: string;
  elapsedMs: number;
  /** i18n keys of the rung's label and its status word. */
  labelKey: string;
  statusKey: string;
  icon: string;
};

const ICON: Record<Status, string> = { pass: "✓", fail: "✗", skip: "–", warn: "!" };

/** The steps of a report in order (for the ladder DNS → TCP → TLS → HTTP → reply), each detail in
 *  the UI's language (the report carries English and Chinese); rung names are labelled from
 *  `<labels>.<step name>`. */
export function ladder<X>(report: Report<X>, lang: Lang, labels = "verify.rung"): Rung[] {
  return report.steps.map((s) => ({
    name: s.name,
    status: s.status,
    detail: pick(s.text.detail, lang),
    elapsedMs: s.elapsed_ms,
    labelKey: `${labels}.${s.name}`,
    statusKey: `verify.status.${s.status}`,
    icon: ICON[s.status],
  }));
}

/** The rungs of a check that is still running, as they arrived: one per step name in the order
 *  the names first came, each showing its latest (a verification climbs TCP → reply once per
 *  probe; the last probe's rung stands). */
export function liveLadder(rungs: LiveRung[], lang: Lang, labels = "verify.rung"): Rung[] {
  const byName = new Map<string, LiveRung>();
  for (const r of rungs) byName.set(r.name, r);
  return [...byName.values()].map((r) => ({
    name: r.name,
    status: r.status,
    detail: pick(r.detail, lang),
    elapsedMs: r.elapsed_ms,
    labelKey: `${labels}.${r.name}`,
    statusKey: `verify.status.${r.status}`,
    icon: ICON[r.status],
  }));
}

/** A finding's code, summary and fix in the UI's language (the report carries both). */
export function finding(f: Finding, lang: Lang): { code: string; summary: string; fix: string } {
  return { code: f.code, summary: pick(f.text.summary, lang), fix: pick(f.text.fix, lang) };
}

/** The diagnosis of a report in the UI's language. */
export function diagnosis<X>(report: Report<X>, lang: Lang): { code: string; summary: string; fix: string } {
  return finding(report.diagnosis, lang);
}

/** A typed error code ("48002", "-40001", " 60020 "), or null when it is not a whole number. */
export function parseErrorCode(text: string): number | null {
  const s = text.trim().replace(/^[−–]/, "-");
  if (!/^-?\d{1,9}$/.test(s)) return null;
  return Number(s);
}
