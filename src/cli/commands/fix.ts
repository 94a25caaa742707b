import { excludedBy, type LoadedConfig } from "../../config/index.js";
import { applyGate, type GateOptions, gateDiff } from "../../fix/index.js";
import { PREFLIGHT_CONTAINER_NAME } from "../../probe/contract.js";
import { TaskDefError } from "../../taskdef/index.js";
import { type FORMATS, REQUIRE } from "../define/fix.js";
import { ExitCode, UsageError } from "../errors.js";
import { emit, note, refuseInputAsOutput, type Streams } from "../io.js";
import { type ConfigFlags, projectConfig } from "../project.js";
import { writeFileSafely } from "../safe-write.js";
import { loadSingle, skipReason } from "./lint-shared.js";

type FixFormat = (typeof FORMATS)[number];

export interface FixCommandOptions extends ConfigFlags {
  readonly probeImage?: string;
  readonly name?: string;
  readonly gate?: string[];
  readonly require?: string;
  readonly timeout?: string;
  readonly records?: string;
  readonly routerMonitoring?: boolean;
  readonly gateNonEssentialRouter?: boolean;
  readonly circuitBreaker: boolean;
  readonly probeLogs?: string;
  readonly format: FixFormat;
  readonly output?: string;
  readonly write?: boolean;
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly check?: boolean;
  readonly ignoreUnknown?: boolean;
  readonly maxSize?: number;
}

function gateOptions(opts: FixCommandOptions): GateOptions {
  if (opts.require !== undefined && !REQUIRE.includes(opts.require as (typeof REQUIRE)[number])) {
    throw new UsageError(`--require must be one of ${REQUIRE.join(", ")} (got "${opts.require}")`);
  }
  let records: number | undefined;
  if (opts.records !== undefined) {
    records = Number(opts.records);
    if (!Number.isInteger(records) || records < 1 || records > 1000) {
      throw new UsageError(`--records must be a whole number from 1 to 1000 (got "${opts.records}")`);
    }
  }
  return {
    probeImage: opts.probeImage,
    name: opts.name,
    gate: opts.gate,
    require: opts.require as GateOptions["require"],
    timeout: opts.timeout,
    records,
    routerMonitoring: opts.routerMonitoring,
    gateNonEssentialRouter: opts.gateNonEssentialRouter,
    circuitBreaker: opts.circuitBreaker,
    probeLogs: opts.probeLogs,
  };
}

/** Flag combinations that cannot work, refused before any file is read. */
function checkUsage(files: readonly string[], opts: FixCommandOptions, format: FixFormat): void {
  const diffFlag = opts.check === true ? "--check" : "--dry-run";
  if ((opts.dryRun === true || opts.check === true) && opts.format !== "document" && opts.format !== "diff") {
    throw new UsageError(`${diffFlag} prints a diff; it cannot be combined with --format ${opts.format}`);
  }
  if (opts.check === true && opts.write === true) {
    throw new UsageError("--check only reports what fix would change; it cannot be combined with --write");
  }
  if (opts.write === true && opts.output !== undefined)
    throw new UsageError("use -o/--output or --write, not both");
  if (opts.write === true && format !== "document") {
    throw new UsageError(
      `--write rewrites the file; --format ${format} only prints, so use one or the other`,
    );
  }
  if (opts.write === true && files.includes("-")) throw new UsageError("--write needs a file, not stdin");
  if (opts.force === true && opts.write !== true) throw new UsageError("--force only applies to --write");
  if (files.filter((f) => f === "-").length > 1) throw new UsageError("stdin (-) can be read only once");
  if (files.length > 1 && opts.output !== undefined) {
    throw new UsageError(
      "-o/--output takes one file's result; with several files use --write, --dry-run or --format json",
    );
  }
  if (files.length > 1 && format === "document" && opts.write !== true) {
    throw new UsageError(
      "fix prints one gated document; with several files use --write, --dry-run or --format json",
    );
  }
}

/** The gate's settings: flags first, then the config's `fix` defaults, then the library's own. */
function withConfigDefaults(opts: FixCommandOptions, config: LoadedConfig | undefined): FixCommandOptions {
  const defaults = config?.config.fix ?? {};
  return {
    ...opts,
    probeImage: opts.probeImage ?? defaults.probeImage,
    name: opts.name ?? defaults.name ?? PREFLIGHT_CONTAINER_NAME,
    timeout: opts.timeout ?? defaults.timeout,
    gateNonEssentialRouter: opts.gateNonEssentialRouter ?? defaults.gateNonEssentialRouter,
  };
}

interface FixReport {
  readonly file: string;
  readonly changed: boolean;
  readonly reason?: string;
  readonly changes: string[];
  readonly notes: readonly string[];
  readonly document: string;
}

/** Fixes one file: writes it, prints its diff or document, or returns its JSON report; says if it changed. */
async function fixOne(
  file: string,
  opts: FixCommandOptions,
  format: FixFormat,
  streams: Streams,
): Promise<{ report?: FixReport; changed: boolean }> {
  const { doc, read } = await loadSingle(file, opts.maxSize, streams.stdin);
  if (opts.output !== undefined) {
    await refuseInputAsOutput("--output", opts.output, read, "--write rewrites the input in place");
  }
  const result = applyGate(doc, gateOptions(opts));
  for (const change of result.changes) note(streams, `  + ${change.description}`);
  for (const n of result.notes) note(streams, `note: ${n}`);
  if (!result.changed) note(streams, `${doc.file}: unchanged: ${result.reason ?? "nothing to do"}`);

  if (opts.write === true) {
    if (result.changed) {
      const written = await writeFileSafely(file, result.text, { force: opts.force });
      note(streams, `${doc.file}: written${written.file === file ? "" : ` (to ${written.file})`}`);
    }
    return { changed: result.changed };
  }
  if (format === "diff") {
    await emit(gateDiff(doc, result), { output: opts.output, text: false }, streams);
    return { changed: result.changed };
  }
  if (format === "json") {
    const report = {
      file: doc.file,
      changed: result.changed,
      ...(result.reason === undefined ? {} : { reason: result.reason }),
      changes: result.changes.map((c) => c.description),
      notes: result.notes,
      document: result.text,
    };
    return { report, changed: result.changed };
  }
  // The document itself, byte for byte: never escaped or given a newline it did not have.
  if (opts.output === undefined || opts.output === "-") streams.stdout.write(result.text);
  else await emit(result.text, { output: opts.output, text: false }, streams);
  return { changed: result.changed };
}

/**
 * Every file on its own (a pre-commit hook passes many): one that cannot be fixed is reported on stderr and
 * the others still run; the exit code is the worst. A bug still ends the run, with its stack, as exit 3.
 */
export async function runFix(
  files: readonly string[],
  given: FixCommandOptions,
  streams: Streams,
): Promise<number> {
  const format: FixFormat = given.dryRun === true || given.check === true ? "diff" : given.format;
  checkUsage(files, given, format);
  const config = projectConfig(given, streams.cwd);
  const opts = withConfigDefaults(given, config);
  const excluded = config === undefined ? undefined : excludedBy(config);
  const reports: FixReport[] = [];
  let worst: number = ExitCode.ok;
  let wouldChange = 0;
  for (const file of files) {
    if (file !== "-" && excluded?.(file) === true) {
      note(streams, `note: ${file}: skipped (excluded by the config)`);
      continue;
    }
    try {
      const { report, changed } = await fixOne(file, opts, format, streams);
      if (report !== undefined) reports.push(report);
      if (changed) wouldChange++;
    } catch (error) {
      const skip =
        opts.ignoreUnknown === true && error instanceof TaskDefError
          ? skipReason(error, undefined)
          : undefined;
      if (skip !== undefined) {
        note(streams, `note: ${file}: skipped (${skip})`);
        continue;
      }
      const { describeError } = await import("../boundary.js");
      const outcome = describeError(error, undefined);
      if (files.length === 1 || outcome.code === ExitCode.internal) throw error;
      if (outcome.message !== undefined) note(streams, `error: ${outcome.message}`);
      worst = Math.max(worst, outcome.code);
    }
  }
  if (format === "json" && given.write !== true) {
    const body = files.length === 1 && reports[0] !== undefined ? reports[0] : reports;
    if (files.length === 1 && reports.length === 0) return worst;
    await emit(`${JSON.stringify(body, null, 2)}\n`, { output: given.output, text: false }, streams);
  }
  if (given.check === true && wouldChange > 0) {
    note(
      streams,
      `${wouldChange} file${wouldChange === 1 ? "" : "s"} would be changed by fix (run it with --write)`,
    );
    return Math.max(worst, ExitCode.findings);
  }
  return worst;
}
