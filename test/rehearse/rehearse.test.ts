/**
 * `rehearse` run for real (issue 24): the built CLI drives podman, which runs the test router image
 * (scripts/router-image.mjs: the replayed recordings of real Fluent Bit behind the aws-for-fluent-bit layout) with
 * the configuration the agent would generate, and the probe image as the sidecar. Each case is a task a team could
 * hold, and the router's own environment carries the faults the test router takes (FLB_TEST_ROUTER_FAULTS).
 *
 * It skips, saying why, only where podman is not installed; under CI=true it fails instead (.ci/run installs
 * podman, runc and mmdebstrap and builds the images). Needs `npm run build` (dist/cli, dist/rehearse/sidecar.js).
 */
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTestImage, missingTools, TEST_IMAGE } from "../image/podman.js";

const root = resolve(import.meta.dirname, "../..");
const inCi = process.env.CI === "true";
const missing = missingTools();
const skip = missing.length > 0 && !inCi;
const why = skip
  ? ` (skipped: ${missing.join(", ")} not installed here; apt-get install podman runc mmdebstrap)`
  : "";

const work = mkdtempSync(join(tmpdir(), "rehearse-test-"));
const conf = join(work, "containers.conf");
// The rehearsal calls plain `podman`: the runtime and ulimits come from containers.conf, as on any machine.
writeFileSync(conf, '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n');
const cliTmp = join(work, "cli-tmp");
mkdirSync(cliTmp);
const env = { ...process.env, CONTAINERS_CONF: conf, TMPDIR: cliTmp };
const SECRET = "5ec12e7f0rehearsa1d00000000000000";
const image = (v: string) => `localhost/firelens-preflight-test-router:${v}`;

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function task(
  name: string,
  router: { env?: Record<string, string>; options?: Record<string, string> } = {},
): string {
  const seed = JSON.parse(readFileSync(join(root, "examples/seed/before.json"), "utf8")) as {
    containerDefinitions: Record<string, unknown>[];
  };
  const r = seed.containerDefinitions[0] as Record<string, unknown>;
  if (router.env) r.environment = Object.entries(router.env).map(([k, v]) => ({ name: k, value: v }));
  if (router.options) r.firelensConfiguration = { type: "fluentbit", options: router.options };
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(seed));
  return file;
}

/** Other work on this machine may rebuild dist/ (it is deleted first): wait for the CLI to be whole again. */
async function distReady(): Promise<void> {
  const files = ["dist/cli/main.js", "dist/cli/run.js", "dist/rehearse/sidecar.js"].map((f) => join(root, f));
  for (let i = 0; i < 240 && !files.every((f) => existsSync(f)); i++)
    await new Promise((r) => setTimeout(r, 500));
}

async function rehearse(
  args: readonly string[],
  opts: { onStderr?: (text: string, child: ReturnType<typeof spawn>) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  await distReady();
  const t0 = Date.now();
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [join(root, "dist/cli/main.js"), "rehearse", "--probe-image", TEST_IMAGE, ...args],
      { env: opts.env ?? env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr, child);
    });
    child.on("close", (code) => done({ code, stdout, stderr, ms: Date.now() - t0 }));
  });
}

/** Rehearsal containers that exist now and did not before this file ran (another run's are not ours to judge). */
function leftovers(): string[] {
  return labelled().filter((n) => !before.has(n));
}

let before = new Set<string>();

function labelled(): string[] {
  const r = spawnSync(
    "podman",
    ["ps", "-a", "--filter", "label=firelens-preflight.rehearse", "--format", "{{.Names}}"],
    {
      env,
      encoding: "utf8",
    },
  );
  return r.stdout.split("\n").filter((l) => l.trim() !== "");
}

describe.skipIf(skip)(`rehearse under podman${why}`, () => {
  beforeAll(() => {
    if (!existsSync(join(root, "dist/rehearse/sidecar.js"))) throw new Error("run npm run build first");
    before = new Set(labelled());
    const probe = buildTestImage();
    if (probe.status !== 0) throw new Error(`probe image: ${probe.stderr}`);
    const routers = spawnSync(process.execPath, [join(root, "scripts/router-image.mjs")], {
      env,
      encoding: "utf8",
    });
    if (routers.status !== 0) throw new Error(`router images: ${routers.stderr}`);
  }, 600_000);

  test("a passing router: 4.2.8 delivers the seed's records, survives the stress chunk and the soak", async () => {
    const r = await rehearse([task("pass"), "--router-image", image("4.2.8"), "--soak", "3s", "-f", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toMatch(/^router survived its first flush and 3(\.\d)? s of traffic/);
    expect(report.router.exitCode).toBeNull();
    expect(report.gate.exit).toBe(0);
    expect(report.stress[0].acked).toBe(true);
    expect(report.soak.failure).toBeNull();
    expect(report.soak.acked).toBeGreaterThan(0);
    // 4.2.8 posts v2; the probe's 3 records, the 7 stress records and the soak's all reached the intake.
    expect(report.destinations.intake.paths).toEqual(["POST /api/v2/logs"]);
    expect(report.destinations.intake.records).toBeGreaterThanOrEqual(10);
    expect(report.config.text).toContain("provider ecs");
    expect(report.config.text).toContain("Host 127.0.0.1");
    expect(leftovers()).toEqual([]);
  }, 120_000);

  test("the seed's 2.19.0 router (1.8.3): the gate passes, the mixed-shape chunk kills it with SIGSEGV", async () => {
    const r = await rehearse([task("seed"), "--router-image", image("1.8.3"), "--soak", "3s"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.split("\n")[0]).toBe(
      "router crashed on the first flush of the shake-down's mixed-shape chunk: SIGSEGV",
    );
    expect(r.stdout).toContain("exited 139 (SIGSEGV)");
    expect(r.stdout).toContain("caught signal (SIGSEGV)");
    expect(r.ms).toBeLessThan(30_000);
  }, 120_000);

  test("upstream 1.9.10 dies on the same chunk through the later resize bug: SIGABRT, exit 134", async () => {
    const r = await rehearse([
      task("seed-1.9"),
      "--router-image",
      image("1.9.10"),
      "--soak",
      "2s",
      "-f",
      "json",
    ]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe(
      "router crashed on the first flush of the shake-down's mixed-shape chunk: SIGABRT",
    );
    expect([report.router.exitCode, report.router.signal]).toEqual([134, "SIGABRT"]);
  }, 120_000);

  test("a crash on the first flush: the router dies at its first request, during the gate", async () => {
    const file = task("first-flush", { env: { FLB_TEST_ROUTER_FAULTS: '{"crashOnFirstFlush":true}' } });
    const r = await rehearse([file, "--router-image", image("4.2.8"), "-f", "json"]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe("router crashed on its first flush: SIGSEGV");
    expect(report.router.exitCode).toBe(139);
    expect(report.router.logTail.join("\n")).toContain("caught signal (SIGSEGV)");
  }, 120_000);

  test("a crash during the soak: after the first flush and some traffic", async () => {
    const file = task("soak", { env: { FLB_TEST_ROUTER_FAULTS: '{"crashAfterFirstFlushMs":7000}' } });
    const r = await rehearse([file, "--router-image", image("4.2.8"), "--soak", "10s", "-f", "json"]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toMatch(/^router crashed after \d+\.\d s of traffic: SIGSEGV$/);
    expect(report.gate.exit).toBe(0);
    expect(report.stress[0].acked).toBe(true);
  }, 120_000);

  test("an output that retries: the intake answers 500, the monitored gate sees the retries and fails", async () => {
    const file = task("retries", {
      options: {
        "config-file-type": "file",
        "config-file-value": "/fluent-bit/configs/output-metrics-healthcheck.conf",
      },
    });
    const r = await rehearse([
      file,
      "--router-image",
      image("4.2.8"),
      "--intake-status",
      "500",
      "-f",
      "json",
    ]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toMatch(/^the gate failed: /);
    expect(report.verdict).toMatch(/retr/);
    expect(report.router.exitCode).toBeNull();
    expect(report.destinations.intake.requests).toBeGreaterThan(0);
  }, 120_000);

  test("no engine: exit 2 and an error naming both", async () => {
    const bin = join(work, "bin-without-engines");
    mkdirSync(bin, { recursive: true });
    const r = await rehearse([task("no-engine")], { env: { ...env, PATH: bin } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no container engine: podman is not installed; docker is not installed/);
  }, 60_000);

  test("a missing image with --pull never: exit 2, nothing started", async () => {
    const r = await rehearse([
      task("missing-image"),
      "--router-image",
      "localhost/no-such-router:0",
      "--pull",
      "never",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "image localhost/no-such-router:0 is not present and --pull never forbids pulling it",
    );
    expect(leftovers()).toEqual([]);
  }, 60_000);

  test("Ctrl-C mid-run: exit 130, no container, pod or file left behind", async () => {
    let sent = false;
    const r = await rehearse([task("ctrl-c"), "--router-image", image("4.2.8"), "--soak", "30s"], {
      onStderr: (text, child) => {
        if (!sent && text.includes("rehearse: gate:")) {
          sent = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(leftovers()).toEqual([]);
    const pods = spawnSync("podman", ["pod", "ls", "--format", "{{.Name}}"], { env, encoding: "utf8" });
    expect(pods.stdout.split("\n").filter((l) => l.startsWith("flp-rehearse"))).toEqual([]);
    expect(readdirSync(cliTmp).filter((f) => f.startsWith("flp-rehearse-"))).toEqual([]);
  }, 120_000);

  test("secrets: given with --secret or from env:, used by the router, never printed", async () => {
    const json = await rehearse([
      task("secret"),
      "--router-image",
      image("1.8.3"),
      "--gate-only",
      "--secret",
      `apikey=${SECRET}`,
      "-f",
      "json",
    ]);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.secrets).toEqual([{ variable: "apikey_2", given: true }]);
    // 1.8.3 puts the key in the request path: it arrived, and the path is reported without it.
    expect(report.destinations.intake.paths).toEqual(["POST /v1/input/<key>"]);
    const text = await rehearse(
      [
        task("secret"),
        "--router-image",
        image("1.8.3"),
        "--gate-only",
        "--secret",
        "apikey=env:REHEARSE_TEST_KEY",
      ],
      { env: { ...env, REHEARSE_TEST_KEY: SECRET } },
    );
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("secret    apikey_2: given (--secret)");
    for (const out of [json.stdout, json.stderr, text.stdout, text.stderr]) expect(out).not.toContain(SECRET);
  }, 120_000);
});
