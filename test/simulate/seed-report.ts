/**
 * The seed comparison as README shows it: examples/seed/before.json as given and as `fix` gates it, under
 * examples/seed/scenario.yaml, on the same seeds. The report test renders it in chromium; `npm run bench`
 * (bench/simulate.bench.ts) records its headline figures in bench/RESULTS.md and writes the screenshot
 * docs/simulate-seed.png from the very same run. Seeded, so the figures are the same on any machine.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { fixText } from "../../src/fix/index.js";
import {
  loadScenario,
  renderReport,
  type SimulationResult,
  simulateCompare,
} from "../../src/simulate/index.js";
import { parseDocument } from "../../src/taskdef/index.js";
import { withPage } from "../support/chromium.js";

/** Deploys per variant and seed of the figures README quotes. */
export const SEED_RUNS = 10_000;
export const SEED = 1;
export const SCREENSHOT = "docs/simulate-seed.png";

export function seedComparison(runs = SEED_RUNS, seed = SEED): SimulationResult {
  const scenario = loadScenario(
    readFileSync("examples/seed/scenario.yaml", "utf8"),
    "examples/seed/scenario.yaml",
  );
  const before = readFileSync("examples/seed/before.json", "utf8");
  const given = parseDocument(before, "examples/seed/before.json").taskDefinitions[0];
  const fixed = fixText(before, "examples/seed/before.json", { probeImage: "firelens-preflight:simulated" });
  const gated = parseDocument(fixed.text, "examples/seed/before.json (gated)").taskDefinitions[0];
  if (given === undefined || gated === undefined) throw new Error("the seed task definition did not load");
  return simulateCompare(given, gated, scenario, { runs, seed });
}

/**
 * Writes the report to `htmlFile` and a PNG of its top (headline, table, histograms) to `pngFile`; returns
 * the PNG's size in pixels, read from its header.
 */
export async function screenshotReport(
  result: SimulationResult,
  htmlFile: string,
  pngFile: string,
): Promise<{ width: number; height: number; bytes: number }> {
  writeFileSync(htmlFile, renderReport(result));
  const png = await withPage(async (page) => {
    await page.goto(pathToFileURL(htmlFile).href);
    if (page.errors.length > 0) throw new Error(`console errors: ${page.errors.join("\n")}`);
    return page.screenshot("p.legend");
  }, 1200);
  writeFileSync(pngFile, png);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bytes: png.length };
}
