import type { Command } from "commander";
import { applyGate, type GateOptions, gateDiff } from "../../fix/index.js";
import { ExitCode, UsageError } from "../errors.js";
import { emit, note, processStreams, refuseInputAsOutput, type Streams } from "../io.js";
import { addFormatOption, addMaxSizeOption, addOutputOption, collectList } from "../options.js";
import { writeFileSafely } from "../safe-write.js";
import { loadSingle } from "./lint-shared.js";

const FORMATS = ["document", "diff", "json"] as const;
type FixFormat = (typeof FORMATS)[number];

export interface FixCommandOptions {
  readonly probeImage?: string;
  readonly name?: string;
  readonly gate?: string[];
  readonly require?: string;
  readonly timeout?: string;
  readonly records?: string;
  readonly routerMonitoring?: boolean;
  readonly circuitBreaker: boolean;
  readonly probeLogs?: string;
  readonly format: FixFormat;
  readonly output?: string;
  readonly write?: boolean;
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly maxSize?: number;
}

const REQUIRE = ["auto", "alive", "accepted", "flushed"] as const;

function gateOptions(opts: FixCommandOptions): GateOptions {
  if (opts.require !== undefined && !REQUIRE.includes(opts.require as (typeof REQUIRE)[number])) {
    throw new UsageError(`--require must be one of ${REQUIRE.join(", ")} (got "${opts.require}")`);
  }
  let records: number | undefined;
  if (opts.records !== undefined) {
    records = Number(opts.records);
    if (!Number.isInteger(records) || records < 1 || records > 1000) {
      throw new UsageError(`--records must be a whole number from 1 to 1000 (got "${opts.records}")`);
    }
  }
  return {
    probeImage: opts.probeImage,
    name: opts.name,
    gate: opts.gate,
    require: opts.require as GateOptions["require"],
    timeout: opts.timeout,
    records,
    routerMonitoring: opts.routerMonitoring,
    circuitBreaker: opts.circuitBreaker,
    probeLogs: opts.probeLogs,
  };
}

export async function runFix(file: string, opts: FixCommandOptions, streams: Streams): Promise<number> {
  const format: FixFormat = opts.dryRun === true ? "diff" : opts.format;
  if (opts.dryRun === true && opts.format !== "document" && opts.format !== "diff") {
    throw new UsageError(`--dry-run prints a diff; it cannot be combined with --format ${opts.format}`);
  }
  if (opts.write === true && opts.output !== undefined)
    throw new UsageError("use -o/--output or --write, not both");
  if (opts.write === true && format !== "document") {
    throw new UsageError(
      `--write rewrites the file; --format ${format} only prints, so use one or the other`,
    );
  }
  if (opts.write === true && file === "-") throw new UsageError("--write needs a file, not stdin");
  if (opts.force === true && opts.write !== true) throw new UsageError("--force only applies to --write");

  const { doc, read } = await loadSingle(file, opts.maxSize);
  if (opts.output !== undefined) {
    await refuseInputAsOutput("--output", opts.output, read, "--write rewrites the input in place");
  }
  const result = applyGate(doc, gateOptions(opts));
  for (const change of result.changes) note(streams, `  + ${change.description}`);
  for (const n of result.notes) note(streams, `note: ${n}`);
  if (!result.changed) note(streams, `${doc.file}: unchanged: ${result.reason ?? "nothing to do"}`);

  if (opts.write === true) {
    if (result.changed) {
      const written = await writeFileSafely(file, result.text, { force: opts.force });
      note(streams, `${doc.file}: written${written.file === file ? "" : ` (to ${written.file})`}`);
    }
    return ExitCode.ok;
  }
  if (format === "diff") {
    await emit(gateDiff(doc, result), { output: opts.output, text: false }, streams);
  } else if (format === "json") {
    const report = {
      file: doc.file,
      changed: result.changed,
      ...(result.reason === undefined ? {} : { reason: result.reason }),
      changes: result.changes.map((c) => c.description),
      notes: result.notes,
      document: result.text,
    };
    await emit(`${JSON.stringify(report, null, 2)}\n`, { output: opts.output, text: false }, streams);
  } else {
    // The document itself, byte for byte: never escaped or given a newline it did not have.
    if (opts.output === undefined || opts.output === "-") streams.stdout.write(result.text);
    else await emit(result.text, { output: opts.output, text: false }, streams);
  }
  return ExitCode.ok;
}

export function registerFix(program: Command, setExit: (code: number) => void): Command {
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
    .argument("<file>", "task definition file (any supported format); - reads stdin")
    .option("--probe-image <image>", "image of the probe container (needed unless the file already has one)")
    .option("--name <name>", "name of the preflight container", "log-router-preflight")
    .option(
      "--gate <names>",
      "containers to gate, comma-separated or repeated (default: every essential app logging via awsfirelens)",
      collectList,
    )
    .option("--require <level>", `lowest level the probe accepts: ${REQUIRE.join(", ")}`)
    .option("--timeout <duration>", "probe deadline, e.g. 30s, 2m")
    .option("--records <n>", "records the probe sends per gated container")
    .option(
      "--router-monitoring",
      "enable the router's monitoring server and an uptime health check (aws-for-fluent-bit ≥ 2.29.1)",
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
    .option("--dry-run", "print a unified diff instead of the document (same as --format diff)");
  addMaxSizeOption(command)
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  firelens-preflight fix task-definition.json --probe-image 123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:0.1.0 --dry-run\n" +
        "  firelens-preflight fix template.yaml --probe-image my/probe:1 --write\n\n" +
        "The result goes to stdout unless -o or --write is given; what changed goes to stderr.",
    )
    .action(async (file: string, opts: FixCommandOptions) => {
      setExit(await runFix(file, opts, processStreams));
    });
  return command;
}
