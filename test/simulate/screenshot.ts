/**
 * Writes docs/simulate-seed.png: the HTML report of the seed example (examples/seed/scenario.yaml on
 * examples/seed/before.json, as given and as `fix` gates it) rendered by headless chromium.
 * Run: npx tsx test/simulate/screenshot.ts [out.png] [report.html]
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fixText } from "../../src/fix/index.js";
import { loadScenario, renderReport, simulateCompare } from "../../src/simulate/index.js";
import { parseDocument } from "../../src/taskdef/index.js";
import { withPage } from "./cdp.js";

const out = process.argv[2] ?? "docs/simulate-seed.png";
const scenario = loadScenario(
  readFileSync("examples/seed/scenario.yaml", "utf8"),
  "examples/seed/scenario.yaml",
);
const before = readFileSync("examples/seed/before.json", "utf8");
const given = parseDocument(before, "examples/seed/before.json").taskDefinitions[0];
const fixed = fixText(before, "examples/seed/before.json", {
  probeImage: "ghcr.io/example/firelens-preflight:1",
});
const gated = parseDocument(fixed.text, "after.json").taskDefinitions[0];
if (given === undefined || gated === undefined) throw new Error("the seed task definition did not load");
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
