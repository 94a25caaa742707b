import { probeMain } from "../../probe/index.js";
import type { Streams } from "../io.js";

/**
 * `probe` hands its arguments to the probe's own parser untouched: the standalone bundle
 * (dist/probe.mjs) and this command must accept exactly the same flags and environment.
 */
export async function runProbeCommand(args: readonly string[], streams: Streams): Promise<number> {
  return probeMain(args, streams.env, { stdout: streams.stdout, stderr: streams.stderr });
}
