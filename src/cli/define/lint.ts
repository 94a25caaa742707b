/** `lint`: its flags and help; the work is loaded only when it runs (a hook starts `check` on every commit). */
import type { Command } from "commander";
import type { LintCommandOptions } from "../commands/lint.js";
import type { Streams } from "../io.js";
import { addFormatOption, addLintOptions, addOutputOption, EXIT_CODES_HELP } from "../options.js";

export const FORMATS = ["text", "json", "sarif", "github"] as const;

export function registerLint(program: Command, setExit: (code: number) => void, streams: Streams): Command {
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
      const { runLint } = await import("../commands/lint.js");
      setExit(await runLint(files, opts, streams));
    });
  return command;
}
