/** `check`: its flags and help; the work is loaded only when it runs (a hook starts `check` on every commit). */
import type { Command } from "commander";
import type { CheckOptions } from "../commands/check.js";
import type { Streams } from "../io.js";
import { addFormatOption, addLintOptions, addOutputOption, EXIT_CODES_HELP } from "../options.js";

export const FORMATS = ["text", "json", "sarif", "github"] as const;

export function registerCheck(program: Command, setExit: (code: number) => void, streams: Streams): Command {
  const command = program
    .command("check")
    .summary("lint task definitions and summarise their startup order (the main job)")
    .description(
      "Check task definitions for the seed's hazard (an essential FireLens router whose first-flush crash " +
        "would take a task down after it was put in service), for what ECS would reject, and for known " +
        "crash-prone router versions; then summarise each task's startup order and what a router crash " +
        "would stop. A directory checks every task-definition file in it and below.",
    )
    .argument(
      "[inputs...]",
      "files, directories (walked recursively) or quoted globs; - reads stdin; none: the config's include",
    );
  addFormatOption(command, FORMATS, "text");
  addOutputOption(command, "the report");
  addLintOptions(command)
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  firelens-preflight check task-definition.json\n" +
        "  aws ecs describe-task-definition --task-definition web | firelens-preflight check -\n" +
        "  firelens-preflight check cdk.out --fail-on warning -f sarif -o results.sarif\n" +
        "  firelens-preflight check 'infra/**/*.json' -f github   annotations in a GitHub Actions log\n\n" +
        EXIT_CODES_HELP +
        "For the full startup graph use `plan`; to add the gate, `fix`.",
    )
    .action(async (inputs: string[], opts: CheckOptions) => {
      const { runCheck } = await import("../commands/check.js");
      setExit(await runCheck(inputs, opts, streams));
    });
  return command;
}
