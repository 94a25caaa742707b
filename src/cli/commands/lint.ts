import type { Command } from "commander";
import { failsAt, formatJson, formatSarif, formatText, rules } from "../../rules/index.js";
import { ExitCode, UsageError } from "../errors.js";
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

const FORMATS = ["text", "json", "sarif"] as const;
type LintFormat = (typeof FORMATS)[number];

export interface LintCommandOptions {
  readonly format: string;
  readonly failOn: string;
  readonly disable?: string;
  readonly suppress?: string[];
  readonly output?: string;
  readonly color?: boolean;
  readonly source: boolean;
  readonly listRules?: boolean;
}

export function listRules(): string {
  const rows = rules.map((r) => `${r.meta.id}  ${r.meta.severity.padEnd(7)}  ${r.meta.title}`);
  return `${rows.join("\n")}\n`;
}

export async function runLint(
  files: readonly string[],
  options: LintCommandOptions,
  streams: Streams,
): Promise<number> {
  if (options.listRules) {
    await writeOutput(options.output, listRules(), streams);
    return ExitCode.ok;
  }
  if (files.length === 0) throw new UsageError("lint needs at least one file or directory (- for stdin)");
  if (!FORMATS.includes(options.format as LintFormat)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${options.format}")`);
  }
  const failOn = parseFailOn(options.failOn);
  const disable = parseDisable(options.disable);
  const suppressions = parseSuppressions(options.suppress);
  const loaded = await loadAll(files);
  const results = lintAll(loaded, disable, suppressions);
  const format = options.format as LintFormat;
  const rendered =
    format === "json"
      ? formatJson(results)
      : format === "sarif"
        ? formatSarif(results)
        : formatText(results, {
            color: options.output === undefined && wantsColor(streams.stdout, options.color),
            source: options.source,
          });
  await writeOutput(options.output, rendered, streams);
  for (const s of loaded.skipped) streams.stderr.write(`note: ${s.file}: skipped (${s.why})\n`);
  if (loaded.errors.length > 0) return ExitCode.usage;
  return failsAt(allFindings(results), failOn) ? ExitCode.findings : ExitCode.ok;
}

export function registerLint(program: Command, setExit: (code: number) => void): void {
  addLintOptions(program.command("lint"))
    .summary("find deploy hazards and what ECS would reject in task definitions")
    .description(
      "Lint task definitions of any shape (ECS JSON, describe-task-definition output, Terraform " +
        "container_definitions arrays, CloudFormation/CDK templates in JSON or YAML). Every finding points " +
        "to file, line, column and JSON path, with the rule id and a fix hint.",
    )
    .argument("[files...]", "files or directories; - reads stdin")
    .option("-f, --format <format>", `output format: ${FORMATS.join(", ")}`, "text")
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("--no-source", "do not show the offending source lines (text format)")
    .option("--list-rules", "list every rule id, severity and title, then exit")
    .addHelpText(
      "after",
      "\nExamples:\n  firelens-preflight lint task-definition.json\n  terraform output -raw container_definitions | firelens-preflight lint -\n  firelens-preflight lint -f sarif -o results.sarif cdk.out/*.template.json\n\nRules are described in docs/rules/ and in the README.",
    )
    .action(async (files: string[], opts: LintCommandOptions) => {
      setExit(await runLint(files, opts, processStreams));
    });
}
