/**
 * `npm run bench`: runs every bench/*.bench.ts, each in a process of its own, prints each figure, and writes
 * them all to bench/RESULTS.md with the machine they ran on. Figures are compared as ratios within one run,
 * because absolute times on shared machines are noisy. A process per bench keeps one bench's heap and JIT state
 * out of the next one's figures: run in one process after the others, the lint bench measured 9.5 × where it
 * measured 5 × alone.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
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

/** `run.ts --one <file> <out>`: run one bench in this process and write its section as JSON to `out`. */
async function runOne(file: string, out: string): Promise<void> {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  writeFileSync(out, JSON.stringify(await mod.run()));
}

const one = process.argv.indexOf("--one");
if (one >= 0) {
  await runOne(process.argv[one + 1] ?? "", process.argv[one + 2] ?? "");
  process.exit(0);
}

const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const sections: BenchSection[] = [];
const scratch = mkdtempSync(join(tmpdir(), "flp-bench-"));
try {
  for (const file of files) {
    process.stderr.write(`bench: ${file} …\n`);
    const out = join(scratch, `${file}.json`);
    // The same Node and loader flags (tsx's) as this process, so the child runs TypeScript too.
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--one", file, out],
      {
        stdio: "inherit",
      },
    );
    if (child.status !== 0) throw new Error(`bench: ${file} failed (exit ${child.status ?? child.signal})`);
    const section = JSON.parse(readFileSync(out, "utf8")) as BenchSection;
    sections.push(section);
    for (const f of section.figures) {
      const verdict = f.met === undefined ? "" : f.met ? "  (goal met)" : "  (GOAL MISSED)";
      console.log(`${section.title} | ${f.name}: ${f.value}${f.goal ? ` — goal ${f.goal}` : ""}${verdict}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
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
