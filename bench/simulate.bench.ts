/**
 * Simulated deploys per second on the seed scenario (examples/seed: the seed's task definition as given,
 * and gated by `fix`), on one core and over worker threads. Goals from issue 8: >= 10,000 deploys/s on one
 * core; 100,000 runs in < 10 s.
 *
 * Also the figures README quotes (issue 17): the seed comparison's headline and the numbers behind it, and
 * the screenshot docs/simulate-seed.png, all from one seeded run (test/simulate/seed-report.ts), so they
 * agree with each other on any machine.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fixText } from "../src/fix/index.js";
import { headline, loadScenario, simulate, simulateAsync } from "../src/simulate/index.js";
import { parseDocument } from "../src/taskdef/index.js";
import {
  SCREENSHOT,
  SEED,
  SEED_RUNS,
  screenshotReport,
  seedComparison,
} from "../test/simulate/seed-report.js";
import { CHROMIUM, chromiumAvailable } from "../test/support/chromium.js";
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
  figures.push(...(await headlineFigures()));
  return { title: "simulate", figures };
}

/** The seed comparison README quotes, and its screenshot, from one run. */
async function headlineFigures(): Promise<BenchFigure[]> {
  const result = seedComparison();
  const [given, gated] = result.variants;
  if (given === undefined || gated === undefined) throw new Error("the seed comparison has two variants");
  const how = `examples/seed/before.json as given and gated by fix, examples/seed/scenario.yaml, ${fmt(SEED_RUNS)} deploys per variant, seed ${SEED}.`;
  const q = (v: typeof given) =>
    `p50 ${fmt(v.failedRequests.p50)}, p95 ${fmt(v.failedRequests.p95)}, p99 ${fmt(v.failedRequests.p99)}, max ${fmt(v.failedRequests.max)}`;
  const d = (v: typeof given) => `p50 ${fmt(v.deployDuration.p50)} s, p95 ${fmt(v.deployDuration.p95)} s`;
  const figures: BenchFigure[] = [
    { name: "seed comparison: headline", value: headline(result), how },
    { name: "seed comparison: failed requests per deploy, given", value: q(given), how: "Same run." },
    { name: "seed comparison: failed requests per deploy, gated", value: q(gated), how: "Same run." },
    {
      name: "seed comparison: deploy duration, given / gated",
      value: `${d(given)} / ${d(gated)}`,
      how: "Same run, deploys that reached steady state.",
    },
    {
      name: "seed comparison: gated deploys rolled back by the circuit breaker",
      value: `${fmt(gated.rollbacks)} of ${fmt(gated.runs)}`,
      how: "Same run: tasks the gate fails count towards the circuit breaker.",
    },
  ];
  if (!chromiumAvailable()) {
    figures.push({ name: "seed comparison: screenshot", value: `not written: no chromium at ${CHROMIUM}` });
    return figures;
  }
  const html = join(mkdtempSync(join(tmpdir(), "flp-bench-report-")), "report.html");
  const png = await screenshotReport(result, html, SCREENSHOT);
  figures.push({
    name: "seed comparison: screenshot",
    value: `${SCREENSHOT}, ${png.width} × ${png.height} px, ${fmt(png.bytes / 1024)} KiB`,
    how: "The same run's HTML report down to its histograms, in headless chromium.",
  });
  return figures;
}
