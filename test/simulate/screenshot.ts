/**
 * Writes docs/simulate-seed.png: the HTML report of the seed example (examples/seed/scenario.yaml on the
 * seed's task definition, as given and gated) rendered by headless chromium.
 * Run: npx tsx test/simulate/screenshot.ts [out.png] [report.html]
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadScenario, renderReport, simulateCompare } from "../../src/simulate/index.js";
import { withPage } from "./cdp.js";
import { gated, given } from "./fixtures.js";

const out = process.argv[2] ?? "docs/simulate-seed.png";
const scenario = loadScenario(
  readFileSync("examples/seed/scenario.yaml", "utf8"),
  "examples/seed/scenario.yaml",
);
const result = simulateCompare(given, gated, scenario, { runs: 10_000, seed: 1 });
const html = renderReport(result);
const file = process.argv[3] ?? join(mkdtempSync(join(tmpdir(), "flp-shot-")), "report.html");
writeFileSync(file, html);
await withPage(async (page) => {
  await page.goto(pathToFileURL(file).href);
  if (page.errors.length > 0) throw new Error(`console errors: ${page.errors.join("\n")}`);
  writeFileSync(out, await page.screenshot());
}, 1060);
process.stderr.write(`wrote ${out} (report ${file})\n`);
