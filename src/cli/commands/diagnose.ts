import {
  type DiagnoseInput,
  diagnose,
  mergeDiagnoseInputs,
  parseDiagnoseInput,
  renderDiagnosisJson,
  renderDiagnosisText,
} from "../../diagnose/index.js";
import type { FORMATS } from "../define/diagnose.js";
import { ExitCode, UsageError } from "../errors.js";
import { DEFAULT_MAX_SIZE, type FileIdentity, readInput } from "../input.js";
import { emit, refuseInputAsOutput, type Streams, wantsColor } from "../io.js";
import { formatOf } from "../options.js";
import { loadSingle } from "./lint-shared.js";

export interface DiagnoseCommandOptions {
  readonly services?: string[];
  readonly taskDefinition?: string;
  readonly format: (typeof FORMATS)[number];
  readonly json?: boolean;
  readonly output?: string;
  readonly maxSize?: number;
  readonly color?: boolean;
}

async function loadInput(
  file: string,
  maxSize: number,
  read: FileIdentity[],
  stdin: NodeJS.ReadableStream,
): Promise<DiagnoseInput> {
  const input = await readInput(file, maxSize, stdin);
  if (input.identity !== undefined) read.push(input.identity);
  return parseDiagnoseInput(input.text, input.file);
}

export async function runDiagnose(
  files: readonly string[],
  opts: DiagnoseCommandOptions,
  streams: Streams,
): Promise<number> {
  const all = [...files, ...(opts.services ?? [])];
  if (all.filter((f) => f === "-").length + (opts.taskDefinition === "-" ? 1 : 0) > 1) {
    throw new UsageError("only one input can come from stdin");
  }
  const maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE;
  const read: FileIdentity[] = [];
  const inputs: DiagnoseInput[] = [];
  for (const f of all) inputs.push(await loadInput(f, maxSize, read, streams.stdin));
  const merged = mergeDiagnoseInputs(inputs);
  if (merged.tasks.length === 0 && merged.services.length === 0) {
    throw new UsageError(`${merged.file}: no tasks or services to diagnose`);
  }
  let taskDefinition: Awaited<ReturnType<typeof loadSingle>>["doc"]["taskDefinitions"] | undefined;
  if (opts.taskDefinition !== undefined) {
    const loaded = await loadSingle(opts.taskDefinition, maxSize, streams.stdin);
    read.push(...loaded.read);
    taskDefinition = loaded.doc.taskDefinitions;
  }
  await refuseInputAsOutput("--output", opts.output, read);
  const diagnosis = diagnose(merged.tasks, {
    services: merged.services,
    failures: merged.failures,
    taskDefinition,
    inputNotes: merged.notes,
  });
  const format = formatOf(opts);
  const color =
    format === "text" && opts.output === undefined && wantsColor(streams.stdout, opts.color, streams.env);
  await emit(
    format === "json" ? renderDiagnosisJson(diagnosis) : renderDiagnosisText(diagnosis, { color }),
    { output: opts.output, text: format === "text", color },
    streams,
  );
  return ExitCode.ok;
}
