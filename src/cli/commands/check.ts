import type { Command } from "commander";
import pc from "picocolors";
import { buildStartupPlan } from "../../plan/index.js";
import { failsAt, formatText } from "../../rules/index.js";
import { describeFormat, type TaskDefinitionDocument } from "../../taskdef/index.js";
import { ExitCode } from "../errors.js";
import { processStreams, type Streams, wantsColor, writeOutput } from "../io.js";
import {
  addLintOptions,
  allFindings,
  lintAll,
  loadAll,
  parseDisable,
  parseFailOn,
  parseSuppressions,
} from "./lint-shared.js";

export interface CheckOptions {
  readonly failOn: string;
  readonly disable?: string;
  readonly suppress?: string[];
  readonly color?: boolean;
}

function planOf(doc: TaskDefinitionDocument, td: TaskDefinitionDocument["taskDefinitions"][number]) {
  const services = doc.services.filter((s) => s.taskDefinitionRef === td.id);
  return buildStartupPlan(td, { serviceConnect: services.some((s) => s.serviceConnect === true) });
}

/** The plan in two or three lines: enough to see whether the app waits for a verified router. */
function planSummary(doc: TaskDefinitionDocument): string[] {
  const lines: string[] = [];
  for (const td of doc.taskDefinitions) {
    const plan = planOf(doc, td);
    const prefix = doc.taskDefinitions.length > 1 ? `${td.id}: ` : "";
    if (plan.refusal !== undefined) {
      lines.push(`  ${prefix}the ECS agent refuses this task before starting any container: ${plan.refusal}`);
      continue;
    }
    lines.push(`  ${prefix}startup: ${plan.stages.map((s) => s.join(", ")).join(" → ")}`);
    for (const b of plan.blocked) lines.push(`  ${prefix}never starts: ${b.name} ${b.reason}`);
    if (plan.routerCrash !== undefined) {
      lines.push(`  ${prefix}if ${plan.routerCrash.container} crashes: ${plan.routerCrash.explanation}`);
    }
    // A non-essential container something waits on with SUCCESS: its failure is the safe way down.
    for (const gate of plan.gateFailures)
      lines.push(`  ${prefix}if ${gate.container} fails: ${gate.explanation}`);
  }
  return lines;
}

/** The file's verdict, one line: per task, gated or not and what a router crash would do. */
function verdictLine(doc: TaskDefinitionDocument): string {
  const verdicts = doc.taskDefinitions.map((td) => {
    const v = planOf(doc, td).verdict;
    return doc.taskDefinitions.length > 1 ? `${td.id}: ${v}` : v;
  });
  return `${doc.file}: ${verdicts.length === 0 ? "no task definition" : verdicts.join("; ")}`;
}

export async function runCheck(
  inputs: readonly string[],
  options: CheckOptions,
  streams: Streams,
): Promise<number> {
  const failOn = parseFailOn(options.failOn);
  const disable = parseDisable(options.disable);
  const suppressions = parseSuppressions(options.suppress);
  const loaded = await loadAll(inputs);
  const results = lintAll(loaded, disable, suppressions);
  const color = wantsColor(streams.stdout, options.color);
  const c = pc.createColors(color);
  const out: string[] = [formatText(results, { color }).trimEnd(), ""];
  if (loaded.documents.length > 0) out.push(c.bold("startup order"));
  for (const doc of loaded.documents) {
    out.push(`  ${doc.file} (${describeFormat(doc.format)})`, ...planSummary(doc).map((l) => `  ${l}`));
  }
  for (const s of loaded.skipped) out.push(`note: ${s.file}: skipped (${s.why})`);
  if (loaded.documents.length > 0)
    out.push("", c.bold("verdict"), ...loaded.documents.map((d) => `  ${verdictLine(d)}`));
  await writeOutput(undefined, out.join("\n"), streams);
  if (loaded.errors.length > 0) return ExitCode.usage;
  return failsAt(allFindings(results), failOn) ? ExitCode.findings : ExitCode.ok;
}

export function registerCheck(program: Command, setExit: (code: number) => void): void {
  addLintOptions(program.command("check"))
    .summary("lint task definitions and summarise their startup order (the main job)")
    .description(
      "Check task definitions for the seed's hazard (an essential FireLens router whose first-flush crash " +
        "would take a task down after it was put in service), for what ECS would reject, and for known " +
        "crash-prone router versions; then summarise each task's startup order and what a router crash " +
        "would stop. A directory checks every task-definition file in it.",
    )
    .argument("<inputs...>", "files or directories; - reads stdin")
    .addHelpText(
      "after",
      "\nExamples:\n  firelens-preflight check examples/seed\n  firelens-preflight check infra/task-definition.json --fail-on warning\n\nFor SARIF or JSON output use `lint`; for the full startup graph use `plan`.",
    )
    .action(async (inputs: string[], opts: CheckOptions) => {
      setExit(await runCheck(inputs, opts, processStreams));
    });
}
