import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// The worker threads run the built worker (dist/simulate/worker.js, made once by `npm run build`), not worker.ts
// compiled again through tsx in every thread.
import { simulateAsync as simulateAsyncBuilt } from "../../dist/simulate/index.js";
import { loadScenario, simulate, simulateAsync } from "../../src/simulate/index.js";
import { gated, given } from "./fixtures.js";

const scenario = loadScenario(
  readFileSync("examples/seed/scenario.yaml", "utf8"),
  "examples/seed/scenario.yaml",
);
const strip = (r: Awaited<ReturnType<typeof simulateAsync>>) =>
  r.variants.map(({ trace, ...rest }) => ({ ...rest, trace: trace?.result }));

describe("simulateAsync", () => {
  it("gives the same figures as simulate, in chunks, with progress", async () => {
    const seen: number[] = [];
    const a = await simulateAsync([given], scenario, {
      runs: 5000,
      seed: 11,
      onProgress: (d) => seen.push(d),
    });
    const b = simulate(given, scenario, { runs: 5000, seed: 11 });
    expect(strip(a)).toEqual(strip(b));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(5000);
  });

  it("stops cleanly on abort with the runs done so far", async () => {
    const ac = new AbortController();
    const r = await simulateAsync([given, gated], scenario, {
      runs: 1_000_000,
      seed: 1,
      signal: ac.signal,
      onProgress: () => ac.abort(),
    });
    expect(r.interrupted).toBe(true);
    expect(r.completedRuns).toBeGreaterThan(0);
    expect(r.completedRuns).toBeLessThan(1_000_000);
    expect(r.variants[0]?.runs).toBe(r.completedRuns);
  });

  it("worker threads give the same figures as one thread (run i draws from seed (seed, i) anywhere)", async () => {
    const w = await simulateAsyncBuilt([given, gated], scenario, { runs: 6000, seed: 5, workers: 2 });
    const s = await simulateAsync([given, gated], scenario, { runs: 6000, seed: 5 });
    expect(w.workers).toBe(2);
    expect(strip(w)).toEqual(strip(s));
  }, 60_000);
});
