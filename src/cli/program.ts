/**
 * The `firelens-preflight` CLI: a thin shell over the library. Each command parses its flags, calls the
 * library, hands the result to one renderer and returns an exit code; only this folder prints or exits, and
 * every error reaches one boundary (`boundary.ts`) that chooses the exit code and the words.
 */
import { Command, type OutputConfiguration } from "commander";
import pc from "picocolors";
import { packageVersion } from "../package-info.js";
import { CommandLineError, commandPath, usageLine } from "./command-line.js";
import { registerCheck } from "./define/check.js";
import { registerDiagnose } from "./define/diagnose.js";
import { registerFix } from "./define/fix.js";
import { registerLint } from "./define/lint.js";
import { registerPlan } from "./define/plan.js";
import { registerProbe } from "./define/probe.js";
import { registerRehearse } from "./define/rehearse.js";
import { registerSimulate } from "./define/simulate.js";
import { ExitCode } from "./errors.js";
import { type OutStream, processStreams, type Streams, wantsColor } from "./io.js";
import { escapeControls } from "./terminal.js";

/** Commander's help, version and errors go to the run's streams, as wide as its terminal (80 when none). */
function outputTo(streams: Streams): OutputConfiguration {
  const width = (stream: OutStream) =>
    stream.isTTY === true && stream.columns !== undefined ? stream.columns : 80;
  return {
    writeOut: (text) => {
      streams.stdout.write(text);
    },
    writeErr: (text) => {
      streams.stderr.write(text);
    },
    getOutHelpWidth: () => width(streams.stdout),
    getErrHelpWidth: () => width(streams.stderr),
    getOutHasColors: () => wantsColor(streams.stdout, undefined, streams.env),
    getErrHasColors: () => wantsColor(streams.stderr, undefined, streams.env),
    // The boundary prints errors (with the failing command's usage line); commander only parses.
    outputError: () => {},
  };
}

export function buildProgram(setExit: (code: number) => void, streams: Streams): Command {
  const program = new Command("firelens-preflight")
    .description(
      "Deploy ECS services with a FireLens (Fluent Bit) log router without dropping requests.\n\n" +
        "A router that crashes on its first flush takes an essential-router task down after the ALB has " +
        "put it in service. firelens-preflight finds that hazard in task definitions, adds a verifying " +
        "preflight gate that holds the app back until the router has provably flushed its output path, " +
        "and shows what a deploy would do with and without it.",
    )
    .version(packageVersion(), "-V, --version")
    .configureOutput(outputTo(streams));
  const commands = [
    registerCheck(program, setExit, streams),
    registerLint(program, setExit, streams),
    registerPlan(program, setExit, streams),
    registerFix(program, setExit, streams),
    registerProbe(program),
    registerSimulate(program, setExit, streams),
    registerDiagnose(program, setExit, streams),
    registerRehearse(program, setExit, streams),
  ];
  program.exitOverride((error) => {
    throw new CommandLineError(error, program);
  });
  for (const command of commands) {
    command.exitOverride((error) => {
      throw new CommandLineError(error, command);
    });
  }
  program.addHelpText(
    "after",
    "\nStart with:\n" +
      "  firelens-preflight check task-definition.json    a task definition in any supported format\n" +
      "  aws ecs describe-task-definition --task-definition <family> | firelens-preflight check -\n" +
      "  firelens-preflight fix task-definition.json --probe-image <image> --dry-run\n\n" +
      "Exit codes: 0 clean, 1 findings at or above --fail-on (or a failed probe), 2 bad input, output, usage or " +
      "config file, 3 internal error.\n\n" +
      "Config: firelens-preflight.config.{json,yaml,yml} or a package.json key, the nearest from the working " +
      "directory up to the repository root (--config <file>, --no-config); see README, Configuration.\n\n" +
      "Environment: NO_COLOR or FORCE_COLOR.",
  );
  return program;
}

/**
 * Runs the CLI once and returns its exit code; it never exits the process. The bin passes the process's own
 * streams, environment and directory; a caller in the same process passes its own and reads what was written.
 * Relative file arguments are opened as the process resolves them, so `streams.cwd` should be its directory.
 */
export async function main(argv: readonly string[], streams: Streams = processStreams()): Promise<number> {
  if (argv[0] === "probe") {
    const { runProbeCommand } = await import("./commands/probe.js");
    return runProbeCommand(argv.slice(1), streams);
  }
  let exitCode: number = ExitCode.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  }, streams);
  let active: Command | undefined;
  program.hook("preAction", (_program, actionCommand) => {
    active = actionCommand;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    const { describeError } = await import("./boundary.js");
    const outcome = describeError(error, active);
    if (outcome.message !== undefined) {
      const color = wantsColor(streams.stderr, undefined, streams.env);
      const label = color ? pc.red("error") : "error";
      const lines = [`${label}: ${escapeControls(outcome.message)}`];
      if (outcome.usageOf !== undefined) {
        lines.push(`usage: ${usageLine(outcome.usageOf)}`);
        lines.push(`Run '${commandPath(outcome.usageOf)} --help' for more information.`);
      }
      streams.stderr.write(`${lines.join("\n")}\n`);
    }
    return outcome.code;
  }
}
