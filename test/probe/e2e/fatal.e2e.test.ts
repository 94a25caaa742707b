/**
 * The one-JSON-line promise on the paths that are not verdicts (issue 13): a hostile forward peer, memory growth,
 * uncaught exceptions and rejections, and bad settings that could be secrets. The real dist/probe.mjs runs as a
 * child process each time; nothing of the probe is mocked.
 */
import net from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, inject, test } from "vitest";
import { PROBE_MEMORY_GUARD_MIB, PROBE_SETTINGS } from "../../../src/probe/contract.js";
import { unusedPort } from "../../support/router/index.js";
import { type ProbeRun, runProbeBundle } from "./harness.js";

const bundle = inject("probeBundle");
const preload = (name: string) => join(dirname(fileURLToPath(import.meta.url)), "preload", name);

/** Exactly one line on stdout, and it is the JSON result. */
function oneJsonLine(r: ProbeRun): Record<string, unknown> {
  const lines = r.stdout.split("\n").filter((l) => l !== "");
  expect(lines, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toHaveLength(1);
  return JSON.parse(lines[0] ?? "") as Record<string, unknown>;
}

const servers: net.Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

/** A "router" that answers the first byte with `0xdd ffffffff` (an array of 2^32 items) and then nils, forever. */
async function hostilePeer(): Promise<{ address: string; bytesSent: () => number }> {
  let sent = 0;
  const nils = Buffer.alloc(64 * 1024, 0xc0);
  const srv = net.createServer((s) => {
    s.on("error", () => {});
    s.write(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]));
    // Endless while the probe reads, bounded by the connection: it stops when the probe hangs up.
    const pump = () => {
      while (!s.destroyed && s.write(nils)) sent += nils.length;
    };
    s.on("drain", pump);
    pump();
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return { address: `127.0.0.1:${(srv.address() as net.AddressInfo).port}`, bytesSent: () => sent };
}

describe("the probe bundle keeps its one-JSON-line promise", () => {
  test("a hostile forward peer (0xdd ff ff ff ff, then endless 0xc0) → exit 1 with the reason, bounded memory", async () => {
    const peer = await hostilePeer();
    const r = await runProbeBundle(bundle, {
      env: {
        [PROBE_SETTINGS.forward.env]: peer.address,
        [PROBE_SETTINGS.containers.env]: "app",
        [PROBE_SETTINGS.monitor.env]: `http://127.0.0.1:${await unusedPort()}`,
        [PROBE_SETTINGS.deadline.env]: "20s",
      },
      measureRss: true,
    });
    expect(r.code, r.stderr).toBe(1);
    const json = oneJsonLine(r);
    expect(json).toMatchObject({ ok: false, exitCode: 1 });
    expect(json.reason).toMatch(/never complete a reply.*not a Fluent Bit forward input/);
    // Within the deadline by far: the probe hangs up after a few KB instead of waiting for 2^32 items.
    expect(r.wallMs).toBeLessThan(10_000);
    expect(r.maxRssKb, "peak RSS measured by /usr/bin/time").toBeDefined();
    expect((r.maxRssKb ?? Number.POSITIVE_INFINITY) / 1024).toBeLessThanOrEqual(100);
  });

  test("memory growth ends in the memory guard's JSON line and exit 1, not V8's abort", async () => {
    const r = await runProbeBundle(bundle, {
      nodeArgs: ["--import", preload("leak.mjs")],
      env: {
        [PROBE_SETTINGS.forward.env]: `127.0.0.1:${await unusedPort()}`,
        [PROBE_SETTINGS.containers.env]: "app",
        [PROBE_SETTINGS.monitor.env]: "off",
        [PROBE_SETTINGS.deadline.env]: "15s",
      },
    });
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(1);
    const json = oneJsonLine(r);
    expect(json.reason).toMatch(
      new RegExp(`^memory guard: .* over its limit of ${PROBE_MEMORY_GUARD_MIB} MiB$`),
    );
  });

  test.each([
    ["throw.mjs", "internal error: thrown by the test preload"],
    ["reject.mjs", "internal error: rejected by the test preload"],
  ])("an uncaught failure (%s) ends in one JSON line and exit 1", async (file, reason) => {
    const r = await runProbeBundle(bundle, {
      nodeArgs: ["--import", preload(file)],
      env: {
        [PROBE_SETTINGS.forward.env]: `127.0.0.1:${await unusedPort()}`,
        [PROBE_SETTINGS.containers.env]: "app",
        [PROBE_SETTINGS.monitor.env]: "off",
        [PROBE_SETTINGS.deadline.env]: "10s",
      },
    });
    expect(r.code, r.stderr).toBe(1);
    expect(oneJsonLine(r)).toMatchObject({ ok: false, exitCode: 1, reason });
  });
});

describe("signals end the run with its line", () => {
  test.each(["SIGINT", "SIGHUP"] as const)("%s → exit 1, one JSON line saying interrupted", async (sig) => {
    const peer = net.createServer((s) => s.on("error", () => {}));
    servers.push(peer);
    await new Promise<void>((r) => peer.listen(0, "127.0.0.1", r));
    const port = (peer.address() as net.AddressInfo).port;
    const run = runProbeBundle(bundle, {
      env: {
        // A router that takes the records and never acks: the run waits until the signal.
        [PROBE_SETTINGS.forward.env]: `127.0.0.1:${port}`,
        [PROBE_SETTINGS.containers.env]: "app",
        [PROBE_SETTINGS.monitor.env]: "off",
        [PROBE_SETTINGS.deadline.env]: "30s",
      },
      onSpawn: (child) => {
        // Once the probe is connected, its own code (and its handlers) run.
        peer.once("connection", () => setTimeout(() => child.kill(sig), 100));
      },
    });
    const r = await run;
    expect(r.code, r.stderr).toBe(1);
    expect(oneJsonLine(r)).toMatchObject({
      interrupted: true,
      exitCode: 1,
      reason: expect.stringContaining(sig),
    });
    expect(r.wallMs).toBeLessThan(10_000);
  });
});

describe("a rejected setting is named, never echoed", () => {
  const secret = "Bearer 0123456789abcdef0123456789abcdef";
  const everyVariable = Object.values(PROBE_SETTINGS)
    .map((s) => s.env)
    // A raw tag or a run id may be any printable word: a secret there is a valid value, used, not rejected.
    .filter((env) => env !== PROBE_SETTINGS.tags.env && env !== PROBE_SETTINGS.runId.env);

  test.each(everyVariable)("%s holding a key → exit 2 naming the variable, the key nowhere", async (env) => {
    const r = await runProbeBundle(bundle, {
      env: { [PROBE_SETTINGS.containers.env]: "app", [env]: secret },
    });
    expect(r.code, r.stderr).toBe(2);
    const json = oneJsonLine(r);
    expect(json.reason).toContain(env);
    expect(json.config).toMatchObject({ source: env });
    const printed = `${r.stdout}${r.stderr}`;
    for (const part of ["Bearer", "0123456789abcdef"]) expect(printed).not.toContain(part);
  });

  test.each([
    [["--deadline", secret]],
    [["--monitor", `http://user:${secret.slice(7)}@127.0.0.1:2020`]],
    [[secret]],
    [[`--${secret.slice(7)}=x`]],
  ])("on the command line too: %j", async (args) => {
    const r = await runProbeBundle(bundle, { args, env: { [PROBE_SETTINGS.containers.env]: "app" } });
    expect(r.code, r.stderr).toBe(2);
    oneJsonLine(r);
    expect(`${r.stdout}${r.stderr}`).not.toContain("0123456789abcdef");
  });
});
