import { failsAt, formatGithub, formatJson, formatSarif, rules } from "../../rules/index.js";
import type { FORMATS } from "../define/lint.js";
import { ExitCode, UsageError } from "../errors.js";
import { emit, note, refuseInputAsOutput, type Streams, wantsColor } from "../io.js";
import { findingsText, skippedNotes, summaryLine } from "../report.js";
import { allFindings, type LintFlags, lintAll, prepareLint } from "./lint-shared.js";

type LintFormat = (typeof FORMATS)[number];

export interface LintCommandOptions extends LintFlags {
  readonly format: LintFormat;
  readonly output?: string;
  readonly color?: boolean;
  readonly source: boolean;
  readonly listRules?: boolean;
}

export function listRules(format: LintFormat): string {
  if (format === "json") {
    const list = rules.map((r) => ({
      id: r.meta.id,
      severity: r.meta.severity,
      family: r.meta.family,
      title: r.meta.title,
    }));
    return `${JSON.stringify(list, null, 2)}\n`;
  }
  const rows = rules.map((r) => `${r.meta.id}  ${r.meta.severity.padEnd(7)}  ${r.meta.title}`);
  return `${rows.join("\n")}\n`;
}

export async function runLint(
  files: readonly string[],
  options: LintCommandOptions,
  streams: Streams,
): Promise<number> {
  if (options.listRules) {
    if (options.format === "sarif" || options.format === "github") {
      throw new UsageError(`--list-rules prints text or json, not ${options.format}`);
    }
    await emit(
      listRules(options.format),
      { output: options.output, text: options.format === "text" },
      streams,
    );
    return ExitCode.ok;
  }
  const { failOn, settings, loaded } = await prepareLint(files, options, "lint", streams);
  await refuseInputAsOutput("--output", options.output, loaded.read);
  const results = lintAll(loaded, settings);
  const color =
    options.format === "text" &&
    options.output === undefined &&
    wantsColor(streams.stdout, options.color, streams.env);
  let rendered: string;
  if (options.format === "text") {
    const findings = findingsText(results, { color, source: options.source, quiet: options.quiet });
    rendered =
      options.quiet === true
        ? findings
        : [findings, summaryLine(results)].filter((p) => p !== "").join("\n\n");
  } else if (options.format === "json") rendered = formatJson(results);
  else if (options.format === "github") rendered = formatGithub(results, { srcRoot: streams.cwd });
  else rendered = formatSarif(results, { srcRoot: streams.cwd });
  await emit(rendered, { output: options.output, text: options.format === "text", color }, streams);
  if (options.quiet !== true)
    for (const n of skippedNotes(loaded.skipped, options.verbose === true)) note(streams, n);
  if (loaded.errors.length > 0) return ExitCode.usage;
  return failsAt(allFindings(results), failOn) ? ExitCode.findings : ExitCode.ok;
}
