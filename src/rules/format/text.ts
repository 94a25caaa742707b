/**
 * The default, human output: findings grouped by file, `file:line:col  severity  FLPnnn  message`, each
 * with the offending source line and a caret under the node. Colors only when asked (the CLI decides from
 * the TTY, NO_COLOR and --no-color), so the same call gives stable text in tests and pipes.
 */
import { createColors } from "picocolors";
import { maskSecretsInText, type SecretSpan, secretSpanAt } from "../../model/index.js";
import { compareByPosition, countBySeverity } from "../engine.js";
import type { Finding, LintFileResult, Severity } from "../types.js";

export interface TextOptions {
  /** ANSI colors. @default false */
  readonly color?: boolean;
  /** Show the offending source line with a caret. @default true */
  readonly source?: boolean;
  /** Show each finding's fix hint. @default true */
  readonly fixHints?: boolean;
  /** End with the count line ("3 problems (…)"); a caller with its own summary turns it off. @default true */
  readonly summary?: boolean;
}

/**
 * Lines of `text` as an array, computed once per file. The text should come masked (`lintResult`); the
 * values FLP301 located are masked here again, for results a caller built from the raw text.
 */
function lines(text: string | undefined, findings: readonly Finding[]): readonly string[] | undefined {
  if (text === undefined) return undefined;
  const spans: SecretSpan[] = [];
  for (const f of findings) {
    const span = f.ruleId === "FLP301" ? secretSpanAt(text, f.location) : undefined;
    if (span !== undefined) spans.push(span);
  }
  const shown = spans.length === 0 ? text : maskSecretsInText(text, { spans, values: [] });
  return shown.split(/\r?\n/);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function formatText(results: readonly LintFileResult[], options: TextOptions = {}): string {
  const c = createColors(options.color ?? false);
  const showSource = options.source ?? true;
  const showFix = options.fixHints ?? true;
  const sev: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, note: c.blue };
  const out: string[] = [];
  const all: Finding[] = [];
  let failedFiles = 0;

  for (const r of results) {
    if (r.error !== undefined) {
      failedFiles++;
      const where = r.error.line === undefined ? r.file : `${r.file}:${r.error.line}:${r.error.column ?? 1}`;
      out.push(c.bold(r.file), `  ${where}  ${sev.error("error")}  ${r.error.message}`, "");
      continue;
    }
    if (r.findings.length === 0) continue;
    const src = lines(r.text, r.findings);
    out.push(c.bold(r.file) + (r.format ? c.dim(` (${r.format})`) : ""));
    const sorted = [...r.findings].sort(compareByPosition);
    const width = String(Math.max(...sorted.map((f) => f.location.line))).length;
    for (const f of sorted) {
      all.push(f);
      const { line, column } = f.location;
      if (f.suppressed !== undefined) {
        // Accepted on purpose: one dim line with the reason, no source and no hint.
        out.push(
          c.dim(
            `  ${r.file}:${line}:${column}  suppressed  ${f.ruleId}  ${f.message} (reason: ${f.suppressed.reason})`,
          ),
        );
        continue;
      }
      out.push(
        `  ${c.dim(`${r.file}:${line}:${column}`)}  ${sev[f.severity](f.severity)}  ${c.bold(f.ruleId)}  ${f.message}`,
      );
      const text = src?.[line - 1];
      if (showSource && text !== undefined) {
        const available = Math.max(1, text.length - (column - 1));
        const caret = "^".repeat(Math.max(1, Math.min(f.location.length || 1, available)));
        const gutter = " ".repeat(width);
        out.push(`    ${c.dim(`${String(line).padStart(width)} |`)} ${text}`);
        out.push(`    ${c.dim(`${gutter} |`)} ${" ".repeat(column - 1)}${sev[f.severity](caret)}`);
      }
      if (showFix && !f.internalError) out.push(`    ${c.dim(`fix: ${f.fixHint}`)}`);
    }
    out.push("");
  }

  if (options.summary === false) return `${out.join("\n")}\n`;
  const n = countBySeverity(all);
  const suppressed = all.filter((f) => f.suppressed !== undefined).length;
  const total = all.length - suppressed;
  const also = suppressed > 0 ? `; ${suppressed} suppressed` : "";
  const summary =
    total === 0
      ? c.green(`No problems found in ${plural(results.length - failedFiles, "file")}${also}.`)
      : `${total === 1 ? "1 problem" : `${total} problems`} (${plural(n.error, "error")}, ${plural(n.warning, "warning")}, ${plural(n.note, "note")}${also})`;
  out.push(
    failedFiles > 0
      ? `${summary} ${sev.error(`${plural(failedFiles, "file")} could not be read.`)}`
      : summary,
  );
  return `${out.join("\n")}\n`;
}
