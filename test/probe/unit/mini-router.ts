/**
 * A deliberately tiny Fluent Bit look-alike for the probe's unit tests: a forward input that acks `chunk`
 * options, a monitoring server with the recorded shapes (404 before the first snapshot, build-info for
 * unknown paths), a flush tick and a snapshot tick, and a crash that closes every listener and socket.
 * Fast ticks keep the tests short. The faithful stand-in (timing, personalities) is test/support/router/.
 */
import http from "node:http";
import net from "node:net";
import { decodeMultiStream, encode } from "@msgpack/msgpack";

export type FlushMode = "accept" | "retry" | "error" | "drop";

export interface MiniRouterOptions {
  readonly version?: string;
  readonly flushEveryMs?: number;
  readonly snapshotEveryMs?: number;
  /** The first snapshot is published this long after start (404 before). */
  readonly firstSnapshotMs?: number;
  readonly mode?: FlushMode;
  readonly monitor?: boolean;
  readonly ack?: boolean;
  /** Outputs: datadog.1 gets every record; null.0 stays at zero. */
  readonly outputs?: readonly string[];
  /** Called after the first flush that processed records. */
  readonly onFirstFlush?: (router: MiniRouter) => void;
  /** Records datadog.1 had already processed before the probe came (other containers' logs). */
  readonly processedBefore?: number;
}

interface Counters {
  proc_records: number;
  proc_bytes: number;
  errors: number;
  retries: number;
  retries_failed: number;
  dropped_records: number;
  retried_records: number;
}

const zero = (): Counters => ({
  proc_records: 0,
  proc_bytes: 0,
  errors: 0,
  retries: 0,
  retries_failed: 0,
  dropped_records: 0,
  retried_records: 0,
});

export interface ReceivedFrame {
  readonly tag: string;
  readonly frame: unknown[];
}

export class MiniRouter {
  readonly frames: ReceivedFrame[] = [];
  readonly requests: string[] = [];
  forwardPort = 0;
  monitorPort = 0;
  alive = true;
  private readonly sockets = new Set<net.Socket>();
  private readonly forwardServer: net.Server;
  private readonly httpServer: http.Server | null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly startedAt = Date.now();
  private pending = 0;
  private nullRecords = 0;
  /** The engine stopped (a crash in progress): no more acks, no flushes. */
  hung = false;
  private live: Record<string, Counters> = {};
  private published: Record<string, Counters> | null = null;
  private firstFlushDone = false;
  uptimeOffset = 0;
  /**
   * Answers served before the current snapshot, one per metrics request: what a Fluent Bit HTTP worker
   * that has not received the newest snapshot yet serves (null = its 404 before the first one).
   */
  readonly staleAnswers: (Record<string, Counters> | null)[] = [];

  /** Counters as published now (for building stale answers). */
  zeroOutputs(): Record<string, Counters> {
    return Object.fromEntries(Object.keys(this.live).map((k) => [k, zero()]));
  }

  constructor(private readonly opts: MiniRouterOptions = {}) {
    for (const o of opts.outputs ?? ["null.0", "datadog.1"]) this.live[o] = zero();
    const dd = this.live["datadog.1"];
    if (dd) dd.proc_records = opts.processedBefore ?? 0;
    this.forwardServer = net.createServer((s) => this.onForward(s));
    this.httpServer = opts.monitor === false ? null : http.createServer((req, res) => this.onHttp(req, res));
    this.httpServer?.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.forwardServer.listen(0, "127.0.0.1", r));
    this.forwardPort = (this.forwardServer.address() as net.AddressInfo).port;
    if (this.httpServer) {
      const srv = this.httpServer;
      await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
      this.monitorPort = (srv.address() as net.AddressInfo).port;
    }
    this.timers.push(setInterval(() => this.flush(), this.opts.flushEveryMs ?? 100));
    const snap = () => {
      this.published = structuredClone(this.live);
    };
    this.timers.push(
      setTimeout(() => {
        snap();
        this.timers.push(setInterval(snap, this.opts.snapshotEveryMs ?? 100));
      }, this.opts.firstSnapshotMs ?? 0),
    );
    return this;
  }

  get forwardAddress(): string {
    return `127.0.0.1:${this.forwardPort}`;
  }

  get monitorUrl(): string {
    return `http://127.0.0.1:${this.monitorPort}`;
  }

  private readonly forwardSockets = new Set<net.Socket>();

  private onForward(socket: net.Socket): void {
    this.sockets.add(socket);
    this.forwardSockets.add(socket);
    socket.on("close", () => this.forwardSockets.delete(socket));
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => {});
    void (async () => {
      try {
        for await (const msg of decodeMultiStream(socket)) {
          if (!Array.isArray(msg)) continue;
          const tag = String(msg[0]);
          this.frames.push({ tag, frame: msg });
          const entries = Array.isArray(msg[1]) ? msg[1].length : 1;
          // FireLens routes firelens-healthcheck to its null output.
          if (tag === "firelens-healthcheck") this.nullRecords += entries;
          else this.pending += entries;
          const opt = msg[msg.length - 1] as Record<string, unknown> | undefined;
          if (this.opts.ack !== false && !this.hung && opt && typeof opt === "object" && "chunk" in opt) {
            socket.write(encode({ ack: opt.chunk }));
          }
        }
      } catch {
        // connection torn down
      }
    })();
  }

  private flush(): void {
    if (this.hung) return;
    const nul = this.live["null.0"];
    if (nul && this.nullRecords > 0) {
      nul.proc_records += this.nullRecords;
      this.nullRecords = 0;
    }
    if (this.pending === 0) return;
    const n = this.pending;
    this.pending = 0;
    const out = this.live["datadog.1"];
    if (!out) return;
    switch (this.opts.mode ?? "accept") {
      case "accept":
        out.proc_records += n;
        out.proc_bytes += n * 60;
        break;
      case "retry":
        out.retries += 1;
        out.retried_records += n;
        break;
      case "error":
        out.errors += 1;
        break;
      case "drop":
        out.dropped_records += n;
        break;
    }
    if (!this.firstFlushDone) {
      this.firstFlushDone = true;
      this.opts.onFirstFlush?.(this);
    }
  }

  private buildInfo(): string {
    return JSON.stringify({
      "fluent-bit": {
        version: this.opts.version ?? "1.8.3",
        edition: "Community",
        flags: ["FLB_HAVE_METRICS"],
      },
    });
  }

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? "/";
    this.requests.push(url);
    if (url === "/api/v1/uptime") {
      const sec = Math.floor((Date.now() - this.startedAt) / 1000) + this.uptimeOffset;
      res.end(JSON.stringify({ uptime_sec: sec, uptime_hr: "Fluent Bit has been running:  0 day" }));
      return;
    }
    if (url === "/api/v1/metrics") {
      const stale = this.staleAnswers.shift();
      if (stale !== undefined) {
        if (stale === null) res.statusCode = 404;
        res.end(stale === null ? "" : JSON.stringify({ input: {}, filter: {}, output: stale }));
        return;
      }
      if (this.published === null) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.end(JSON.stringify({ input: {}, filter: {}, output: this.published }));
      return;
    }
    // 1.8/1.9: every other path answers with the build-info document.
    res.end(this.buildInfo());
  }

  /** Drops the published snapshot, as a restarted process would have none yet. */
  forgetSnapshot(): void {
    this.published = null;
  }

  /** The live counters, as cmetrics text (`/api/v2/metrics` on 4.x). */
  v2Text(uptimeSec: number): string {
    const t = new Date().toISOString();
    const names: [keyof Counters, string][] = [
      ["proc_records", "proc_records"],
      ["proc_bytes", "proc_bytes"],
      ["errors", "errors"],
      ["retries", "retries"],
      ["retries_failed", "retries_failed"],
      ["dropped_records", "dropped_records"],
      ["retried_records", "retried_records"],
    ];
    const lines = [`${t} fluentbit_uptime{hostname="vm"} = ${uptimeSec}`];
    for (const [out, c] of Object.entries(this.live)) {
      for (const [k, n] of names) lines.push(`${t} fluentbit_output_${n}_total{name="${out}"} = ${c[k]}`);
    }
    return `${lines.join("\n")}\n`;
  }

  /** Closes every forward connection but keeps listening (a router letting idle clients go). */
  dropForwardConnections(): void {
    for (const s of this.forwardSockets) s.end();
  }

  /** Every listener and connection gone at once, as when the process dies. */
  crash(): void {
    if (!this.alive) return;
    this.alive = false;
    for (const t of this.timers) clearInterval(t);
    this.forwardServer.close();
    this.httpServer?.close();
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.crash();
  }
}

export async function startMiniRouter(opts: MiniRouterOptions = {}): Promise<MiniRouter> {
  return new MiniRouter(opts).start();
}
