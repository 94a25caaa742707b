/**
 * Simulated deploys per second on the seed scenario (examples/seed: the seed's task definition as given,
 * and gated by `fix`), on one core and over worker threads. Goals from issue 8: >= 10,000 deploys/s on one
 * core; 100,000 runs in < 10 s.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fixText } from "../src/fix/index.js";
import { loadScenario, simulate, simulateAsync } from "../src/simulate/index.js";
import { parseDocument } from "../src/taskdef/index.js";
import type { BenchFigure, BenchSection } from "./run.js";

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

export async function run(): Promise<BenchSection> {
  const scenario = loadScenario(
    readFileSync("examples/seed/scenario.yaml", "utf8"),
    "examples/seed/scenario.yaml",
  );
  const before = readFileSync("examples/seed/before.json", "utf8");
  const given = parseDocument(before, "before.json").taskDefinitions[0];
  const fixed = fixText(before, "before.json", { probeImage: "firelens-preflight:bench" });
  const gated = parseDocument(fixed.text, "after.json").taskDefinitions[0];
  if (given === undefined || gated === undefined) throw new Error("seed task definition did not load");

  // Warm-up, so the JIT has compiled the hot loop before anything is timed.
  simulate(given, scenario, { runs: 5000, seed: 99, trace: false });
  simulate(gated, scenario, { runs: 5000, seed: 99, trace: false });

  const figures: BenchFigure[] = [];
  const runs = 100_000;
  for (const [label, view] of [
    ["given", given],
    ["gated", gated],
  ] as const) {
    const t0 = performance.now();
    simulate(view, scenario, { runs, seed: 1, trace: false });
    const s = (performance.now() - t0) / 1000;
    figures.push({
      name: `deploys per second, one core (seed, ${label})`,
      value: `${fmt(runs / s)} deploys/s`,
      goal: "≥ 10,000 deploys/s",
      met: runs / s >= 10_000,
      how: `${fmt(runs)} simulated deploys of the seed scenario in one thread, after a 5,000-run warm-up.`,
    });
    figures.push({
      name: `100,000 runs, one core (seed, ${label})`,
      value: `${s.toFixed(2)} s`,
      goal: "< 10 s",
      met: s < 10,
      how: "Same run, wall time.",
    });
  }

  const workers = Math.max(2, Math.min(8, availableParallelism()));
  const t1 = performance.now();
  await simulateAsync([given, gated], scenario, { runs, seed: 1, workers, trace: false });
  const w = (performance.now() - t1) / 1000;
  figures.push({
    name: `100,000 runs × 2 variants (--compare), ${workers} worker threads`,
    value: `${w.toFixed(2)} s (${fmt((2 * runs) / w)} deploys/s)`,
    how: `simulateAsync with ${workers} workers, worker start-up included; compare with the two one-core figures above added up.`,
  });
  return { title: "simulate", figures };
}
