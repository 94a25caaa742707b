/**
 * podman for the image test and the image bench, run as scripts/probe-image.mjs runs it: the runc runtime and a
 * containers.conf without default ulimits (crun cannot set resource limits in this sandbox).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
/** The image the test and the bench build and run (not the default tag of `npm run image`, so both can coexist). */
export const TEST_IMAGE = `localhost/firelens-preflight-probe:${version}-test`;

let conf: string | undefined;
function podmanEnv(): NodeJS.ProcessEnv {
  if (process.env.CONTAINERS_CONF) return process.env;
  if (conf === undefined) {
    conf = join(mkdtempSync(join(tmpdir(), "probe-image-test-")), "containers.conf");
    writeFileSync(conf, "[containers]\ndefault_ulimits = []\n");
  }
  return { ...process.env, CONTAINERS_CONF: conf };
}

/** What is missing to build and run the image here ([] when nothing is). */
export function missingTools(): string[] {
  const missing: string[] = [];
  for (const tool of ["podman", "runc"]) {
    const r = spawnSync(tool, ["--version"], { encoding: "utf8" });
    if (r.error !== undefined || r.status !== 0) missing.push(tool);
  }
  if (missing.length > 0) return missing;
  const base = podmanSync(["image", "exists", "localhost/firelens-preflight-probe-base:trixie"]);
  const mm = spawnSync("mmdebstrap", ["--version"], { encoding: "utf8" });
  if (base.status !== 0 && (mm.error !== undefined || mm.status !== 0)) missing.push("mmdebstrap");
  return missing;
}

export function podmanSync(args: readonly string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const r = spawnSync("podman", ["--runtime", "runc", ...args], {
    encoding: "utf8",
    env: podmanEnv(),
    maxBuffer: 16 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}${r.error?.message ?? ""}` };
}

/** Builds TEST_IMAGE from the shipped Dockerfile with the project's own script (the base is made when missing). */
export function buildTestImage(): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, "scripts/probe-image.mjs"), "--tag", TEST_IMAGE], {
    cwd: root,
    encoding: "utf8",
    env: podmanEnv(),
    maxBuffer: 16 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

export interface ContainerRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From `podman run` to its exit, measured by the parent. */
  readonly wallMs: number;
}

/**
 * Runs the probe image the way the gate runs in a task: host network (the router is on the host's loopback
 * here, as it is on the task's in awsvpc mode), read-only root, the non-root user, the given environment.
 */
export function runProbeContainer(
  env: Readonly<Record<string, string>>,
  options: { image?: string; killAfterMs?: number; args?: readonly string[] } = {},
): Promise<ContainerRun> {
  const name = `probe-test-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
  const envArgs = Object.entries(env).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
  const args = [
    "--runtime",
    "runc",
    "run",
    "--rm",
    "--name",
    name,
    "--network",
    "host",
    "--read-only",
    "--user",
    "65532:65532",
    ...envArgs,
    options.image ?? TEST_IMAGE,
    ...(options.args ?? []),
  ];
  const started = performance.now();
  const child = spawn("podman", args, { env: podmanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const killer = setTimeout(() => {
    podmanSync(["rm", "--force", name]);
    child.kill("SIGKILL");
  }, options.killAfterMs ?? 90_000);
  return new Promise((done) => {
    child.on("close", (code) => {
      clearTimeout(killer);
      done({ code, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}
