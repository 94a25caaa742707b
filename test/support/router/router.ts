/**
 * A stand-in for the FireLens log router (Fluent Bit) on loopback, held to the recordings of real Fluent Bit in
 * test/fixtures/fluent-bit/ by test/router/replay.test.ts. It runs in the test process. A crash comes in two
 * styles: `instant` closes every listener and destroys every connection at once, as the process's end does;
 * `engine` is a crash as README item 14 saw it: the engine thread (which also runs the forward input) stops, so
 * nothing is acked, flushed or published any more, while every socket stays open and the HTTP server keeps
 * answering the last snapshot, until the process ends 1–3 s later. Either way `exited` resolves with the signal.
 *
 * Engine timing as recorded (README item 13): flushes happen on the `Flush` tick counted from start, the monitoring
 * server publishes a metrics snapshot once a second (the first about a second after start), and a snapshot due at
 * the same moment as a flush is taken before it, so a flush becomes visible one snapshot later: 1–2 s after the send.
 */

import { rmSync } from "node:fs";
import http from "node:http";
import type { Socket } from "node:net";
import net from "node:net";
import { decodeMultiStream } from "@msgpack/msgpack";
import { type DatadogOutputConfig, datadogRecord, isProviderEcsTrigger } from "./datadog.js";
import {
  encodeAck,
  type FluentEvent,
  type ForwardMessage,
  parseForwardMessage,
  storedEventSize,
} from "./forward.js";
import { unusedPort } from "./intake.js";
import {
  buildInfoText,
  type Personality,
  personality,
  type RouterVersion,
  uptimeDocument,
} from "./personality.js";

export type CrashSignal = "SIGSEGV" | "SIGABRT";

/** How a crash looks from outside (README item 14; see the header). */
export type CrashStyle = "instant" | "engine";

/** An engine crash's process lives this long by default: the middle of the 1.1–2.7 s seen on 1.8.3. */
export const DEFAULT_DYING_MS = 2000;

export interface RouterFaults {
  /** Die (SIGSEGV) the moment the datadog output hands its first request to the intake. */
  readonly crashOnFirstFlush?: boolean;
  /** Die (SIGSEGV) this long after the datadog output handed its first request to the intake. */
  readonly crashAfterFirstFlushMs?: number;
  /** How the two crashes above look: `instant` (default) or `engine` (README item 14). */
  readonly crashStyle?: CrashStyle;
  /** With `engine`: how long the process lives on after the engine stopped. Default DEFAULT_DYING_MS. */
  readonly dyingMs?: number;
  /** Every datadog flush returns FLB_ERROR: `errors` +1 and `dropped_records` +n, nothing sent. */
  readonly outputErrors?: boolean;
  /** Every datadog flush fails with no retry left (`Retry_Limit no_retries`): `retries_failed` +1, nothing sent. */
  readonly retriesFailed?: boolean;
  /** Every datadog flush drops its chunk: `dropped_records` +n, nothing sent. */
  readonly drops?: boolean;
  /** The router restarts at this time after start: connections cut, counters and uptime back to zero. */
  readonly restartAtMs?: number;
  /** The same restart, this long after the datadog output's first request (independent of when a probe came). */
  readonly restartAfterFirstFlushMs?: number;
  /** Each datadog flush waits this long before its request goes out (a slow network or destination). */
  readonly slowFlushMs?: number;
  /** The monitoring server answers this late (a CPU-starved router at start-up answers in hundreds of ms). */
  readonly monitorDelayMs?: number;
  /** The `provider ecs` remapped-tags bug (README item 2): 1.8.3 SIGSEGV, 1.9.10 SIGABRT, 4.2.8 delivers. */
  readonly crashOnProviderEcsTrigger?: boolean;
}

export interface TestRouterOptions {
  readonly version: RouterVersion;
  /** `[SERVICE] Flush`, in ms. Default 1000 (FireLens' default `Flush 1`). */
  readonly flushMs?: number;
  /** `HTTP_Server On`. Default true. */
  readonly monitoring?: boolean;
  /** `Health_Check On` (registers /api/v1/health). */
  readonly healthCheck?: boolean;
  readonly hcErrorsCount?: number;
  readonly hcRetryFailureCount?: number;
  readonly hcPeriod?: number;
  /** Base URL of the datadog output's destination (a fake intake); without it the output's requests are refused. */
  readonly intakeUrl?: string;
  readonly apiKey?: string;
  /** The datadog output's `Match`. Default `*-firelens*`, as FireLens writes one output per container. */
  readonly match?: string;
  /** `Retry_Limit`. Default 2, as recorded. */
  readonly retryLimit?: number;
  /** Delay before the first retry (then doubling). Default 8 s: real back-off was 6–73 s, far past any gate. */
  readonly retryBackoffMs?: number;
  readonly ddSource?: string;
  readonly ddService?: string;
  readonly ddTags?: string;
  /** `provider ecs`. Default true, as in the AWS FireLens Datadog example and the recordings. */
  readonly providerEcs?: boolean;
  /** forward.0 on this unix socket path (FireLens: /var/run/fluent.sock). */
  readonly unixPath?: string;
  readonly startDelayMs?: number;
  readonly neverStarts?: boolean;
  readonly faults?: RouterFaults;
}

export interface RouterExit {
  readonly signal: CrashSignal | null;
  readonly code: number | null;
  /** When it ended, in ms after the router (last) started. */
  readonly atMs: number;
}

export interface OutputCounters {
  proc_records: number;
  proc_bytes: number;
  errors: number;
  retries: number;
  retries_failed: number;
  dropped_records: number;
  retried_records: number;
}

export interface RouterMetrics {
  input: Record<string, { records: number; bytes: number }>;
  filter: Record<string, never>;
  output: Record<string, OutputCounters>;
}

export interface TestRouter {
  readonly version: RouterVersion;
  readonly forwardPort: number;
  /** `host:port` of the TCP forward input (forward.1). */
  readonly forwardAddress: string;
  readonly monitorPort?: number;
  readonly monitorUrl?: string;
  /** Date.now() when it (last) started listening; the planned time while a delayed start is pending. */
  readonly startedAt: number;
  /** Resolves when the listeners are up (never, with `neverStarts`). */
  readonly listening: Promise<void>;
  readonly exited: Promise<RouterExit>;
  readonly alive: boolean;
  /** Date.now() of the datadog output's first request, once made. */
  readonly firstFlushAt: number | undefined;
  /** Date.now() when an engine crash stopped the engine (the process is dying), once it did. */
  readonly engineStoppedAt: number | undefined;
  /** Live counters (not the published snapshot). */
  metrics(): RouterMetrics;
  /** `instant` (default): everything gone at once. `engine`: see the header; the process ends `dyingMs` later. */
  crash(signal?: CrashSignal, how?: { style?: CrashStyle; dyingMs?: number }): void;
  /** Dies and starts again on the same ports (what `restartAtMs` does on a timer); resolves once it listens. */
  restart(): Promise<void>;
  /** SIGTERM: inputs paused, pending chunks tried once more within the 1 s grace, then exit. */
  stop(): Promise<RouterExit>;
}

type InputName = "forward.0" | "forward.1";
const NULL_OUTPUT = "null.0";
const DATADOG_OUTPUT = "datadog.1";

interface Chunk {
  readonly input: InputName;
  readonly tag: string;
  readonly events: FluentEvent[];
  bytes: number;
}

interface Task {
  readonly chunk: Chunk;
  attempts: number;
  retryTimer?: NodeJS.Timeout;
  running?: Promise<void>;
}

const zeroCounters = (): OutputCounters => ({
  proc_records: 0,
  proc_bytes: 0,
  errors: 0,
  retries: 0,
  retries_failed: 0,
  dropped_records: 0,
  retried_records: 0,
});

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split("*")
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class Router implements TestRouter {
  readonly version: RouterVersion;
  readonly listening: Promise<void>;
  readonly exited: Promise<RouterExit>;
  startedAt: number;
  firstFlushAt: number | undefined;
  engineStoppedAt: number | undefined;

  private readonly p: Personality;
  private readonly flushMs: number;
  private readonly retryLimit: number;
  private readonly retryBackoffMs: number;
  private readonly faults: RouterFaults;
  private readonly datadogMatch: RegExp;
  private readonly ddConfig: DatadogOutputConfig;
  private resolveExit: (e: RouterExit) => void = () => {};
  private resolveListening: () => void = () => {};

  private live = false;
  /** An engine crash happened: the process is printing its backtrace and will end (README item 14). */
  private dying: { signal: CrashSignal; timer: NodeJS.Timeout } | undefined;
  private ended = false;
  private stopping = false;
  /** Bumped at every (re)start and death, so late callbacks of an earlier life do nothing. */
  private generation = 0;
  private servers: net.Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly outgoing = new Set<http.ClientRequest>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private engineTimer: NodeJS.Timeout | undefined;

  private inputs: Record<InputName, { records: number; bytes: number }> = this.freshInputs();
  private outputs: Record<string, OutputCounters> = this.freshOutputs();
  private openChunks = new Map<string, Chunk>();
  private tasks = new Set<Task>();
  private snapshot:
    | { at: number; metrics: RouterMetrics; uptime: number; storage: StorageSample }
    | undefined;
  private storageSample: { at: number; sample: StorageSample } | undefined;
  private healthWindow: { errors: number; retriesFailed: number }[] = [];
  private snapIndex = 1;
  private flushIndex = 1;
  private storageIndex = 1;
  private datadogWedged = false;
  private restarted = false;
  private routedToDatadog = { records: 0, bytes: 0 };
  private flushLatencies: number[] = [];

  constructor(
    private readonly opts: TestRouterOptions,
    public forwardPort: number,
    public monitorPort: number | undefined,
  ) {
    this.version = opts.version;
    this.p = personality(opts.version);
    this.flushMs = opts.flushMs ?? 1000;
    this.retryLimit = opts.retryLimit ?? 2;
    this.retryBackoffMs = opts.retryBackoffMs ?? 8000;
    this.faults = opts.faults ?? {};
    this.datadogMatch = globToRegExp(opts.match ?? "*-firelens*");
    this.ddConfig = {
      ddSource: opts.ddSource ?? "app",
      ddService: opts.ddService ?? "app",
      ...(opts.ddTags === undefined ? {} : { ddTags: opts.ddTags }),
      providerEcs: opts.providerEcs ?? true,
    };
    this.startedAt = Date.now() + (opts.startDelayMs ?? 0);
    this.exited = new Promise((r) => {
      this.resolveExit = r;
    });
    this.listening = new Promise((r) => {
      this.resolveListening = r;
    });
  }

  get alive(): boolean {
    return this.live;
  }

  get forwardAddress(): string {
    return `127.0.0.1:${this.forwardPort}`;
  }

  get monitorUrl(): string | undefined {
    return this.monitorPort === undefined ? undefined : `http://127.0.0.1:${this.monitorPort}`;
  }

  metrics(): RouterMetrics {
    return structuredClone({ input: this.inputs, filter: {}, output: this.outputs });
  }

  // ---- life cycle -------------------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.ended) return;
    const gen = ++this.generation;
    this.inputs = this.freshInputs();
    this.outputs = this.freshOutputs();
    this.openChunks = new Map();
    this.tasks = new Set();
    this.snapshot = undefined;
    this.storageSample = undefined;
    this.healthWindow = [];
    this.snapIndex = 1;
    this.flushIndex = 1;
    this.storageIndex = 1;
    this.datadogWedged = false;
    this.routedToDatadog = { records: 0, bytes: 0 };
    this.flushLatencies = [];

    const forward = net.createServer((s) => this.serveForward(s, "forward.1", gen));
    const servers: net.Server[] = [forward];
    const listens: Promise<void>[] = [listen(forward, this.forwardPort)];
    if (this.opts.unixPath !== undefined) {
      rmSync(this.opts.unixPath, { force: true });
      const unix = net.createServer((s) => this.serveForward(s, "forward.0", gen));
      servers.push(unix);
      listens.push(
        new Promise((resolve, reject) => unix.once("error", reject).listen(this.opts.unixPath, resolve)),
      );
    }
    if (this.monitorPort !== undefined) {
      const monitor = http.createServer((req, res) => this.serveMonitor(req, res, gen));
      monitor.keepAliveTimeout = 5000;
      servers.push(monitor);
      listens.push(listen(monitor, this.monitorPort));
    }
    for (const srv of servers) {
      srv.on("connection", (s: Socket) => {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {});
      });
    }
    this.servers = servers;
    await Promise.all(listens);
    // Port 0 means "any": keep what the kernel gave, so a restart comes back on the same ports.
    this.forwardPort = (forward.address() as net.AddressInfo).port;
    const monitorServer = servers.find((srv) => srv instanceof http.Server);
    if (monitorServer) this.monitorPort = (monitorServer.address() as net.AddressInfo).port;
    this.startedAt = Date.now();
    this.live = true;
    this.scheduleEngine(gen);
    if (this.faults.restartAtMs !== undefined && gen === 1) {
      this.later(this.faults.restartAtMs, () => void this.restart());
    }
    this.resolveListening();
  }

  crash(signal: CrashSignal = "SIGSEGV", how: { style?: CrashStyle; dyingMs?: number } = {}): void {
    if (this.ended) return;
    if (how.style === "engine") {
      this.stopEngine(signal, how.dyingMs ?? DEFAULT_DYING_MS);
      return;
    }
    this.die();
    this.finish({ signal, code: null });
  }

  /**
   * The engine thread faulted: no more ticks, flushes, retries, snapshots or acks (the forward input runs on it),
   * but the listeners and every connection stay, and the HTTP server answers from the last snapshot, until
   * the signal handler has printed its backtrace and the process ends.
   */
  private stopEngine(signal: CrashSignal, dyingMs: number): void {
    if (this.dying || !this.live) return;
    if (this.engineTimer) clearTimeout(this.engineTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const task of this.tasks) if (task.retryTimer) clearTimeout(task.retryTimer);
    this.engineStoppedAt = Date.now();
    this.dying = { signal, timer: setTimeout(() => this.crash(signal), dyingMs) };
  }

  private flushCrash(): void {
    const style = this.faults.crashStyle ?? "instant";
    this.crash("SIGSEGV", {
      style,
      ...(this.faults.dyingMs === undefined ? {} : { dyingMs: this.faults.dyingMs }),
    });
  }

  async stop(): Promise<RouterExit> {
    if (this.ended) return this.exited;
    if (this.dying) {
      // A dying process ends by its signal anyway; SIGTERM only brings the end forward.
      this.crash(this.dying.signal);
      return this.exited;
    }
    if (!this.live) {
      this.die();
      this.finish({ signal: null, code: 0 });
      return this.exited;
    }
    this.stopping = true;
    const gen = this.generation;
    if (this.engineTimer) clearTimeout(this.engineTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    // Inputs paused: no new connections or records.
    for (const srv of this.servers) if (!(srv instanceof http.Server)) srv.close();
    for (const s of this.sockets)
      if (s.localPort === this.forwardPort || s.remoteAddress === undefined) s.destroy();
    // Grace period: everything buffered or waiting for a retry gets one more try now.
    this.flush(gen);
    for (const task of this.tasks) {
      if (task.retryTimer) {
        clearTimeout(task.retryTimer);
        task.retryTimer = undefined;
        task.running = this.attempt(task, gen);
      }
    }
    const running = [...this.tasks].map((t) => t.running ?? Promise.resolve());
    await Promise.race([Promise.all(running), sleep(1000)]);
    const pendingRetries = [...this.tasks].some((t) => t.attempts > 0);
    this.die();
    if (this.p.abortsOnShutdownWithPendingRetries && this.opts.healthCheck && pendingRetries) {
      this.finish({ signal: "SIGABRT", code: null });
    } else {
      this.finish({ signal: null, code: 0 });
    }
    return this.exited;
  }

  async restart(): Promise<void> {
    if (this.ended || !this.live || this.dying) return;
    this.die();
    await sleep(50);
    if (this.ended) return;
    await this.start();
  }

  /** Everything a process death takes with it. */
  private die(): void {
    this.generation++;
    this.live = false;
    if (this.dying) clearTimeout(this.dying.timer);
    if (this.engineTimer) clearTimeout(this.engineTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const task of this.tasks) if (task.retryTimer) clearTimeout(task.retryTimer);
    for (const srv of this.servers) srv.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    for (const r of this.outgoing) r.destroy();
    this.outgoing.clear();
  }

  private finish(e: { signal: CrashSignal | null; code: number | null }): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveExit({ ...e, atMs: Date.now() - this.startedAt });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  // ---- engine: snapshots and flushes on fixed ticks from start ------------------------------------------------

  private scheduleEngine(gen: number): void {
    const nextSnap = this.startedAt + this.snapIndex * 1000;
    const nextFlush = this.startedAt + this.flushIndex * this.flushMs;
    const nextStorage = this.p.hasStorageMetrics
      ? this.startedAt + this.storageIndex * 5000
      : Number.POSITIVE_INFINITY;
    const due = Math.min(nextSnap, nextFlush, nextStorage);
    this.engineTimer = setTimeout(() => this.onEngineTimer(gen), Math.max(0, due - Date.now()));
  }

  private onEngineTimer(gen: number): void {
    if (gen !== this.generation || !this.live || this.dying) return;
    const now = Date.now();
    for (;;) {
      const nextSnap = this.startedAt + this.snapIndex * 1000;
      const nextFlush = this.startedAt + this.flushIndex * this.flushMs;
      const nextStorage = this.p.hasStorageMetrics
        ? this.startedAt + this.storageIndex * 5000
        : Number.POSITIVE_INFINITY;
      const due = Math.min(nextSnap, nextFlush, nextStorage);
      if (due > now) break;
      // At equal times the snapshot goes first: a flush is published at the next one.
      if (nextSnap === due) {
        this.takeSnapshot();
        this.snapIndex++;
      } else if (nextStorage === due) {
        this.storageSample = { at: now, sample: this.storageNow() };
        this.storageIndex++;
      } else {
        this.flushIndex++;
        this.flush(gen);
        if (gen !== this.generation) return;
      }
    }
    this.scheduleEngine(gen);
  }

  private takeSnapshot(): void {
    const metrics = this.metrics();
    this.snapshot = { at: Date.now(), metrics, uptime: this.uptimeSec(), storage: this.storageNow() };
    let errors = 0;
    let retriesFailed = 0;
    for (const o of Object.values(metrics.output)) {
      errors += o.errors;
      retriesFailed += o.retries_failed;
    }
    this.healthWindow.push({ errors, retriesFailed });
    const period = this.opts.hcPeriod ?? 60;
    while (this.healthWindow.length > period) this.healthWindow.shift();
  }

  private uptimeSec(): number {
    // Whole wall-clock seconds since start, the way flb_time computes it (so it can read 1 a moment after start).
    return Math.floor(Date.now() / 1000) - Math.floor(this.startedAt / 1000);
  }

  private flush(gen: number): void {
    const chunks = [...this.openChunks.values()];
    this.openChunks.clear();
    const toDatadog = chunks.filter((c) => this.datadogMatch.test(c.tag));
    if (
      this.faults.crashOnProviderEcsTrigger &&
      toDatadog.some((c) => isProviderEcsTrigger(c.events, this.version !== "1.8.3"))
    ) {
      const death = this.p.providerEcsTriggerDeath;
      if (death !== null) {
        if (death.afterMs === 0) {
          this.crash(death.signal);
          return;
        }
        this.datadogWedged = true;
        this.later(death.afterMs, () => this.crash(death.signal));
      }
    }
    for (const chunk of chunks) {
      if (chunk.tag === "firelens-healthcheck") {
        const o = this.outputs[NULL_OUTPUT];
        if (o) {
          o.proc_records += chunk.events.length;
          o.proc_bytes += chunk.bytes;
        }
      } else if (this.datadogMatch.test(chunk.tag) && !this.datadogWedged) {
        const task: Task = { chunk, attempts: 0 };
        this.tasks.add(task);
        task.running = this.attempt(task, gen);
      }
      // Records no output matches are dropped by the engine without trace, as in Fluent Bit.
    }
  }

  private async attempt(task: Task, gen: number): Promise<void> {
    const o = this.outputs[DATADOG_OUTPUT];
    if (!o) return;
    const n = task.chunk.events.length;
    task.attempts++;
    const startedAt = Date.now();
    if (this.faults.outputErrors) {
      o.errors++;
      o.dropped_records += n;
      this.tasks.delete(task);
      return;
    }
    if (this.faults.drops) {
      o.dropped_records += n;
      this.tasks.delete(task);
      return;
    }
    if (this.faults.retriesFailed) {
      o.retries_failed++;
      o.dropped_records += n;
      this.tasks.delete(task);
      return;
    }
    if (this.faults.slowFlushMs) {
      await sleep(this.faults.slowFlushMs);
      if (gen !== this.generation || this.dying) return;
    }
    const ok = await this.post(task.chunk, gen);
    if (gen !== this.generation || this.dying) return;
    if (ok) {
      o.proc_records += n;
      o.proc_bytes += task.chunk.bytes;
      // 4.x counts a route's records once its output delivered them (none appear in the failure recordings).
      this.routedToDatadog.records += n;
      this.routedToDatadog.bytes += task.chunk.bytes;
      this.flushLatencies.push((Date.now() - startedAt) / 1000);
      this.tasks.delete(task);
      return;
    }
    if (task.attempts <= this.retryLimit && !this.stopping) {
      o.retries++;
      o.retried_records += n;
      const wait = this.retryBackoffMs * 2 ** (task.attempts - 1);
      task.retryTimer = setTimeout(() => {
        task.retryTimer = undefined;
        task.running = this.attempt(task, gen);
      }, wait);
      return;
    }
    if (task.attempts <= this.retryLimit) {
      // Shutting down: the retry is counted, and the chunk stays pending (lost with the process).
      o.retries++;
      o.retried_records += n;
      return;
    }
    o.retries_failed++;
    o.dropped_records += n;
    this.tasks.delete(task);
  }

  /** One out_datadog request; true on 2xx. The fault hooks for "dies at the intake's first request" live here. */
  private post(chunk: Chunk, gen: number): Promise<boolean> {
    const body = JSON.stringify(chunk.events.map((e) => datadogRecord(this.p, this.ddConfig, e)));
    const apiKey = this.opts.apiKey ?? "";
    const base = new URL(this.opts.intakeUrl ?? "http://127.0.0.1:9");
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "Fluent-Bit",
      "content-length": String(Buffer.byteLength(body)),
    };
    if (this.p.datadogV2Endpoint) {
      headers["dd-api-key"] = apiKey;
      headers["dd-evp-origin"] = "Fluent-Bit";
      headers["dd-evp-origin-version"] = this.version;
    }
    const path = this.p.datadogV2Endpoint ? "/api/v2/logs" : `/v1/input/${apiKey}`;
    const first = this.firstFlushAt === undefined;
    return new Promise<boolean>((resolve) => {
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          path,
          method: "POST",
          headers,
          agent: false,
          timeout: 10_000,
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            this.outgoing.delete(req);
            const status = res.statusCode ?? 0;
            resolve(status >= 200 && status <= 205);
          });
          res.on("error", () => resolve(false));
        },
      );
      this.outgoing.add(req);
      const handedOff = () => {
        if (!first || gen !== this.generation) return;
        this.firstFlushAt ??= Date.now();
        if (this.faults.crashOnFirstFlush) this.flushCrash();
        else if (this.faults.crashAfterFirstFlushMs !== undefined) {
          this.later(this.faults.crashAfterFirstFlushMs, () => this.flushCrash());
        }
        if (this.faults.restartAfterFirstFlushMs !== undefined && !this.restarted) {
          this.restarted = true;
          this.later(this.faults.restartAfterFirstFlushMs, () => void this.restart());
        }
      };
      req.on("finish", handedOff);
      req.on("timeout", () => req.destroy());
      req.on("error", () => {
        this.outgoing.delete(req);
        handedOff();
        resolve(false);
      });
      req.end(body);
    });
  }

  // ---- forward input ------------------------------------------------------------------------------------------

  private async serveForward(socket: Socket, input: InputName, gen: number): Promise<void> {
    try {
      for await (const value of decodeMultiStream(socket)) {
        if (gen !== this.generation || !this.live) return;
        if (this.dying) {
          // The engine reads no more: the bytes stay in the socket, the connection stays open, no ack comes.
          await this.exited;
          return;
        }
        const msg = parseForwardMessage(value);
        this.ingest(input, msg);
        if (msg.chunk !== undefined && !socket.destroyed) socket.write(encodeAck(msg.chunk));
      }
    } catch {
      // in_forward drops a connection it cannot decode.
      socket.destroy();
    }
  }

  private ingest(input: InputName, msg: ForwardMessage): void {
    const key = `${input}\u0000${msg.tag}`;
    let chunk = this.openChunks.get(key);
    if (chunk === undefined) {
      chunk = { input, tag: msg.tag, events: [], bytes: 0 };
      this.openChunks.set(key, chunk);
    }
    for (const e of msg.events) {
      const size = storedEventSize(e) + this.p.eventOverheadBytes;
      chunk.events.push(e);
      chunk.bytes += size;
      this.inputs[input].records++;
      this.inputs[input].bytes += size;
    }
  }

  // ---- monitoring server --------------------------------------------------------------------------------------

  private serveMonitor(req: http.IncomingMessage, res: http.ServerResponse, gen: number): void {
    if (gen !== this.generation || !this.live) {
      res.destroy();
      return;
    }
    const delay = this.faults.monitorDelayMs ?? 0;
    if (delay > 0) {
      setTimeout(() => this.respond(req, res, gen), delay);
      return;
    }
    this.respond(req, res, gen);
  }

  private respond(req: http.IncomingMessage, res: http.ServerResponse, gen: number): void {
    if (gen !== this.generation || !this.live || res.destroyed) {
      res.destroy();
      return;
    }
    const answer = this.answer((req.url ?? "/").split("?")[0] ?? "/");
    if (answer === "crash") return;
    const headers: http.OutgoingHttpHeaders = {};
    if (answer.contentType !== null) headers["content-type"] = answer.contentType;
    res.writeHead(answer.status, headers).end(answer.body);
  }

  private answer(path: string): { status: number; contentType: string | null; body: string } | "crash" {
    const json = (body: string) => ({ status: 200, contentType: this.p.jsonContentType, body });
    const notYet = { status: 404, contentType: null, body: "" };
    const snap = this.snapshot;
    switch (path) {
      case "/api/v1/uptime":
        return json(JSON.stringify(uptimeDocument(this.uptimeSec())));
      case "/api/v1/metrics":
        return snap ? json(JSON.stringify(snap.metrics)) : notYet;
      case "/api/v1/metrics/prometheus":
        return snap
          ? { status: 200, contentType: "text/plain; version=0.0.4", body: this.prometheusText(snap) }
          : notYet;
      case "/api/v2/metrics":
        if (!this.p.hasV2Metrics) break;
        return snap ? { status: 200, contentType: null, body: this.v2Text(snap) } : notYet;
      case "/api/v1/storage":
        if (!this.p.hasStorageMetrics) break;
        return this.storageSample ? json(JSON.stringify(storageDocument(this.storageSample.sample))) : notYet;
      case "/api/v1/health": {
        if (!this.opts.healthCheck) break;
        if (this.p.healthCrashesBeforeFirstPush && !snap) {
          this.crash("SIGSEGV");
          return "crash";
        }
        const healthy = this.healthy();
        return { status: healthy ? 200 : 500, contentType: null, body: healthy ? "ok\n" : "error\n" };
      }
    }
    // The build-info handler is registered on "/" and answers every path nothing else claims (README item 3).
    return json(buildInfoText(this.version));
  }

  private healthy(): boolean {
    const first = this.healthWindow[0];
    const last = this.healthWindow[this.healthWindow.length - 1];
    if (!first || !last) return true;
    return (
      last.errors - first.errors <= (this.opts.hcErrorsCount ?? 5) &&
      last.retriesFailed - first.retriesFailed <= (this.opts.hcRetryFailureCount ?? 5)
    );
  }

  private prometheusText(snap: { metrics: RouterMetrics; uptime: number }): string {
    const ts = Date.now();
    const lines: string[] = [];
    const family = (name: string, help: string, type: string, rows: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of rows) lines.push(`${name}${labels} ${v} ${ts}`);
    };
    const inputs = Object.entries(snap.metrics.input);
    const outputs = Object.entries(snap.metrics.output).sort(([a], [b]) => a.localeCompare(b));
    family(
      "fluentbit_input_bytes_total",
      "Number of input bytes.",
      "counter",
      inputs.map(([n, c]) => [`{name="${n}"}`, c.bytes]),
    );
    family(
      "fluentbit_input_records_total",
      "Number of input records.",
      "counter",
      inputs.map(([n, c]) => [`{name="${n}"}`, c.records]),
    );
    const out = (field: keyof OutputCounters, name: string, help: string) =>
      family(
        `fluentbit_output_${name}_total`,
        help,
        "counter",
        outputs.map(([n, c]) => [`{name="${n}"}`, c[field]]),
      );
    out("dropped_records", "dropped_records", "Number of dropped records.");
    out("errors", "errors", "Number of output errors.");
    out("proc_bytes", "proc_bytes", "Number of processed output bytes.");
    out("proc_records", "proc_records", "Number of processed output records.");
    out("retried_records", "retried_records", "Number of retried records.");
    out(
      "retries_failed",
      "retries_failed",
      "Number of abandoned batches because the maximum number of re-tries was reached.",
    );
    out("retries", "retries", "Number of output retries.");
    const start = Math.floor(this.startedAt / 1000);
    lines.push(
      "# HELP fluentbit_uptime Number of seconds that Fluent Bit has been running.",
      "# TYPE fluentbit_uptime counter",
      `fluentbit_uptime ${snap.uptime}`,
      "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.",
      "# TYPE process_start_time_seconds gauge",
      `process_start_time_seconds ${start}`,
      "# HELP fluentbit_build_info Build version information.",
      "# TYPE fluentbit_build_info gauge",
      `fluentbit_build_info{version="${this.version}",edition="Community"} 1`,
    );
    return `${lines.join("\n")}\n`;
  }

  /** cmetrics' text encoder, one `<time> name{labels} = value` line per metric (4.x /api/v2/metrics). */
  private v2Text(snap: {
    at: number;
    metrics: RouterMetrics;
    uptime: number;
    storage: StorageSample;
  }): string {
    const t = new Date(snap.at).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
    const lines: string[] = [];
    const row = (name: string, labels: string, v: number | string) =>
      lines.push(`${t} ${name}${labels} = ${v}`);
    const m = snap.metrics;
    row("fluentbit_uptime", '{hostname="vm"}', snap.uptime);
    for (const k of ["error", "warn", "info", "debug", "trace"]) {
      row("fluentbit_logger_logs_total", `{message_type="${k}"}`, k === "info" ? 15 : 0);
    }
    if (this.routedToDatadog.records > 0) {
      const route = `{input="forward.1",output="${DATADOG_OUTPUT}"}`;
      row("fluentbit_routing_logs_records_total", route, this.routedToDatadog.records);
      row("fluentbit_routing_logs_bytes_total", route, this.routedToDatadog.bytes);
    }
    const inputs = Object.entries(m.input);
    const outputs = Object.entries(m.output);
    for (const f of ["bytes", "records"] as const) {
      for (const [n, c] of inputs) row(`fluentbit_input_${f}_total`, `{name="${n}"}`, c[f]);
    }
    for (const f of ["writes", "retries", "retry_failures"]) {
      for (const [n] of inputs) row(`fluentbit_input_ring_buffer_${f}_total`, `{name="${n}"}`, 0);
    }
    const fields: (keyof OutputCounters)[] = [
      "proc_records",
      "proc_bytes",
      "errors",
      "retries",
      "retries_failed",
      "dropped_records",
      "retried_records",
    ];
    for (const f of fields)
      for (const [n, c] of outputs) row(`fluentbit_output_${f}_total`, `{name="${n}"}`, c[f]);
    const start = Math.floor(this.startedAt / 1000);
    row("fluentbit_process_start_time_seconds", '{hostname="vm"}', start);
    row("fluentbit_build_info", `{hostname="vm",version="${this.version}",os="linux"}`, start);
    row("fluentbit_hot_reloaded_times", '{hostname="vm"}', 0);
    const s = snap.storage;
    row("fluentbit_storage_chunks", "", s.chunks);
    row("fluentbit_storage_mem_chunks", "", s.chunks);
    for (const f of ["fs_chunks", "fs_chunks_up", "fs_chunks_down"]) row(`fluentbit_storage_${f}`, "", 0);
    for (const [n] of inputs) row("fluentbit_input_ingestion_paused", `{name="${n}"}`, 0);
    const per = (n: string) => s.inputs[n as InputName] ?? { chunks: 0, bytes: 0 };
    const storageRows: [string, (n: string) => number][] = [
      ["overlimit", () => 0],
      ["memory_bytes", (n) => per(n).bytes],
      ["chunks", (n) => per(n).chunks],
      ["chunks_up", (n) => per(n).chunks],
      ["chunks_down", () => 0],
      ["chunks_busy", (n) => per(n).chunks],
      ["chunks_busy_bytes", (n) => per(n).bytes],
    ];
    for (const [f, v] of storageRows)
      for (const [n] of inputs) row(`fluentbit_input_storage_${f}`, `{name="${n}"}`, v(n));
    for (const [n] of outputs) row("fluentbit_output_upstream_total_connections", `{name="${n}"}`, 0);
    for (const [n] of outputs) row("fluentbit_output_upstream_busy_connections", `{name="${n}"}`, 0);
    for (const [n] of outputs) row("fluentbit_output_chunk_available_capacity_percent", `{name="${n}"}`, 100);
    if (this.flushLatencies.length > 0) {
      const bounds = [0.5, 1, 1.5, 2.5, 5, 10, 20, 30];
      const count = (b: number) => this.flushLatencies.filter((x) => x <= b).length;
      const buckets = [...bounds.map((b) => `${b}=${count(b)}`), `+Inf=${this.flushLatencies.length}`].join(
        ", ",
      );
      const sum = this.flushLatencies.reduce((a, b) => a + b, 0).toFixed(6);
      row(
        "fluentbit_output_latency_seconds",
        `{input="forward.1",output="${DATADOG_OUTPUT}"}`,
        `{ buckets = { ${buckets} }, sum=${sum}, count=${this.flushLatencies.length} }`,
      );
    }
    return `${lines.join("\n")}\n`;
  }

  private storageNow(): StorageSample {
    const inputs: StorageSample["inputs"] = {};
    let chunks = 0;
    const add = (c: Chunk) => {
      const slot = inputs[c.input] ?? { chunks: 0, bytes: 0 };
      slot.chunks++;
      slot.bytes += c.bytes;
      inputs[c.input] = slot;
      chunks++;
    };
    for (const c of this.openChunks.values()) add(c);
    for (const t of this.tasks) add(t.chunk);
    return { chunks, inputs };
  }

  private freshInputs(): Record<InputName, { records: number; bytes: number }> {
    return { "forward.0": { records: 0, bytes: 0 }, "forward.1": { records: 0, bytes: 0 } };
  }

  private freshOutputs(): Record<string, OutputCounters> {
    return { [NULL_OUTPUT]: zeroCounters(), [DATADOG_OUTPUT]: zeroCounters() };
  }
}

interface StorageSample {
  chunks: number;
  inputs: Partial<Record<InputName, { chunks: number; bytes: number }>>;
}

function storageDocument(s: StorageSample): unknown {
  const input = (n: InputName) => {
    const v = s.inputs[n] ?? { chunks: 0, bytes: 0 };
    return {
      status: { overlimit: false, mem_size: `${v.bytes}b`, mem_limit: "0b" },
      chunks: { total: v.chunks, up: v.chunks, down: 0, busy: v.chunks, busy_size: `${v.bytes}b` },
    };
  };
  return {
    storage_layer: {
      chunks: {
        total_chunks: s.chunks,
        mem_chunks: s.chunks,
        fs_chunks: 0,
        fs_chunks_up: 0,
        fs_chunks_down: 0,
      },
    },
    input_chunks: { "forward.0": input("forward.0"), "forward.1": input("forward.1") },
  };
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/**
 * Starts a router personality on loopback. Resolves once it listens; with `startDelayMs` or `neverStarts` it
 * resolves at once with its ports reserved, so a probe can be pointed at a router that is not there yet.
 */
export async function startTestRouter(opts: TestRouterOptions): Promise<TestRouter> {
  const delayed = opts.neverStarts === true || (opts.startDelayMs ?? 0) > 0;
  const wantMonitor = opts.monitoring ?? true;
  if (!delayed) {
    const router = new Router(opts, 0, wantMonitor ? 0 : undefined);
    await router.start();
    return router;
  }
  // Nothing listens yet, but the probe must be given the addresses now.
  const router = new Router(opts, await unusedPort(), wantMonitor ? await unusedPort() : undefined);
  if (opts.neverStarts !== true) {
    setTimeout(() => {
      void router.start();
    }, opts.startDelayMs ?? 0);
  }
  return router;
}
