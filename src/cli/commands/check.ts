import pc from "picocolors";
import { buildStartupPlan } from "../../plan/index.js";
import { failsAt, formatGithub, formatJson, formatSarif, type LintFileResult } from "../../rules/index.js";
import { describeFormat, type TaskDefinitionDocument } from "../../taskdef/index.js";
import type { FORMATS } from "../define/check.js";
import { ExitCode } from "../errors.js";
import { emit, note, refuseInputAsOutput, type Streams, wantsColor } from "../io.js";
import { findingsText, skippedNotes, summaryLine } from "../report.js";
import { allFindings, type LintFlags, lintAll, prepareLint } from "./lint-shared.js";

type CheckFormat = (typeof FORMATS)[number];

export interface CheckOptions extends LintFlags {
  readonly format: CheckFormat;
  readonly output?: string;
  readonly color?: boolean;
}

/** What `check` adds to the findings, per task definition: enough to see whether the app waits for a verified router. */
interface StartupSummary {
  readonly file: string;
  readonly taskDefinition: string;
  /** Why the ECS agent would refuse the whole task, when it would. */
  readonly refusal?: string;
  readonly stages: readonly (readonly string[])[];
  readonly neverStarts: readonly { container: string; reason: string }[];
  /** What the router's crash (exit 139) and a gate's failure (exit 1) would do. */
  readonly ifExits: readonly { container: string; role: "router" | "gate"; explanation: string }[];
  /** One sentence: whether the app is gated, and what a router crash would do. */
  readonly verdict: string;
}

function planOf(doc: TaskDefinitionDocument, td: TaskDefinitionDocument["taskDefinitions"][number]) {
  const services = doc.services.filter((s) => s.taskDefinitionRef === td.id);
  return buildStartupPlan(td, { serviceConnect: services.some((s) => s.serviceConnect === true) });
}

function startupSummaries(doc: TaskDefinitionDocument): StartupSummary[] {
  return doc.taskDefinitions.map((td) => {
    const plan = planOf(doc, td);
    return {
      file: doc.file,
      taskDefinition: td.id,
      ...(plan.refusal === undefined ? {} : { refusal: plan.refusal }),
      stages: plan.stages,
      neverStarts: plan.blocked.map((b) => ({ container: b.name, reason: b.reason })),
      ifExits: [
        ...(plan.routerCrash === undefined
          ? []
          : [
              {
                container: plan.routerCrash.container,
                role: "router" as const,
                explanation: plan.routerCrash.explanation,
              },
            ]),
        // A non-essential container something waits on with SUCCESS: its failure is the safe way down.
        ...plan.gateFailures.map((g) => ({
          container: g.container,
          role: "gate" as const,
          explanation: g.explanation,
        })),
      ],
      verdict: plan.verdict,
    };
  });
}

/** The plan in two or three lines per task definition. */
function summaryLines(summaries: readonly StartupSummary[]): string[] {
  const lines: string[] = [];
  for (const s of summaries) {
    const prefix = summaries.length > 1 ? `${s.taskDefinition}: ` : "";
    if (s.refusal !== undefined) {
      lines.push(`  ${prefix}the ECS agent refuses this task before starting any container: ${s.refusal}`);
      continue;
    }
    lines.push(`  ${prefix}startup: ${s.stages.map((stage) => stage.join(", ")).join(" → ")}`);
    for (const b of s.neverStarts) lines.push(`  ${prefix}never starts: ${b.container} ${b.reason}`);
    for (const c of s.ifExits) {
      lines.push(
        `  ${prefix}if ${c.container} ${c.role === "router" ? "crashes" : "fails"}: ${c.explanation}`,
      );
    }
  }
  return lines;
}

/** The file's verdict, one line: per task, gated or not and what a router crash would do. */
function verdictLine(file: string, summaries: readonly StartupSummary[]): string {
  const verdicts = summaries.map((s) =>
    summaries.length > 1 ? `${s.taskDefinition}: ${s.verdict}` : s.verdict,
  );
  return `${file}: ${verdicts.length === 0 ? "no task definition" : verdicts.join("; ")}`;
}

/** `check`'s text report: findings, startup order, verdicts, then the summary line last. */
function checkText(
  results: readonly LintFileResult[],
  perDocument: readonly { doc: TaskDefinitionDocument; summaries: StartupSummary[] }[],
  color: boolean,
  quiet: boolean,
): string {
  const findings = findingsText(results, { color, quiet });
  if (quiet) return findings;
  const c = pc.createColors(color);
  const out: string[] = findings === "" ? [] : [findings, ""];
  if (perDocument.length > 0) out.push(c.bold("startup order"));
  for (const { doc, summaries } of perDocument) {
    out.push(
      `  ${doc.file} (${describeFormat(doc.format)})`,
      ...summaryLines(summaries).map((l) => `  ${l}`),
    );
  }
  if (perDocument.length > 0) {
    out.push("", c.bold("verdict"), ...perDocument.map((d) => `  ${verdictLine(d.doc.file, d.summaries)}`));
    out.push("");
  }
  out.push(summaryLine(results));
  return out.join("\n");
}

export async function runCheck(
  inputs: readonly string[],
  options: CheckOptions,
  streams: Streams,
): Promise<number> {
  const { failOn, settings, loaded } = await prepareLint(inputs, options, "check");
  await refuseInputAsOutput("--output", options.output, loaded.read);
  const results = lintAll(loaded, settings);
  const perDocument = loaded.documents.map((doc) => ({ doc, summaries: startupSummaries(doc) }));

  if (options.format === "text") {
    const color = options.output === undefined && wantsColor(streams.stdout, options.color);
    const text = checkText(results, perDocument, color, options.quiet === true);
    await emit(text, { output: options.output, text: true, color }, streams);
  } else {
    const rendered =
      options.format === "json"
        ? formatJson(results, { extra: { startup: perDocument.flatMap((d) => d.summaries) } })
        : options.format === "github"
          ? formatGithub(results, { srcRoot: process.cwd() })
          : formatSarif(results, { srcRoot: process.cwd() });
    await emit(rendered, { output: options.output, text: false }, streams);
  }
  if (options.quiet !== true)
    for (const n of skippedNotes(loaded.skipped, options.verbose === true)) note(streams, n);
  if (loaded.errors.length > 0) return ExitCode.usage;
  return failsAt(allFindings(results), failOn) ? ExitCode.findings : ExitCode.ok;
}
