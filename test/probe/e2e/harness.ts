/**
 * Runs the real probe bundle as a child process against a test router personality and a fake intake, the way
 * ECS runs it: the probe starts the moment the router listens. Shared by the e2e tests and the latency bench.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type IntakeMode,
  type IntakeRequest,
  type RouterExit,
  type RouterVersion,
  startFakeIntake,
  startTestRouter,
  type TestRouterOptions,
  unusedPort,
} from "../../support/router/index.js";

/** The fields of the probe's JSON line the tests read (the probe may print more). */
export interface ProbeJson {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly level: string;
  readonly required?: string;
  readonly reason: string;
  /** The probe's own version (the package's); the router's Fluent Bit is `routerVersion`. */
  readonly version?: string;
  readonly routerVersion?: string | null;
  readonly outputs?: Record<string, { procRecords: number; retries: number }>;
  readonly timings?: {
    connectedMs: number | null;
    sentMs: number | null;
    ackedMs: number | null;
    flushedMs: number | null;
    totalMs: number;
  };
}

export interface ProbeRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The last stdout line parsed as JSON, if it was JSON. */
  readonly json: ProbeJson | undefined;
  /** From spawn to exit, measured by the parent. */
  readonly wallMs: number;
  /** Peak RSS of the child in KiB, when measured with /usr/bin/time. */
  readonly maxRssKb: number | undefined;
}

export interface RunProbeOptions {
  readonly env: Record<string, string>;
  readonly args?: readonly string[];
  /** Kill the child after this long (a hung probe must not hang the suite). */
  readonly killAfterMs?: number;
  readonly measureRss?: boolean;
  /** Node options before the bundle (`--import` of a test preload, say). */
  readonly nodeArgs?: readonly string[];
  /** Called with the child right after it is spawned (to signal it, say). */
  readonly onSpawn?: (child: ChildProcess) => void;
}

const TIME_BIN = "/usr/bin/time";

export function runProbeBundle(bundle: string, opts: RunProbeOptions): Promise<ProbeRun> {
  const rssDir =
    opts.measureRss && existsSync(TIME_BIN) ? mkdtempSync(join(tmpdir(), "probe-rss-")) : undefined;
  const rssFile = rssDir ? join(rssDir, "rss") : undefined;
  const argv = [...(opts.nodeArgs ?? []), bundle, ...(opts.args ?? [])];
  const [cmd, args] = rssFile
    ? [TIME_BIN, ["-f", "%M", "-o", rssFile, process.execPath, ...argv]]
    : [process.execPath, argv];
  const started = performance.now();
  const child = spawn(cmd, args, {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  opts.onSpawn?.(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), opts.killAfterMs ?? 20_000);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      const wallMs = performance.now() - started;
      let json: ProbeJson | undefined;
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        json = JSON.parse(last) as ProbeJson;
      } catch {
        json = undefined;
      }
      let maxRssKb: number | undefined;
      if (rssFile && rssDir) {
        try {
          const n = Number.parseInt(readFileSync(rssFile, "utf8").trim().split("\n").pop() ?? "", 10);
          if (Number.isFinite(n)) maxRssKb = n;
        } catch {
          maxRssKb = undefined;
        }
        rmSync(rssDir, { recursive: true, force: true });
      }
      resolve({ code, signal, stdout, stderr, json, wallMs, maxRssKb });
    });
  });
}

export interface Scenario {
  readonly name: string;
  readonly version: RouterVersion;
  readonly intake: IntakeMode;
  readonly router?: Omit<TestRouterOptions, "version" | "intakeUrl" | "apiKey">;
  /** Where the probe looks for the monitoring server: the router's (default) or a port nothing listens on. */
  readonly monitor?: "router" | "nothing-listens";
  readonly probeEnv?: Record<string, string>;
  readonly args?: readonly string[];
  readonly measureRss?: boolean;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly probe: ProbeRun;
  readonly apiKey: string;
  /** How long after the router started listening the probe was spawned. */
  readonly spawnedAfterStartMs: number;
  readonly routerAliveAfter: boolean;
  /** Set when the router died before the probe ended. */
  readonly routerExit: RouterExit | undefined;
  readonly routerFirstFlushAt: number | undefined;
  /** Date.now() when an engine crash stopped the router's engine, if one did. */
  readonly routerEngineStoppedAt: number | undefined;
  readonly routerStartedAt: number;
  readonly intakeRequests: readonly IntakeRequest[];
}

export async function runScenario(bundle: string, s: Scenario): Promise<ScenarioResult> {
  const intake = await startFakeIntake({ mode: s.intake });
  // A key unique to the run, so "never printed" cannot pass by luck.
  const apiKey = `dd-test-key-${randomBytes(8).toString("hex")}`;
  const router = await startTestRouter({ ...s.router, version: s.version, intakeUrl: intake.url, apiKey });
  const monitor =
    s.monitor === "nothing-listens" || router.monitorUrl === undefined
      ? `http://127.0.0.1:${await unusedPort()}`
      : router.monitorUrl;
  const spawnedAfterStartMs = Date.now() - router.startedAt;
  let diedDuring: RouterExit | undefined;
  void router.exited.then((e) => {
    diedDuring = e;
  });
  const probe = await runProbeBundle(bundle, {
    env: {
      FIRELENS_PREFLIGHT_FORWARD: router.forwardAddress,
      FIRELENS_PREFLIGHT_CONTAINERS: "app",
      FIRELENS_PREFLIGHT_MONITOR: monitor,
      ...s.probeEnv,
    },
    ...(s.args ? { args: s.args } : {}),
    ...(s.measureRss ? { measureRss: true } : {}),
  });
  const routerAliveAfter = router.alive;
  const routerExit = diedDuring;
  const routerFirstFlushAt = router.firstFlushAt;
  const routerEngineStoppedAt = router.engineStoppedAt;
  await router.stop();
  await intake.close();
  return {
    scenario: s,
    probe,
    apiKey,
    spawnedAfterStartMs,
    routerAliveAfter,
    routerExit,
    routerFirstFlushAt,
    routerEngineStoppedAt,
    routerStartedAt: router.startedAt,
    intakeRequests: intake.requests,
  };
}

/** Runs tasks at most `width` at a time (two shared cores: a few probes at once, not dozens). */
export async function inBatches<T, R>(
  items: readonly T[],
  width: number,
  fn: (t: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
