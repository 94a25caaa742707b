import type { Command } from "commander";
import {
  buildStartupPlan,
  renderPlanDot,
  renderPlanMermaid,
  renderPlanText,
  type StartupPlan,
} from "../../plan/index.js";
import { ExitCode } from "../errors.js";
import { emit, note, processStreams, refuseInputAsOutput, type Streams } from "../io.js";
import { addFormatOption, addMaxSizeOption, addOutputOption } from "../options.js";
import { addConfigOptions, type ConfigFlags, projectConfig, selectFiles } from "../project.js";
import { skippedNotes } from "../report.js";
import { addVerbosityOptions, loadAll } from "./lint-shared.js";

const FORMATS = ["text", "mermaid", "dot", "json"] as const;
type PlanFormat = (typeof FORMATS)[number];

export interface PlanOptions extends ConfigFlags {
  readonly format: PlanFormat;
  readonly output?: string;
  readonly maxSize?: number;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
}

export async function runPlan(
  files: readonly string[],
  options: PlanOptions,
  streams: Streams,
): Promise<number> {
  // The config chooses the files (include, exclude) only: a plan has no findings to suppress or fail on.
  const { selection } = await selectFiles(files, projectConfig(options), "plan");
  const loaded = await loadAll(selection, options.maxSize);
  // Unlike lint, a plan of half the inputs would read as the whole: the first unreadable file stops it.
  const failed = loaded.errors[0];
  if (failed !== undefined) throw failed;
  await refuseInputAsOutput("--output", options.output, loaded.read);
  const plans: { file: string; plan: StartupPlan }[] = loaded.documents.flatMap((doc) =>
    doc.taskDefinitions.map((td) => ({ file: doc.file, plan: buildStartupPlan(td) })),
  );
  let rendered: string;
  if (options.format === "json") {
    rendered = `${JSON.stringify(
      plans.map((p) => ({ file: p.file, ...p.plan })),
      null,
      2,
    )}\n`;
  } else {
    const all = plans.map((p) => p.plan);
    // Mermaid and DOT read one diagram per document: several task definitions share one, a box each.
    if (options.format === "mermaid") rendered = renderPlanMermaid(all);
    else if (options.format === "dot") rendered = renderPlanDot(all);
    else rendered = all.map(renderPlanText).join("\n");
  }
  await emit(rendered, { output: options.output, text: options.format !== "json" }, streams);
  if (options.quiet !== true)
    for (const n of skippedNotes(loaded.skipped, options.verbose === true)) note(streams, n);
  return ExitCode.ok;
}

export function registerPlan(program: Command, setExit: (code: number) => void): Command {
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
      setExit(await runPlan(files, opts, processStreams));
    });
  return command;
}
