/**
 * The container engine, driven through its CLI: Podman or Docker, whichever answers here. Both take the same
 * arguments for what the rehearsal needs (`run`, `--network none`, `--network container:<name>`, `wait`, `logs`,
 * `rm -f`, `image inspect`, `pull`); the one difference used is that `podman rm` takes `--time 0`.
 */
import { spawn } from "node:child_process";

export type EngineName = "docker" | "podman";
export const ENGINES: readonly EngineName[] = ["podman", "docker"];

export interface Engine {
  readonly name: EngineName;
  readonly env: NodeJS.ProcessEnv;
}

/** The rehearsal cannot run on this machine (no engine, no image); nothing was started. */
export class RehearseSetupError extends Error {
  override readonly name = "RehearseSetupError";
}

export interface ExecResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The command could not be started at all (not installed). */
  readonly missing: boolean;
}

export function exec(
  engine: Pick<Engine, "name" | "env">,
  args: readonly string[],
  opts: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number; readonly signal?: AbortSignal } = {},
): Promise<ExecResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    const child = spawn(engine.name, [...args], {
      env: { ...engine.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
      ...(opts.signal === undefined ? {} : { signal: opts.signal, killSignal: "SIGKILL" as const }),
    });
    const timer =
      opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    child.on("error", () => {
      if (timer) clearTimeout(timer);
      resolve({ code: null, stdout, stderr, missing: true });
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr, missing: false });
    });
  });
}

/** Whether the engine answers: Podman needs no daemon; Docker's client must reach its daemon. */
async function usable(name: EngineName, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const format = name === "docker" ? "{{.Server.Version}}" : "{{.Client.Version}}";
  const r = await exec({ name, env }, ["version", "--format", format], { timeoutMs: 15_000 });
  if (r.missing) return `${name} is not installed`;
  if (r.code !== 0) {
    const why = r.stderr.trim().split("\n").pop() ?? "";
    return `${name} does not answer${why === "" ? "" : ` (${why})`}`;
  }
  return undefined;
}

/** The engine to use: the one asked for, or the first of podman, docker that answers. */
export async function findEngine(wanted: EngineName | undefined, env: NodeJS.ProcessEnv): Promise<Engine> {
  const candidates = wanted === undefined ? ENGINES : [wanted];
  const reasons: string[] = [];
  for (const name of candidates) {
    const why = await usable(name, env);
    if (why === undefined) return { name, env };
    reasons.push(why);
  }
  throw new RehearseSetupError(
    wanted === undefined
      ? `no container engine: ${reasons.join("; ")}. Install Podman or Docker (rehearse drives either through its CLI)`
      : `${reasons.join("; ")} (--engine ${wanted}); the other engine is ${wanted === "docker" ? "podman" : "docker"}`,
  );
}

/** Makes sure the image is there, as `--pull` says. */
export async function ensureImage(
  engine: Engine,
  image: string,
  pull: "missing" | "always" | "never",
): Promise<"present" | "pulled"> {
  const present = (await exec(engine, ["image", "inspect", "--format", "{{.Id}}", image])).code === 0;
  if (pull === "never" || (pull === "missing" && present)) {
    if (present) return "present";
    throw new RehearseSetupError(`image ${image} is not present and --pull never forbids pulling it`);
  }
  const r = await exec(engine, ["pull", image], { timeoutMs: 600_000 });
  if (r.code !== 0) {
    const why = r.stderr.trim().split("\n").pop() ?? "";
    throw new RehearseSetupError(`cannot pull ${image} with ${engine.name}: ${why}`);
  }
  return "pulled";
}

/** Removes containers at once, whatever their state (no stop grace: they are ours and disposable). */
export async function removeContainers(engine: Engine, names: readonly string[]): Promise<void> {
  // One at a time: a container already gone must not keep the others (some engines stop at the first). A
  // removal racing another one (Ctrl-C while the router's end removes the sidecar) is checked and tried again.
  for (const name of names) {
    const args =
      engine.name === "podman" ? ["rm", "-f", "--ignore", "--time", "0", name] : ["rm", "-f", name];
    for (let attempt = 0; attempt < 5; attempt++) {
      await exec(engine, args, { timeoutMs: 30_000 });
      const left = await exec(engine, ["container", "inspect", "--format", "{{.Id}}", name], {
        timeoutMs: 30_000,
      });
      if (left.code !== 0) break;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
