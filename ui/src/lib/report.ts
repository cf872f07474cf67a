// Pure helpers that turn the core's bilingual data (validation issues, live reports, error-code
// entries) into what a screen shows in the current UI language.

import type { Issue, Report, StepName, StepStatus, Text } from "../ipc";
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
  name: StepName;
  status: StepStatus;
  detail: string;
  elapsedMs: number;
  /** i18n keys of the rung's label and its status word. */
  labelKey: string;
  statusKey: string;
  icon: string;
};

const ICON: Record<StepStatus, string> = { pass: "✓", fail: "✗", skip: "–" };

/** The five rungs of a report, in order DNS → TCP → TLS → HTTP → reply, each detail in the UI's
 *  language (the report carries English and Chinese). */
export function ladder(report: Report, lang: Lang): Rung[] {
  return report.steps.map((s) => ({
    name: s.name,
    status: s.status,
    detail: coreLang(lang) === "zh" ? s.detail_zh : s.detail,
    elapsedMs: s.elapsed_ms,
    labelKey: `verify.rung.${s.name}`,
    statusKey: `verify.status.${s.status}`,
    icon: ICON[s.status],
  }));
}

/** The diagnosis summary and fix in the UI's language (the report carries both). */
export function diagnosis(report: Report, lang: Lang): { code: string; summary: string; fix: string } {
  const t = report.diagnosis.i18n[coreLang(lang)];
  return { code: report.diagnosis.code, summary: t.summary, fix: t.fix };
}

/** A typed error code ("48002", "-40001", " 60020 "), or null when it is not a whole number. */
export function parseErrorCode(text: string): number | null {
  const s = text.trim().replace(/^[−–]/, "-");
  if (!/^-?\d{1,9}$/.test(s)) return null;
  return Number(s);
}
