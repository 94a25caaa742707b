/** What `lint` and `check` share: reading the documents and judging findings against `--fail-on`. */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import {
  type FailOn,
  type Finding,
  type LintFileResult,
  lintDocument,
  parseSeverity,
  parseSuppression,
  rules,
  type Suppression,
  SuppressionError,
} from "../../rules/index.js";
import { loadDocument, TaskDefError, type TaskDefinitionDocument } from "../../taskdef/index.js";
import { UsageError } from "../errors.js";

export interface Loaded {
  readonly documents: TaskDefinitionDocument[];
  readonly errors: TaskDefError[];
  /** Files in a directory that were not task definitions, skipped with a note. */
  readonly skipped: { file: string; why: string }[];
}

const DOCUMENT_EXTENSIONS = [".json", ".yaml", ".yml", ".template", ".tf"];

/**
 * Files are loaded as given; a directory contributes the task-definition files in it (not recursive),
 * and any file there that is not a task definition is skipped with a note instead of failing the run.
 */
export async function loadAll(inputs: readonly string[]): Promise<Loaded> {
  const documents: TaskDefinitionDocument[] = [];
  const errors: TaskDefError[] = [];
  const skipped: { file: string; why: string }[] = [];
  for (const input of inputs) {
    const info = input === "-" ? undefined : await stat(input).catch(() => undefined);
    if (info?.isDirectory()) {
      const names = (await readdir(input))
        .filter((n) => DOCUMENT_EXTENSIONS.some((e) => n.endsWith(e)))
        .sort();
      if (names.length === 0) throw new UsageError(`${input}: no .json or .yaml files in this directory`);
      for (const name of names) {
        const file = join(input, name);
        try {
          documents.push(await loadDocument(file));
        } catch (error) {
          if (error instanceof TaskDefError && error.kind === "not-a-task-definition") {
            skipped.push({ file, why: "not a task definition" });
          } else if (error instanceof TaskDefError) errors.push(error);
          else throw error;
        }
      }
      continue;
    }
    try {
      documents.push(await loadDocument(input));
    } catch (error) {
      if (error instanceof TaskDefError) errors.push(error);
      else throw error;
    }
  }
  return { documents, errors, skipped };
}

export function parseFailOn(text: string): FailOn {
  if (text === "none" || text === "never") return "none";
  const severity = parseSeverity(text);
  if (!severity) throw new UsageError(`--fail-on must be error, warning, note or none (got "${text}")`);
  return severity;
}

export function parseDisable(text: string | undefined): string[] {
  if (!text) return [];
  const ids = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Set(rules.map((r) => r.meta.id.toUpperCase()));
  const unknown = ids.filter((id) => !known.has(id.toUpperCase()));
  if (unknown.length > 0) {
    throw new UsageError(
      `--disable: unknown rule id${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (run \`firelens-preflight lint --list-rules\`)`,
    );
  }
  return ids;
}

/** `--suppress FLP203[router]=reason` (repeatable): a finding acknowledged with a written reason. */
export function parseSuppressions(specs: readonly string[] | undefined): Suppression[] {
  const known = new Set(rules.map((r) => r.meta.id));
  return (specs ?? []).map((spec) => {
    let s: Suppression;
    try {
      s = parseSuppression(spec);
    } catch (error) {
      if (error instanceof SuppressionError) throw new UsageError(`--suppress: ${error.message}`);
      throw error;
    }
    if (!known.has(s.id))
      throw new UsageError(
        `--suppress: unknown rule id ${s.id} (run \`firelens-preflight lint --list-rules\`)`,
      );
    return s;
  });
}

/** One result per input, in input order: findings for the documents, the located error for the rest. */
export function lintAll(
  loaded: Loaded,
  disable: readonly string[],
  suppressions: readonly Suppression[] = [],
): LintFileResult[] {
  const results: LintFileResult[] = loaded.documents.map((doc) => ({
    file: doc.file,
    text: doc.text,
    format: doc.format,
    findings: lintDocument(doc, { disable, suppressions }),
  }));
  for (const error of loaded.errors) {
    results.push({
      file: error.file,
      findings: [],
      error: { message: error.detail, line: error.line, column: error.column },
    });
  }
  return results;
}

export function allFindings(results: readonly LintFileResult[]): Finding[] {
  return results.flatMap((r) => r.findings);
}

/** The options `lint` and `check` both take, declared once so their flags and help stay the same. */
export function addLintOptions(command: Command): Command {
  return command
    .option("--fail-on <severity>", "exit 1 on findings at or above: error, warning, note, none", "error")
    .option(
      "--suppress <rule[container]=reason...>",
      "acknowledge a finding with a reason of 10+ characters, e.g. 'FLP203[log-router]=pinned by digest in CD'",
    )
    .option("--disable <ids>", "comma-separated rule ids to skip, e.g. FLP203,FLP301")
    .option("--color", "force colors")
    .option("--no-color", "never use colors (NO_COLOR is honoured too)");
}
