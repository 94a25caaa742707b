import { probeMain } from "../../probe/index.js";

/**
 * `probe` hands its arguments to the probe's own parser untouched: the standalone bundle
 * (dist/probe.mjs) and this command must accept exactly the same flags and environment.
 */
export async function runProbeCommand(args: readonly string[]): Promise<number> {
  return probeMain(args, process.env, { stdout: process.stdout, stderr: process.stderr });
}
