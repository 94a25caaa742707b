import { stat } from "node:fs/promises";
import { applyGate, FixError } from "../../fix/index.js";
import {
  defaultScenario,
  readScenarioFile,
  renderReport,
  renderSummary,
  type Scenario,
  SimulationInputError,
  simulateAsync,
} from "../../simulate/index.js";
import { parseDocument, type TaskDefinitionView } from "../../taskdef/index.js";
import { flagOf } from "../boundary.js";
import type { FORMATS } from "../define/simulate.js";
import { ExitCode, InputError, ioReason, UsageError } from "../errors.js";
import { DEFAULT_MAX_SIZE } from "../input.js";
import { emit, note, refuseInputAsOutput, type Streams, writeOutputFile } from "../io.js";
import { formatOf } from "../options.js";
import { loadSingle } from "./lint-shared.js";

export interface SimulateCommandOptions {
  readonly scenario?: string;
  readonly compare?: boolean;
  readonly runs: string;
  readonly seed: string;
  readonly workers: string;
  readonly format: (typeof FORMATS)[number];
  readonly json?: boolean;
  readonly output?: string;
  readonly report?: string;
  readonly taskDefinition?: string;
  readonly maxSize?: number;
}

/** The image does not matter to the model; fix only needs one to build the container in memory. */
const SIMULATED_PROBE_IMAGE = "firelens-preflight-probe:simulated";

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${text}")`);
  }
  return n;
}

function pickTaskDefinition(views: readonly TaskDefinitionView[], id: string | undefined, file: string) {
  if (views.length === 0) throw new UsageError(`${file}: no task definition to simulate`);
  if (id === undefined) {
    if (views.length > 1) {
      throw new UsageError(
        `${file} has ${views.length} task definitions (${views.map((v) => v.id).join(", ")}); choose one with --task-definition`,
      );
    }
    return views[0] as TaskDefinitionView;
  }
  const view = views.find((v) => v.id === id);
  if (!view)
    throw new UsageError(
      `--task-definition ${id}: not in ${file} (has ${views.map((v) => v.id).join(", ")})`,
    );
  return view;
}

/** Progress only for runs that take over a second, and only as often as a person can read it. */
function progressReporter(stream: Streams["stderr"]): (done: number, total: number) => void {
  const started = Date.now();
  let last = 0;
  const tty = stream.isTTY === true;
  return (done, total) => {
    const now = Date.now();
    if (now - started < 1000 || now - last < (tty ? 200 : 2000)) return;
    last = now;
    const line = `simulated ${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} deploys`;
    stream.write(tty ? `\r${line}` : `${line}\n`);
  };
}

export async function runSimulate(
  file: string,
  opts: SimulateCommandOptions,
  streams: Streams,
): Promise<number> {
  const runs = wholeNumber(opts.runs, "--runs", 1, 10_000_000);
  const seed = wholeNumber(opts.seed, "--seed", 0, 2 ** 32 - 1);
  const workers = wholeNumber(opts.workers, "--workers", 0, 64);
  const maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE;
  const { doc, read } = await loadSingle(file, maxSize, streams.stdin);
  let scenario: Scenario = defaultScenario();
  if (opts.scenario !== undefined) {
    // The simulator's own reader: regular files only, within its scenario size limit.
    try {
      scenario = await readScenarioFile(opts.scenario);
      const info = await stat(opts.scenario);
      read.push({ dev: info.dev, ino: info.ino });
    } catch (error) {
      if (typeof (error as { code?: unknown }).code === "string") {
        throw new InputError(opts.scenario, `cannot read: ${ioReason(error)}`);
      }
      throw error;
    }
  }
  await refuseInputAsOutput("--output", opts.output, read);
  await refuseInputAsOutput("--report", opts.report, read);
  const given = pickTaskDefinition(doc.taskDefinitions, opts.taskDefinition, doc.file);
  const views: [TaskDefinitionView] | [TaskDefinitionView, TaskDefinitionView] = [given];
  if (opts.compare) {
    let gated: ReturnType<typeof applyGate>;
    try {
      gated = applyGate(doc, { probeImage: SIMULATED_PROBE_IMAGE, gate: undefined });
    } catch (error) {
      if (error instanceof FixError)
        throw new UsageError(`--compare needs fix to gate the task: ${error.describe(flagOf)}`);
      throw error;
    }
    if (!gated.changed) {
      note(streams, `note: --compare: fix leaves ${doc.file} unchanged (${gated.reason ?? "already gated"})`);
    }
    const gatedDoc = parseDocument(gated.text, `${doc.file} (gated)`);
    views.push(pickTaskDefinition(gatedDoc.taskDefinitions, opts.taskDefinition ?? given.id, gatedDoc.file));
  }

  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  let result: Awaited<ReturnType<typeof simulateAsync>>;
  try {
    result = await simulateAsync(views, scenario, {
      runs,
      seed,
      workers,
      signal: controller.signal,
      onProgress: progressReporter(streams.stderr),
    });
  } catch (error) {
    if (error instanceof SimulationInputError) throw new UsageError(`${doc.file}: ${error.message}`);
    throw error;
  } finally {
    process.off("SIGINT", stop);
    if (streams.stderr.isTTY) streams.stderr.write("\r\x1b[K");
  }
  if (result.interrupted) {
    streams.stderr.write(`interrupted: results below cover ${result.completedRuns} of ${result.runs} runs\n`);
  }
  const format = formatOf(opts);
  await emit(
    format === "json" ? `${JSON.stringify(result, null, 2)}\n` : renderSummary(result, doc.file),
    { output: opts.output, text: format === "text" },
    streams,
  );
  if (opts.report) {
    await writeOutputFile(opts.report, renderReport(result));
    note(streams, `report written to ${opts.report}`);
  }
  return result.interrupted ? ExitCode.findings : ExitCode.ok;
}
