/**
 * Lint cost per document (parse + lint, the work `check` and `lint` do per file) as a ratio to `JSON.parse`
 * of the same bytes, and documents per second, over the AWS FireLens examples in test/fixtures. Both sides
 * run interleaved in rounds, and the median round counts, so a noisy neighbour on the shared machine
 * skews both alike.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lintDocument } from "../src/rules/index.js";
import { census } from "../src/taskdef/duplicates.js";
import { parseDocument } from "../src/taskdef/index.js";
import type { BenchSection } from "./run.js";

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, "../test/fixtures/firelens-examples");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Keeps results alive so the JIT cannot drop the work. */
let sink = 0;

function timeRound(
  docs: ReadonlyArray<{ name: string; text: string }>,
  reps: number,
  work: (d: { name: string; text: string }) => number,
): number {
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) for (const d of docs) sink += work(d);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function run(): Promise<BenchSection> {
  const docs = readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(FIXTURES, name), "utf8") }));
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);

  const lint = (d: { name: string; text: string }) => lintDocument(parseDocument(d.text, d.name)).length;
  const parse = (d: { name: string; text: string }) => (JSON.parse(d.text) === null ? 0 : 1);
  const load = (d: { name: string; text: string }) => parseDocument(d.text, d.name).taskDefinitions.length;
  // The duplicate-key and depth census that parseDocument runs on every JSON file, on data parsed beforehand.
  const parsed = new Map(docs.map((d) => [d, JSON.parse(d.text) as unknown]));
  const count = (d: { name: string; text: string }) => census(d.text, parsed.get(d), 128).depth;

  // Warm up every path so the JIT has compiled them before we measure.
  timeRound(docs, 200, lint);
  timeRound(docs, 2000, parse);
  timeRound(docs, 200, load);
  timeRound(docs, 2000, count);

  // Short rounds, each side timed back to back, and the median of the per-round ratios: load from other
  // processes shifts between rounds, rarely within one.
  const reps = 20;
  const rounds = 61;
  const lintMs: number[] = [];
  const parseMs: number[] = [];
  const loadMs: number[] = [];
  const ratios: number[] = [];
  const loadRatios: number[] = [];
  const censusRatios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const p = timeRound(docs, reps, parse);
    const l = timeRound(docs, reps, lint);
    const d = timeRound(docs, reps, load);
    censusRatios.push(timeRound(docs, reps, count) / p);
    parseMs.push(p);
    lintMs.push(l);
    loadMs.push(d);
    ratios.push(l / p);
    loadRatios.push(d / p);
  }
  const perRoundDocs = docs.length * reps;
  const lintMed = median(lintMs);
  const parseMed = median(parseMs);
  const ratio = median(ratios);
  const loadRatio = median(loadRatios);
  const docsPerSec = perRoundDocs / (lintMed / 1000);
  const findings = docs.reduce((n, d) => n + lint(d), 0);
  if (sink < 0) process.stderr.write("");

  return {
    title: "lint",
    figures: [
      {
        name: "lint cost per document / JSON.parse",
        value: `${ratio.toFixed(1)} ×`,
        goal: "≤ 5 ×",
        met: ratio <= 5,
        how: `parseDocument + lintDocument (findings located and worded) vs JSON.parse of the same text; ${docs.length} AWS FireLens examples (${(bytes / 1024).toFixed(1)} KiB), ${reps} passes per round, median of ${rounds} per-round ratios`,
      },
      {
        name: "documents per second (parse + lint)",
        value: `${Math.round(docsPerSec).toLocaleString("en-US")} docs/s`,
        goal: "≥ 5,000 docs/s",
        met: docsPerSec >= 5000,
        how: `one core, same rounds; ${((lintMed / perRoundDocs) * 1000).toFixed(1)} µs per document, ${findings} findings over the set`,
      },
      {
        name: "of which loading (parseDocument) / JSON.parse",
        value: `${loadRatio.toFixed(1)} ×`,
        how: "the loader's share of the ratio above; the rules and engine account for the rest",
      },
      {
        name: "of which the duplicate-key census / JSON.parse",
        value: `${median(censusRatios).toFixed(2)} ×`,
        how: "colons in the text against keys and colons in the parsed data, plus nesting depth, one walk; the precise duplicate scan runs only when they differ (never on this set)",
      },
      {
        name: "of which rules + engine / JSON.parse",
        value: `${(ratio - loadRatio).toFixed(1)} ×`,
        how: "the two medians above subtracted",
      },
      {
        name: "JSON.parse alone",
        value: `${((parseMed / perRoundDocs) * 1000).toFixed(2)} µs/doc`,
        how: "the baseline of the ratio above",
      },
    ],
  };
}
