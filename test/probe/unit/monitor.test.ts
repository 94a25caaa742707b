import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  classifyBuildInfo,
  classifyHealth,
  classifyMetricsV1,
  classifyMetricsV2,
  classifyUptime,
  HealthRefusedError,
  MonitorClient,
  parseMetricsText,
  versionAtLeast,
} from "../../../src/probe/monitor.js";
import { answers, raw, recording, VERSIONS } from "./fixtures.js";

describe("monitor parsing of real recorded bodies", () => {
  for (const v of VERSIONS) {
    const rec = recording(v, "sink-accepts");

    it(`${v}: GET / is the build-info document with the version`, () => {
      const first = answers(rec, "/")[0];
      if (!first) throw new Error("no GET / recorded");
      expect(classifyBuildInfo(raw(first.answer))).toEqual({
        kind: "ok",
        value: { version: v, edition: "Community" },
      });
    });

    it(`${v}: /api/v1/metrics is 404 ("not yet") before the first snapshot, then counters`, () => {
      const seq = answers(rec, "/api/v1/metrics").map((a) => classifyMetricsV1(raw(a.answer)));
      expect(seq[0]).toEqual({ kind: "not-yet" });
      const later = seq[1];
      expect(later?.kind).toBe("ok");
      if (later?.kind !== "ok") return;
      expect(Object.keys(later.value.outputs).sort()).toEqual(["datadog.1", "null.0"]);
      const last = seq.at(-1);
      expect(last?.kind === "ok" && last.value.outputs["datadog.1"]?.procRecords).toBe(5);
    });

    it(`${v}: /api/v1/uptime answers from the start`, () => {
      for (const a of answers(rec, "/api/v1/uptime")) expect(classifyUptime(raw(a.answer)).kind).toBe("ok");
    });

    it(`${v}: /api/v2/metrics is ${v.startsWith("4.") ? "text" : "absent (build-info shaped 200)"}`, () => {
      const seq = answers(rec, "/api/v2/metrics").map((a) => ({
        a: a.answer,
        c: classifyMetricsV2(raw(a.answer)),
      }));
      if (v.startsWith("4.")) {
        expect(seq[0]?.c).toEqual({ kind: "not-yet" });
        const last = seq.at(-1)?.c;
        expect(last?.kind).toBe("ok");
        if (last?.kind !== "ok") return;
        expect(last.value.outputs["datadog.1"]).toMatchObject({ procRecords: 5, errors: 0, retries: 0 });
        expect(last.value.outputs["null.0"]?.procRecords).toBe(0);
        expect(last.value.uptimeSec).toBeGreaterThan(0);
      } else {
        for (const { a, c } of seq) {
          expect(a.status).toBe(200);
          expect(c.kind).toBe("not-this-endpoint");
        }
      }
    });

    it(`${v}: a build-info shaped 200 is never taken for metrics or uptime`, () => {
      const storage = answers(rec, "/api/v1/storage").find((a) => a.answer.status === 200);
      if (!storage) return;
      const r = raw(storage.answer);
      if (v.startsWith("4.")) return; // 4.x serves real storage metrics
      expect(classifyMetricsV1(r).kind).toBe("not-this-endpoint");
      expect(classifyUptime(r).kind).toBe("not-this-endpoint");
    });
  }

  it("1.8.3 without Health_Check: /api/v1/health is build-info shaped, not health", () => {
    const h = answers(recording("1.8.3", "sink-accepts"), "/api/v1/health")[0];
    if (!h) throw new Error("no health answer recorded");
    expect(classifyHealth(raw(h.answer)).kind).toBe("not-this-endpoint");
  });

  it("Health_Check On: ok even while the output fails", () => {
    const h = answers(recording("4.2.8", "health-check-on"), "/api/v1/health").at(-1);
    if (!h) throw new Error("no health answer recorded");
    expect(classifyHealth(raw(h.answer))).toEqual({ kind: "ok", value: "ok" });
  });

  it("parses the v1 Prometheus text as well", () => {
    const p = answers(recording("1.9.10", "sink-accepts"), "/api/v1/metrics/prometheus").at(-1);
    if (!p) throw new Error("no prometheus answer recorded");
    const snap = parseMetricsText(raw(p.answer).body);
    expect(typeof snap).toBe("object");
    if (typeof snap === "string") return;
    expect(snap.outputs["datadog.1"]?.procRecords).toBe(5);
    expect(snap.uptimeSec).toBeGreaterThan(0);
  });

  it("is strict about the counters it needs and tolerant of the rest", () => {
    const ok = {
      output: {
        "x.0": { proc_records: 1, errors: 0, retries: 0, retries_failed: 0, dropped_records: 0, extra: "y" },
      },
      more: 1,
    };
    expect(classifyMetricsV1({ status: 200, contentType: null, body: JSON.stringify(ok) }).kind).toBe("ok");
    const missing = { output: { "x.0": { proc_records: 1, errors: 0, retries: 0 } } };
    expect(classifyMetricsV1({ status: 200, contentType: null, body: JSON.stringify(missing) }).kind).toBe(
      "not-this-endpoint",
    );
    expect(classifyMetricsV1({ status: 500, contentType: null, body: "" }).kind).toBe("not-this-endpoint");
  });

  it("compares versions", () => {
    expect(versionAtLeast("1.8.3", [1, 8, 7])).toBe(false);
    expect(versionAtLeast("1.8.7", [1, 8, 7])).toBe(true);
    expect(versionAtLeast("1.9.10", [1, 8, 7])).toBe(true);
    expect(versionAtLeast("4.2.8", [1, 8, 7])).toBe(true);
    expect(versionAtLeast("garbage", [1, 8, 7])).toBe(false);
  });
});

describe("MonitorClient", () => {
  let server: http.Server | null = null;
  const paths: string[] = [];
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
    paths.length = 0;
  });

  async function serve(handler: http.RequestListener): Promise<URL> {
    const s = http.createServer((req, res) => {
      paths.push(req.url ?? "");
      handler(req, res);
    });
    server = s;
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    return new URL(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
  }

  it("refuses /api/v1/health below 1.8.7 or for an unknown version, without asking", async () => {
    const url = await serve((_q, res) => res.end("ok\n"));
    const c = new MonitorClient(url);
    await expect(c.health("1.8.3")).rejects.toBeInstanceOf(HealthRefusedError);
    await expect(c.health(null)).rejects.toBeInstanceOf(HealthRefusedError);
    expect(paths).toEqual([]);
    expect(await c.health("1.9.10")).toEqual({ kind: "ok", value: "ok" });
    c.close();
  });

  it("tells a refused connection from a timeout", async () => {
    const url = await serve(() => {
      /* never answers */
    });
    const c = new MonitorClient(url, { timeoutMs: 100 });
    expect(await c.uptime()).toMatchObject({ kind: "unreachable", code: "ETIMEDOUT", refused: false });
    c.close();
    await new Promise<void>((r) => server?.close(() => r()));
    server?.closeAllConnections();
    server = null;
    const d = new MonitorClient(url, { timeoutMs: 100 });
    expect(await d.uptime()).toMatchObject({ kind: "unreachable", refused: true });
    d.close();
  });

  it("keeps one connection alive across polls", async () => {
    const sockets = new Set<unknown>();
    const url = await serve((req, res) => {
      sockets.add(req.socket);
      res.end(JSON.stringify({ uptime_sec: 1, uptime_hr: "x" }));
    });
    const c = new MonitorClient(url);
    for (let i = 0; i < 5; i++) expect((await c.uptime()).kind).toBe("ok");
    expect(sockets.size).toBe(1);
    c.close();
  });
});
