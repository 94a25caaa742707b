/**
 * The probe image (issue 18): its size, and the probe's start-to-first-record time inside the container beside the
 * same figure on bare Node. Both run the same bundle against a test router personality that listens before the
 * probe starts; "first record" is the probe's own timings.sentMs, counted from its process start, so the figure
 * is the same measure in and out of the container. The container's own start (podman run until the probe's
 * process exists) is reported apart. The image is built from the shipped Dockerfile on the Debian-built base
 * (scripts/probe-image.mjs), as CI builds it; production's distroless base is not reachable here.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildTestImage,
  missingTools,
  podmanSync,
  runProbeContainer,
  TEST_IMAGE,
} from "../test/image/podman.js";
import { inBatches, runProbeBundle } from "../test/probe/e2e/harness.js";
import { startFakeIntake, startTestRouter } from "../test/support/router/index.js";
import type { BenchFigure, BenchSection } from "./run.js";

const RUNS = 9;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

interface Sample {
  readonly sentMs: number;
  readonly totalMs: number;
  readonly wallMs: number;
}

async function sample(where: "container" | "bare node"): Promise<Sample | null> {
  const intake = await startFakeIntake({ mode: "accept" });
  const router = await startTestRouter({ version: "4.2.8", intakeUrl: intake.url, apiKey: "bench-key" });
  const env = {
    FIRELENS_PREFLIGHT_CONTAINERS: "app",
    FIRELENS_PREFLIGHT_FORWARD: router.forwardAddress,
    FIRELENS_PREFLIGHT_MONITOR: router.monitorUrl ?? "off",
    FIRELENS_PREFLIGHT_DEADLINE: "20s",
  };
  const run =
    where === "container"
      ? await runProbeContainer(env)
      : await runProbeBundle(join(root, "dist/probe.mjs"), { env });
  await router.stop();
  await intake.close();
  const line = run.stdout.trim().split("\n").pop() ?? "";
  try {
    const json = JSON.parse(line) as {
      exitCode: number;
      timings: { sentMs: number | null; totalMs: number };
    };
    if (json.exitCode !== 0 || json.timings.sentMs === null) return null;
    return { sentMs: json.timings.sentMs, totalMs: json.timings.totalMs, wallMs: run.wallMs };
  } catch {
    return null;
  }
}

export async function run(): Promise<BenchSection> {
  const title = "Probe image (podman, Debian-built Node 20 base)";
  const missing = missingTools();
  if (missing.length > 0) {
    return {
      title,
      figures: [{ name: "not measured", value: `${missing.join(", ")} not installed (see .ci/run)` }],
    };
  }
  const built = buildTestImage();
  if (built.status !== 0) throw new Error(`scripts/probe-image.mjs failed:\n${built.stderr}`);
  const size = Number(podmanSync(["image", "inspect", "--format", "{{.Size}}", TEST_IMAGE]).stdout.trim());
  const figures: BenchFigure[] = [
    {
      name: "image size",
      value: `${(size / 2 ** 20).toFixed(1)} MiB`,
      how: "podman image inspect .Size of the image built from the shipped Dockerfile; the Debian base with Node 20 is nearly all of it",
    },
  ];
  // Interleaved, one at a time, so both see the same machine load.
  const order: ("container" | "bare node")[] = Array.from({ length: RUNS * 2 }, (_, i) =>
    i % 2 === 0 ? "container" : "bare node",
  );
  const samples = await inBatches(order, 1, async (where) => ({ where, s: await sample(where) }));
  const of = (where: string) =>
    samples.filter((x) => x.where === where && x.s !== null).map((x) => x.s as Sample);
  const inside = of("container");
  const bare = of("bare node");
  const how = `median of ${RUNS} interleaved runs each against the 4.2.8 test router, exit 0 only; the probe's own timings.sentMs (from its process start)`;
  figures.push(
    {
      name: "start → first record sent, in the container",
      value: `${Math.round(median(inside.map((s) => s.sentMs)))} ms (${inside.length}/${RUNS} exit 0)`,
      how,
    },
    {
      name: "start → first record sent, bare Node (same bundle)",
      value: `${Math.round(median(bare.map((s) => s.sentMs)))} ms (${bare.length}/${RUNS} exit 0)`,
      how,
    },
    {
      name: "container start before the probe's process (podman run → exit, less the probe's own total)",
      value: `${Math.round(median(inside.map((s) => s.wallMs - s.totalMs)))} ms`,
      how: "podman --runtime runc run --rm --network host --read-only --user 65532:65532; not part of an ECS task's gate, whose agent starts the container",
    },
  );
  return { title, figures };
}
