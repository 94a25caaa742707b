/**
 * `npm run bench`: runs every bench/*.bench.ts in this process, prints each figure, and writes them all to
 * bench/RESULTS.md with the machine they ran on. Figures are compared as ratios within one run, because
 * absolute times on shared machines are noisy.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface BenchFigure {
  /** What was measured, e.g. "lint cost per document / JSON.parse". */
  readonly name: string;
  /** The figure, already formatted with its unit ("3.2 ×", "1.41 s", "12,345 docs/s"). */
  readonly value: string;
  /** The goal from the issue, if any ("≤ 5 ×"). */
  readonly goal?: string;
  /** Whether the goal was met; omit when there is no goal. */
  readonly met?: boolean;
  /** How it was measured, one sentence. */
  readonly how?: string;
}

export interface BenchSection {
  readonly title: string;
  readonly figures: readonly BenchFigure[];
}

export type BenchModule = { run(): Promise<BenchSection> };

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const sections: BenchSection[] = [];
for (const file of files) {
  process.stderr.write(`bench: ${file} …\n`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  const section = await mod.run();
  sections.push(section);
  for (const f of section.figures) {
    const verdict = f.met === undefined ? "" : f.met ? "  (goal met)" : "  (GOAL MISSED)";
    console.log(`${section.title} | ${f.name}: ${f.value}${f.goal ? ` — goal ${f.goal}` : ""}${verdict}`);
  }
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
const machine = `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
const lines = [
  "# Benchmark results",
  "",
  `Written by \`npm run bench\` on ${new Date().toISOString()}.`,
  "",
  `Machine: ${machine}. Shared machine: read ratios within one run, not absolute times.`,
  "",
];
for (const s of sections) {
  lines.push(`## ${s.title}`, "", "| figure | value | goal | met | how |", "|---|---|---|---|---|");
  for (const f of s.figures) {
    const met = f.met === undefined ? "" : f.met ? "yes" : "**no**";
    lines.push(`| ${f.name} | ${f.value} | ${f.goal ?? ""} | ${met} | ${f.how ?? ""} |`);
  }
  lines.push("");
}
if (only.length === 0) writeFileSync(join(here, "RESULTS.md"), `${lines.join("\n")}\n`);
else process.stderr.write("bench: partial run (filtered); bench/RESULTS.md not rewritten\n");
