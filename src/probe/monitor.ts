/**
 * Client for Fluent Bit's HTTP monitoring server, as real 1.8.3, 1.9.10 and 4.2.8 answered it
 * (test/fixtures/fluent-bit/README.md):
 * - `/api/v1/metrics` answers 404 until the first one-second snapshot: "not yet", not "broken";
 * - on 1.8.x/1.9.x a path the server does not know answers 200 with the build-info document of `GET /`,
 *   so every answer is judged by its shape, never by its status;
 * - `/api/v2/metrics` is cmetrics text on 4.x and absent (build-info) before;
 * - no JSON body carries a content type on 1.8.3, so bodies are parsed whatever the header says.
 * `/api/v1/health` is never part of the probe's flow: asked before the first metrics push it kills
 * Fluent Bit < 1.8.7 (fluent-bit#3983). `getHealth` exists for callers who know the version, and refuses
 * anything older or unknown.
 */
import http from "node:http";

export interface OutputCounters {
  readonly procRecords: number;
  readonly procBytes: number;
  readonly errors: number;
  readonly retries: number;
  readonly retriesFailed: number;
  readonly droppedRecords: number;
  readonly retriedRecords: number;
}

export interface MetricsSnapshot {
  readonly source: "v1" | "v2";
  /** Output instance name (`datadog.1`, or its alias) → counters. */
  readonly outputs: Readonly<Record<string, OutputCounters>>;
  /** Only the v2 text carries it. */
  readonly uptimeSec: number | null;
}

export interface BuildInfo {
  readonly version: string;
  readonly edition: string | null;
}

/** What one monitoring request told us, judged by shape. */
export type Answer<T> =
  | { readonly kind: "ok"; readonly value: T }
  /** 404: the endpoint exists but has nothing yet (metrics before the first snapshot). */
  | { readonly kind: "not-yet" }
  /** The server answered, but not as this endpoint (build-info document, foreign shape, other status). */
  | { readonly kind: "not-this-endpoint"; readonly detail: string }
  /**
   * No HTTP answer at all. `refused` = nothing listens (a dead router), as opposed to a timeout.
   * `listening` = the TCP connection was made (a server is there, only slow or broken).
   */
  | {
      readonly kind: "unreachable";
      readonly code: string;
      readonly refused: boolean;
      readonly listening: boolean;
    };

export interface RawAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

const MAX_BODY = 4 * 1024 * 1024;

/** `{"fluent-bit": {"version": …}}`: `GET /`, and every unknown path on 1.8/1.9. */
export function parseBuildInfo(doc: unknown): BuildInfo | null {
  if (!isObject(doc)) return null;
  const fb = doc["fluent-bit"];
  if (!isObject(fb) || typeof fb.version !== "string") return null;
  return { version: fb.version, edition: typeof fb.edition === "string" ? fb.edition : null };
}

export function classifyBuildInfo(raw: RawAnswer): Answer<BuildInfo> {
  const doc = tryJson(raw.body);
  const info = parseBuildInfo(doc);
  if (raw.status === 200 && info) return { kind: "ok", value: info };
  return { kind: "not-this-endpoint", detail: `status ${raw.status}, no build-info document` };
}

export function classifyUptime(raw: RawAnswer): Answer<number> {
  const doc = tryJson(raw.body);
  if (raw.status === 200 && isObject(doc) && isCount(doc.uptime_sec))
    return { kind: "ok", value: doc.uptime_sec };
  if (raw.status === 404) return { kind: "not-yet" };
  return { kind: "not-this-endpoint", detail: describeShape(raw, doc) };
}

const V1_FIELDS = {
  procRecords: "proc_records",
  errors: "errors",
  retries: "retries",
  retriesFailed: "retries_failed",
  droppedRecords: "dropped_records",
} as const;

/**
 * `/api/v1/metrics`: `{"input": …, "filter": …, "output": {name: {proc_records, errors, retries, …}}}`.
 * Strict about the counters the verdict needs, tolerant of everything else.
 */
export function classifyMetricsV1(raw: RawAnswer): Answer<MetricsSnapshot> {
  if (raw.status === 404) return { kind: "not-yet" };
  const doc = tryJson(raw.body);
  if (raw.status !== 200) return { kind: "not-this-endpoint", detail: describeShape(raw, doc) };
  const parsed = parseMetricsV1(doc);
  if (typeof parsed === "string") return { kind: "not-this-endpoint", detail: parsed };
  return { kind: "ok", value: parsed };
}

export function parseMetricsV1(doc: unknown): MetricsSnapshot | string {
  if (parseBuildInfo(doc)) return "build-info document (this server has no such endpoint)";
  if (!isObject(doc) || !isObject(doc.output)) return 'no "output" map';
  const outputs: Record<string, OutputCounters> = {};
  for (const [name, c] of Object.entries(doc.output)) {
    if (!isObject(c)) return `output ${name}: not a map of counters`;
    const need: Partial<Record<keyof typeof V1_FIELDS, number>> = {};
    for (const [key, field] of Object.entries(V1_FIELDS) as [keyof typeof V1_FIELDS, string][]) {
      const v = c[field];
      if (!isCount(v)) return `output ${name}: counter ${field} missing or not a count`;
      need[key] = v;
    }
    outputs[name] = {
      procRecords: need.procRecords ?? 0,
      procBytes: isCount(c.proc_bytes) ? c.proc_bytes : 0,
      errors: need.errors ?? 0,
      retries: need.retries ?? 0,
      retriesFailed: need.retriesFailed ?? 0,
      droppedRecords: need.droppedRecords ?? 0,
      retriedRecords: isCount(c.retried_records) ? c.retried_records : 0,
    };
  }
  return { source: "v1", outputs, uptimeSec: null };
}

const V2_METRICS: Record<string, keyof OutputCounters> = {
  fluentbit_output_proc_records_total: "procRecords",
  fluentbit_output_proc_bytes_total: "procBytes",
  fluentbit_output_errors_total: "errors",
  fluentbit_output_retries_total: "retries",
  fluentbit_output_retries_failed_total: "retriesFailed",
  fluentbit_output_dropped_records_total: "droppedRecords",
  fluentbit_output_retried_records_total: "retriedRecords",
};
const V2_REQUIRED: readonly (keyof OutputCounters)[] = [
  "procRecords",
  "errors",
  "retries",
  "retriesFailed",
  "droppedRecords",
];

/**
 * cmetrics text (`/api/v2/metrics` on 4.x: `<time> name{labels} = value`) or Prometheus text
 * (`name{labels} value [time]`): the output counters by `name` label, and `fluentbit_uptime`.
 */
export function parseMetricsText(text: string): MetricsSnapshot | string {
  const outputs: Record<string, Partial<Record<keyof OutputCounters, number>>> = {};
  let uptime: number | null = null;
  let sawMetric = false;
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    const m =
      /^(?:\d{4}-\d\d-\d\dT\S+\s+)?([A-Za-z_:][A-Za-z0-9_:]*)(\{[^}]*\})?\s*=?\s*(-?[0-9.eE+]+)(?:\s+\d+)?$/.exec(
        t,
      );
    if (!m) continue;
    sawMetric = true;
    const [, metric = "", labels = "", valueText = ""] = m;
    const value = Number(valueText);
    if (!Number.isFinite(value)) continue;
    if (metric === "fluentbit_uptime") {
      uptime = value;
      continue;
    }
    const key = V2_METRICS[metric];
    if (key === undefined) continue;
    const name = /(?:^|[{,])name="((?:[^"\\]|\\.)*)"/.exec(labels)?.[1];
    if (name === undefined) continue;
    outputs[name] ??= {};
    (outputs[name] as Partial<Record<keyof OutputCounters, number>>)[key] = value;
  }
  if (!sawMetric) return "no metric lines";
  const result: Record<string, OutputCounters> = {};
  for (const [name, c] of Object.entries(outputs)) {
    for (const k of V2_REQUIRED) if (c[k] === undefined) return `output ${name}: counter ${k} missing`;
    result[name] = {
      procRecords: c.procRecords ?? 0,
      procBytes: c.procBytes ?? 0,
      errors: c.errors ?? 0,
      retries: c.retries ?? 0,
      retriesFailed: c.retriesFailed ?? 0,
      droppedRecords: c.droppedRecords ?? 0,
      retriedRecords: c.retriedRecords ?? 0,
    };
  }
  if (Object.keys(result).length === 0) return "no output counters";
  return { source: "v2", outputs: result, uptimeSec: uptime };
}

export function classifyMetricsV2(raw: RawAnswer): Answer<MetricsSnapshot> {
  if (raw.status === 404) return { kind: "not-yet" };
  const doc = tryJson(raw.body);
  if (raw.status !== 200 || doc !== undefined)
    return { kind: "not-this-endpoint", detail: describeShape(raw, doc) };
  const parsed = parseMetricsText(raw.body);
  if (typeof parsed === "string") return { kind: "not-this-endpoint", detail: parsed };
  return { kind: "ok", value: parsed };
}

export type Health = "ok" | "error";

export function classifyHealth(raw: RawAnswer): Answer<Health> {
  const body = raw.body.trim();
  if (raw.status === 200 && body === "ok") return { kind: "ok", value: "ok" };
  if (raw.status === 500 && body === "error") return { kind: "ok", value: "error" };
  return { kind: "not-this-endpoint", detail: describeShape(raw, tryJson(raw.body)) };
}

/** Parses "1.8.3", "v1.9.10", "4.2.8-aws" → [major, minor, patch], or null. */
export function parseVersion(version: string): [number, number, number] | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function versionAtLeast(version: string, min: readonly [number, number, number]): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  for (let i = 0; i < 3; i++) {
    const a = v[i] ?? 0;
    const b = min[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** First Fluent Bit that survives `/api/v1/health` before its first metrics push (fluent-bit#3983). */
export const HEALTH_SAFE_SINCE: readonly [number, number, number] = [1, 8, 7];

export class HealthRefusedError extends Error {
  override readonly name = "HealthRefusedError";
}

export interface MonitorOptions {
  /** Per-request timeout. */
  readonly timeoutMs?: number;
}

interface GetError {
  readonly error: string;
  readonly refused: boolean;
  readonly reused: boolean;
  readonly listening: boolean;
}

/** HTTP client for one monitoring server; keeps its connection alive between polls. */
export class MonitorClient {
  private readonly agent: http.Agent;
  private timeoutMs: number;
  private readonly maxTimeoutMs: number;

  constructor(
    readonly base: URL,
    options: MonitorOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 500;
    this.maxTimeoutMs = Math.max(this.timeoutMs, 4000);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 2, keepAliveMsecs: 1000 });
  }

  /** Raw GET; a reset on a reused keep-alive socket is retried once on a fresh one, so it is never mistaken for a crash. */
  async get(path: string, signal?: AbortSignal): Promise<RawAnswer | GetError> {
    const first = await this.getOnce(path, signal);
    if ("error" in first && first.reused && !signal?.aborted) return this.getOnce(path, signal);
    return first;
  }

  private getOnce(path: string, signal?: AbortSignal): Promise<RawAnswer | GetError> {
    const url = new URL(
      path.replace(/^\//, ""),
      this.base.href.endsWith("/") ? this.base : `${this.base.href}/`,
    );
    return new Promise((resolve) => {
      let done = false;
      // A CPU-starved router answers late, but it does accept the connection: that tells "slow" from "absent".
      let connected = false;
      const finish = (v: RawAnswer | GetError) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(v);
      };
      const req = http.get(
        url,
        { agent: this.agent, headers: { accept: "application/json, text/plain" } },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (d: Buffer) => {
            size += d.length;
            if (size > MAX_BODY) {
              req.destroy();
              finish({ error: "EBODYTOOLARGE", refused: false, reused: false, listening: true });
              return;
            }
            chunks.push(d);
          });
          res.on("end", () => {
            const ct = res.headers["content-type"];
            finish({
              status: res.statusCode ?? 0,
              contentType: typeof ct === "string" ? ct : null,
              body: Buffer.concat(chunks).toString("utf8"),
            });
          });
          res.on("error", (e: NodeJS.ErrnoException) =>
            finish({ error: e.code ?? e.message, refused: false, reused: req.reusedSocket, listening: true }),
          );
        },
      );
      req.on("socket", (socket) => {
        if (req.reusedSocket) connected = true;
        else
          socket.once("connect", () => {
            connected = true;
          });
      });
      const timer = setTimeout(() => {
        req.destroy();
        // A server that accepted the connection but did not answer in time gets more time next request.
        if (connected) this.timeoutMs = Math.min(this.timeoutMs * 2, this.maxTimeoutMs);
        finish({ error: "ETIMEDOUT", refused: false, reused: false, listening: connected });
      }, this.timeoutMs);
      const onAbort = () => {
        req.destroy();
        finish({ error: "EABORTED", refused: false, reused: false, listening: connected });
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("error", (e: NodeJS.ErrnoException) => {
        const code = e.code ?? e.message;
        finish({
          error: code,
          refused: code === "ECONNREFUSED" || code === "ENOENT",
          reused: req.reusedSocket,
          listening: connected,
        });
      });
    });
  }

  private async classified<T>(
    path: string,
    classify: (raw: RawAnswer) => Answer<T>,
    signal?: AbortSignal,
  ): Promise<Answer<T>> {
    const raw = await this.get(path, signal);
    if ("error" in raw)
      return { kind: "unreachable", code: raw.error, refused: raw.refused, listening: raw.listening };
    return classify(raw);
  }

  /** `GET /`: the build-info document (version). */
  buildInfo(signal?: AbortSignal): Promise<Answer<BuildInfo>> {
    return this.classified("/", classifyBuildInfo, signal);
  }

  uptime(signal?: AbortSignal): Promise<Answer<number>> {
    return this.classified("/api/v1/uptime", classifyUptime, signal);
  }

  metricsV1(signal?: AbortSignal): Promise<Answer<MetricsSnapshot>> {
    return this.classified("/api/v1/metrics", classifyMetricsV1, signal);
  }

  metricsV2(signal?: AbortSignal): Promise<Answer<MetricsSnapshot>> {
    return this.classified("/api/v2/metrics", classifyMetricsV2, signal);
  }

  /**
   * `/api/v1/health`, only for a router known to be >= 1.8.7; older or unknown versions are refused
   * without a request, because the request itself can kill them.
   */
  async health(knownVersion: string | null, signal?: AbortSignal): Promise<Answer<Health>> {
    if (knownVersion === null || !versionAtLeast(knownVersion, HEALTH_SAFE_SINCE)) {
      throw new HealthRefusedError(
        `refusing /api/v1/health on Fluent Bit ${knownVersion ?? "of unknown version"}: before 1.8.7 the request can crash the router (fluent-bit#3983)`,
      );
    }
    return this.classified("/api/v1/health", classifyHealth, signal);
  }

  close(): void {
    this.agent.destroy();
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0;
}

function describeShape(raw: RawAnswer, doc: unknown): string {
  if (parseBuildInfo(doc)) return `status ${raw.status} with the build-info document (no such endpoint)`;
  return `status ${raw.status}, unexpected body`;
}
