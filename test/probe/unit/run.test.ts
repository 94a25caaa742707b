import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { probeMain } from "../../../src/probe/cli.js";
import { loadConfig, type ProbeConfig } from "../../../src/probe/config.js";
import { type RunOptions, runProbe } from "../../../src/probe/run.js";
import { type MiniRouter, type MiniRouterOptions, startMiniRouter } from "./mini-router.js";

const TUNING: RunOptions["tuning"] = { pollMs: 10, uptimeEveryMs: 40, afterFlushMs: 100, connectRetryMs: 20 };

const routers: MiniRouter[] = [];
const servers: (http.Server | net.Server)[] = [];
afterEach(async () => {
  for (const r of routers.splice(0)) await r.close();
  for (const s of servers.splice(0)) s.close();
});

async function router(opts: MiniRouterOptions = {}): Promise<MiniRouter> {
  const r = await startMiniRouter({ flushEveryMs: 80, snapshotEveryMs: 80, firstSnapshotMs: 120, ...opts });
  routers.push(r);
  return r;
}

function config(args: string[]): ProbeConfig {
  const r = loadConfig(["--containers", "app", "--settle", "400ms", "--deadline", "5s", ...args], {});
  if (r.kind !== "config") throw new Error("no config");
  return r.config;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function against(r: MiniRouter, extra: string[] = []): ProbeConfig {
  return config(["--forward", r.forwardAddress, "--monitor", r.monitorUrl, ...extra]);
}

describe("runProbe against a tiny router", () => {
  it("accepting output → flushed, exit 0, from the not-yet (404) zero baseline; never asks /api/v1/health", async () => {
    const r = await router({ firstSnapshotMs: 200 });
    const res = await runProbe(against(r), { tuning: TUNING });
    expect(res).toMatchObject({
      ok: true,
      exitCode: 0,
      level: "flushed",
      required: "flushed",
      baseline: "not-yet",
    });
    expect(res.routerVersion).toBe("1.8.3");
    expect(res.processed).toBe(3);
    expect(res.outputs).toEqual({
      "datadog.1": {
        procRecords: 3,
        errors: 0,
        retries: 0,
        retriesFailed: 0,
        droppedRecords: 0,
        retriedRecords: 0,
      },
    });
    expect(res.timings.totalMs).toBeGreaterThanOrEqual((res.timings.sentMs ?? 0) + 400);
    // The closing liveness ping goes to firelens-healthcheck (FireLens's null output), not the app's output.
    expect(r.frames.map((f) => f.tag)).toEqual(["app-firelens-preflight", "firelens-healthcheck"]);
    expect(res.warnings).toEqual([]);
    expect(r.requests.some((u) => u.includes("health"))).toBe(false);
  });

  it("takes a snapshot baseline when the router already published one", async () => {
    const r = await router({ firstSnapshotMs: 0 });
    await new Promise((ok) => setTimeout(ok, 30));
    const res = await runProbe(against(r), { tuning: TUNING });
    expect(res).toMatchObject({ exitCode: 0, baseline: "snapshot", level: "flushed" });
  });

  it.each([
    ["retry", /output datadog\.1: 1 retry, 3 records retried, 0 processed — the first flush failed/],
    ["error", /output datadog\.1: 1 error/],
    ["drop", /3 records dropped/],
  ] as const)("output %s → exit 1 at once, naming the output", async (mode, reason) => {
    const r = await router({ mode });
    const res = await runProbe(against(r), { tuning: TUNING });
    expect(res.exitCode).toBe(1);
    expect(res.reason).toMatch(reason);
    expect(res.level).toBe("accepted");
  });

  // The crash closes the forward socket and the monitoring server at once, so either watcher may see it first
  // (under load the monitor's poll sometimes wins): both are a crash, and both must say so.
  it("crash at the first flush → exit 1, seen through the forward connection or the monitor, whichever first", async () => {
    const r = await router({ onFirstFlush: (x) => x.crash() });
    const res = await runProbe(against(r), { tuning: TUNING });
    expect(res.exitCode).toBe(1);
    expect(res.reason).toMatch(
      /forward connection.*crashed or restarted|monitoring server stopped answering .*: the router crashed/,
    );
  });

  it("crash 300 ms after a flush the metrics already showed → exit 1", async () => {
    const r = await router({
      snapshotEveryMs: 20,
      firstSnapshotMs: 0,
      onFirstFlush: (x) => setTimeout(() => x.crash(), 300),
    });
    const res = await runProbe(
      config(["--forward", r.forwardAddress, "--monitor", r.monitorUrl, "--settle", "100ms"]),
      { tuning: { ...TUNING, afterFlushMs: 300 } },
    );
    expect(res.exitCode).toBe(1);
    expect(res.level).toBe("flushed");
  });

  it("a router whose engine hangs in the settle window (crash in progress) → exit 1 once it dies", async () => {
    const r = await router({ monitor: false });
    setTimeout(() => {
      r.hung = true;
    }, 200);
    setTimeout(() => r.crash(), 600);
    const res = await runProbe(config(["--forward", r.forwardAddress, "--monitor", "off"]), {
      tuning: TUNING,
    });
    expect(res.exitCode).toBe(1);
    expect(res.reason).toMatch(/forward connection/);
  });

  it("a router whose engine stopped but whose sockets stay open (a crash in progress) → exit 1, not a warning", async () => {
    const r = await router({ monitor: false });
    setTimeout(() => {
      r.hung = true;
    }, 200);
    const res = await runProbe(config(["--forward", r.forwardAddress, "--monitor", "off"]), {
      tuning: { ...TUNING, pingTimeoutMs: 200 },
    });
    expect(res.exitCode).toBe(1);
    expect(res.level).toBe("accepted");
    expect(res.reason).toMatch(
      /stopped acknowledging after the settle window: the liveness ping on tag firelens-healthcheck got no ack within 200 ms/,
    );
    expect(res.warnings).toEqual([]);
  });

  it("monitoring server off → accepted under auto, exit 0; --require flushed → exit 1", async () => {
    const r = await router({ monitor: false });
    const dead = `http://127.0.0.1:${await freePort()}`;
    const res = await runProbe(config(["--forward", r.forwardAddress, "--monitor", dead]), {
      tuning: TUNING,
    });
    expect(res).toMatchObject({
      exitCode: 0,
      level: "accepted",
      required: "accepted",
      monitor: "never-answered",
    });
    const strict = await runProbe(
      config(["--forward", r.forwardAddress, "--monitor", dead, "--require", "flushed"]),
      {
        tuning: TUNING,
      },
    );
    expect(strict.exitCode).toBe(1);
    expect(strict.reason).toMatch(/never answered.*flushed cannot be proven/);
  });

  it("--monitor off → accepted", async () => {
    const r = await router({ monitor: false });
    const res = await runProbe(config(["--forward", r.forwardAddress, "--monitor", "off"]), {
      tuning: TUNING,
    });
    expect(res).toMatchObject({ exitCode: 0, level: "accepted", monitor: "off" });
  });

  it("router never reachable → exit 3 before the deadline", async () => {
    const t = Date.now();
    const res = await runProbe(
      config(["--forward", `127.0.0.1:${await freePort()}`, "--deadline", "700ms", "--settle", "100ms"]),
      { tuning: TUNING },
    );
    expect(res.exitCode).toBe(3);
    expect(res.reason).toMatch(/never became reachable.*ECONNREFUSED/);
    expect(Date.now() - t).toBeLessThan(700);
  });

  it("monitoring server gone after it answered → crash, exit 1", async () => {
    const r = await router({ firstSnapshotMs: 10_000 });
    setTimeout(() => {
      // Only the HTTP side dies: the forward socket stays open, so this checks the monitor path alone.
      (r as unknown as { httpServer: http.Server }).httpServer.close();
      (r as unknown as { httpServer: http.Server }).httpServer.closeAllConnections();
    }, 150);
    const res = await runProbe(against(r), { tuning: TUNING });
    expect(res.exitCode).toBe(1);
    expect(res.reason).toMatch(/monitoring server stopped answering \(ECONNREFUSED\)/);
  });

  it("uptime going backwards → restart, exit 1", async () => {
    const r = await router({ firstSnapshotMs: 10_000 });
    r.uptimeOffset = 100;
    setTimeout(() => {
      r.uptimeOffset = 0;
    }, 150);
    const res = await runProbe(against(r), { tuning: TUNING });
    expect(res.exitCode).toBe(1);
    expect(res.reason).toMatch(/uptime went backwards/);
  });

  it("metrics 404 again after a snapshot → restart, exit 1", async () => {
    const r = await router({ firstSnapshotMs: 0, snapshotEveryMs: 10_000, flushEveryMs: 10_000 });
    setTimeout(() => r.forgetSnapshot(), 150);
    const res = await runProbe(against(r), { tuning: TUNING });
    expect(res.exitCode).toBe(1);
    expect(res.reason).toMatch(/restarted/);
  });

  it("a worker serving an older snapshot for a moment (counters back, 404 after data) is not a restart", async () => {
    const r = await router({ firstSnapshotMs: 0, processedBefore: 10 });
    const res = await runProbe(against(r), {
      tuning: { ...TUNING, pollMs: 10 },
      clock: (() => {
        let injected = false;
        return () => {
          // Once records are out, let the next answers come from a lagging worker.
          if (!injected && r.frames.length > 0) {
            injected = true;
            setTimeout(() => r.staleAnswers.push(r.zeroOutputs(), null, r.zeroOutputs()), 250);
          }
          return performance.now();
        };
      })(),
    });
    expect(res.exitCode).toBe(0);
    expect(res.level).toBe("flushed");
  });

  it("only a null output → exit 1: the records reach no destination", async () => {
    const r = await router({ outputs: ["null.0"] });
    const res = await runProbe(against(r), { tuning: TUNING });
    expect(res.exitCode).toBe(1);
    expect(res.reason).toMatch(/no output besides null\.0/);
  });

  it("never flushed → exit 1 at the deadline, saying how far it got", async () => {
    const r = await router({ flushEveryMs: 60_000 });
    const t = Date.now();
    const res = await runProbe(against(r, ["--deadline", "1s", "--settle", "200ms"]), { tuning: TUNING });
    expect(Date.now() - t).toBeLessThan(1000);
    expect(res.exitCode).toBe(1);
    expect(res.reason).toMatch(
      /deadline of 1 s reached at level accepted, flushed required: the outputs processed 0 of 3/,
    );
  });

  it("no acks and no monitor → exit 1 at the deadline", async () => {
    const r = await router({ ack: false, monitor: false });
    const res = await runProbe(
      config(["--forward", r.forwardAddress, "--monitor", "off", "--deadline", "800ms", "--settle", "200ms"]),
      {
        tuning: TUNING,
      },
    );
    expect(res.exitCode).toBe(1);
    expect(res.reason).toMatch(/acknowledged 0 of 1 chunks/);
  });

  it("interrupted → exit 1, interrupted", async () => {
    const r = await router({ flushEveryMs: 60_000 });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort("SIGTERM"), 200);
    const res = await runProbe(against(r), { tuning: TUNING, signal: ctl.signal });
    expect(res).toMatchObject({ exitCode: 1, interrupted: true });
    expect(res.reason).toMatch(/interrupted \(SIGTERM\)/);
  });

  it("waits for the agent's readiness URL before sending", async () => {
    const r = await router();
    let calls = 0;
    const agent = http.createServer((_q, res) => {
      calls++;
      res.statusCode = calls < 3 ? 503 : 200;
      res.end();
    });
    servers.push(agent);
    await new Promise<void>((ok) => agent.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(agent.address() as net.AddressInfo).port}/ready`;
    const res = await runProbe(against(r, ["--agent-ready-url", url]), {
      tuning: { ...TUNING, agentPollMs: 20 },
    });
    expect(res.exitCode).toBe(0);
    expect(calls).toBe(3);
  });

  it("a forward connection dropped while waiting for the agent is reopened; a dead router is not", async () => {
    const r = await router();
    let calls = 0;
    const agent = http.createServer((_q, res) => {
      calls++;
      res.statusCode = calls < 6 ? 503 : 200;
      res.end();
    });
    servers.push(agent);
    await new Promise<void>((ok) => agent.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(agent.address() as net.AddressInfo).port}/ready`;
    setTimeout(() => r.dropForwardConnections(), 40);
    const res = await runProbe(against(r, ["--agent-ready-url", url]), {
      tuning: { ...TUNING, agentPollMs: 20 },
    });
    expect(res.exitCode).toBe(0);

    const dead = await router();
    calls = 0;
    setTimeout(() => dead.crash(), 40);
    const res2 = await runProbe(against(dead, ["--agent-ready-url", url]), {
      tuning: { ...TUNING, agentPollMs: 20 },
    });
    expect(res2.exitCode).toBe(1);
    expect(res2.reason).toMatch(/crashed or restarted/);
  });

  it("falls back to /api/v2/metrics text when /api/v1/metrics never publishes", async () => {
    const r = await router({ monitor: false });
    const seen: string[] = [];
    const mon = http.createServer((req, res) => {
      seen.push(req.url ?? "");
      if (req.url === "/")
        res.end(JSON.stringify({ "fluent-bit": { version: "4.2.8", edition: "Community" } }));
      else if (req.url === "/api/v1/uptime") res.end(JSON.stringify({ uptime_sec: 10, uptime_hr: "x" }));
      else if (req.url === "/api/v2/metrics") res.end(r.v2Text(10));
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    servers.push(mon);
    await new Promise<void>((ok) => mon.listen(0, "127.0.0.1", ok));
    const monitor = `http://127.0.0.1:${(mon.address() as net.AddressInfo).port}`;
    const res = await runProbe(config(["--forward", r.forwardAddress, "--monitor", monitor]), {
      tuning: TUNING,
    });
    expect(res).toMatchObject({ exitCode: 0, level: "flushed", metricsSource: "v2", routerVersion: "4.2.8" });
    expect(seen).toContain("/api/v2/metrics");
    expect(seen.some((u) => u.includes("health"))).toBe(false);
  });

  it("sends every tag: containers (repeated flags add up) and raw tags", async () => {
    const r = await router();
    const res = await runProbe(
      config([
        "--forward",
        r.forwardAddress,
        "--monitor",
        r.monitorUrl,
        "--containers",
        "web",
        "--tags",
        "raw.one",
        "--records",
        "2",
      ]),
      { tuning: TUNING },
    );
    expect(res.exitCode).toBe(0);
    expect(r.frames.map((f) => f.tag).sort()).toEqual([
      "app-firelens-preflight",
      "firelens-healthcheck",
      "raw.one",
      "web-firelens-preflight",
    ]);
    expect(res.sent).toBe(6);
  });
});

/** The version the probe must report: the package's (under tsx it reads package.json; the bundle has it defined). */
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, "../../../package.json"), "utf8")) as { version: string }
).version;

describe("probeMain", () => {
  function streams() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      s: { stdout: { write: (c: string) => out.push(c) }, stderr: { write: (c: string) => err.push(c) } },
    };
  }

  it("--version prints the probe's version and exits 0, before any configuration is read", async () => {
    const { out, err, s } = streams();
    // A bad setting in the environment does not matter: --version reads none.
    const code = await probeMain(["--version"], { FIRELENS_PREFLIGHT_DEADLINE: "soon" }, s);
    expect(code).toBe(0);
    expect(out).toEqual([`${PACKAGE_VERSION}\n`]);
    expect(err).toEqual([]);
  });

  it("prints one JSON line and one readable line", async () => {
    const r = await router();
    const { out, err, s } = streams();
    const code = await probeMain(
      ["--forward", r.forwardAddress, "--monitor", r.monitorUrl, "--settle", "300ms"],
      { FIRELENS_PREFLIGHT_CONTAINERS: "app" },
      s,
      {
        tuning: TUNING,
      },
    );
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const json = JSON.parse(out[0] ?? "") as Record<string, unknown>;
    // `version` is the probe's own (the package's), the router's Fluent Bit is `routerVersion`.
    expect(json).toMatchObject({
      ok: true,
      exitCode: 0,
      level: "flushed",
      version: PACKAGE_VERSION,
      routerVersion: "1.8.3",
    });
    expect(err[0]).toContain("Fluent Bit 1.8.3");
    expect(typeof json.runId).toBe("string");
    expect(err[0]).toMatch(/^firelens-preflight: OK, flushed in \d+\.\d\d s/);
  });

  it("bad configuration → exit 2 with the variable's name, nothing secret echoed", async () => {
    const { out, err, s } = streams();
    const key = "abcdefabcdefabcdefabcdefabcdefab";
    const code = await probeMain(
      [],
      { FIRELENS_PREFLIGHT_CONTAINERS: "app", FIRELENS_PREFLIGHT_DEADLINE: key },
      s,
    );
    expect(code).toBe(2);
    expect(JSON.parse(out[0] ?? "")).toMatchObject({ ok: false, exitCode: 2, version: PACKAGE_VERSION });
    expect(out.join("")).toContain("FIRELENS_PREFLIGHT_DEADLINE");
    expect(out.join("") + err.join("")).not.toContain(key);
  });
});
