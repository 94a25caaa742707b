/** `diagnose`: its flags and help; the work is loaded only when it runs (a hook starts `check` on every commit). */
import type { Command } from "commander";
import type { DiagnoseCommandOptions } from "../commands/diagnose.js";
import type { Streams } from "../io.js";
import {
  addColorOptions,
  addFormatOption,
  addJsonAlias,
  addMaxSizeOption,
  addOutputOption,
  collect,
} from "../options.js";

export const FORMATS = ["text", "json"] as const;

export function registerDiagnose(
  program: Command,
  setExit: (code: number) => void,
  streams: Streams,
): Command {
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
    const { runDiagnose } = await import("../commands/diagnose.js");
    setExit(await runDiagnose(files, opts, streams));
  });
  return command;
}
