import type { Command } from "commander";
import { buildStartupPlan, renderPlanDot, renderPlanMermaid, renderPlanText } from "../../plan/index.js";
import { loadDocument } from "../../taskdef/index.js";
import { UsageError } from "../errors.js";
import { processStreams, type Streams, writeOutput } from "../io.js";

const FORMATS = ["text", "mermaid", "dot"] as const;
type PlanFormat = (typeof FORMATS)[number];

export interface PlanOptions {
  readonly format: PlanFormat;
  readonly output?: string;
}

export async function runPlan(
  files: readonly string[],
  options: PlanOptions,
  streams: Streams,
): Promise<number> {
  const render = { text: renderPlanText, mermaid: renderPlanMermaid, dot: renderPlanDot }[options.format];
  const parts: string[] = [];
  for (const file of files) {
    const doc = await loadDocument(file);
    for (const td of doc.taskDefinitions) parts.push(render(buildStartupPlan(td)));
  }
  await writeOutput(options.output, parts.join(options.format === "text" ? "\n" : ""), streams);
  return 0;
}

export function registerPlan(program: Command, setExit: (code: number) => void): void {
  program
    .command("plan")
    .summary("show the order in which ECS will start a task's containers")
    .description(
      "Show the startup order ECS will follow for each task definition: stages, the condition on each " +
        "dependency (implicit ones the agent adds for awsfirelens containers included), which containers are " +
        "essential, what can never start and why, and what stops when the router crashes or the gate fails.",
    )
    .argument("<files...>", "task definition files (any supported format); - reads stdin")
    .option("-f, --format <format>", `output format: ${FORMATS.join(", ")}`, "text")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .addHelpText(
      "after",
      "\nExamples:\n  firelens-preflight plan examples/seed/after.json\n  firelens-preflight plan -f mermaid task.json > order.mmd\n  firelens-preflight plan -f dot task.json | dot -Tsvg > order.svg",
    )
    .action(async (files: string[], opts: { format: string; output?: string }) => {
      if (!FORMATS.includes(opts.format as PlanFormat)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${opts.format}")`);
      }
      setExit(
        await runPlan(files, { format: opts.format as PlanFormat, output: opts.output }, processStreams),
      );
    });
}
