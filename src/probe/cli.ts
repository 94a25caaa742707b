/**
 * The probe's command line: parse, run, report. Shared by the bundle's entry (main.ts) and the main CLI's
 * `firelens-preflight probe` command, which is why it takes argv, env and streams instead of reading
 * process globals.
 */
import { ConfigError, type Env, HELP_TEXT, loadConfig, unknownEnvNames } from "./config.js";
import { type ProbeResult, type RunOptions, runProbe } from "./run.js";
import { probeVersion } from "./version.js";

export interface ProbeStreams {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

export interface ProbeMainOptions {
  /**
   * Aborting it interrupts the run (exit 1). When absent, probeMain listens for SIGTERM and SIGINT itself
   * (ECS stops a container with SIGTERM) for the duration of the run.
   */
  readonly signal?: AbortSignal;
  readonly tuning?: RunOptions["tuning"];
  /** Passed to runProbe (the bundle passes 0: the process start). */
  readonly startedAt?: number;
}

/** Runs the probe as a command; resolves with the exit code (0 verified, 1 failed, 2 bad configuration, 3 unreachable). */
export async function probeMain(
  argv: readonly string[],
  env: Env,
  streams: ProbeStreams,
  options: ProbeMainOptions = {},
): Promise<number> {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(argv, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    streams.stdout.write(
      `${JSON.stringify({
        probe: "firelens-preflight",
        version: probeVersion(),
        ok: false,
        exitCode: 2,
        level: "none",
        reason: `bad configuration: ${err.message}`,
        config: { source: err.source, expected: err.expected },
      })}\n`,
    );
    streams.stderr.write(`firelens-preflight: bad configuration (exit 2): ${err.message}\n`);
    return 2;
  }
  if (loaded.kind === "help") {
    streams.stdout.write(`${HELP_TEXT}\n`);
    return 0;
  }
  if (loaded.kind === "version") {
    streams.stdout.write(`${probeVersion()}\n`);
    return 0;
  }

  let signal = options.signal;
  const controller = new AbortController();
  const handlers: [NodeJS.Signals, () => void][] = [];
  if (signal === undefined) {
    for (const name of ["SIGTERM", "SIGINT"] as const) {
      const h = () => controller.abort(name);
      process.on(name, h);
      handlers.push([name, h]);
    }
    signal = controller.signal;
  }
  let result: ProbeResult;
  try {
    result = await runProbe(loaded.config, { signal, tuning: options.tuning, startedAt: options.startedAt });
  } finally {
    for (const [name, h] of handlers) process.off(name, h);
  }
  const unknown = unknownEnvNames(env);
  const warnings = [
    ...result.warnings,
    ...unknown.map((n) => `unknown variable ${n} ignored (known: see --help)`),
  ];
  // `version` is the probe's own, so a stopped task's log says which probe ran; the router's is `routerVersion`.
  const report = { probe: "firelens-preflight", version: probeVersion(), ...result, warnings };
  streams.stdout.write(`${JSON.stringify(report)}\n`);
  streams.stderr.write(`${readableLine(result)}\n`);
  for (const w of warnings) streams.stderr.write(`firelens-preflight: warning: ${w}\n`);
  return result.exitCode;
}

/** One line for people reading the task's logs. */
export function readableLine(r: ProbeResult): string {
  const secs = `${(r.timings.totalMs / 1000).toFixed(2)} s`;
  const fb = r.routerVersion ? `Fluent Bit ${r.routerVersion}, ` : "";
  const outputs = Object.entries(r.outputs)
    .map(([n, d]) => `${n} +${d.procRecords}`)
    .join(", ");
  const counts = `${r.sent} records on ${r.tags.length} tag${r.tags.length === 1 ? "" : "s"}${outputs ? ` (${outputs})` : ""}`;
  if (r.ok) {
    return `firelens-preflight: OK, ${r.level} in ${secs}: ${r.reason} [${counts}; ${fb}run ${r.runId}]`;
  }
  const what = r.interrupted ? "INTERRUPTED" : r.exitCode === 3 ? "UNREACHABLE" : "FAILED";
  return `firelens-preflight: ${what} (exit ${r.exitCode}) at level ${r.level}, ${r.required} required, after ${secs}: ${r.reason} [${counts}; ${fb}run ${r.runId}]`;
}
