/** What `lint` and `check` share: reading the documents and judging findings against `--fail-on`. */
import type { Command } from "commander";
import {
  type FailOn,
  type Finding,
  type LintFileResult,
  lintResult,
  parseSeverity,
  parseSuppression,
  rules,
  type Suppression,
  SuppressionError,
} from "../../rules/index.js";
import { parseText, TaskDefError, type TaskDefinitionDocument } from "../../taskdef/index.js";
import { InputError, UsageError } from "../errors.js";
import { DEFAULT_MAX_SIZE, type FileIdentity, isDirectory, listDirectory, readInput } from "../input.js";
import { addColorOptions, addMaxSizeOption, collect, collectList } from "../options.js";

export interface Loaded {
  readonly documents: TaskDefinitionDocument[];
  readonly errors: TaskDefError[];
  /** Files in a directory that were not read or not task definitions, skipped with a note. */
  readonly skipped: { file: string; why: string }[];
  /** Every regular file read, so no output path can overwrite one. */
  readonly read: FileIdentity[];
}

const DOCUMENT_EXTENSIONS = [".json", ".yaml", ".yml", ".template", ".tf"];

/** Reads and parses one input; unreadable input becomes a located `TaskDefError` like a syntax error. */
async function loadOne(file: string, maxSize: number, read: FileIdentity[]): Promise<TaskDefinitionDocument> {
  let input: Awaited<ReturnType<typeof readInput>>;
  try {
    input = await readInput(file, maxSize);
  } catch (error) {
    if (error instanceof InputError)
      throw new TaskDefError({ kind: "io", file: error.file, detail: error.reason });
    throw error;
  }
  if (input.identity !== undefined) read.push(input.identity);
  return parseText(input.text, input.file, { maxBytes: maxSize });
}

/**
 * Files are loaded as given; a directory contributes the task-definition files in it (not recursive). A file
 * there that is not a task definition, or not a regular file (a FIFO would block the run), is skipped with a
 * note instead of failing the run.
 */
export async function loadAll(inputs: readonly string[], maxSize = DEFAULT_MAX_SIZE): Promise<Loaded> {
  const loaded: Loaded = { documents: [], errors: [], skipped: [], read: [] };
  for (const input of inputs) {
    if (await isDirectory(input)) {
      const entries = await listDirectory(input, DOCUMENT_EXTENSIONS);
      if (entries.length === 0) throw new UsageError(`${input}: no .json or .yaml files in this directory`);
      for (const entry of entries) {
        if (entry.skip !== undefined) {
          loaded.skipped.push({ file: entry.file, why: entry.skip });
          continue;
        }
        try {
          loaded.documents.push(await loadOne(entry.file, maxSize, loaded.read));
        } catch (error) {
          if (error instanceof TaskDefError && error.kind === "not-a-task-definition") {
            loaded.skipped.push({ file: entry.file, why: "not a task definition" });
          } else if (error instanceof TaskDefError) loaded.errors.push(error);
          else throw error;
        }
      }
      continue;
    }
    try {
      loaded.documents.push(await loadOne(input, maxSize, loaded.read));
    } catch (error) {
      if (error instanceof TaskDefError) loaded.errors.push(error);
      else throw error;
    }
  }
  return loaded;
}

/** Reads one task-definition document for the commands that take exactly one (`fix`, `simulate`). */
export async function loadSingle(
  file: string,
  maxSize = DEFAULT_MAX_SIZE,
): Promise<{ doc: TaskDefinitionDocument; read: FileIdentity[] }> {
  const read: FileIdentity[] = [];
  const doc = await loadOne(file, maxSize, read);
  return { doc, read };
}

export function parseFailOn(text: string): FailOn {
  if (text === "none" || text === "never") return "none";
  const severity = parseSeverity(text);
  if (!severity) throw new UsageError(`--fail-on must be error, warning, note or none (got "${text}")`);
  return severity;
}

export function parseDisable(ids: readonly string[] | undefined): string[] {
  if (ids === undefined || ids.length === 0) return [];
  const known = new Set(rules.map((r) => r.meta.id.toUpperCase()));
  const unknown = ids.filter((id) => !known.has(id.toUpperCase()));
  if (unknown.length > 0) {
    throw new UsageError(
      `--disable: unknown rule id${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (run \`firelens-preflight lint --list-rules\`)`,
    );
  }
  return [...ids];
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
  const results: LintFileResult[] = loaded.documents.map((doc) => lintResult(doc, { disable, suppressions }));
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
  command
    .option("--fail-on <severity>", "exit 1 on findings at or above: error, warning, note, none", "error")
    .option(
      "--suppress <rule[container]=reason>",
      "acknowledge a finding with a reason of 10+ characters, e.g. 'FLP203[log-router]=pinned by digest in CD' (repeatable)",
      collect,
    )
    .option(
      "--disable <ids>",
      "rule ids to skip, comma-separated or repeated, e.g. FLP203,FLP301",
      collectList,
    );
  addMaxSizeOption(command);
  return addColorOptions(command);
}
