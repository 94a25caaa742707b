/**
 * Replays every recording of real Fluent Bit (test/fixtures/fluent-bit/<version>/<scenario>.json) against the test
 * router personality of the same version, at the same offsets from start, and compares what matters: status per
 * URL over time, content type, body shapes (and values where they are deterministic), forward acks, the datadog
 * output's requests, and how the router died. When they disagree the test router is wrong, not the recording.
 *
 * All 21 replays run at once in `beforeAll` (each takes the recording's ~10 s); the tests then only compare.
 */
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { encode } from "@msgpack/msgpack";
import { beforeAll, describe, expect, test } from "vitest";
import {
  type IntakeMode,
  type IntakeRequest,
  type RouterExit,
  type RouterVersion,
  startFakeIntake,
  startTestRouter,
} from "../support/router/index.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/fluent-bit");
const VERSIONS: RouterVersion[] = ["1.8.3", "1.9.10", "4.2.8"];

interface Answer {
  url: string;
  status?: number;
  contentType?: string | null;
  body?: unknown;
  error?: string;
}
interface ForwardResult {
  tag: string;
  records: number;
  chunk: string | null;
  ackHex: string[];
  error: string | null;
}
interface Step {
  atMs: number;
  step: string;
  /** Replay only: when the step really started and ended, in ms after start (a loaded machine runs late). */
  ranFromMs?: number;
  ranToMs?: number;
  answers?: Answer[];
  forward?: ForwardResult;
  url?: string;
  status?: number;
  contentType?: string | null;
  body?: unknown;
  error?: string;
}
interface SinkRequest {
  method: string;
  url: string;
  headers: { "content-type"?: string; "content-encoding"?: string | null };
  body: unknown;
}
interface Recording {
  scenario: string;
  sink: string;
  config: string;
  timeline: Step[];
  sinkRequests: SinkRequest[];
  routerExit: { code: number | null; signal: string | null; atMs: number };
}

interface Replay {
  timeline: Step[];
  requests: IntakeRequest[];
  exit: RouterExit;
}

// REPLAY_ONLY=1.8.3/sink-500 narrows the run while debugging the router.
const only = process.env.REPLAY_ONLY;
const recordings = VERSIONS.flatMap((version) =>
  readdirSync(join(FIXTURES, version))
    .filter((f) => f.endsWith(".json"))
    .filter((f) => only === undefined || `${version}/${f}`.startsWith(only))
    .sort()
    .map((file) => ({
      version,
      rec: JSON.parse(readFileSync(join(FIXTURES, version, file), "utf8")) as Recording,
    })),
);

const sleepUntil = (t: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, t - Date.now())));

/** The capture's GET: 2 s timeout, JSON bodies parsed, failures reduced to their error code. */
function get(port: number, url: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: url, timeout: 2000, agent: false }, (res) => {
      let b = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        b += d;
      });
      res.on("end", () => {
        let body: unknown = b;
        try {
          body = JSON.parse(b);
        } catch {
          // text bodies stay text
        }
        resolve({ url, status: res.statusCode ?? 0, contentType: res.headers["content-type"] ?? null, body });
      });
      res.on("error", (e: NodeJS.ErrnoException) => resolve({ url, error: e.code ?? "ERR" }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ url, error: e.code ?? "ERR" }));
    req.on("timeout", () => {
      req.destroy();
      resolve({ url, error: "timeout" });
    });
  });
}

/** The capture's forward send: Forward mode, optional chunk option, acks gathered for 800 ms. */
function forward(port: number, tag: string, n: number, chunk: string | null): Promise<ForwardResult> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    const acks: string[] = [];
    let error: string | null = null;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve({ tag, records: n, chunk, ackHex: acks, error });
    };
    s.on("data", (d: Buffer) => acks.push(d.toString("hex")));
    s.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code ?? "ERR";
    });
    s.on("connect", () => {
      const now = Math.floor(Date.now() / 1000);
      const entries = Array.from({ length: n }, (_, i) => [
        now,
        { log: `capture ${i}`, source: "stdout", container_name: "app" },
      ]);
      s.write(encode(chunk ? [tag, entries, { chunk }] : [tag, entries]));
      setTimeout(() => {
        s.end();
        finish();
      }, 800);
    });
    s.on("close", finish);
  });
}

function sendTrigger(port: number): Promise<void> {
  return new Promise((resolve) => {
    const now = Math.floor(Date.now() / 1000);
    const big = "x".repeat(2000);
    const entries = [
      [now, { log: "no metadata" }],
      [
        now,
        {
          log: "long metadata",
          ecs_task_arn: `arn:aws:ecs:us-east-1:123456789012:task/c/${big}`,
          ecs_cluster: `arn:aws:ecs:us-east-1:123456789012:cluster/${big}`,
          container_name: `/app${big}`,
          container_id: big,
        },
      ],
    ];
    const c = net.connect(port, "127.0.0.1", () => {
      c.write(encode(["app-firelens-trigger", entries]));
      setTimeout(() => {
        c.end();
        resolve();
      }, 300);
    });
    c.on("error", () => resolve());
  });
}

function configValue(config: string, key: string): string | undefined {
  return new RegExp(`^\\s*${key}\\s+(.+)$`, "mi").exec(config)?.[1]?.trim();
}

async function replay(version: RouterVersion, rec: Recording): Promise<Replay> {
  const intake = await startFakeIntake({ mode: rec.sink as IntakeMode });
  const apiKey = configValue(rec.config, "apikey") ?? "capture-key";
  const ddTags = configValue(rec.config, "dd_tags");
  const router = await startTestRouter({
    version,
    flushMs: Number(configValue(rec.config, "Flush") ?? "1") * 1000,
    healthCheck: /Health_Check\s+On/i.test(rec.config),
    hcErrorsCount: Number(configValue(rec.config, "HC_Errors_Count") ?? "5"),
    hcRetryFailureCount: Number(configValue(rec.config, "HC_Retry_Failure_Count") ?? "5"),
    hcPeriod: Number(configValue(rec.config, "HC_Period") ?? "60"),
    intakeUrl: intake.url,
    apiKey,
    // The recorded datadog output matches `app-firelens*` (and the null output `firelens-healthcheck`).
    match: "app-firelens*",
    retryLimit: Number(configValue(rec.config, "Retry_Limit") ?? "2"),
    ...(ddTags === undefined ? {} : { ddTags }),
    providerEcs: /provider\s+ecs/i.test(rec.config),
    faults: { crashOnProviderEcsTrigger: /provider\s+ecs/i.test(rec.config) },
  });
  const t0 = router.startedAt;
  const mon = Number(new URL(router.monitorUrl ?? "http://x:1").port);
  const fwd = router.forwardPort;
  const runStep = async (s: Step): Promise<Step> => {
    if (s.step.startsWith("forward trigger")) {
      // The capture logs this step after its 300 ms hold; it was sent right after the previous step.
      await sleepUntil(t0 + s.atMs - 300);
      await sendTrigger(fwd);
      return { atMs: s.atMs, step: s.step };
    }
    await sleepUntil(t0 + s.atMs);
    if (s.forward) {
      return {
        atMs: s.atMs,
        step: s.step,
        forward: await forward(fwd, s.forward.tag, s.forward.records, s.forward.chunk),
      };
    }
    if (s.answers) {
      return {
        atMs: s.atMs,
        step: s.step,
        answers: await Promise.all(s.answers.map((a) => get(mon, a.url))),
      };
    }
    return { ...(await get(mon, s.url ?? "/")), atMs: s.atMs, step: s.step };
  };
  // Steps run one after another, as the capture ran them, each no earlier than its recorded offset: on a loaded
  // machine a late step must still not overtake the one before it (answers then see records not yet sent).
  const timeline: Step[] = [];
  for (const s of rec.timeline) {
    const lead = s.step.startsWith("forward trigger") ? 300 : 0;
    await sleepUntil(t0 + s.atMs - lead);
    const ranFromMs = Date.now() - t0;
    const done = await runStep(s);
    timeline.push({ ...done, ranFromMs, ranToMs: Date.now() - t0 });
  }
  if (only !== undefined) console.log(JSON.stringify(timeline, null, 1).slice(0, 20000));
  const exit = await router.stop();
  await intake.close();
  return { timeline, requests: intake.requests, exit };
}

// ---- comparison helpers ---------------------------------------------------------------------------------------

function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, shape(x)]),
    );
  }
  return typeof v;
}

type Counters = Record<string, number>;
interface V1Metrics {
  input: Record<string, Counters>;
  output: Record<string, Counters>;
}

function isBuildInfo(b: unknown): boolean {
  return typeof b === "object" && b !== null && "fluent-bit" in b;
}

/** `name{labels}` of each metric line, values and times dropped. */
function metricKeys(text: string, kind: "prom" | "v2"): string[] {
  return text
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => (kind === "v2" ? (l.split(" ")[1] ?? "") : (l.split(" ")[0] ?? "")))
    .sort();
}

function compareMetrics(where: string, rec: V1Metrics, got: V1Metrics): void {
  expect(shape(got), `${where}: metrics field sets`).toEqual(shape(rec));
  for (const [name, c] of Object.entries(rec.input)) {
    expect(got.input[name]?.records, `${where}: input ${name} records`).toBe(c.records);
    expect(got.input[name]?.bytes, `${where}: input ${name} bytes`).toBe(c.bytes);
  }
  for (const [name, c] of Object.entries(rec.output)) {
    const g = got.output[name] ?? {};
    for (const f of ["proc_records", "proc_bytes", "errors", "retries_failed", "dropped_records"]) {
      expect(g[f], `${where}: ${name}.${f}`).toBe(c[f]);
    }
    // `retries` counts chunks, and how records fall into chunks depends on where the flush tick lands between
    // two sends (the 1.8.3 and 1.9.10 sink-accepts recordings flushed 3 + 2 records as one request, the others
    // as two), so a replay may see one retry where the recording saw two. `retried_records` counts records and
    // must match. The real scheduler's back-off is random too (6–11 s seen for a first retry), so 6.5 s after
    // the send a recording may hold one more retry of the first chunk than a replay.
    const late = where.includes("6.5 s");
    const recRetries = c.retries ?? 0;
    const recRetried = c.retried_records ?? 0;
    expect(g.retries, `${where}: ${name}.retries`).toBeLessThanOrEqual(recRetries);
    expect(g.retries, `${where}: ${name}.retries`).toBeGreaterThanOrEqual(recRetries > 0 ? 1 : 0);
    expect(g.retried_records, `${where}: ${name}.retried_records`).toBeLessThanOrEqual(recRetried);
    expect(g.retried_records, `${where}: ${name}.retried_records`).toBeGreaterThanOrEqual(
      late ? Math.min(recRetried, 5) : recRetried,
    );
  }
}

function compareAnswer(where: string, rec: Answer, got: Answer | undefined): void {
  expect(got, where).toBeDefined();
  if (!got) return;
  if (rec.error !== undefined) {
    expect(got.error, `${where}: the router should be unreachable (${rec.error})`).toBe(rec.error);
    return;
  }
  expect(got.error, `${where}: the router should answer`).toBeUndefined();
  expect(got.status, `${where}: status`).toBe(rec.status);
  expect(got.contentType, `${where}: content type`).toBe(rec.contentType);
  const rb = rec.body;
  const gb = got.body;
  if (typeof rb === "string") {
    expect(typeof gb, `${where}: body kind`).toBe("string");
    if (rb.startsWith("# HELP")) {
      expect(metricKeys(String(gb), "prom"), `${where}: prometheus metrics`).toEqual(metricKeys(rb, "prom"));
      expect(
        String(gb)
          .split("\n")
          .filter((l) => l.startsWith("#")),
      ).toEqual(rb.split("\n").filter((l) => l.startsWith("#")));
    } else if (/^\d{4}-\d\d-\d\dT/.test(rb)) {
      expect(metricKeys(String(gb), "v2"), `${where}: /api/v2/metrics lines`).toEqual(metricKeys(rb, "v2"));
      expect(String(gb)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S+ = \S/);
    } else {
      expect(gb, `${where}: body`).toBe(rb);
    }
    return;
  }
  if (isBuildInfo(rb)) {
    expect(gb, `${where}: build-info document`).toEqual(rb);
    return;
  }
  const r = rb as Record<string, unknown>;
  if ("uptime_sec" in r) {
    const g = gb as { uptime_sec: number; uptime_hr: string };
    expect(shape(g), `${where}: uptime fields`).toEqual(shape(r));
    expect(Math.abs(g.uptime_sec - Number(r.uptime_sec)), `${where}: uptime_sec`).toBeLessThanOrEqual(1);
    expect(g.uptime_hr).toMatch(
      /^Fluent Bit has been running: {2}\d+ day, \d+ hour, \d+ minute and \d+ seconds?$/,
    );
    return;
  }
  if ("output" in r) {
    compareMetrics(where, r as unknown as V1Metrics, gb as V1Metrics);
    return;
  }
  // /api/v1/storage on 4.x: same fields; chunks pending or not (their number follows the chunking, see above).
  expect(shape(gb), `${where}: field sets`).toEqual(shape(rb));
  const pending = (v: unknown) =>
    JSON.stringify(v)
      .replace(/"[1-9]\d*b"/g, '"some"')
      .replace(/:[1-9]\d*/g, ":some");
  expect(pending(gb), `${where}: storage: chunks pending`).toBe(pending(rb));
}

/** One record as the destination sees it, without the timestamp (times differ between runs). */
function recordKey(r: unknown): string {
  const { timestamp: _t, ...rest } = r as Record<string, unknown>;
  return JSON.stringify(rest);
}

/**
 * When the recorded router died, between which steps: the last one that started before the death (less the
 * trigger's 300 ms hold) and the first one that started at or after it. The replayed death must fall between the
 * same steps as they really ran in the replay (a loaded machine shifts them all).
 */
function deathWindow(rec: Recording, replayed: readonly Step[]): [number, number] {
  const at = rec.routerExit.atMs;
  const before = rec.timeline.map((s, i) => [s, i] as const).filter(([s]) => s.atMs < at);
  const after = rec.timeline.map((s, i) => [s, i] as const).filter(([s]) => s.atMs >= at);
  const last = before[before.length - 1];
  const next = after[0];
  const from = last ? (replayed[last[1]]?.ranFromMs ?? 0) - 350 : 0;
  const to = next ? (replayed[next[1]]?.ranToMs ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  return [Math.max(0, from), to];
}

/** A step that was still running when the router died may have seen either side of the death. */
function overlapsDeath(step: Step | undefined, exit: RouterExit): boolean {
  if (!step || exit.signal === null) return false;
  return (step.ranFromMs ?? 0) <= exit.atMs && exit.atMs <= (step.ranToMs ?? 0) + 5;
}

/**
 * On a loaded machine a replayed step can start late enough to land on the other side of the router's death than
 * it did in the recording (the death itself is judged against the steps as they really ran, in "how it ends").
 */
function sideOfDeathFlipped(
  rec: Recording,
  recorded: Step,
  step: Step | undefined,
  exit: RouterExit,
): boolean {
  if (!step || exit.signal === null || rec.routerExit.signal === null) return false;
  return recorded.atMs < rec.routerExit.atMs !== (step.ranFromMs ?? 0) < exit.atMs;
}

/**
 * The recording's "not yet" (404 before the first one-second snapshot, or 4.x storage's first 5 s sample) cannot be
 * expected from a replayed step that a loaded machine ran after that moment: it then sees the snapshot, rightly.
 */
function notYetOverrun(recorded: Answer, step: Step | undefined): boolean {
  if (recorded.status !== 404 || step?.ranToMs === undefined) return false;
  const firstAt = recorded.url === "/api/v1/storage" ? 5000 : 1000;
  return step.ranToMs >= firstAt;
}

// ---- the replays ----------------------------------------------------------------------------------------------

const results = new Map<string, Replay>();
const keyOf = (version: string, scenario: string) => `${version}/${scenario}`;

beforeAll(async () => {
  const all = await Promise.all(recordings.map(({ version, rec }) => replay(version, rec)));
  all.forEach((r, i) => {
    const entry = recordings[i];
    if (entry) results.set(keyOf(entry.version, entry.rec.scenario), r);
  });
}, 25_000);

describe.each(recordings)("$version $rec.scenario", ({ version, rec }) => {
  const result = () => {
    const r = results.get(keyOf(version, rec.scenario));
    if (!r) throw new Error("replay did not run");
    return r;
  };

  test("monitoring answers over time: status, content type, body shape and values", () => {
    const { timeline, exit } = result();
    rec.timeline.forEach((s, i) => {
      const got = timeline[i];
      const where = `${version} ${rec.scenario} @${s.atMs} "${s.step}"`;
      if (overlapsDeath(got, exit) || sideOfDeathFlipped(rec, s, got, exit)) return;
      if (s.answers) {
        s.answers.forEach((a, j) => {
          if (notYetOverrun(a, got)) return;
          compareAnswer(`${where} ${a.url}`, a, got?.answers?.[j]);
        });
      } else if (s.url !== undefined) {
        const url = s.url;
        compareAnswer(`${where} ${url}`, { ...s, url }, got && { ...got, url });
      }
    });
  });

  test("forward replies: an ack exactly when the chunk option was sent", () => {
    const { timeline, exit } = result();
    rec.timeline.forEach((s, i) => {
      if (!s.forward) return;
      const got = timeline[i]?.forward;
      if (overlapsDeath(timeline[i], exit) && got?.error) return;
      if (sideOfDeathFlipped(rec, s, timeline[i], exit)) return;
      const where = `${version} ${rec.scenario} @${s.atMs} "${s.step}"`;
      expect(got?.error ?? null, `${where}: connection`).toBe(s.forward.error);
      expect(got?.ackHex, `${where}: ack bytes`).toEqual(s.forward.ackHex);
    });
  });

  test("datadog output requests: form, headers, records", () => {
    const { requests } = result();
    const recForms = new Set(
      rec.sinkRequests.map((q) => JSON.stringify([q.method, q.url, q.headers["content-type"] ?? null])),
    );
    if (rec.sinkRequests.length === 0) {
      expect(requests, "no request reached the intake").toEqual([]);
      return;
    }
    expect(requests.length).toBeGreaterThan(0);
    for (const q of requests) {
      const form = JSON.stringify([q.method, q.redactedUrl, q.headers["content-type"] ?? null]);
      expect(recForms.has(form), `request form ${form}`).toBe(true);
      expect(q.headers["content-encoding"] ?? null).toBe(
        rec.sinkRequests[0]?.headers["content-encoding"] ?? null,
      );
      if (q.redactedUrl === "/api/v2/logs") expect(q.headers["dd-api-key"]).toBe("capture-key");
      else expect(q.headers["dd-api-key"]).toBeUndefined();
    }
    const recRecords = rec.sinkRequests.flatMap((q) => q.body as unknown[]);
    const gotRecords = requests.flatMap((q) => q.body as unknown[]);
    expect(new Set(gotRecords.map(recordKey)), "distinct records delivered").toEqual(
      new Set(recRecords.map(recordKey)),
    );
    expect(shape(gotRecords[0]), "record field set").toEqual(shape(recRecords[0]));
    for (const r of gotRecords) expect((r as { timestamp: number }).timestamp % 1000).toBe(0);
    // Every failed attempt is tried again later, so failures show at least two requests (3 and 2 records here).
    if (rec.sink !== "accept") expect(requests.length).toBeGreaterThanOrEqual(2);
  });

  test("how it ends: signal and when", () => {
    const { exit, timeline } = result();
    expect(exit.signal, "signal").toBe(rec.routerExit.signal);
    expect(exit.code, "exit code").toBe(rec.routerExit.code);
    if (rec.routerExit.signal !== null && rec.scenario !== "health-check-on") {
      const [from, to] = deathWindow(rec, timeline);
      expect(exit.atMs, "died after the step that killed it").toBeGreaterThanOrEqual(from);
      expect(exit.atMs, "died before the next step ended").toBeLessThanOrEqual(to);
    }
  });
});
