import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const BIN = resolve("dist/cli/main.js");

/** Runs the built CLI as a user would: a child process, no TTY, no colors. */
export function cli(args: readonly string[], input?: string, cwd?: string): CliRun {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    input,
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
