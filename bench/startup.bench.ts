/**
 * A pre-commit hook runs `check` on every commit, so its start-up is what a developer waits for: the wall time
 * of `firelens-preflight check` on one small task definition, against `node -e 0` (Node's own start-up) on the
 * same machine, run interleaved so all see the same load. The ratio is the figure; the goal is 1.6 ×.
 *
 * The bin runs from a V8 code cache it writes on a command's first run (src/cli/launch.ts), so there are three
 * figures: every later run (what a hook pays from its second commit on; the goal), the first run (which also
 * writes the cache), and a run with the cache turned off.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFigure, BenchSection } from "./run.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(REPO, "dist/cli/main.js");
const FILE = join(REPO, "examples/seed/after.json");
const ROUNDS = 25;
const GOAL = 1.6;

function wallMs(args: readonly string[], env: Record<string, string> = {}): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, {
    stdio: "ignore",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && args[0] !== "-e") throw new Error(`${args.join(" ")} exited ${run.status}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<BenchSection> {
  const scratch = mkdtempSync(join(tmpdir(), "flp-startup-"));
  const warmCache = join(scratch, "warm");
  const coldCache = join(scratch, "cold");
  const times = { node: [] as number[], warm: [] as number[], cold: [] as number[], off: [] as number[] };
  try {
    wallMs([CLI, "check", FILE], { FIRELENS_PREFLIGHT_CACHE_DIR: warmCache }); // warms the file cache and the code cache
    for (let i = 0; i < ROUNDS; i++) {
      times.node.push(wallMs(["-e", "0"]));
      times.warm.push(wallMs([CLI, "check", FILE], { FIRELENS_PREFLIGHT_CACHE_DIR: warmCache }));
      rmSync(coldCache, { recursive: true, force: true });
      times.cold.push(wallMs([CLI, "check", FILE], { FIRELENS_PREFLIGHT_CACHE_DIR: coldCache }));
      times.off.push(wallMs([CLI, "check", FILE], { NODE_DISABLE_COMPILE_CACHE: "1" }));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const node = median(times.node);
  const figure = (name: string, ms: number[], goal: boolean): BenchFigure => {
    const ratio = median(ms) / node;
    return {
      name,
      value: `${ratio.toFixed(2)} × (${(median(ms) / 1000).toFixed(3)} s vs ${(node / 1000).toFixed(3)} s)`,
      ...(goal ? { goal: `≤ ${GOAL} ×`, met: ratio <= GOAL } : {}),
      how: `${ROUNDS} interleaved runs each of \`check examples/seed/after.json\` and \`node -e 0\`; medians.`,
    };
  };
  return {
    title: "Start-up (pre-commit)",
    figures: [
      figure(
        "check on one file / node -e 0, code cache written (every run after a command's first)",
        times.warm,
        true,
      ),
      figure("the same, first run (compiles, then writes the code cache)", times.cold, false),
      figure("the same with NODE_DISABLE_COMPILE_CACHE=1", times.off, false),
    ],
  };
}
