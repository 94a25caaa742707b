import pc from "picocolors";
import {
  type StartupSummary,
  startupSummaries,
  startupSummaryLines,
  startupVerdictLine,
} from "../../plan/index.js";
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
      ...startupSummaryLines(summaries).map((l) => `  ${l}`),
    );
  }
  if (perDocument.length > 0) {
    out.push(
      "",
      c.bold("verdict"),
      ...perDocument.map((d) => `  ${startupVerdictLine(d.doc.file, d.summaries)}`),
    );
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
  const { failOn, settings, loaded } = await prepareLint(inputs, options, "check", streams);
  await refuseInputAsOutput("--output", options.output, loaded.read);
  const results = lintAll(loaded, settings);
  const perDocument = loaded.documents.map((doc) => ({ doc, summaries: startupSummaries(doc) }));

  if (options.format === "text") {
    const color = options.output === undefined && wantsColor(streams.stdout, options.color, streams.env);
    const text = checkText(results, perDocument, color, options.quiet === true);
    await emit(text, { output: options.output, text: true, color }, streams);
  } else {
    const rendered =
      options.format === "json"
        ? formatJson(results, { extra: { startup: perDocument.flatMap((d) => d.summaries) } })
        : options.format === "github"
          ? formatGithub(results, { srcRoot: streams.cwd })
          : formatSarif(results, { srcRoot: streams.cwd });
    await emit(rendered, { output: options.output, text: false }, streams);
  }
  if (options.quiet !== true)
    for (const n of skippedNotes(loaded.skipped, options.verbose === true)) note(streams, n);
  if (loaded.errors.length > 0) return ExitCode.usage;
  return failsAt(allFindings(results), failOn) ? ExitCode.findings : ExitCode.ok;
}
