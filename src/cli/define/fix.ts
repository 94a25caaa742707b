/** `fix`: its flags and help; the work is loaded only when it runs (a hook starts `check` on every commit). */
import type { Command } from "commander";
import { PREFLIGHT_CONTAINER_NAME } from "../../probe/contract.js";
import type { FixCommandOptions } from "../commands/fix.js";
import type { Streams } from "../io.js";
import {
  addConfigOptions,
  addFormatOption,
  addIgnoreUnknownOption,
  addMaxSizeOption,
  addOutputOption,
  collectList,
} from "../options.js";

export const FORMATS = ["document", "diff", "json"] as const;
export const REQUIRE = ["auto", "alive", "accepted", "flushed"] as const;

export function registerFix(program: Command, setExit: (code: number) => void, streams: Streams): Command {
  const command = program
    .command("fix")
    .summary("add the verifying preflight gate to a task definition")
    .description(
      "Add the preflight gate: a non-essential container running the probe, which every gated container " +
        "waits for with SUCCESS, and which waits for the router (START, or HEALTHY when it has a healthCheck) " +
        "and the Datadog Agent. Keeps every existing field, key order, indentation, YAML comment and " +
        "intrinsic; a document that is already gated comes back byte-identical. In templates it also turns " +
        "on the deployment circuit breaker with rollback.",
    )
    .argument(
      "<files...>",
      "task definition files (any supported format), each fixed on its own; - reads stdin",
    )
    .option(
      "--probe-image <image>",
      "image of the probe container (default: the config's fix.probeImage; needed unless the file has a preflight)",
    )
    .option(
      "--name <name>",
      `name of the preflight container (default: the config's fix.name, else ${PREFLIGHT_CONTAINER_NAME})`,
    )
    .option(
      "--gate <names>",
      "containers to gate, comma-separated or repeated (default: every essential app logging via awsfirelens)",
      collectList,
    )
    .option("--require <level>", `lowest level the probe accepts: ${REQUIRE.join(", ")}`)
    .option("--timeout <duration>", "probe deadline, e.g. 30s, 2m (default: the config's fix.timeout)")
    .option("--records <n>", "records the probe sends per gated container")
    .option(
      "--router-monitoring",
      "enable the router's monitoring server and an uptime health check (aws-for-fluent-bit ≥ 2.29.1)",
    )
    .option(
      "--gate-non-essential-router",
      "gate a task whose router is essential: false too (default: the config's fix.gateNonEssentialRouter, " +
        "else left alone: its owner chose to lose logs rather than stop serving, and fix says so)",
    )
    .option("--no-circuit-breaker", "leave ECS services' deployment circuit breaker alone")
    .option(
      "--probe-logs <awslogs:group[:region]>",
      "send the probe's own output to CloudWatch Logs, so a failed gate's reason survives a router crash",
    );
  addFormatOption(command, FORMATS, "document");
  addOutputOption(command, "the gated document (or the diff or report)");
  command
    .option(
      "-w, --write",
      "rewrite the input file in place, atomically, keeping its mode, owner, links and hard links",
    )
    .option("--force", "with --write: write a read-only file too")
    .option("--dry-run", "print a unified diff instead of the document (same as --format diff)")
    .option("--check", "like --dry-run, and exit 1 when a file would change (for CI and pre-commit)");
  addIgnoreUnknownOption(command);
  addConfigOptions(command);
  addMaxSizeOption(command)
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  firelens-preflight fix task-definition.json --probe-image 123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:0.1.0 --dry-run\n" +
        "  firelens-preflight fix template.yaml --probe-image my/probe:1 --write\n\n" +
        "  firelens-preflight fix --dry-run infra/a.json infra/b.yaml   several files, each on its own\n\n" +
        "The result goes to stdout unless -o or --write is given; what changed goes to stderr.\n" +
        "Exit codes: 0 done (or nothing to change); 1 with --check, a file would change; 2 bad input, output, " +
        "usage or config file; 3 internal error (a bug: please report it).",
    )
    .action(async (files: string[], opts: FixCommandOptions) => {
      const { runFix } = await import("../commands/fix.js");
      setExit(await runFix(files, opts, streams));
    });
  return command;
}
