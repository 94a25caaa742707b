import type { Command } from "commander";
import {
  type DiagnoseInput,
  diagnose,
  mergeDiagnoseInputs,
  parseDiagnoseInput,
  renderDiagnosisJson,
  renderDiagnosisText,
} from "../../diagnose/index.js";
import { ExitCode, UsageError } from "../errors.js";
import { DEFAULT_MAX_SIZE, type FileIdentity, readInput } from "../input.js";
import { emit, processStreams, refuseInputAsOutput, type Streams, wantsColor } from "../io.js";
import {
  addColorOptions,
  addFormatOption,
  addJsonAlias,
  addMaxSizeOption,
  addOutputOption,
  collect,
  formatOf,
} from "../options.js";
import { loadSingle } from "./lint-shared.js";

const FORMATS = ["text", "json"] as const;

export interface DiagnoseCommandOptions {
  readonly services?: string[];
  readonly taskDefinition?: string;
  readonly format: (typeof FORMATS)[number];
  readonly json?: boolean;
  readonly output?: string;
  readonly maxSize?: number;
  readonly color?: boolean;
}

async function loadInput(file: string, maxSize: number, read: FileIdentity[]): Promise<DiagnoseInput> {
  const input = await readInput(file, maxSize);
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
  for (const f of all) inputs.push(await loadInput(f, maxSize, read));
  const merged = mergeDiagnoseInputs(inputs);
  if (merged.tasks.length === 0 && merged.services.length === 0) {
    throw new UsageError(`${merged.file}: no tasks or services to diagnose`);
  }
  let taskDefinition: Awaited<ReturnType<typeof loadSingle>>["doc"]["taskDefinitions"] | undefined;
  if (opts.taskDefinition !== undefined) {
    const loaded = await loadSingle(opts.taskDefinition, maxSize);
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
  const color = format === "text" && opts.output === undefined && wantsColor(streams.stdout, opts.color);
  await emit(
    format === "json" ? renderDiagnosisJson(diagnosis) : renderDiagnosisText(diagnosis, { color }),
    { output: opts.output, text: format === "text", color },
    streams,
  );
  return ExitCode.ok;
}

export function registerDiagnose(program: Command, setExit: (code: number) => void): Command {
  const command = program
    .command("diagnose")
    .summary("explain why tasks stopped after a bad deploy, and what prevents it")
    .description(
      "Read `aws ecs describe-tasks` output (and optionally `describe-services` output and the task " +
        "definition) and say, per task, what happened in one sentence with the evidence under it: the log " +
        "router crashed (exit 139/134) and took the task down, before or after it could take traffic; the " +
        "gate failed the task on purpose; the app was held back by the gate (143, CannotStartContainerError); " +
        "out of memory; circuit-breaker rollbacks. Each finding names the lint rule or `fix` that prevents it.",
    )
    .argument(
      "<files...>",
      "describe-tasks output (describe-services output is recognised too); - reads stdin",
    )
    .option("--services <file>", "describe-services output: events and deployments (repeatable)", collect)
    .option("-t, --task-definition <file>", "the task definition the tasks ran (any supported format)");
  addFormatOption(command, FORMATS, "text");
  addJsonAlias(command);
  addOutputOption(command, "the diagnosis");
  addMaxSizeOption(command);
  addColorOptions(command).addHelpText(
    "after",
    "\nExamples:\n" +
      "  aws ecs describe-tasks --cluster prod --tasks $TASK | firelens-preflight diagnose -\n" +
      "  firelens-preflight diagnose describe-tasks.json --services describe-services.json -t task-definition.json",
  );
  command.action(async (files: string[], opts: DiagnoseCommandOptions) => {
    setExit(await runDiagnose(files, opts, processStreams));
  });
  return command;
}
