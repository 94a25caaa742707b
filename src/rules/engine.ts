/**
 * Runs the catalogue over a loaded document. Rules only say what and where (messageId, data, a path);
 * the engine turns that into located, worded findings, so wording stays in `meta.messages` and locations
 * stay in the loader. A rule that throws is our bug, not the user's: it becomes one internal-error finding
 * and the other rules still run (as cdk-nag's `applyRule` does).
 */
import {
  describeBranches,
  maskedDocumentText,
  type ReadOptions,
  readTask,
  type TaskBranch,
  taskBranches,
} from "../model/index.js";
import { LineIndex, toJsonPath } from "../taskdef/index.js";
import type { ServiceView, TaskDefinitionDocument, TaskDefinitionView } from "../taskdef/model.js";
import { rules as catalogue } from "./catalogue.js";
import { FLP302 } from "./FLP302-suppression-hides-nothing.js";
import { type InlineSuppression, inlineSuppressions } from "./inline-suppressions.js";
import type { Finding, LintFileResult, Report, Rule, RuleContext, Severity, Suppression } from "./types.js";

export interface LintOptions {
  /** Rule ids to skip (case-insensitive). */
  readonly disable?: readonly string[];
  /** Rules to run instead of the whole catalogue (tests, the CDK adapter). */
  readonly rules?: readonly Rule[];
  /** Findings accepted on purpose; see `parseSuppression`. */
  readonly suppressions?: readonly Suppression[];
  /** Severity per rule id, instead of the rule's own (a project's config). */
  readonly severity?: Readonly<Record<string, Severity>>;
}

/** A suppression without a usable reason or id. */
export class SuppressionError extends Error {
  override readonly name = "SuppressionError";
}

/** Reasons shorter than this say nothing (cdk-nag's rule). */
export const MIN_SUPPRESSION_REASON = 10;

/** `FLP203=reason` or `FLP203[log-router,fluent]=reason` → a checked `Suppression`. */
export function parseSuppression(spec: string): Suppression {
  const eq = spec.indexOf("=");
  const target = (eq < 0 ? spec : spec.slice(0, eq)).trim();
  const reason = eq < 0 ? "" : spec.slice(eq + 1).trim();
  const m = /^(FLP\d{3})(?:\[([^\]]+)\])?$/i.exec(target);
  if (!m) throw new SuppressionError(`suppression "${spec}": expected FLPnnn or FLPnnn[container]=reason`);
  const suppression: Suppression = {
    id: (m[1] as string).toUpperCase(),
    reason,
    ...(m[2] === undefined ? {} : { appliesTo: m[2].split(",").map((s) => s.trim()) }),
  };
  checkSuppression(suppression);
  return suppression;
}

function checkSuppression(s: Suppression): void {
  if (s.reason.trim().length < MIN_SUPPRESSION_REASON) {
    throw new SuppressionError(
      `suppression of ${s.id}: a reason of at least ${MIN_SUPPRESSION_REASON} characters is required (got "${s.reason}")`,
    );
  }
}

/** Whether a suppression acknowledges a finding (its rule, and its container when it names some). */
export function suppressionMatches(s: Suppression, f: Finding): boolean {
  return (
    !f.internalError &&
    s.id.toUpperCase() === f.ruleId &&
    (s.appliesTo === undefined || (f.container !== undefined && s.appliesTo.includes(f.container)))
  );
}

/** Suppressions that acknowledged none of the findings: they hide nothing any more. */
export function unusedSuppressions(
  suppressions: readonly Suppression[],
  findings: readonly Finding[],
): Suppression[] {
  return suppressions.filter((s) => !findings.some((f) => suppressionMatches(s, f)));
}

export const SEVERITIES: readonly Severity[] = ["error", "warning", "note"];

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, note: 1 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

export function parseSeverity(text: string): Severity | undefined {
  const t = text.trim().toLowerCase();
  return (SEVERITIES as readonly string[]).includes(t) ? (t as Severity) : undefined;
}

/** `--fail-on` threshold: `none` never fails. */
export type FailOn = Severity | "none";

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** Whether the findings should make the CLI exit 1. Internal errors always count; suppressed findings never. */
export function failsAt(findings: readonly Finding[], failOn: FailOn): boolean {
  return findings.some(
    (f) =>
      f.internalError === true ||
      (f.suppressed === undefined && failOn !== "none" && atOrAbove(f.severity, failOn)),
  );
}

/** The worst severity among unsuppressed findings, or `undefined` when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) {
    if (f.suppressed === undefined && (worst === undefined || RANK[f.severity] > RANK[worst]))
      worst = f.severity;
  }
  return worst;
}

/** Most severe first, then by position, then by rule id. */
export function compareBySeverity(a: Finding, b: Finding): number {
  return RANK[b.severity] - RANK[a.severity] || compareByPosition(a, b);
}

export function compareByPosition(a: Finding, b: Finding): number {
  if (a.location.file !== b.location.file) return a.location.file < b.location.file ? -1 : 1;
  return a.location.offset - b.location.offset || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** Templates split once into literal text (even indexes) and placeholder names (odd indexes). */
const compiled = new Map<string, readonly string[]>();

function compile(template: string): readonly string[] {
  let parts = compiled.get(template);
  if (parts === undefined) {
    parts = template.split(/\{\{\s*(\w+)\s*\}\}/);
    compiled.set(template, parts);
  }
  return parts;
}

/** Fill `{{name}}` placeholders; a placeholder without data stays visible rather than vanishing. */
export function formatMessage(
  template: string,
  data: Readonly<Record<string, string | number>> | undefined,
): string {
  const parts = compile(template);
  let out = parts[0] ?? "";
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as string;
    const v = data?.[key];
    out += (v === undefined ? `{{${key}}}` : String(v)) + (parts[i + 1] ?? "");
  }
  return out;
}

function enabledRules(options: LintOptions): readonly Rule[] {
  const all = options.rules ?? catalogue;
  if (!options.disable || options.disable.length === 0) return all;
  const off = new Set(options.disable.map((d) => d.trim().toUpperCase()));
  return all.filter((r) => !off.has(r.meta.id.toUpperCase()));
}

function servicesOf(doc: TaskDefinitionDocument, td: TaskDefinitionView): readonly ServiceView[] {
  return doc.services.length === 0 ? [] : doc.services.filter((s) => s.taskDefinitionRef === td.id);
}

/** Run one rule over one task definition; returns its findings (or one internal-error finding). */
export function runRule(
  doc: TaskDefinitionDocument,
  td: TaskDefinitionView,
  rule: Rule,
  services: readonly ServiceView[] = servicesOf(doc, td),
): Finding[] {
  const out: Finding[] = [];
  runRules(doc, td, [rule], services, out);
  return out;
}

/**
 * Run rules over one task definition, appending to `out`. A task whose values are chosen by conditions is read
 * once per branch (model/branches.ts) and every rule runs on each reading: a finding that holds in every branch
 * is reported once as it is; one that holds in some says when (`… (when condition UseHealthCheck is false)`).
 */
function runRules(
  doc: TaskDefinitionDocument,
  td: TaskDefinitionView,
  list: readonly Rule[],
  services: readonly ServiceView[],
  out: Finding[],
): void {
  const options = { serviceConnect: services.some((s) => s.serviceConnect === true) };
  const all = taskBranches(td);
  if (all.branches.length === 1) {
    runBranch(doc, td, all.branches[0] as TaskBranch, list, services, options, out);
    return;
  }
  const merged = new Map<string, { finding: Finding; holding: number[] }>();
  all.branches.forEach((branch, i) => {
    const found: Finding[] = [];
    runBranch(doc, td, branch, list, services, options, found);
    for (const f of found) {
      const key = `${f.ruleId}\u0000${f.message}\u0000${f.jsonPath}\u0000${f.container ?? ""}`;
      const seen = merged.get(key);
      if (seen === undefined) merged.set(key, { finding: f, holding: [i] });
      else if (!seen.holding.includes(i)) seen.holding.push(i);
    }
  });
  for (const { finding, holding } of merged.values()) {
    const when = describeBranches(all, holding);
    out.push(when === undefined ? finding : { ...finding, message: `${finding.message} (when ${when})` });
  }
}

/**
 * Run rules over one branch's reading. One context serves every rule (linting is hot: `check` runs it per file),
 * and a rule that throws loses its partial findings for one internal error. The context's `taskDefinition` is the
 * view as loaded (rules compare it with the document's); `task` is this branch's reading.
 */
function runBranch(
  doc: TaskDefinitionDocument,
  td: TaskDefinitionView,
  branch: TaskBranch,
  list: readonly Rule[],
  services: readonly ServiceView[],
  options: ReadOptions,
  out: Finding[],
): void {
  let current: Rule | undefined;
  const context: RuleContext = {
    document: doc,
    taskDefinition: td,
    task: readTask(branch.view, options),
    services,
    report(report: Report) {
      if (current !== undefined) out.push(toFinding(doc, td, current, written(report, branch)));
    },
  };
  for (const rule of list) {
    current = rule;
    const mark = out.length;
    try {
      rule.check(context);
    } catch (error) {
      out.length = mark;
      out.push(internalError(doc, td, rule, error));
    }
  }
}

/** A report about a branch's container, located where that container is written (branches number them densely). */
function written(report: Report, branch: TaskBranch): Report {
  const path = report.path;
  const at = path?.[1];
  if (path === undefined || path[0] !== "containerDefinitions" || typeof at !== "number") return report;
  const index = branch.writtenIndex[at];
  return index === undefined || index === at
    ? report
    : { ...report, path: ["containerDefinitions", index, ...path.slice(2)] };
}

function internalError(
  doc: TaskDefinitionDocument,
  td: TaskDefinitionView,
  rule: Rule,
  error: unknown,
): Finding {
  const detail = error instanceof Error ? error.message : String(error);
  let location = { file: doc.file, line: 1, column: 1, offset: 0, length: 0 };
  try {
    location = doc.locate(td.path);
  } catch {
    // The document itself is broken; the file start is the best place left.
  }
  return {
    ruleId: rule.meta.id,
    severity: "error",
    title: rule.meta.title,
    message: `Internal error: rule ${rule.meta.id} failed on task definition '${td.id}' (${detail}); its verdict is unknown. Please report this.`,
    messageId: "internalError",
    taskDefinition: td.id,
    location,
    jsonPath: toJsonPath(td.path),
    rawPath: td.path,
    fixHint: "This is a bug in firelens-preflight, not in the task definition.",
    internalError: true,
  };
}

function toFinding(doc: TaskDefinitionDocument, td: TaskDefinitionView, rule: Rule, report: Report): Finding {
  const { meta } = rule;
  const template = meta.messages[report.messageId];
  if (template === undefined) throw new Error(`unknown messageId '${report.messageId}'`);
  const raw = report.rawPath ?? doc.rawPath(td, report.path ?? []);
  const location =
    report.offset === undefined
      ? doc.locate(raw)
      : {
          file: doc.file,
          ...new LineIndex(doc.text).position(report.offset),
          offset: report.offset,
          length: 0,
        };
  return {
    ruleId: meta.id,
    severity: meta.messageSeverities?.[report.messageId] ?? meta.severity,
    title: meta.title,
    message: formatMessage(template, report.data),
    messageId: report.messageId,
    taskDefinition: td.id,
    container: report.container,
    location,
    jsonPath: toJsonPath(raw),
    rawPath: raw,
    fixHint: meta.fixHint,
  };
}

/** Lint every task definition in a document (with the services that run it). Never throws for a rule's sake. */
export function lintDocument(doc: TaskDefinitionDocument, options: LintOptions = {}): Finding[] {
  const active = enabledRules(options);
  let findings: Finding[] = [];
  for (const td of doc.taskDefinitions) runRules(doc, td, active, servicesOf(doc, td), findings);
  if (findings.length > 1) findings.sort(compareByPosition);
  const override = options.severity;
  if (override !== undefined) {
    findings = findings.map((f) => {
      const severity = override[f.ruleId];
      return severity === undefined || f.internalError ? f : { ...f, severity };
    });
  }
  const inline = inlineSuppressions(doc).suppressions;
  const suppressions = options.suppressions ?? [];
  for (const s of suppressions) checkSuppression(s);
  if (suppressions.length === 0 && inline.length === 0) return findings;
  const suppressed = findings.map((f) => {
    const hit = suppressions.find((s) => suppressionMatches(s, f)) ?? inline.find((s) => inlineMatches(s, f));
    return hit === undefined ? f : { ...f, suppressed: { reason: hit.reason } };
  });
  if (!active.includes(FLP302)) return suppressed;
  const unused = inline.filter((s) => !findings.some((f) => inlineMatches(s, f)));
  return [...suppressed, ...unused.map((s) => unusedFinding(doc, s))].sort(compareByPosition);
}

function inlineMatches(s: InlineSuppression, f: Finding): boolean {
  return (
    (s.taskDefinition === undefined || s.taskDefinition === f.taskDefinition) && suppressionMatches(s, f)
  );
}

/** The engine's own FLP302 finding: an inline suppression whose finding is gone. */
function unusedFinding(doc: TaskDefinitionDocument, s: InlineSuppression): Finding {
  const td = doc.taskDefinitions.find((t) => t.id === s.taskDefinition) ?? doc.taskDefinitions[0];
  const report: Report = {
    messageId: "unused",
    data: {
      rule: s.id,
      containers: s.appliesTo === undefined ? "" : `[${s.appliesTo.join(",")}]`,
      reason: s.reason,
    },
    ...("rawPath" in s.at ? { rawPath: s.at.rawPath } : { offset: s.at.offset, rawPath: [] }),
  };
  if (td === undefined) throw new Error("a suppression outside any task definition");
  return toFinding(doc, td, FLP302, report);
}

/** `lintDocument` packaged with what the renderers need from the document. */
export function lintResult(doc: TaskDefinitionDocument, options: LintOptions = {}): LintFileResult {
  return {
    file: doc.file,
    text: maskedDocumentText(doc),
    format: doc.format,
    findings: lintDocument(doc, options),
  };
}

export interface SeverityCounts {
  readonly error: number;
  readonly warning: number;
  readonly note: number;
}

/** Counts of unsuppressed findings. */
export function countBySeverity(findings: Iterable<Finding>): SeverityCounts {
  const c = { error: 0, warning: 0, note: 0 };
  for (const f of findings) if (f.suppressed === undefined) c[f.severity]++;
  return c;
}
