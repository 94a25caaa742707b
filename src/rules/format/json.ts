/**
 * Machine output: one JSON document with every file's findings and a summary. Stable keys, no colors. The
 * document names the tool and its version (`toolVersion`), so a stored report says which rules judged it.
 */
import { packageVersion } from "../../package-info.js";
import { ruleDocsUrl } from "../catalogue.js";
import { compareByPosition, countBySeverity } from "../engine.js";
import type { Finding, LintFileResult } from "../types.js";

export interface JsonOptions {
  /** Indentation. @default 2 */
  readonly indent?: number;
  /** `toolVersion`. @default this package's version */
  readonly toolVersion?: string;
  /** More top-level keys (e.g. `check`'s startup summaries). @default - none */
  readonly extra?: Readonly<Record<string, unknown>>;
}

function finding(f: Finding): Record<string, unknown> {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    message: f.message,
    messageId: f.messageId,
    taskDefinition: f.taskDefinition,
    ...(f.container === undefined ? {} : { container: f.container }),
    file: f.location.file,
    line: f.location.line,
    column: f.location.column,
    offset: f.location.offset,
    length: f.location.length,
    jsonPath: f.jsonPath,
    fixHint: f.fixHint,
    helpUri: ruleDocsUrl(f.ruleId),
    ...(f.internalError ? { internalError: true } : {}),
    ...(f.suppressed === undefined ? {} : { suppressed: f.suppressed }),
  };
}

export function formatJson(results: readonly LintFileResult[], options: JsonOptions = {}): string {
  const all = results.flatMap((r) => r.findings);
  const doc = {
    tool: "firelens-preflight",
    toolVersion: options.toolVersion ?? packageVersion(),
    files: results.map((r) => ({
      file: r.file,
      ...(r.format === undefined ? {} : { format: r.format }),
      ...(r.error === undefined ? {} : { error: r.error }),
      findings: [...r.findings].sort(compareByPosition).map(finding),
    })),
    summary: {
      ...countBySeverity(all),
      suppressed: all.filter((f) => f.suppressed !== undefined).length,
      files: results.length,
      unreadable: results.filter((r) => r.error).length,
    },
    ...options.extra,
  };
  return `${JSON.stringify(doc, null, options.indent ?? 2)}\n`;
}
