/**
 * The CLI's one error boundary: every command throws (typed errors, or whatever a bug throws), and this is
 * the only place that decides the exit code and words the message. Library errors carry data (`FixError`'s
 * `option`, `TaskDefError`'s location); the CLI names options as its flags here. It knows every part's error
 * classes, so it is loaded only when an error reaches it: a clean run never pays for parts it did not use.
 */
import { constants } from "node:os";
import { type Command, CommanderError } from "commander";
import { ConfigFileError } from "../config/index.js";
import { DiagnoseInputError } from "../diagnose/index.js";
import { FixError } from "../fix/index.js";
import { ScenarioError, SimulationInputError } from "../simulate/index.js";
import { TaskDefError } from "../taskdef/index.js";
import { CommandLineError } from "./command-line.js";
import { ExitCode, InputError, InterruptedError, OutputError, UsageError } from "./errors.js";

/** A library option's flag: `probeImage` → `--probe-image`. The CLI's flags are its options, kebab-cased. */
export function flagOf(option: string): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export interface Outcome {
  readonly code: number;
  /** Printed after `error: `; none when commander already printed what there was to say (help, version). */
  readonly message?: string;
  /** Print the usage line of this command under the message. */
  readonly usageOf?: Command;
}

/** Commander codes that are not failures: it printed help or the version as asked. */
const COMMANDER_DONE = new Set(["commander.helpDisplayed", "commander.version"]);

export function describeError(error: unknown, active: Command | undefined): Outcome {
  if (error instanceof CommandLineError) {
    const { code } = error.error;
    if (COMMANDER_DONE.has(code)) return { code: ExitCode.ok };
    // No subcommand: commander printed the whole help to stderr already.
    if (code === "commander.help") return { code: ExitCode.usage };
    return { code: ExitCode.usage, message: error.message, usageOf: error.command };
  }
  if (error instanceof CommanderError) {
    if (COMMANDER_DONE.has(error.code)) return { code: ExitCode.ok };
    return { code: ExitCode.usage, message: error.message.replace(/^error: /, ""), usageOf: active };
  }
  if (error instanceof UsageError) return { code: ExitCode.usage, message: error.message, usageOf: active };
  if (error instanceof FixError) return { code: ExitCode.usage, message: error.describe(flagOf) };
  if (error instanceof DiagnoseInputError && error.jsonPath !== undefined) {
    return { code: ExitCode.usage, message: `${error.message} (at ${error.jsonPath})` };
  }
  if (
    error instanceof InputError ||
    error instanceof OutputError ||
    error instanceof ConfigFileError ||
    error instanceof TaskDefError ||
    error instanceof ScenarioError ||
    error instanceof SimulationInputError
  ) {
    return { code: ExitCode.usage, message: error.message };
  }
  if (error instanceof InterruptedError) {
    // The shell's convention for a process ended by a signal: 128 + its number.
    return { code: 128 + (constants.signals[error.signal] ?? 0), message: error.message };
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { code: ExitCode.internal, message: `internal error, please report it:\n${detail}` };
}
