import {
  planOfTaskDefinition,
  renderPlanDot,
  renderPlanMermaid,
  renderPlanText,
  type StartupPlan,
} from "../../plan/index.js";
import type { FORMATS } from "../define/plan.js";
import { ExitCode } from "../errors.js";
import { emit, note, refuseInputAsOutput, type Streams } from "../io.js";
import { type ConfigFlags, projectConfig, selectFiles } from "../project.js";
import { skippedNotes } from "../report.js";
import { loadAll } from "./lint-shared.js";

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
  const { selection } = await selectFiles(files, projectConfig(options, streams.cwd), "plan");
  const loaded = await loadAll(selection, options.maxSize, { stdin: streams.stdin });
  // Unlike lint, a plan of half the inputs would read as the whole: the first unreadable file stops it.
  const failed = loaded.errors[0];
  if (failed !== undefined) throw failed;
  await refuseInputAsOutput("--output", options.output, loaded.read);
  const plans: { file: string; plan: StartupPlan }[] = loaded.documents.flatMap((doc) =>
    // Ordered as the agent orders it for the services in the file (Service Connect adds its proxy and edges).
    doc.taskDefinitions.map((td) => ({ file: doc.file, plan: planOfTaskDefinition(doc, td) })),
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
