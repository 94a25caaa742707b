/**
 * The `firelens-preflight` CLI: a thin shell over the library. Each command parses its flags, calls the
 * library, hands the result to one renderer and returns an exit code; only this folder prints or exits.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { TaskDefError } from "../taskdef/index.js";
import { registerCheck } from "./commands/check.js";
import { registerDiagnose } from "./commands/diagnose.js";
import { registerFix } from "./commands/fix.js";
import { registerLint } from "./commands/lint.js";
import { registerPlan } from "./commands/plan.js";
import { registerProbe, runProbeCommand } from "./commands/probe.js";
import { registerSimulate } from "./commands/simulate.js";
import { ExitCode, UsageError } from "./errors.js";
import { errorLine, wantsColor } from "./io.js";

/** The version of the package this file ships in (`src/cli/` and `dist/cli/` both sit two levels below it). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version?: string;
  };
  return manifest.version ?? "unknown";
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("firelens-preflight")
    .description(
      "Deploy ECS services with a FireLens (Fluent Bit) log router without dropping requests.\n\n" +
        "A router that crashes on its first flush takes an essential-router task down after the ALB has " +
        "put it in service. firelens-preflight finds that hazard in task definitions, adds a verifying " +
        "preflight gate that holds the app back until the router has provably flushed its output path, " +
        "and shows what a deploy would do with and without it.",
    )
    .version(packageVersion(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ outputError: (text, write) => write(text) });
  registerCheck(program, setExit);
  registerLint(program, setExit);
  registerPlan(program, setExit);
  registerFix(program, setExit);
  registerProbe(program);
  registerSimulate(program, setExit);
  registerDiagnose(program, setExit);
  program.addHelpText(
    "after",
    "\nStart with:\n  firelens-preflight check examples/seed/before.json   the seed's task: the hazard, found\n  firelens-preflight check examples/seed/after.json    the same task with the gate: clean\n\nExit codes: 0 clean, 1 findings at or above --fail-on (or a failed probe), 2 bad input or usage, 3 internal error.",
  );
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "probe") return runProbeCommand(argv.slice(1));
  let exitCode: number = ExitCode.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  program.exitOverride();
  const color = wantsColor(process.stderr, undefined);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed what they had to.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.ok;
      if (error.code === "commander.help") return ExitCode.ok;
      return ExitCode.usage;
    }
    if (error instanceof UsageError || error instanceof TaskDefError) {
      process.stderr.write(`${errorLine(error.message, color)}\n`);
      return ExitCode.usage;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${errorLine(`internal error, please report it:\n${message}`, color)}\n`);
    return ExitCode.internal;
  }
}
