import type { Command } from "commander";
import {
  DiagnoseInputError,
  diagnose,
  loadDiagnoseInput,
  mergeDiagnoseInputs,
  renderDiagnosisJson,
  renderDiagnosisText,
} from "../../diagnose/index.js";
import { loadDocument } from "../../taskdef/index.js";
import { ExitCode, UsageError } from "../errors.js";
import { processStreams, type Streams, wantsColor } from "../io.js";

export interface DiagnoseCommandOptions {
  readonly services?: string[];
  readonly taskDefinition?: string;
  readonly json?: boolean;
  readonly color?: boolean;
}

export async function runDiagnose(
  files: readonly string[],
  opts: DiagnoseCommandOptions,
  streams: Streams,
): Promise<number> {
  if (files.filter((f) => f === "-").length + (opts.services ?? []).filter((f) => f === "-").length > 1) {
    throw new UsageError("only one input can come from stdin");
  }
  try {
    const inputs = await Promise.all([...files, ...(opts.services ?? [])].map((f) => loadDiagnoseInput(f)));
    const merged = mergeDiagnoseInputs(inputs);
    if (merged.tasks.length === 0 && merged.services.length === 0) {
      throw new UsageError(`${merged.file}: no tasks or services to diagnose`);
    }
    const taskDefinition = opts.taskDefinition
      ? (await loadDocument(opts.taskDefinition)).taskDefinitions
      : undefined;
    const diagnosis = diagnose(merged.tasks, {
      services: merged.services,
      failures: merged.failures,
      taskDefinition,
      inputNotes: merged.notes,
    });
    streams.stdout.write(
      opts.json
        ? renderDiagnosisJson(diagnosis)
        : renderDiagnosisText(diagnosis, { color: wantsColor(streams.stdout, opts.color) }),
    );
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof DiagnoseInputError) {
      throw new UsageError(
        error.jsonPath === undefined ? error.message : `${error.message} (at ${error.jsonPath})`,
      );
    }
    throw error;
  }
}

export function registerDiagnose(program: Command, setExit: (code: number) => void): void {
  program
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
    .option("--services <files...>", "describe-services output: events and deployments")
    .option("-t, --task-definition <file>", "the task definition the tasks ran (any supported format)")
    .option("--json", "print JSON instead of text")
    .option("--color", "force colors")
    .option("--no-color", "never use colors")
    .addHelpText(
      "after",
      "\nExamples:\n  aws ecs describe-tasks --cluster prod --tasks $TASK | firelens-preflight diagnose -\n  firelens-preflight diagnose examples/seed/incident/describe-tasks.json --services examples/seed/incident/describe-services.json -t examples/seed/before.json",
    )
    .action(async (files: string[], opts: DiagnoseCommandOptions) => {
      setExit(await runDiagnose(files, opts, processStreams));
    });
}
