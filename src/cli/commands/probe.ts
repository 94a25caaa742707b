import type { Command } from "commander";
import { probeMain } from "../../probe/index.js";

/**
 * `probe` hands its arguments to the probe's own parser untouched: the standalone bundle
 * (dist/probe.mjs) and this command must accept exactly the same flags and environment.
 */
export async function runProbeCommand(args: readonly string[]): Promise<number> {
  return probeMain(args, process.env, { stdout: process.stdout, stderr: process.stderr });
}

export function registerProbe(program: Command): Command {
  return program
    .command("probe")
    .summary("verify the log router's output path (runs inside the preflight container)")
    .description(
      "Run the preflight probe: send records through the FireLens router on the gated containers' own " +
        "output path, watch the router's monitoring API until they are flushed, and exit 0 only when the " +
        "path is verified. Same program as dist/probe.mjs; `firelens-preflight probe --help` lists every " +
        "flag and FIRELENS_PREFLIGHT_* variable.",
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[options...]");
}
