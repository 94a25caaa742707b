/**
 * Issue 13: `simulate` stops within a second of Ctrl-C, with worker threads too (it used to finish the
 * jobs in flight: about 34 s for `-n 10000000 --workers 2`). Run as a user would: the built CLI in a child
 * process, SIGINT once it is busy, the time to its exit measured.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { simulateAsync } from "../../src/simulate/index.js";
import { gated, given } from "./fixtures.js";
import { fixedScenario } from "./helpers.js";

const BIN = resolve("dist/cli/main.js");

function untilExit(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((done) => child.on("exit", (code) => done(code)));
}

describe("Ctrl-C", () => {
  it("simulate -n 10000000 --workers 2: exits within 1 s of SIGINT with what was simulated so far", async () => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        "simulate",
        "examples/seed/before.json",
        "-s",
        "examples/seed/scenario.yaml",
        "-n",
        "10000000",
        "--workers",
        "2",
      ],
      { env: { ...process.env, NO_COLOR: "1" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    const busy = new Promise<void>((done) => {
      // The first progress line means the workers have finished jobs and are working on more.
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes("simulated ")) done();
      });
      setTimeout(done, 15_000);
    });
    const exited = untilExit(child);
    await busy;
    expect(stderr).toContain("simulated ");
    const t0 = performance.now();
    child.kill("SIGINT");
    const code = await exited;
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /Simulated [\d,]+ deploys of scenario "seed" \(seed 1\) in [\d.]+ s on 2 workers\./,
    );
    expect(stdout).toMatch(/Interrupted: [\d,]+ of 10,000,000 runs done; figures cover those\./);
    expect(stderr).toMatch(/interrupted: results below cover \d+ of 10000000 runs/);
  }, 30_000);

  it("the library: aborting a worker run resolves at once, with the contiguous prefix of finished runs", async () => {
    const ac = new AbortController();
    let abortedAt = 0;
    const run = simulateAsync([given, gated], fixedScenario({ traffic: { requestsPerSecond: 50 } }), {
      runs: 5_000_000,
      seed: 3,
      workers: 2,
      // `done` counts runs of both variants. After eight jobs of 2,048 runs the first one is done too,
      // unless one worker was starved for all that time.
      onProgress: (done) => {
        if (done >= 2 * 8 * 2048 && abortedAt === 0) {
          abortedAt = performance.now();
          ac.abort();
        }
      },
      signal: ac.signal,
    });
    const r = await run;
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(r.interrupted).toBe(true);
    expect(r.workers).toBe(2);
    expect(r.completedRuns).toBeGreaterThan(0);
    expect(r.completedRuns).toBeLessThan(5_000_000);
    for (const v of r.variants) expect(v.runs).toBe(r.completedRuns);
  }, 30_000);
});
