import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Command } from "commander";
import { createTwoFilesPatch } from "diff";
import { applyGate, FixError, type GateOptions } from "../../fix/index.js";
import { loadDocument } from "../../taskdef/index.js";
import { ExitCode, UsageError } from "../errors.js";
import { processStreams, type Streams } from "../io.js";

export interface FixCommandOptions {
  readonly probeImage?: string;
  readonly name?: string;
  readonly gate?: string;
  readonly require?: string;
  readonly timeout?: string;
  readonly records?: string;
  readonly routerMonitoring?: boolean;
  readonly circuitBreaker: boolean;
  readonly probeLogs?: string;
  readonly output?: string;
  readonly write?: boolean;
  readonly dryRun?: boolean;
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
    gate: opts.gate
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    require: opts.require as GateOptions["require"],
    timeout: opts.timeout,
    records,
    routerMonitoring: opts.routerMonitoring,
    circuitBreaker: opts.circuitBreaker,
    probeLogs: opts.probeLogs,
  };
}

/** Temp file beside the target, then rename: a reader never sees half a document. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function runFix(file: string, opts: FixCommandOptions, streams: Streams): Promise<number> {
  const targets = [opts.output !== undefined, opts.write === true, opts.dryRun === true].filter(
    Boolean,
  ).length;
  if (targets > 1) throw new UsageError("use only one of -o/--output, --write and --dry-run");
  if (opts.write && file === "-") throw new UsageError("--write needs a file, not stdin");
  const doc = await loadDocument(file);
  let result: ReturnType<typeof applyGate>;
  try {
    result = applyGate(doc, gateOptions(opts));
  } catch (error) {
    if (error instanceof FixError) {
      streams.stderr.write(`error: ${error.message}\n`);
      return ExitCode.usage;
    }
    throw error;
  }
  for (const change of result.changes) streams.stderr.write(`  + ${change.description}\n`);
  for (const note of result.notes) streams.stderr.write(`note: ${note}\n`);
  if (!result.changed) streams.stderr.write(`${doc.file}: unchanged: ${result.reason ?? "nothing to do"}\n`);

  if (opts.dryRun) {
    if (result.changed) {
      streams.stdout.write(createTwoFilesPatch(doc.file, doc.file, doc.text, result.text, "", "gated"));
    }
  } else if (opts.write) {
    if (result.changed) {
      await writeAtomically(file, result.text);
      streams.stderr.write(`${doc.file}: written\n`);
    }
  } else if (opts.output !== undefined && opts.output !== "-") {
    await writeAtomically(opts.output, result.text);
  } else {
    streams.stdout.write(result.text);
  }
  return ExitCode.ok;
}

export function registerFix(program: Command, setExit: (code: number) => void): void {
  program
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
      "comma-separated containers to gate (default: every essential app logging via awsfirelens)",
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
    )
    .option("-o, --output <file>", "write the result to a file (atomically)")
    .option("-w, --write", "rewrite the input file in place (atomically)")
    .option("--dry-run", "print a unified diff instead of the document")
    .addHelpText(
      "after",
      "\nExamples:\n  firelens-preflight fix task.json --probe-image 123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:0.1.0 --dry-run\n  firelens-preflight fix template.yaml --probe-image my/probe:1 --write\n\nThe result is written to stdout unless -o, --write or --dry-run is given; what changed goes to stderr.",
    )
    .action(async (file: string, opts: FixCommandOptions) => {
      setExit(await runFix(file, opts, processStreams));
    });
}
