/** `probe`: declared for help only; `main` hands its arguments to the probe before commander parses. */
import type { Command } from "commander";

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
