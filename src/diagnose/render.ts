/** Renderers: pure functions from a `Diagnosis` to text. The CLI decides where the text goes. */
import { createColors } from "picocolors";
import { maskSecretsInFreeText, printable, printableJson } from "../model/index.js";
import { ruleById } from "../rules/index.js";
import { shortTaskDefinition } from "./services.js";
import type { Diagnosis, DiagnosisKind, EvidenceLine, Prevention, TaskDiagnosis } from "./types.js";

export interface TextRenderOptions {
  readonly color?: boolean;
}

/** Bump when the JSON shape changes incompatibly. */
export const DIAGNOSIS_JSON_VERSION = 1;

const BAD: ReadonlySet<DiagnosisKind> = new Set([
  "router-crash",
  "router-exited",
  "out-of-memory",
  "essential-exited",
  "failed-to-start",
  "unknown",
]);
const EXPECTED: ReadonlySet<DiagnosisKind> = new Set(["gate-failed", "held-back"]);

function preventionLine(p: Prevention): { head: string; text: string } {
  if (p.kind === "rule") {
    const title = ruleById(p.id)?.meta.title;
    return { head: p.id, text: `${title === undefined ? "" : `${title}: `}${p.why}` };
  }
  if (p.kind === "fix") return { head: "fix", text: `\`${p.command}\`: ${p.why}` };
  return { head: "advice", text: p.why };
}

function taskHeader(t: TaskDiagnosis): string {
  const parts: string[] = [];
  if (t.group !== undefined) parts.push(t.group);
  if (t.taskDefinitionArn !== undefined) parts.push(shortTaskDefinition(t.taskDefinitionArn));
  return `task ${t.taskId}${parts.length > 0 ? ` (${parts.join(", ")})` : ""} [${t.kind}]`;
}

type Colors = ReturnType<typeof createColors>;

/** Text from a document as it may be shown: what looks secret masked, control characters escaped. */
function shown(text: string): string {
  return printable(maskSecretsInFreeText(text));
}

/** `JSON.stringify` replacer: every string masked as `shown` masks it (escaping is left to the JSON). */
function maskStrings(_key: string, value: unknown): unknown {
  return typeof value === "string" ? maskSecretsInFreeText(value) : value;
}

/**
 * The evidence under a summary, subjects aligned, then what prevents it. Every piece of text may hold
 * names and messages from the documents, so each is masked and escaped (`shown`) before it is coloured.
 */
function details(
  c: Colors,
  evidence: readonly EvidenceLine[],
  prevention: readonly Prevention[],
  out: string[],
): void {
  const lines = evidence.map((e) => ({ subject: shown(e.subject), text: shown(e.text) }));
  const width = Math.max(0, ...lines.map((e) => e.subject.length));
  for (const e of lines) out.push(`    ${c.dim(`${e.subject.padEnd(width)}  `)}${e.text}`);
  if (prevention.length === 0) return;
  out.push("  prevent it:");
  for (const p of prevention) {
    const line = preventionLine(p);
    out.push(`    ${c.cyan(shown(line.head).padEnd(6))}  ${shown(line.text)}`);
  }
}

export function renderDiagnosisText(d: Diagnosis, options: TextRenderOptions = {}): string {
  const c = createColors(options.color === true);
  const out: string[] = [];
  for (const t of d.tasks) {
    const paint = BAD.has(t.kind) ? c.red : EXPECTED.has(t.kind) ? c.yellow : c.green;
    out.push(c.bold(shown(taskHeader(t))));
    out.push(`  ${paint(shown(t.summary))}`);
    details(c, t.evidence, t.prevention, out);
    for (const n of t.notes) out.push(`  ${c.dim(`note: ${shown(n)}`)}`);
    out.push("");
  }
  for (const s of d.services) {
    const paint =
      s.kind === "circuit-breaker-rollback"
        ? c.yellow
        : s.kind === "circuit-breaker-failed"
          ? c.red
          : c.green;
    out.push(c.bold(shown(`service ${s.serviceName} [${s.kind}]`)));
    out.push(`  ${paint(shown(s.summary))}`);
    details(c, s.evidence, s.prevention, out);
    out.push("");
  }
  if (d.failures.length > 0) {
    out.push(c.bold("describe-tasks failures"));
    for (const f of d.failures) out.push(`  ${shown(f)}`);
    out.push("");
  }
  if (d.tasks.length === 0 && d.services.length === 0 && d.failures.length === 0) {
    out.push("Nothing to diagnose: the input holds no tasks or services.", "");
  }
  for (const n of d.inputNotes ?? []) out.push(c.dim(`note: ${shown(n.message)}`));
  if ((d.inputNotes ?? []).length > 0) out.push("");
  return out.join("\n");
}

/**
 * Stable JSON: the `Diagnosis` as is, with a version and rule titles resolved for consumers. Control
 * characters from the documents are escaped as JSON escapes (`printableJson`) and what looks secret is
 * masked (`maskSecretsInFreeText`), so the output is safe
 * to print and parses to the same values.
 */
export function renderDiagnosisJson(d: Diagnosis): string {
  const withTitles = (list: readonly Prevention[]): unknown[] =>
    list.map((p) => (p.kind === "rule" ? { ...p, title: ruleById(p.id)?.meta.title } : p));
  const json = JSON.stringify(
    {
      version: DIAGNOSIS_JSON_VERSION,
      roleSource: d.roleSource,
      tasks: d.tasks.map((t) => ({ ...t, prevention: withTitles(t.prevention) })),
      services: d.services.map((s) => ({ ...s, prevention: withTitles(s.prevention) })),
      failures: d.failures,
      inputNotes: d.inputNotes ?? [],
    },
    maskStrings,
    2,
  );
  return `${printableJson(json)}\n`;
}
