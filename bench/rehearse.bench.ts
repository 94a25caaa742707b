/**
 * `rehearse` (issue 24): the time from the command's start to its verdict on the test router image (the replayed
 * 4.2.8 recordings behind the aws-for-fluent-bit layout), container starts included, for the seed's task. Measured
 * with `--gate-only` (what the goal of 10 s covers: engine, images, two containers, the gate's own floor of about
 * two flush intervals, cleanup) and with a 3 s soak, whose figure is the gate's plus the shake-down's.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildTestImage, missingTools, TEST_IMAGE } from "../test/image/podman.js";
import type { BenchFigure, BenchSection } from "./run.js";

const RUNS = 3;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1] ?? Number.NaN;
}

export async function run(): Promise<BenchSection> {
  const title = "rehearse (podman, test router image 4.2.8)";
  const missing = missingTools();
  if (missing.length > 0) {
    return {
      title,
      figures: [{ name: "not measured", value: `${missing.join(", ")} not installed (see .ci/run)` }],
    };
  }
  const conf = join(mkdtempSync(join(tmpdir(), "rehearse-bench-")), "containers.conf");
  writeFileSync(conf, '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n');
  const env = { ...process.env, CONTAINERS_CONF: conf };
  if (buildTestImage().status !== 0) throw new Error("scripts/probe-image.mjs failed");
  const images = spawnSync(process.execPath, [join(root, "scripts/router-image.mjs"), "--version", "4.2.8"], {
    env,
    encoding: "utf8",
  });
  if (images.status !== 0) throw new Error(`scripts/router-image.mjs failed: ${images.stderr}`);
  const figures: BenchFigure[] = [];
  for (const [label, extra, goal] of [
    ["--gate-only", ["--gate-only"], 10_000],
    ["--soak 3s", ["--soak", "3s"], undefined],
  ] as const) {
    const walls: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = Date.now();
      const r = spawnSync(
        process.execPath,
        [
          join(root, "dist/cli/main.js"),
          "rehearse",
          join(root, "examples/seed/before.json"),
          "--router-image",
          "localhost/firelens-preflight-test-router:4.2.8",
          "--probe-image",
          TEST_IMAGE,
          "-f",
          "json",
          ...extra,
        ],
        { env, encoding: "utf8" },
      );
      if (r.status !== 0) throw new Error(`rehearse ${label} exited ${r.status}: ${r.stderr}`);
      walls.push(Date.now() - t0);
    }
    const m = median(walls);
    figures.push({
      name: `start to verdict, ${label} (median of ${RUNS})`,
      value: `${(m / 1000).toFixed(1)} s`,
      ...(goal === undefined ? {} : { goal: "≤ 10 s", met: m <= goal }),
      how: `wall time of \`rehearse\` on the seed's task, from process start to exit (verdict printed); runs: ${walls.map((w) => (w / 1000).toFixed(1)).join(", ")} s`,
    });
  }
  return { title, figures };
}
