/**
 * Options several commands share, declared once so their spelling, help and parsing stay the same: GNU style,
 * a repeatable option takes exactly one value per flag (so it never swallows the files after it), and every
 * command that prints results has `-f, --format` and `-o, --output`.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_MAX_SIZE, formatSize, parseSize } from "./input.js";

/** Collects a repeatable option's values: `--suppress a --suppress b`. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Collects a repeatable option whose values may also be comma lists: `--gate a,b --gate c`. */
export function collectList(value: string, previous: readonly string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  ];
}

/** `-f, --format` with the formats this command supports; commander rejects others as a usage error. */
export function addFormatOption<F extends string>(
  command: Command,
  formats: readonly F[],
  fallback: F,
): Command {
  return command.addOption(
    new Option("-f, --format <format>", "output format").choices(formats).default(fallback),
  );
}

/** `--json`, kept where it existed before `-f json`. */
export function addJsonAlias(command: Command): Command {
  return command.option("--json", "same as --format json");
}

/** The format asked for, `--json` included. */
export function formatOf<F extends string>(options: { format: F; json?: boolean }): F | "json" {
  return options.json === true ? "json" : options.format;
}

export function addOutputOption(command: Command, what = "the result"): Command {
  return command.option("-o, --output <file>", `write ${what} to a file instead of stdout`);
}

/** `--max-size`: the cap on every input this command reads. */
export function addMaxSizeOption(command: Command): Command {
  return command.addOption(
    new Option(
      "--max-size <size>",
      `largest input read, e.g. 64M (default ${formatSize(DEFAULT_MAX_SIZE)})`,
    ).argParser((value) => {
      try {
        return parseSize(value);
      } catch (error) {
        throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
      }
    }),
  );
}

export function addColorOptions(command: Command): Command {
  return command
    .option("--color", "force colors")
    .option("--no-color", "never use colors (NO_COLOR is honoured too)");
}

/** The exit codes every command keeps, for `--help` (README says the same; test/cli/ci-output.test.ts holds both to it). */
export const EXIT_CODES_HELP =
  "Exit codes: 0 clean; 1 findings at or above --fail-on; 2 bad input, output, usage or config file; " +
  "3 internal error (a bug: please report it). A task whose containers cannot all be read (a list spliced " +
  "from a Terraform module output or variable, a container CloudFormation fills in) is a finding of its own, " +
  "FLP200 (error): unknown is never clean.\n\n";

/** `--config <file>` and `--no-config`, declared once for every command that reads the config. */
export function addConfigOptions(command: Command): Command {
  return command
    .option(
      "--config <file>",
      "use this config file (default: the nearest firelens-preflight.config.{json,yaml,yml} or package.json key, from here up to the repository root)",
    )
    .option("--no-config", "ignore every config file");
}

/** For hooks that pass every staged file: a named file that is no task definition is skipped, not an error. */
export function addIgnoreUnknownOption(command: Command): Command {
  return command.option(
    "--ignore-unknown",
    "skip named files that are not task definitions (as for files found in directories), instead of exit 2",
  );
}

/** `--verbose` and `--quiet`, for every command that reads many files. */
export function addVerbosityOptions(command: Command, quiet: string): Command {
  return command
    .option("-q, --quiet", quiet)
    .option("--verbose", "list every file skipped while walking directories and globs, with the reason");
}

/** The options `lint` and `check` both take, declared once so their flags and help stay the same. */
export function addLintOptions(command: Command): Command {
  addIgnoreUnknownOption(command);
  command
    .option(
      "--fail-on <severity>",
      "exit 1 on findings at or above: error, warning, note, none (default: the config's failOn, else error)",
    )
    .option(
      "--suppress <rule[container]=reason>",
      "acknowledge a finding with a reason of 10+ characters, e.g. 'FLP203[log-router]=pinned by digest in CD' (repeatable)",
      collect,
    )
    .option(
      "--disable <ids>",
      "rule ids to skip, comma-separated or repeated, e.g. FLP203,FLP301",
      collectList,
    );
  addConfigOptions(command);
  addVerbosityOptions(command, "print findings only: no startup or verdict sections, notes or summary line");
  addMaxSizeOption(command);
  return addColorOptions(command);
}
