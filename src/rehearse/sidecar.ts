/**
 * The rehearsal's sidecar: runs in the router's network namespace (loopback only, like an awsvpc task), from the
 * probe image, as `node sidecar.mjs`. It imports nothing but Node's own modules, so the compiled file runs on
 * its own, mounted read-only into the container. Its plan comes in `REHEARSE_PLAN` (JSON, no secrets); what it
 * sees goes out on stdout as JSON lines, one event each:
 *
 * 1. `ready`: the fake Datadog intake (both the v1 `/v1/input/<key>` and the v2 `/api/v2/logs` paths, gzip or
 *    not, answering 2xx as Datadog does, or the status the plan asks for) and the generic sink for other
 *    redirected outputs listen.
 * 2. `probe`: the project's probe run exactly as the task's gate would run it (its environment), its exit code
 *    and its JSON result line.
 * 3. `stress`: per gated app tag, one forward message (one chunk) whose records vary in shape, acknowledged.
 * 4. `soak`: app-shaped records (as Docker's fluentd driver sends them) until the soak time is over, each
 *    message acknowledged; the first failure ends it.
 * 5. `destinations`: what the intake and the sink received (API keys never included).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { gunzipSync } from "node:zlib";

export interface SidecarPlan {
  readonly intakePort: number;
  readonly sinkPort: number;
  /** Status the intake answers (202 as Datadog does; a failing status to rehearse a failing destination). */
  readonly intakeStatus: number;
  /** `host:port` of the router's TCP forward input. */
  readonly forwardHost: string;
  readonly forwardPort: number;
  /** The router's unix socket instead, when it has no TCP forward input (host network mode). */
  readonly forwardPath?: string;
  /** argv after node for the probe (`["/probe/probe.mjs"]`); absent: no probe. */
  readonly probe:
    | { readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> }
    | undefined;
  /** Tags of the shake-down, one per gated app. */
  readonly tags: readonly string[];
  readonly soakMs: number;
  readonly gateOnly: boolean;
}

type Value = string | number | boolean | null | Buffer | Value[] | { [k: string]: Value };

/** The msgpack subset the forward protocol needs (non-UTF-8 text goes as raw bytes in a str, as Docker's does). */
function pack(v: Value, out: Buffer[]): void {
  if (v === null) out.push(Buffer.from([0xc0]));
  else if (typeof v === "boolean") out.push(Buffer.from([v ? 0xc3 : 0xc2]));
  else if (typeof v === "number") {
    const b = Buffer.alloc(5);
    b[0] = 0xce;
    b.writeUInt32BE(v >>> 0, 1);
    out.push(b);
  } else if (typeof v === "string" || Buffer.isBuffer(v)) {
    const bytes = typeof v === "string" ? Buffer.from(v, "utf8") : v;
    const head = Buffer.alloc(5);
    head[0] = 0xdb;
    head.writeUInt32BE(bytes.length, 1);
    out.push(head, bytes);
  } else if (Array.isArray(v)) {
    const head = Buffer.alloc(5);
    head[0] = 0xdd;
    head.writeUInt32BE(v.length, 1);
    out.push(head);
    for (const x of v) pack(x, out);
  } else {
    const keys = Object.keys(v);
    const head = Buffer.alloc(5);
    head[0] = 0xdf;
    head.writeUInt32BE(keys.length, 1);
    out.push(head);
    for (const k of keys) {
      pack(k, out);
      pack(v[k] as Value, out);
    }
  }
}

function emit(event: string, data: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, atMs: Date.now() - started, ...data })}\n`);
}

const started = Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Received {
  requests: number;
  records: number;
  bytes: number;
  gzip: number;
  paths: Set<string>;
}

function listen(
  port: number,
  status: () => number,
  got: Received,
  countRecords: boolean,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => {
      let body = Buffer.concat(parts);
      got.requests++;
      // The first deliveries tell the host which flush a crash came at.
      if (got.requests <= 2) emit("delivered", { port, n: got.requests });
      got.bytes += body.length;
      if (req.headers["content-encoding"] === "gzip") {
        got.gzip++;
        try {
          body = gunzipSync(body);
        } catch {
          // counted as received; an undecodable body has no records
        }
      }
      // The v1 path carries the API key: only its shape is kept.
      got.paths.add(
        `${req.method} ${(req.url ?? "").replace(/^\/v1\/input\/[^/?]*/, "/v1/input/<key>").split("?")[0]}`,
      );
      if (!stressDelivered && body.includes(STRESS_MARKER)) {
        stressDelivered = true;
        emit("stress-delivered", { port });
      }
      if (countRecords) {
        try {
          const parsed: unknown = JSON.parse(body.toString("utf8"));
          got.records += Array.isArray(parsed) ? parsed.length : 1;
        } catch {
          // not JSON: no records to count
        }
      }
      res.writeHead(status(), { "content-type": "application/json" }).end("{}");
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/** One forward connection that sends Forward-mode messages with the `chunk` option and waits for each ack. */
class Forwarder {
  private socket: net.Socket | undefined;
  private reply = Buffer.alloc(0);
  private waiting: { id: Buffer; done: (ok: boolean) => void } | undefined;
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly path: string | undefined,
  ) {}

  private connect(): Promise<net.Socket> {
    if (this.socket !== undefined && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const s = this.path === undefined ? net.connect(this.port, this.host) : net.connect(this.path);
      s.once("connect", () => {
        this.socket = s;
        resolve(s);
      });
      s.once("error", (e) => {
        this.waiting?.done(false);
        reject(e);
      });
      s.on("data", (d: Buffer) => {
        this.reply = Buffer.concat([this.reply, d]);
        if (this.waiting !== undefined && this.reply.includes(this.waiting.id)) {
          this.reply = Buffer.alloc(0);
          this.waiting.done(true);
        }
      });
      s.on("close", () => this.waiting?.done(false));
    });
  }

  /** Sends one chunk; resolves true when acknowledged within `timeoutMs`. */
  async send(tag: string, records: Record<string, Value>[], timeoutMs: number): Promise<boolean> {
    const s = await this.connect();
    const id = randomBytes(12).toString("base64");
    const now = Math.floor(Date.now() / 1000);
    const out: Buffer[] = [];
    pack([tag, records.map((r) => [now, r]), { chunk: id }], out);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(ok);
      };
      this.waiting = { id: Buffer.from(id), done: finish };
      s.write(Buffer.concat(out));
    });
  }

  close(): void {
    this.socket?.destroy();
  }
}

const CONTAINER_ID = randomBytes(32).toString("hex");

/** A log line as Docker's fluentd log driver hands it to FireLens. */
function appRecord(tag: string, n: number): Record<string, Value> {
  const container = tag.replace(/-firelens.*$/, "");
  return {
    container_id: CONTAINER_ID,
    container_name: `/ecs-${container}-1-${container}-${CONTAINER_ID.slice(0, 16)}`,
    source: n % 5 === 4 ? "stderr" : "stdout",
    log: JSON.stringify({
      level: "info",
      msg: "request served",
      request_id: randomBytes(8).toString("hex"),
      n,
    }),
  };
}

/** The first record of the stress chunk (a few bytes): seen in a destination's body, the chunk was delivered. */
const STRESS_MARKER = "rehearse:1";
let stressDelivered = false;

/** The shake-down's shapes, in the order they sit in the one chunk. */
export const STRESS_SHAPES = [
  "a few bytes, no ECS metadata keys",
  "ECS metadata keys with 2 KB values (after a record without them: the provider ecs trigger)",
  "short ECS metadata keys",
  "multi-line text (a stack trace)",
  "non-UTF-8 bytes",
  "an 8 KB value",
  "a 900 KB value (near the forward input's 1 MB buffer chunk)",
] as const;

function stressRecords(tag: string): Record<string, Value>[] {
  const long = (prefix: string) => `${prefix}${"x".repeat(2048)}`;
  return [
    { log: STRESS_MARKER },
    {
      log: "long metadata",
      ecs_cluster: long("cluster-"),
      ecs_task_arn: long("arn:aws:ecs:us-east-1:123456789012:task/c/"),
      container_name: long("/"),
      container_id: long(""),
    },
    { log: "short metadata", ecs_cluster: "c", ecs_task_arn: "arn", container_name: "/a", container_id: "0" },
    { log: "Error: boom\n    at handler (/app/server.js:42:7)\n    at process (node:internal/x:1:1)" },
    { log: Buffer.concat([Buffer.from("bytes "), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80])]) },
    { ...appRecord(tag, 0), log: "y".repeat(8 * 1024) },
    { ...appRecord(tag, 1), log: "z".repeat(900 * 1024) },
  ];
}

function runProbe(plan: NonNullable<SidecarPlan["probe"]>): Promise<void> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [...plan.args], {
      env: { PATH: process.env.PATH ?? "", ...plan.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString("utf8");
    });
    child.on("close", (code) => {
      let result: unknown = null;
      const line = out.trim().split("\n").pop() ?? "";
      try {
        result = JSON.parse(line);
      } catch {
        result = null;
      }
      emit("probe", {
        exit: code,
        ms: Date.now() - t0,
        result,
        stderr: err.trim().split("\n").slice(-3).join("\n"),
      });
      resolve();
    });
  });
}

async function shakeDown(plan: SidecarPlan): Promise<void> {
  const fwd = new Forwarder(plan.forwardHost, plan.forwardPort, plan.forwardPath);
  try {
    for (const tag of plan.tags) {
      const t0 = Date.now();
      let acked = false;
      try {
        acked = await fwd.send(tag, stressRecords(tag), 5000);
      } catch {
        acked = false;
      }
      emit("stress", {
        tag,
        shapes: STRESS_SHAPES,
        records: STRESS_SHAPES.length,
        acked,
        ms: Date.now() - t0,
      });
      if (!acked) {
        emit("soak", {
          sent: 0,
          acked: 0,
          failure: "the router did not acknowledge the stress chunk",
          ms: 0,
        });
        return;
      }
    }
    const t0 = Date.now();
    let sent = 0;
    let acked = 0;
    let failure: string | null = null;
    let n = 0;
    while (Date.now() - t0 < plan.soakMs) {
      for (const tag of plan.tags) {
        const records = Array.from({ length: 5 }, () => appRecord(tag, n++));
        sent += records.length;
        let ok = false;
        try {
          ok = await fwd.send(tag, records, 5000);
        } catch {
          ok = false;
        }
        if (!ok) {
          failure = `the router stopped acknowledging after ${((Date.now() - t0) / 1000).toFixed(1)} s of traffic`;
          break;
        }
        acked += records.length;
      }
      if (failure !== null) break;
      await sleep(200);
    }
    emit("soak", { sent, acked, failure, ms: Date.now() - t0 });
  } finally {
    fwd.close();
  }
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.env.REHEARSE_PLAN ?? "{}") as SidecarPlan;
  const intake: Received = { requests: 0, records: 0, bytes: 0, gzip: 0, paths: new Set() };
  const sink: Received = { requests: 0, records: 0, bytes: 0, gzip: 0, paths: new Set() };
  const servers = [
    await listen(plan.intakePort, () => plan.intakeStatus, intake, true),
    await listen(plan.sinkPort, () => 200, sink, false),
  ];
  emit("ready");
  if (plan.probe !== undefined) await runProbe(plan.probe);
  if (!plan.gateOnly && plan.tags.length > 0) await shakeDown(plan);
  // One more flush interval (a flush shows 1–2 s after the send), so the last records are counted; with
  // --gate-only, only until a destination has heard from the router.
  for (const until = Date.now() + 2000; Date.now() < until; await sleep(100)) {
    if (plan.gateOnly && intake.requests + sink.requests > 0) break;
  }
  const summary = (r: Received) => ({ ...r, paths: [...r.paths] });
  emit("destinations", { intake: summary(intake), sink: summary(sink) });
  for (const s of servers) s.close();
  process.exit(0);
}

// Only as a program: the library imports this file for its types and shapes.
if (process.env.REHEARSE_PLAN !== undefined) void main();
