/** `simulate`: its flags and help; the work is loaded only when it runs (a hook starts `check` on every commit). */
import type { Command } from "commander";
import type { SimulateCommandOptions } from "../commands/simulate.js";
import type { Streams } from "../io.js";
import { addFormatOption, addJsonAlias, addMaxSizeOption, addOutputOption } from "../options.js";

export const FORMATS = ["text", "json"] as const;

export function registerSimulate(
  program: Command,
  setExit: (code: number) => void,
  streams: Streams,
): Command {
  const command = program
    .command("simulate")
    .summary("how many requests a deploy fails, with and without the gate")
    .description(
      "Simulate deployments of an ECS service running this task definition behind an ALB: container " +
        "start order, health checks, essential exits, target registration and draining, client traffic, the " +
        "circuit breaker; faults such as the router crashing on its first flush come from the scenario. " +
        "Seeded and deterministic: the same seed gives the same result.",
    )
    .argument("<task-definition>", "task definition file (any supported format); - reads stdin")
    .option(
      "-s, --scenario <file>",
      "scenario YAML, like https://github.com/firelens-preflight/firelens-preflight/blob/main/examples/seed/scenario.yaml (default: built-in)",
    )
    .option("--compare", "also simulate the task as `fix` would gate it, on the same seeds")
    .option("-n, --runs <n>", "deployments to simulate", "1000")
    .option("--seed <n>", "random seed", "1")
    .option("--workers <n>", "worker threads (0: this thread)", "0")
    .option("--task-definition <id>", "which task definition, when the file has several");
  addFormatOption(command, FORMATS, "text");
  addJsonAlias(command);
  addOutputOption(command, "the summary (or JSON)");
  command.option("--report <file>", "write a self-contained HTML report with timelines and histograms");
  addMaxSizeOption(command)
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  firelens-preflight simulate task-definition.json --compare\n" +
        "  firelens-preflight simulate task-definition.json -s scenario.yaml -n 100000 --workers 2 --report deploy.html\n\n" +
        "Ctrl-C stops early and prints what was simulated so far.",
    )
    .action(async (file: string, opts: SimulateCommandOptions) => {
      const { runSimulate } = await import("../commands/simulate.js");
      setExit(await runSimulate(file, opts, streams));
    });
  return command;
}
