/**
 * Entry of the standalone bundle (dist/probe.mjs). Importing this module (as the main CLI does) runs
 * nothing; executing it as a script runs the probe and exits with its code.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { probeMain } from "./cli.js";

export type { ProbeMainOptions, ProbeStreams } from "./cli.js";
export { probeMain } from "./cli.js";

function isEntry(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  // The probe waits on sockets; V8's optimising compiler would only add its own memory (~4 MB of a ~50 MB
  // RSS budget) to a run that lasts two seconds. --no-opt is read each time a function would be optimised,
  // so it takes effect though the VM has already started.
  v8.setFlagsFromString("--no-opt");
  // Whatever happens, the gate says so in one JSON line and fails closed: a probe that dies silently
  // would read as a crash of the router's side in the task's events.
  const die = (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stdout.write(
      `${JSON.stringify({ probe: "firelens-preflight", ok: false, exitCode: 1, level: "none", reason: `internal error: ${message}` })}\n`,
    );
    process.exit(1);
  };
  process.on("uncaughtException", die);
  process.on("unhandledRejection", die);
  // A closed stdout (EPIPE) must not turn into an uncaught error.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});
  const code = await probeMain(
    process.argv.slice(2),
    process.env,
    { stdout: process.stdout, stderr: process.stderr },
    // performance.now() counts from the process start: the deadline covers Node's own start-up too.
    { startedAt: 0 },
  );
  // Exit at once: a lingering keep-alive socket or timer must not hold the gate open.
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
