import type { Command } from "commander";
import { failsAt, formatJson, formatSarif, formatText, rules } from "../../rules/index.js";
import { ExitCode, UsageError } from "../errors.js";
import { emit, note, processStreams, refuseInputAsOutput, type Streams, wantsColor } from "../io.js";
import { addFormatOption, addOutputOption } from "../options.js";
import {
  addLintOptions,
  allFindings,
  lintAll,
  loadAll,
  parseDisable,
  parseFailOn,
  parseSuppressions,
} from "./lint-shared.js";

const FORMATS = ["text", "json", "sarif"] as const;
type LintFormat = (typeof FORMATS)[number];

export interface LintCommandOptions {
  readonly format: LintFormat;
  readonly failOn: string;
  readonly disable?: string[];
  readonly suppress?: string[];
  readonly output?: string;
  readonly maxSize?: number;
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
    if (options.format === "sarif") throw new UsageError("--list-rules prints text or json, not sarif");
    await emit(
      listRules(options.format),
      { output: options.output, text: options.format === "text" },
      streams,
    );
    return ExitCode.ok;
  }
  if (files.length === 0) throw new UsageError("lint needs at least one file or directory (- for stdin)");
  const failOn = parseFailOn(options.failOn);
  const disable = parseDisable(options.disable);
  const suppressions = parseSuppressions(options.suppress);
  const loaded = await loadAll(files, options.maxSize);
  await refuseInputAsOutput("--output", options.output, loaded.read);
  const results = lintAll(loaded, disable, suppressions);
  const color =
    options.format === "text" && options.output === undefined && wantsColor(streams.stdout, options.color);
  const rendered =
    options.format === "json"
      ? formatJson(results)
      : options.format === "sarif"
        ? formatSarif(results, { srcRoot: process.cwd() })
        : formatText(results, { color, source: options.source });
  await emit(rendered, { output: options.output, text: options.format === "text", color }, streams);
  for (const s of loaded.skipped) note(streams, `note: ${s.file}: skipped (${s.why})`);
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
    .argument("[files...]", "files or directories; - reads stdin");
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
        "  firelens-preflight lint -f sarif -o results.sarif cdk.out\n\n" +
        "Rules: firelens-preflight lint --list-rules; each has a page under docs/rules/ in the package.",
    )
    .action(async (files: string[], opts: LintCommandOptions) => {
      setExit(await runLint(files, opts, processStreams));
    });
  return command;
}
