/** What `lint` and `check` share: reading the documents and judging findings against `--fail-on`. */
import type { LoadedConfig } from "../../config/index.js";
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
import {
  HclParserMissingError,
  parseText,
  TaskDefError,
  type TaskDefinitionDocument,
} from "../../taskdef/index.js";
import { InputError, UsageError } from "../errors.js";
import { DEFAULT_MAX_SIZE, type FileIdentity, type InputText, readInput } from "../input.js";
import type { Streams } from "../io.js";
import {
  type ConfigFlags,
  failOnOf,
  type LintSettings,
  lintSettings,
  projectConfig,
  selectFiles,
  suppressionsFor,
  unusedConfigSuppressions,
} from "../project.js";
import type { Skipped } from "../report.js";
import type { Selection } from "../walk.js";

/** How `readInput` names stdin. */
const STDIN = "<stdin>";

export interface Loaded {
  readonly documents: TaskDefinitionDocument[];
  readonly errors: TaskDefError[];
  /** Files found in a directory or by a glob that were not read or not task definitions, with the reason. */
  readonly skipped: Skipped[];
  /** Every regular file read, so no output path can overwrite one. */
  readonly read: FileIdentity[];
}

/** Reads and parses one input; unreadable input becomes a located `TaskDefError` like a syntax error. */
async function loadOne(
  file: string,
  maxSize: number,
  read: FileIdentity[],
  stdin: NodeJS.ReadableStream,
): Promise<TaskDefinitionDocument> {
  const input = await readOne(file, maxSize, read, stdin);
  return parseText(input.text, input.file, { maxBytes: maxSize });
}

async function readOne(
  file: string,
  maxSize: number,
  read: FileIdentity[],
  stdin: NodeJS.ReadableStream,
): Promise<InputText> {
  let input: InputText;
  try {
    input = await readInput(file, maxSize, stdin);
  } catch (error) {
    if (error instanceof InputError)
      throw new TaskDefError({ kind: "io", file: error.file, detail: error.reason });
    throw error;
  }
  if (input.identity !== undefined) read.push(input.identity);
  return input;
}

/** Words a task definition in any format we read has; a found file without them that fails to parse is not one. */
const TASK_DEFINITION_MARKS =
  /containerDefinitions|AWS::ECS::TaskDefinition|"image"\s*:|container_definitions/i;

/**
 * Why a found (not named) file is skipped rather than reported, or `undefined` when its error stands: a file
 * that is no task definition, in a format we do not read, or that does not parse and has no trace of a task
 * definition (a `tsconfig.json` with comments). A broken file that looks like a task definition stays an error.
 */
export function skipReason(error: TaskDefError, text: string | undefined): string | undefined {
  if (error.kind === "not-a-task-definition") return "not a task definition";
  if (error.kind === "unsupported-format") return error.detail;
  if (error.kind === "syntax" && text !== undefined && !TASK_DEFINITION_MARKS.test(text)) {
    return `not JSON or YAML that we read (${error.detail}), and no task definition in it`;
  }
  return undefined;
}

/**
 * Loads the files of a selection. A file named on the command line that cannot be used is a located error
 * (unless `ignoreUnknown`, for hooks that pass every staged file); one found in a directory or by a glob that is
 * not a task definition is skipped with its reason, so one summary line can say how many.
 */
export async function loadAll(
  selection: Selection,
  maxSize: number | undefined,
  options: { readonly ignoreUnknown?: boolean; readonly stdin: NodeJS.ReadableStream },
): Promise<Loaded> {
  const loaded: Loaded = { documents: [], errors: [], skipped: [...selection.skipped], read: [] };
  for (const { file, explicit } of selection.files) {
    let text: string | undefined;
    try {
      const input = await readOne(file, maxSize ?? DEFAULT_MAX_SIZE, loaded.read, options.stdin);
      text = input.text;
      loaded.documents.push(
        await parseText(input.text, input.file, { maxBytes: maxSize ?? DEFAULT_MAX_SIZE }),
      );
    } catch (error) {
      if (!(error instanceof TaskDefError)) throw error;
      const why = explicit && options.ignoreUnknown !== true ? undefined : skipReason(error, text);
      if (why === undefined) loaded.errors.push(error);
      else if (error.cause instanceof HclParserMissingError) loaded.skipped.push({ file, why, remedy: why });
      else loaded.skipped.push({ file, why });
    }
  }
  return loaded;
}

/** Reads one task-definition document for the commands that take exactly one (`fix`, `simulate`). */
export async function loadSingle(
  file: string,
  maxSize: number | undefined,
  stdin: NodeJS.ReadableStream,
): Promise<{ doc: TaskDefinitionDocument; read: FileIdentity[] }> {
  const read: FileIdentity[] = [];
  const doc = await loadOne(file, maxSize ?? DEFAULT_MAX_SIZE, read, stdin);
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

/**
 * One result per input, in input order: findings for the documents (with the suppressions that cover each
 * file and the config's severities), the located error for the rest, then FLP302 for config suppressions that
 * hid nothing.
 */
export function lintAll(loaded: Loaded, settings: LintSettings): LintFileResult[] {
  const results: LintFileResult[] = loaded.documents.map((doc) =>
    lintResult(doc, {
      disable: settings.disable,
      severity: settings.severity,
      suppressions: suppressionsFor(settings, doc.file === STDIN ? undefined : doc.file),
    }),
  );
  for (const error of loaded.errors) {
    results.push({
      file: error.file,
      findings: [],
      error: { message: error.detail, line: error.line, column: error.column },
    });
  }
  const unused = unusedConfigSuppressions(settings, results);
  return unused === undefined ? results : [...results, unused];
}

export function allFindings(results: readonly LintFileResult[]): Finding[] {
  return results.flatMap((r) => r.findings);
}

/** The flags `lint` and `check` share. */
export interface LintFlags extends ConfigFlags {
  readonly failOn?: string;
  readonly disable?: string[];
  readonly suppress?: string[];
  readonly maxSize?: number;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly ignoreUnknown?: boolean;
}

export interface LintRun {
  readonly config: LoadedConfig | undefined;
  readonly failOn: FailOn;
  readonly settings: LintSettings;
  readonly loaded: Loaded;
}

/**
 * What `lint` and `check` do before rendering: the flags checked (a usage error beats a config error), the
 * config found and merged, the files selected and loaded. Linting is left to the caller, after it has refused
 * an output path that is one of the inputs.
 */
export async function prepareLint(
  args: readonly string[],
  flags: LintFlags,
  command: string,
  streams: Pick<Streams, "stdin" | "cwd">,
): Promise<LintRun> {
  const flagFailOn = flags.failOn === undefined ? undefined : parseFailOn(flags.failOn);
  const disable = parseDisable(flags.disable);
  const suppressions = parseSuppressions(flags.suppress);
  if (flags.quiet === true && flags.verbose === true)
    throw new UsageError("--quiet and --verbose contradict each other");
  const config = projectConfig(flags, streams.cwd);
  const { selection, fromInclude } = await selectFiles(args, config, command);
  const settings = lintSettings(config, { disable, suppressions }, fromInclude);
  const loaded = await loadAll(selection, flags.maxSize, {
    ignoreUnknown: flags.ignoreUnknown,
    stdin: streams.stdin,
  });
  return { config, failOn: failOnOf(flagFailOn, config), settings, loaded };
}
