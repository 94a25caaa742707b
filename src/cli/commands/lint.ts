import type { Command } from "commander";
import { failsAt, formatGithub, formatJson, formatSarif, rules } from "../../rules/index.js";
import { ExitCode, UsageError } from "../errors.js";
import { emit, note, processStreams, refuseInputAsOutput, type Streams, wantsColor } from "../io.js";
import { addFormatOption, addOutputOption, EXIT_CODES_HELP } from "../options.js";
import { findingsText, skippedNotes, summaryLine } from "../report.js";
import { addLintOptions, allFindings, type LintFlags, lintAll, prepareLint } from "./lint-shared.js";

const FORMATS = ["text", "json", "sarif", "github"] as const;
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
  const { failOn, settings, loaded } = await prepareLint(files, options, "lint");
  await refuseInputAsOutput("--output", options.output, loaded.read);
  const results = lintAll(loaded, settings);
  const color =
    options.format === "text" && options.output === undefined && wantsColor(streams.stdout, options.color);
  let rendered: string;
  if (options.format === "text") {
    const findings = findingsText(results, { color, source: options.source, quiet: options.quiet });
    rendered =
      options.quiet === true
        ? findings
        : [findings, summaryLine(results)].filter((p) => p !== "").join("\n\n");
  } else if (options.format === "json") rendered = formatJson(results);
  else if (options.format === "github") rendered = formatGithub(results, { srcRoot: process.cwd() });
  else rendered = formatSarif(results, { srcRoot: process.cwd() });
  await emit(rendered, { output: options.output, text: options.format === "text", color }, streams);
  if (options.quiet !== true)
    for (const n of skippedNotes(loaded.skipped, options.verbose === true)) note(streams, n);
  if (loaded.errors.length > 0) return ExitCode.usage;
  return failsAt(allFindings(results), failOn) ? ExitCode.findings : ExitCode.ok;
}

export function registerLint(program: Command, setExit: (code: number) => void): Command {
  const command = program
    .command("lint")
    .summary("find deploy hazards and what ECS would reject in task definitions")
    .description(
      "Lint task definitions of any shape (ECS JSON, describe-task-definition output, Terraform " +
        "container_definitions arrays, CloudFormation/CDK templates in JSON or YAML). Every finding points " +
        "to file, line, column and JSON path, with the rule id and a fix hint.",
    )
    .argument(
      "[files...]",
      "files, directories (walked recursively) or quoted globs; - reads stdin; none: the config's include",
    );
  addFormatOption(command, FORMATS, "text");
  addOutputOption(command, "the report");
  addLintOptions(command)
    .option("--no-source", "do not show the offending source lines (text format)")
    .option("--list-rules", "list every rule id, severity and title, then exit")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  firelens-preflight lint task-definition.json\n" +
        "  terraform output -raw container_definitions | firelens-preflight lint -\n" +
        "  firelens-preflight lint -f sarif -o results.sarif cdk.out\n" +
        "  firelens-preflight lint -f github 'infra/**/*.json'   annotations in a GitHub Actions log\n\n" +
        EXIT_CODES_HELP +
        "Rules: firelens-preflight lint --list-rules; each has a page under docs/rules/ in the package.",
    )
    .action(async (files: string[], opts: LintCommandOptions) => {
      setExit(await runLint(files, opts, processStreams));
    });
  return command;
}
