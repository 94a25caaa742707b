/**
 * Runs the built CLI (dist/) for tests. `cli()` runs it in process, in a thread that loads the bundle once per
 * test worker, through the same entry the bin calls (`main(argv, streams)` in dist/cli/run.js), and blocks until
 * the run ends, so tests read it like a child process. `spawnCli()` starts a real process: for what only a
 * process shows (the bin itself, signals, stream errors, exit status); keep those few.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const BIN = resolve("dist/cli/main.js");
const BUNDLE = resolve("dist/cli/run.js");
const TIMEOUT_MS = 30_000;

/** What every run sees: the caller's environment without colours, as a pipe to a test would. */
function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...extra };
}

let thread: Worker | undefined;

function cliThread(): Worker {
  if (thread === undefined) {
    thread = new Worker(new URL("./cli-worker.mjs", import.meta.url), { workerData: { bundle: BUNDLE } });
    // An idle CLI thread must not keep the test worker alive.
    thread.unref();
  }
  return thread;
}

/**
 * Moves the process into `cwd` for one run: the CLI opens relative paths as the process resolves them. Only a
 * process's main thread can; a test file that passes `cwd` belongs to a project that runs in forks
 * (vitest.config.ts).
 */
function enter(cwd: string | undefined): () => void {
  if (cwd === undefined || resolve(cwd) === process.cwd()) return () => {};
  if (!isMainThread) {
    throw new Error("cli(…, cwd) changes the working directory: run this test file in the forks project");
  }
  const before = process.cwd();
  process.chdir(cwd);
  return () => process.chdir(before);
}

/** Runs the built CLI in process: no TTY, no colours; `input` is stdin (else an empty one). */
export function cli(args: readonly string[], input?: string, cwd?: string): CliRun {
  const leave = enter(cwd);
  try {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    cliThread().postMessage(
      { args: [...args], input, cwd: process.cwd(), env: testEnv(), port: port2, signal },
      [port2],
    );
    if (Atomics.wait(signal, 0, 0, TIMEOUT_MS) === "timed-out") {
      throw new Error(`firelens-preflight ${args.join(" ")}: no result after ${TIMEOUT_MS} ms`);
    }
    const reply = receiveMessageOnPort(port1)?.message as (CliRun & { crash?: string }) | undefined;
    port1.close();
    if (reply === undefined)
      throw new Error(`firelens-preflight ${args.join(" ")}: the CLI thread sent nothing`);
    if (reply.crash !== undefined)
      throw new Error(`firelens-preflight ${args.join(" ")} crashed: ${reply.crash}`);
    return { code: reply.code, stdout: reply.stdout, stderr: reply.stderr };
  } finally {
    leave();
  }
}

/** Runs the built bin as a user would: a child process, no TTY, no colours. */
export function spawnCli(
  args: readonly string[],
  input?: string,
  cwd?: string,
  env?: Record<string, string | undefined>,
): CliRun & { readonly signal: NodeJS.Signals | null } {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    input,
    cwd,
    encoding: "utf8",
    env: testEnv(env),
    timeout: TIMEOUT_MS,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, signal: run.signal };
}
