/** `plan`: its flags and help; the work is loaded only when it runs (a hook starts `check` on every commit). */
import type { Command } from "commander";
import type { PlanOptions } from "../commands/plan.js";
import type { Streams } from "../io.js";
import {
  addConfigOptions,
  addFormatOption,
  addMaxSizeOption,
  addOutputOption,
  addVerbosityOptions,
} from "../options.js";

export const FORMATS = ["text", "mermaid", "dot", "json"] as const;

export function registerPlan(program: Command, setExit: (code: number) => void, streams: Streams): Command {
  const command = program
    .command("plan")
    .summary("show the order in which ECS will start a task's containers")
    .description(
      "Show the startup order ECS will follow for each task definition: stages, the condition on each " +
        "dependency (implicit ones the agent adds for awsfirelens containers included), which containers are " +
        "essential, what can never start and why, and what stops when the router crashes or the gate fails.",
    )
    .argument(
      "[files...]",
      "task definition files, directories (walked recursively) or quoted globs; - reads stdin; none: the config's include",
    );
  addFormatOption(command, FORMATS, "text");
  addOutputOption(command);
  addConfigOptions(command);
  addVerbosityOptions(command, "no notes about skipped files");
  addMaxSizeOption(command)
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  firelens-preflight plan task-definition.json\n" +
        "  firelens-preflight plan -f mermaid task-definition.json -o order.mmd\n" +
        "  firelens-preflight plan -f dot task-definition.json | dot -Tsvg > order.svg",
    )
    .action(async (files: string[], opts: PlanOptions) => {
      const { runPlan } = await import("../commands/plan.js");
      setExit(await runPlan(files, opts, streams));
    });
  return command;
}
