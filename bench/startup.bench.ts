/**
 * A pre-commit hook runs `check` on every commit, so its start-up is what a developer waits for: the wall time
 * of `firelens-preflight check` on one small task definition, against `node -e 0` (Node's own start-up) on the
 * same machine, run interleaved so both see the same load. The ratio is the figure; the goal is 1.6 ×.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchSection } from "./run.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(REPO, "dist/cli/main.js");
const FILE = join(REPO, "examples/seed/after.json");
const ROUNDS = 25;
const GOAL = 1.6;

function wallMs(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && args[0] !== "-e") throw new Error(`${args.join(" ")} exited ${run.status}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<BenchSection> {
  const node: number[] = [];
  const check: number[] = [];
  wallMs([CLI, "check", FILE]); // warm the file cache
  for (let i = 0; i < ROUNDS; i++) {
    node.push(wallMs(["-e", "0"]));
    check.push(wallMs([CLI, "check", FILE]));
  }
  const ratio = median(check) / median(node);
  return {
    title: "Start-up (pre-commit)",
    figures: [
      {
        name: "check on one file / node -e 0 (wall, median)",
        value: `${ratio.toFixed(2)} × (${(median(check) / 1000).toFixed(3)} s vs ${(median(node) / 1000).toFixed(3)} s)`,
        goal: `≤ ${GOAL} ×`,
        met: ratio <= GOAL,
        how: `${ROUNDS} interleaved runs each of \`check examples/seed/after.json\` and \`node -e 0\`; medians.`,
      },
    ],
  };
}
