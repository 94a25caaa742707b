/**
 * The rehearsal, run for real: the router image with the configuration the agent would generate, mounted where
 * the agent mounts it (`/fluent-bit/etc/fluent-bit.conf`, the socket directory at `/var/run`), in a network
 * namespace of its own with nothing but loopback (`--network none`, like an awsvpc task that reaches nothing);
 * beside it, in the same namespace (`--network container:<router>`), a sidecar from the probe image that runs the
 * fake intake, the probe as the gate would, and the shake-down. The engine's `wait` says when and how the router
 * ended. Everything started is removed on every way out: normal end, failure, or the caller's abort (Ctrl-C).
 *
 * Why `--network none` plus `container:` rather than a pod: Docker and Podman both take these two flags, so one
 * code path serves both engines, and `none` is the one network that provably lets nothing leave the machine.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_PATH, S3_CONFIG_PATH } from "../firelens/index.js";
import { PLACEHOLDER_MARK, type TaskReading } from "../model/index.js";
import { PROBE_SETTINGS } from "../probe/contract.js";
import {
  type Engine,
  type EngineName,
  ensureImage,
  exec,
  findEngine,
  RehearseSetupError,
  removeContainers,
} from "./engine.js";
import { INTAKE_PORT, planRehearsal, type RehearsePlan, SINK_PORT } from "./plan.js";
import { judge, type RehearseReport, type SidecarEvents } from "./report.js";
import type { SidecarPlan } from "./sidecar.js";

export interface RehearseOptions {
  readonly engine?: EngineName;
  readonly pull: "missing" | "always" | "never";
  /** Instead of the router's own image. */
  readonly routerImage?: string;
  /** The image the sidecar and the probe run from (node at /nodejs/bin/node, the probe at /probe/probe.mjs). */
  readonly probeImage: string;
  readonly secrets: ReadonlyMap<string, string>;
  readonly soakMs: number;
  readonly gateOnly: boolean;
  readonly realDestinations: boolean;
  readonly s3ConfigText?: string;
  readonly deadline: string;
  /** What the fake intake answers (202 as Datadog; another status rehearses a failing destination). */
  readonly intakeStatus?: number;
  /** The compiled sidecar (dist/rehearse/sidecar.js); found next to this module or in the package by default. */
  readonly sidecarScript?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** One line per step, for a person watching. */
  readonly onProgress?: (line: string) => void;
}

/** The compiled sidecar: beside this module (dist/rehearse/), beside the CLI bundle, or in the package's dist/. */
export function defaultSidecarScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, "sidecar.js"), join(here, "../rehearse/sidecar.js")];
  for (let dir = here, i = 0; i < 6; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) {
      candidates.push(join(dir, "dist/rehearse/sidecar.js"));
      break;
    }
  }
  return candidates.find((c) => existsSync(c));
}

/** Resolves when the stream ends; calls `line` for each complete line. */
function lines(stream: NodeJS.ReadableStream, line: (text: string) => void): Promise<void> {
  let buffer = "";
  return new Promise((resolve) => {
    stream.on("data", (d: Buffer) => {
      buffer += d.toString("utf8");
      let at = buffer.indexOf("\n");
      while (at >= 0) {
        line(buffer.slice(0, at));
        buffer = buffer.slice(at + 1);
        at = buffer.indexOf("\n");
      }
    });
    stream.on("end", () => {
      if (buffer !== "") line(buffer);
      resolve();
    });
  });
}

interface Prepared {
  readonly plan: RehearsePlan;
  readonly image: string;
  readonly sidecarScript: string;
  readonly engine: Engine;
}

/** Everything decided and checked before a container starts: the plan, the engine, both images. */
async function prepare(
  reading: TaskReading,
  opts: RehearseOptions,
  progress: (l: string) => void,
): Promise<Prepared> {
  const plan = planRehearsal(reading, {
    secrets: opts.secrets,
    realDestinations: opts.realDestinations,
    deadline: opts.deadline,
    ...(opts.s3ConfigText === undefined ? {} : { s3ConfigText: opts.s3ConfigText }),
  });
  const image = opts.routerImage ?? plan.image;
  if (image === undefined || image.includes(PLACEHOLDER_MARK)) {
    throw new RehearseSetupError("the router's image is only known at deploy time: pass --router-image");
  }
  const sidecarScript = opts.sidecarScript ?? defaultSidecarScript();
  if (sidecarScript === undefined)
    throw new RehearseSetupError(
      "the rehearsal sidecar (dist/rehearse/sidecar.js) is missing: npm run build",
    );
  const engine = await findEngine(opts.engine, opts.env);
  progress(`engine: ${engine.name}`);
  await ensureImage(engine, image, opts.pull);
  await ensureImage(engine, opts.probeImage, opts.pull).catch((error: unknown) => {
    if (!(error instanceof RehearseSetupError)) throw error;
    throw new RehearseSetupError(
      `${error.message} (the probe image: build it with \`npm run image\`, or name one with --probe-image)`,
    );
  });
  return { plan, image, sidecarScript, engine };
}

interface Files {
  readonly sidecarCopy: string;
  readonly socketDir: string;
  /** The router's mounts, where the agent puts them. */
  readonly mounts: readonly string[];
}

function writeFiles(dir: string, plan: RehearsePlan, sidecarScript: string): Files {
  // A copy of the sidecar, so the run does not depend on the package's files staying put while it runs.
  const sidecarCopy = join(dir, "sidecar.mjs");
  copyFileSync(sidecarScript, sidecarCopy);
  chmodSync(sidecarCopy, 0o644);
  const configFile = join(dir, "fluent-bit.conf");
  writeFileSync(configFile, plan.configText, { mode: 0o644 });
  const socketDir = join(dir, "socket");
  mkdirSync(socketDir);
  chmodSync(socketDir, 0o777);
  const mounts = ["-v", `${configFile}:${CONFIG_PATH}:ro`, "-v", `${socketDir}:/var/run`];
  if (plan.s3ConfigText !== undefined) {
    writeFileSync(join(dir, "external.conf"), plan.s3ConfigText, { mode: 0o644 });
    mounts.push("-v", `${join(dir, "external.conf")}:${S3_CONFIG_PATH}:ro`);
  }
  return { sidecarCopy, socketDir, mounts };
}

/**
 * The router's `run` options and trailing arguments from its container definition: environment values in the
 * engine's environment and only their names on its command line (never a value in argv), `user`, and
 * `entryPoint` / `command` as Docker takes them (`--entrypoint` is one executable; the rest of the entry point
 * goes before the command).
 */
function routerEnvironment(plan: RehearsePlan): {
  env: Record<string, string>;
  args: string[];
  tail: string[];
} {
  const env: Record<string, string> = {};
  const args: string[] = [];
  if (plan.user !== undefined) args.push("--user", plan.user);
  const [entry, ...entryRest] = plan.entryPoint ?? [];
  if (entry !== undefined) args.push("--entrypoint", entry);
  const tail = [...entryRest, ...(plan.command ?? [])];
  for (const [k, v] of plan.environment) {
    env[k] = v;
    args.push("-e", k);
  }
  for (const s of plan.secrets) {
    env[s.variable] = s.value;
    args.push("-e", s.variable);
  }
  return { env, args, tail };
}

function sidecarPlanOf(plan: RehearsePlan, opts: RehearseOptions): SidecarPlan {
  const forward = plan.probeEnv[PROBE_SETTINGS.forward.env];
  return {
    intakePort: INTAKE_PORT,
    sinkPort: SINK_PORT,
    intakeStatus: opts.intakeStatus ?? 202,
    forwardHost: "127.0.0.1",
    forwardPort: 24224,
    ...(forward?.startsWith("unix://") ? { forwardPath: forward.slice("unix://".length) } : {}),
    probe: { args: ["/probe/probe.mjs"], env: plan.probeEnv },
    tags: plan.gated.map((app) => `${app}-firelens-rehearse`),
    soakMs: opts.soakMs,
    gateOnly: opts.gateOnly,
  };
}

/** Reads the sidecar's JSON lines into `events`, stamped with the host's clock; resolves at its end. */
function collectEvents(
  stdout: NodeJS.ReadableStream,
  events: SidecarEvents,
  startedAt: number,
  progress: (l: string) => void,
): Promise<void> {
  return lines(stdout, (text) => {
    let e: { event?: string } & Record<string, unknown>;
    try {
      e = JSON.parse(text) as typeof e;
    } catch {
      return;
    }
    const at = Date.now() - startedAt;
    if (e.event === "delivered") events.deliveriesAtMs.push(at);
    if (e.event === "stress-delivered") events.stressDeliveredAtMs ??= at;
    if (e.event === "ready") progress("sidecar: intake and sinks listening; probe running as the gate would");
    if (e.event === "probe") {
      events.probe = { ...(e as object), hostAtMs: at } as SidecarEvents["probe"];
      progress(`gate: probe exit ${String(e.exit)}`);
    }
    if (e.event === "stress")
      events.stress.push({ ...(e as object), hostAtMs: at } as SidecarEvents["stress"][number]);
    if (e.event === "soak") {
      events.soak = { ...(e as object), hostAtMs: at } as SidecarEvents["soak"];
      progress("shake-down: done");
    }
    if (e.event === "destinations") events.destinations = e as unknown as SidecarEvents["destinations"];
  });
}

/** The sidecar in the router's network namespace, from the probe image, the plan in its environment. */
function spawnSidecar(
  engine: Engine,
  at: {
    readonly sidecarName: string;
    readonly routerName: string;
    readonly label: readonly string[];
    readonly files: Files;
    readonly plan: RehearsePlan;
    readonly opts: RehearseOptions;
  },
) {
  const { sidecarName, routerName, label, files, plan, opts } = at;
  return spawn(
    engine.name,
    [
      ...["run", "--name", sidecarName, ...label, "--network", `container:${routerName}`],
      ...["-v", `${files.sidecarCopy}:/rehearse/sidecar.mjs:ro`, "-v", `${files.socketDir}:/var/run`],
      ...[
        "-e",
        "REHEARSE_PLAN",
        "--entrypoint",
        "/nodejs/bin/node",
        opts.probeImage,
        "/rehearse/sidecar.mjs",
      ],
    ],
    {
      env: { ...engine.env, REHEARSE_PLAN: JSON.stringify(sidecarPlanOf(plan, opts)) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

export async function rehearse(reading: TaskReading, opts: RehearseOptions): Promise<RehearseReport> {
  const startedAt = Date.now();
  const progress = opts.onProgress ?? (() => {});
  const { plan, image, sidecarScript, engine } = await prepare(reading, opts, progress);
  const id = randomBytes(4).toString("hex");
  const routerName = `flp-rehearse-${id}-router`;
  const sidecarName = `flp-rehearse-${id}-sidecar`;
  const dir = mkdtempSync(join(tmpdir(), "flp-rehearse-"));
  const started: string[] = [];
  const events: SidecarEvents = { stress: [], deliveriesAtMs: [] };
  let routerExit: { code: number | null; atMs: number } | undefined;
  let interrupted = false;
  let killSidecar: (() => void) | undefined;
  /** Removals started before the end (Ctrl-C, the router's death): awaited before the final one. */
  const removals: Promise<void>[] = [];
  let graceTimer: NodeJS.Timeout | undefined;
  let finished = false;
  // The engine's `wait` must not outlive the rehearsal (it would keep the process alive).
  const waitControl = new AbortController();
  const onAbort = () => {
    interrupted = true;
    killSidecar?.();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const files = writeFiles(dir, plan, sidecarScript);
    const env = routerEnvironment(plan);
    const label = ["--label", `firelens-preflight.rehearse=${id}`];
    const network = opts.realDestinations ? [] : ["--network", "none"];
    if (opts.signal?.aborted) throw new Error("interrupted");
    progress(`router: ${image} (${routerName})`);
    started.push(routerName);
    const runArgs = [
      "run",
      "-d",
      "--name",
      routerName,
      ...label,
      ...network,
      ...files.mounts,
      ...env.args,
      image,
      ...env.tail,
    ];
    const run = await exec(engine, runArgs, { env: env.env, timeoutMs: 120_000 });
    const routerStartMs = Date.now() - startedAt;
    if (run.code !== 0)
      throw new RehearseSetupError(
        `${engine.name} could not start the router: ${run.stderr.trim().split("\n").pop()}`,
      );
    const waited = exec(engine, ["wait", routerName], { signal: waitControl.signal }).then((r) => {
      const code = Number.parseInt(r.stdout.trim(), 10);
      routerExit = { code: Number.isNaN(code) ? null : code, atMs: Date.now() - startedAt };
      return routerExit;
    });
    if (interrupted) throw new Error("interrupted");
    started.push(sidecarName);
    const sidecar = spawnSidecar(engine, { sidecarName, routerName, label, files, plan, opts });
    let sidecarErr = "";
    sidecar.stderr.on("data", (d: Buffer) => {
      sidecarErr = (sidecarErr + d.toString("utf8")).slice(-4000);
    });
    killSidecar = () => removals.push(removeContainers(engine, [sidecarName, routerName]));
    const sidecarDone = collectEvents(sidecar.stdout, events, startedAt, progress);
    // The router's end bounds the sidecar: a moment to report what it saw, then it goes too.
    void waited.then(() => {
      if (!finished)
        graceTimer = setTimeout(() => removals.push(removeContainers(engine, [sidecarName])), 3000);
    });
    await sidecarDone;
    await new Promise<void>((r) => (sidecar.exitCode !== null ? r() : sidecar.once("close", () => r())));
    if (routerExit === undefined) {
      // Give a dying router the second or two a crash takes (README item 14 of the recordings), then look again.
      await Promise.race([waited, new Promise((r) => setTimeout(r, 1500))]);
    }
    const tail = await exec(engine, ["logs", "--tail", "40", routerName], { timeoutMs: 15_000 });
    const report = judge({
      plan,
      image,
      engine: engine.name,
      routerExit,
      routerStartMs,
      events,
      logTail: `${tail.stdout}${tail.stderr}`.trimEnd().split("\n").slice(-40),
      interrupted,
      sidecarError: events.probe === undefined ? sidecarErr.trim().split("\n").slice(-5).join("\n") : "",
      soakMs: opts.soakMs,
      gateOnly: opts.gateOnly,
      totalMs: Date.now() - startedAt,
    });
    return maskSecrets(
      report,
      plan.secrets.map((s) => s.value),
    );
  } finally {
    finished = true;
    opts.signal?.removeEventListener("abort", onAbort);
    clearTimeout(graceTimer);
    await Promise.all(removals);
    // The sidecar first: the engine keeps a container whose network namespace another one still uses.
    await removeContainers(engine, [...started].reverse());
    waitControl.abort();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** No secret value survives in the report, whatever printed it (the router's log, the probe). */
function maskSecrets(report: RehearseReport, values: readonly string[]): RehearseReport {
  let text = JSON.stringify(report);
  for (const v of values) {
    if (v.length < 4) continue;
    text = text.split(JSON.stringify(v).slice(1, -1)).join("****");
  }
  return JSON.parse(text) as RehearseReport;
}
