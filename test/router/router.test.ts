/**
 * What the recordings do not exercise but the probe's tests rely on: every forward mode, the unix socket, crashes
 * as process deaths, restarts, and the injected output faults. Short flush intervals keep it fast.
 */

import { mkdtempSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { decode, ExtData, encode } from "@msgpack/msgpack";
import { describe, expect, test } from "vitest";
import { startFakeIntake, startTestRouter, type TestRouter } from "../support/router/index.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function send(
  target: number | string,
  payload: Uint8Array,
  holdMs = 150,
): Promise<{ replies: unknown[]; error?: string }> {
  return new Promise((resolve) => {
    const s = typeof target === "number" ? net.connect(target, "127.0.0.1") : net.connect(target);
    const replies: unknown[] = [];
    let error: string | undefined;
    s.on("data", (d: Buffer) => replies.push(decode(d)));
    s.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code;
    });
    s.on("connect", () => {
      s.write(payload);
      setTimeout(() => s.end(), holdMs);
    });
    s.on("close", () => resolve(error === undefined ? { replies } : { replies, error }));
  });
}

function status(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "ERR"));
  });
}

function metricsBody(r: TestRouter): Promise<string> {
  return new Promise((resolve) => {
    http
      .get(`${r.monitorUrl}/api/v1/metrics`, { agent: false }, (res) => {
        let b = "";
        res.on("data", (d: Buffer) => {
          b += d.toString();
        });
        res.on("end", () => resolve(b));
      })
      .on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "ERR"));
  });
}

const now = () => Math.floor(Date.now() / 1000);
const rec = { log: "x", source: "stdout", container_name: "app" };

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(10);
}

describe.concurrent("test router", () => {
  test("decodes Message, Forward, PackedForward and CompressedPackedForward; acks only the chunk option", async () => {
    const r = await startTestRouter({ version: "4.2.8", flushMs: 60_000 });
    const t = new ExtData(0, new Uint8Array([0x69, 0x00, 0x00, 0x00, 0, 0, 0, 1]));
    const packed = new Uint8Array([...encode([now(), rec]), ...encode([t, rec])]);
    const results = await Promise.all([
      send(r.forwardPort, encode(["app-firelens-a", now(), rec])),
      send(r.forwardPort, encode(["app-firelens-a", now(), rec, { chunk: "m1" }])),
      send(
        r.forwardPort,
        encode([
          "app-firelens-a",
          [
            [now(), rec],
            [now(), rec],
          ],
          { chunk: "f1" },
        ]),
      ),
      send(r.forwardPort, encode(["app-firelens-a", packed, { chunk: "p1" }])),
      send(r.forwardPort, encode(["app-firelens-a", gzipSync(packed), { chunk: "c1", compressed: "gzip" }])),
    ]);
    expect(results.map((x) => x.replies)).toEqual([
      [],
      [{ ack: "m1" }],
      [{ ack: "f1" }],
      [{ ack: "p1" }],
      [{ ack: "c1" }],
    ]);
    expect(r.metrics().input["forward.1"]?.records).toBe(1 + 1 + 2 + 2 + 2);
    await r.stop();
  });

  test("forward.0 on a unix socket", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "router-sock-")), "fluent.sock");
    const r = await startTestRouter({ version: "1.9.10", unixPath: path, flushMs: 60_000 });
    const res = await send(path, encode(["app-firelens-a", [[now(), rec]], { chunk: "u" }]));
    expect(res.replies).toEqual([{ ack: "u" }]);
    expect(r.metrics().input["forward.0"]?.records).toBe(1);
    await r.stop();
  });

  test("a crash is a process death: open connections cut, listeners gone, exited with the signal", async () => {
    const r = await startTestRouter({ version: "1.8.3" });
    const open = send(r.forwardPort, encode(["app-firelens-a", [[now(), rec]]]), 5000);
    await sleep(50);
    r.crash("SIGABRT");
    const cut = await open;
    expect(cut.replies).toEqual([]);
    expect(await r.exited).toMatchObject({ signal: "SIGABRT", code: null });
    expect(r.alive).toBe(false);
    expect((await send(r.forwardPort, encode(["t", now(), rec]))).error).toBe("ECONNREFUSED");
    expect(await status(`${r.monitorUrl}/api/v1/uptime`)).toBe("ECONNREFUSED");
  });

  test("1.8.3 with Health_Check On dies on /api/v1/health before its first metrics push; 4.2.8 answers", async () => {
    const old = await startTestRouter({ version: "1.8.3", healthCheck: true });
    const fresh = await startTestRouter({ version: "4.2.8", healthCheck: true });
    expect(await status(`${old.monitorUrl}/api/v1/health`)).toBe("ECONNRESET");
    expect((await old.exited).signal).toBe("SIGSEGV");
    expect(await status(`${fresh.monitorUrl}/api/v1/health`)).toBe(200);
    await fresh.stop();
  });

  // The first snapshot is awaited by asking, and the restart is triggered by the test, not by a timer racing the
  // test's own requests: with `restartAtMs` a request sent "just before" the restart could land during it on a
  // loaded machine and be cut (ECONNRESET), which is the router doing its job, not a failure.
  test("restart: connections cut, metrics back to 404, uptime from zero, same ports", async () => {
    const r = await startTestRouter({ version: "4.2.8" });
    const deadline = Date.now() + 5000;
    while ((await status(`${r.monitorUrl}/api/v1/metrics`)) !== 200 && Date.now() < deadline) await sleep(20);
    expect(await status(`${r.monitorUrl}/api/v1/metrics`)).toBe(200);
    const ports = [r.forwardPort, r.monitorPort];
    const first = r.startedAt;
    // A connection the router has provably served (it acked on it) before the restart.
    const open = net.connect(r.forwardPort, "127.0.0.1");
    open.on("error", () => {});
    const closed = new Promise<void>((resolve) => open.on("close", () => resolve()));
    await new Promise<void>((resolve) => {
      open.once("data", () => resolve());
      open.write(encode(["app-firelens-a", [[now(), rec]], { chunk: "before" }]));
    });
    await r.restart();
    await closed;
    expect(r.startedAt).toBeGreaterThan(first);
    expect([r.forwardPort, r.monitorPort]).toEqual(ports);
    expect(r.alive).toBe(true);
    const metrics = await status(`${r.monitorUrl}/api/v1/metrics`);
    // A new process has no snapshot for its first second; only a machine too loaded to ask within it can miss that.
    if (Date.now() - r.startedAt < 1000) expect(metrics).toBe(404);
    const uptime = await new Promise<number>((resolve) => {
      http.get(`${r.monitorUrl}/api/v1/uptime`, { agent: false }, (res) => {
        let b = "";
        res.on("data", (d: Buffer) => {
          b += d.toString();
        });
        res.on("end", () => resolve((JSON.parse(b) as { uptime_sec: number }).uptime_sec));
      });
    });
    expect(uptime).toBeLessThanOrEqual(Math.ceil((Date.now() - r.startedAt) / 1000));
    await r.stop();
  });

  test("restartAtMs restarts on its own timer, on the same ports", async () => {
    const r = await startTestRouter({ version: "1.9.10", faults: { restartAtMs: 300 } });
    const first = r.startedAt;
    const port = r.forwardPort;
    const cut = await send(r.forwardPort, encode(["app-firelens-a", [[now(), rec]]]), 5000);
    expect(cut.replies).toEqual([]);
    expect(Date.now() - first).toBeGreaterThanOrEqual(300);
    await until(() => r.startedAt !== first && r.alive, 3000);
    expect(r.startedAt).toBeGreaterThan(first);
    expect(r.forwardPort).toBe(port);
    await r.stop();
  });

  test("an engine crash (README item 14): no acks, sockets open, last snapshot served, the end 1–3 s later", async () => {
    const r = await startTestRouter({ version: "1.8.3" });
    const deadline = Date.now() + 5000;
    while ((await status(`${r.monitorUrl}/api/v1/metrics`)) !== 200 && Date.now() < deadline) await sleep(20);
    const before = await metricsBody(r);
    r.crash("SIGSEGV", { style: "engine", dyingMs: 1500 });
    const stoppedAt = Date.now();
    const res = await send(
      r.forwardPort,
      encode(["firelens-healthcheck", [[now(), rec]], { chunk: "p" }]),
      300,
    );
    expect(res).toEqual({ replies: [] });
    expect(r.alive).toBe(true);
    expect(await metricsBody(r)).toBe(before);
    expect(await status(`${r.monitorUrl}/api/v1/uptime`)).toBe(200);
    const exit = await r.exited;
    expect(exit.signal).toBe("SIGSEGV");
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(1400);
    expect((await send(r.forwardPort, encode(["t", now(), rec]))).error).toBe("ECONNREFUSED");
  });

  test("output faults move the counters a probe judges", async () => {
    const intake = await startFakeIntake({ mode: "accept" });
    const make = (faults: object): Promise<TestRouter> =>
      startTestRouter({ version: "1.9.10", flushMs: 100, intakeUrl: intake.url, apiKey: "k", faults });
    const [errors, failed, drops] = await Promise.all([
      make({ outputErrors: true }),
      make({ retriesFailed: true }),
      make({ drops: true }),
    ]);
    await Promise.all(
      [errors, failed, drops].map((r) => send(r.forwardPort, encode(["app-firelens-a", [[now(), rec]]]), 10)),
    );
    await until(() =>
      [errors, failed, drops].every((r) => (r.metrics().output["datadog.1"]?.dropped_records ?? 0) > 0),
    );
    expect(errors.metrics().output["datadog.1"]).toMatchObject({
      errors: 1,
      dropped_records: 1,
      proc_records: 0,
    });
    expect(failed.metrics().output["datadog.1"]).toMatchObject({ retries_failed: 1, retries: 0, errors: 0 });
    expect(drops.metrics().output["datadog.1"]).toMatchObject({ dropped_records: 1, errors: 0, retries: 0 });
    expect(intake.requests).toEqual([]);
    await Promise.all([errors, failed, drops].map((r) => r.stop()));
    await intake.close();
  });

  test("request forms: 1.8.3 puts the key in the path, 1.9.10 and 4.2.8 in DD-API-KEY", async () => {
    const intake = await startFakeIntake({ mode: "accept" });
    const routers = await Promise.all(
      (["1.8.3", "1.9.10", "4.2.8"] as const).map((version) =>
        startTestRouter({ version, flushMs: 100, intakeUrl: intake.url, apiKey: `key-${version}` }),
      ),
    );
    await Promise.all(
      routers.map((r) => send(r.forwardPort, encode(["app-firelens-a", [[now(), rec]]]), 10)),
    );
    await until(() => intake.requests.length >= 3);
    const forms = intake.requests.map((q) => `${q.method} ${q.url} ${q.headers["dd-api-key"] ?? "-"}`).sort();
    expect(forms).toEqual([
      "POST /api/v2/logs key-1.9.10",
      "POST /api/v2/logs key-4.2.8",
      "POST /v1/input/key-1.8.3 -",
    ]);
    await Promise.all(routers.map((r) => r.stop()));
    await intake.close();
  });

  test.each(["1.8.3", "1.9.10", "4.2.8"] as const)(
    "%s: a first flush shows in /api/v1/metrics 1–2 s after the send (README item 13)",
    async (version) => {
      const intake = await startFakeIntake({ mode: "accept" });
      // Sends early and late in a flush interval: the next tick, then the next one-second snapshot.
      const delays = await Promise.all(
        [100, 850].map(async (sendAt) => {
          const r = await startTestRouter({ version, intakeUrl: intake.url, apiKey: "k" });
          await sleep(sendAt);
          const sent = Date.now();
          await send(r.forwardPort, encode(["app-firelens-a", [[now(), rec]]]), 10);
          let seen = 0;
          while (seen === 0 && Date.now() - sent < 3000) {
            const body = await new Promise<string>((resolve) => {
              http
                .get(`${r.monitorUrl}/api/v1/metrics`, { agent: false }, (res) => {
                  let b = "";
                  res.on("data", (d: Buffer) => {
                    b += d.toString();
                  });
                  res.on("end", () => resolve(b));
                })
                .on("error", () => resolve(""));
            });
            if (body.includes('"proc_records":1')) seen = Date.now();
            else await sleep(20);
          }
          await r.stop();
          return seen - sent;
        }),
      );
      await intake.close();
      for (const d of delays) {
        expect(d).toBeGreaterThanOrEqual(1000 - 50);
        expect(d).toBeLessThanOrEqual(2000 + 150);
      }
      // Sent 100 ms after start: tick at 1 s, published at the 2 s snapshot.
      expect(delays[0]).toBeGreaterThan(1600);
    },
  );

  test("a delayed router refuses until it starts; one that never starts refuses throughout", async () => {
    const late = await startTestRouter({ version: "4.2.8", startDelayMs: 300 });
    const never = await startTestRouter({ version: "4.2.8", neverStarts: true });
    expect((await send(late.forwardPort, encode(["t", now(), rec]), 10)).error).toBe("ECONNREFUSED");
    await late.listening;
    expect((await send(late.forwardPort, encode(["t", now(), rec]), 10)).error).toBeUndefined();
    expect((await send(never.forwardPort, encode(["t", now(), rec]), 10)).error).toBe("ECONNREFUSED");
    await Promise.all([late.stop(), never.stop()]);
  });
});
