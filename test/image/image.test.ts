/**
 * The probe image, built from the shipped Dockerfile and run for real (issue 18): podman runs the container with
 * the host network, a read-only root and the non-root user, with the environment `fix` writes into the README's
 * example task definition, against the test router this test starts. Only what a test host cannot share with a
 * task is set besides: FLUENT_HOST/FLUENT_PORT, which ECS itself injects into every awsfirelens container, and
 * the monitor URL's port, since the test router listens on ports the kernel gives it.
 *
 * It skips, saying why, only where podman is not installed; under CI=true it fails instead, because .ci/run
 * installs podman, runc and mmdebstrap and must prove the image.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PROBE_SETTINGS } from "../../src/probe/contract.js";
import { inBatches } from "../probe/e2e/harness.js";
import {
  type FakeIntake,
  type IntakeMode,
  type RouterFaults,
  startFakeIntake,
  startTestRouter,
  type TestRouter,
  unusedPort,
} from "../support/router/index.js";
import {
  buildTestImage,
  type ContainerRun,
  missingTools,
  podmanSync,
  runProbeContainer,
  TEST_IMAGE,
} from "./podman.js";

const inCi = process.env.CI === "true";
const missing = missingTools();
const skip = missing.length > 0 && !inCi;
const why = skip
  ? ` (skipped: ${missing.join(", ")} not installed here; apt-get install podman runc mmdebstrap, or see .ci/run)`
  : "";

/**
 * The gate container `fix` writes into the README's example (examples/seed/before.json), as the CLI prints it.
 * `router-monitoring`: the same task on a router release that ships the monitoring config (2.32.5 for the seed's
 * 2.19.0), fixed with `--router-monitoring`, so the gate is told to prove `flushed`.
 */
function fixedPreflight(kind: Case["fix"]): { env: Record<string, string>; user: unknown } {
  let file = "examples/seed/before.json";
  const flags: string[] = [];
  if (kind === "router-monitoring") {
    file = join(mkdtempSync(join(tmpdir(), "image-test-")), "task.json");
    writeFileSync(
      file,
      readFileSync("examples/seed/before.json", "utf8").replace(
        "aws-for-fluent-bit:2.19.0",
        "aws-for-fluent-bit:2.32.5",
      ),
    );
    flags.push("--router-monitoring");
  }
  const r = spawnSync(
    process.execPath,
    ["dist/cli/main.js", "fix", file, "--probe-image", TEST_IMAGE, ...flags],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`fix failed (exit ${r.status}; run npm run build first): ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as {
    containerDefinitions: { name: string; environment?: { name: string; value: string }[]; user?: unknown }[];
  };
  const gate = doc.containerDefinitions.find((c) => c.name === "log-router-preflight");
  if (gate === undefined) throw new Error("fix wrote no log-router-preflight container");
  return { env: Object.fromEntries((gate.environment ?? []).map((e) => [e.name, e.value])), user: gate.user };
}

interface Case {
  readonly name: string;
  readonly expect: 0 | 1 | 2 | 3;
  /** The README's example as is (monitor off), or with `--router-monitoring`. */
  readonly fix: "readme" | "router-monitoring";
  readonly intake?: IntakeMode;
  readonly faults?: RouterFaults;
  readonly noRouter?: boolean;
  readonly env?: Record<string, string>;
}

const CASES: readonly Case[] = [
  { name: "healthy router, README's fix", expect: 0, fix: "readme", intake: "accept" },
  { name: "healthy router, fix --router-monitoring", expect: 0, fix: "router-monitoring", intake: "accept" },
  {
    name: "router crashes on its first flush",
    expect: 1,
    fix: "router-monitoring",
    intake: "accept",
    faults: { crashOnFirstFlush: true },
  },
  { name: "output fails (intake answers 500)", expect: 1, fix: "router-monitoring", intake: "500" },
  {
    name: "bad configuration",
    expect: 2,
    fix: "readme",
    intake: "accept",
    env: { [PROBE_SETTINGS.deadline.env]: "Bearer 0123456789abcdef" },
  },
  // The one change to what fix wrote: a short deadline, so "never reachable" takes 3 s rather than 60.
  {
    name: "no router",
    expect: 3,
    fix: "readme",
    noRouter: true,
    env: { [PROBE_SETTINGS.deadline.env]: "3s" },
  },
];

interface Outcome {
  readonly run: ContainerRun;
  readonly router: TestRouter | undefined;
}

if (skip) console.warn(`test/image: probe image tests${why}`);

describe.skipIf(skip)(`probe image${why}`, () => {
  const outcomes = new Map<string, Outcome>();
  const fixed = new Map<Case["fix"], ReturnType<typeof fixedPreflight>>();
  const intakes: FakeIntake[] = [];

  beforeAll(async () => {
    if (missing.length > 0) {
      throw new Error(
        `CI must build the probe image, but ${missing.join(", ")} is missing: .ci/run installs them`,
      );
    }
    const built = buildTestImage();
    if (built.status !== 0) throw new Error(`scripts/probe-image.mjs failed:\n${built.stderr}`);
    fixed.set("readme", fixedPreflight("readme"));
    fixed.set("router-monitoring", fixedPreflight("router-monitoring"));
    const results = await inBatches(CASES, 2, async (c): Promise<[string, Outcome]> => {
      const intake = await startFakeIntake({ mode: c.intake ?? "accept" });
      intakes.push(intake);
      const router = c.noRouter
        ? undefined
        : await startTestRouter({
            version: "1.9.10",
            intakeUrl: intake.url,
            apiKey: "image-test-key",
            ...(c.faults ? { faults: c.faults } : {}),
          });
      const fixEnv = fixed.get(c.fix)?.env ?? {};
      const port = router?.forwardPort ?? (await unusedPort());
      const env: Record<string, string> = {
        ...fixEnv,
        FLUENT_HOST: "127.0.0.1",
        FLUENT_PORT: String(port),
        ...(fixEnv[PROBE_SETTINGS.monitor.env] !== "off" && router?.monitorUrl
          ? { [PROBE_SETTINGS.monitor.env]: router.monitorUrl }
          : {}),
        ...c.env,
      };
      const run = await runProbeContainer(env);
      await router?.stop();
      return [c.name, { run, router }];
    });
    for (const [name, o] of results) outcomes.set(name, o);
  }, 600_000);

  afterAll(async () => {
    for (const i of intakes) await i.close();
  });

  test("the image: the probe as entrypoint, non-root user 65532, OCI labels with version and source", () => {
    const inspect = podmanSync(["image", "inspect", TEST_IMAGE]);
    expect(inspect.status, inspect.stderr).toBe(0);
    const [image] = JSON.parse(inspect.stdout) as {
      Config: { User: string; Entrypoint: string[]; Labels: Record<string, string> };
    }[];
    expect(image?.Config.User).toBe("65532:65532");
    expect(image?.Config.Entrypoint).toEqual(["/nodejs/bin/node", "/probe/probe.mjs"]);
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(image?.Config.Labels).toMatchObject({
      "org.opencontainers.image.version": pkg.version,
      "org.opencontainers.image.source": expect.stringMatching(/^https:\/\//),
      "org.opencontainers.image.licenses": "MIT",
    });
  });

  test("what fix wrote: monitor off for the README's router, the router's monitoring server once it has one", () => {
    expect(fixed.get("readme")?.env[PROBE_SETTINGS.monitor.env]).toBe("off");
    expect(fixed.get("router-monitoring")?.env[PROBE_SETTINGS.monitor.env]).toBe("http://127.0.0.1:2020");
  });

  test("fix gives the gate no user of its own: the task runs the image's user, as this test does", () => {
    expect(fixed.get("readme")?.user).toBeUndefined();
    expect(fixed.get("router-monitoring")?.user).toBeUndefined();
  });

  test.each(CASES)("$name → exit $expect, one JSON line", (c) => {
    const o = outcomes.get(c.name);
    if (o === undefined) throw new Error(`${c.name} did not run`);
    const said = `exit ${o.run.code} after ${Math.round(o.run.wallMs)} ms\nstdout: ${o.run.stdout}\nstderr: ${o.run.stderr}`;
    expect(o.run.code, said).toBe(c.expect);
    const lines = o.run.stdout.split("\n").filter((l) => l !== "");
    expect(lines, said).toHaveLength(1);
    const json = JSON.parse(lines[0] ?? "") as { exitCode: number; level: string; reason: string };
    expect(json.exitCode).toBe(c.expect);
    if (c.expect === 0) expect(json.level).toBe(c.fix === "readme" ? "accepted" : "flushed");
    if (c.expect === 2) expect(o.run.stdout + o.run.stderr).not.toContain("0123456789abcdef");
  });
});
