/**
 * What a new user pays before the first answer: the size of a CLI-only install (the packed tarball installed
 * into an empty project, as `npm install firelens-preflight` would), and the first run of the README's quick
 * start in a fresh clone (`npm ci`, then the CLI on examples/seed), next to what `npx firelens-preflight`
 * would cost there instead (npx installs the repository itself into its cache and builds it again).
 *
 * The clone is of the committed HEAD. Installs prefer the npm cache (`--prefer-offline`).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchSection } from "./run.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const SIZE_GOAL = 6 * 1024 * 1024;
const FIRST_RUN_GOAL_S = 2;

function bytesUnder(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += bytesUnder(path);
    else if (e.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Top-level packages in a node_modules (scoped ones counted one by one). */
function packagesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !n.startsWith("."))
    .flatMap((n) => (n.startsWith("@") ? readdirSync(join(dir, n)).map((s) => `${n}/${s}`) : [n]));
}

interface Timed {
  readonly wall: number;
  readonly cpu: number;
  readonly status: number | null;
}

/** Runs a shell command under bash's `time`, for wall and CPU (user + sys, children included) seconds. */
function timed(command: string, cwd: string): Timed {
  // A simple command, not a subshell: bash 5 sends a timed subshell's report wherever the subshell's own
  // stderr goes, so `time ( … ) 2>/dev/null` would discard it.
  const script = `TIMEFORMAT='%R %U %S'; { time sh -c '${command}' >/dev/null 2>&1; } 2>&1`;
  const run = spawnSync("bash", ["-c", script], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const [wall, user, sys] = (run.stdout.trim().split("\n").pop() ?? "").split(" ").map(Number);
  return { wall: wall ?? Number.NaN, cpu: (user ?? Number.NaN) + (sys ?? Number.NaN), status: run.status };
}

const s = (x: number) => `${x.toFixed(2)} s`;

export async function run(): Promise<BenchSection> {
  const work = mkdtempSync(join(tmpdir(), "flp-install-bench-"));

  // CLI-only install: the tarball into an empty project.
  const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
    cwd: REPO,
    encoding: "utf8",
  });
  const tarball = join(work, (JSON.parse(packed) as { filename: string; size: number }[])[0]?.filename ?? "");
  const project = join(work, "cli-only");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), '{ "name": "cli-only", "private": true }\n');
  execFileSync(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball],
    {
      cwd: project,
    },
  );
  const modules = join(project, "node_modules");
  const bytes = bytesUnder(modules);
  const packages = packagesIn(modules);
  const tarballBytes = statSync(tarball).size;

  // The quick start in a fresh clone of HEAD.
  const clone = join(work, "clone");
  execFileSync("git", ["clone", "--quiet", REPO, clone]);
  const ci = timed("npm ci --prefer-offline --no-audit --no-fund", clone);
  const quickStart = readFileSync(join(REPO, "README.md"), "utf8").match(/npm ci && (.+)\n/)?.[1] ?? "";
  const first = timed(quickStart, clone);
  const second = timed(quickStart, clone);
  const viaNpx = timed("npx firelens-preflight check examples/seed", clone);

  rmSync(work, { recursive: true, force: true });
  return {
    title: "Install and first run",
    figures: [
      {
        name: "CLI-only install, node_modules",
        value: `${(bytes / 2 ** 20).toFixed(2)} MiB in ${packages.length} packages (${packages.join(", ")})`,
        goal: "≤ 6 MiB",
        met: bytes <= SIZE_GOAL,
        how: "npm pack, then npm install of the tarball into an empty project; sum of file sizes under node_modules",
      },
      {
        name: "packed tarball",
        value: `${(tarballBytes / 1024).toFixed(0)} KiB`,
      },
      {
        name: `quick start, first run of \`${quickStart}\` after \`npm ci\` in a fresh clone`,
        value: `${s(first.wall)} wall, ${s(first.cpu)} CPU (exit ${first.status}); second run ${s(second.wall)}`,
        goal: `< ${FIRST_RUN_GOAL_S} s on an idle machine`,
        met: first.wall < FIRST_RUN_GOAL_S,
        how: "git clone of HEAD, npm ci, then the README's first command timed by bash's `time` (exit 1: the seed's findings)",
      },
      {
        name: "npm ci in the fresh clone (installs and builds)",
        value: `${s(ci.wall)} wall, ${s(ci.cpu)} CPU`,
      },
      {
        name: "the same check through `npx firelens-preflight` in the clone, first run",
        value: `${s(viaNpx.wall)} wall, ${s(viaNpx.cpu)} CPU`,
        how: "npx finds the repository's own bin, installs the folder into its cache and runs `prepare` (a full build): why the quick start runs dist/cli/main.js",
      },
    ],
  };
}
