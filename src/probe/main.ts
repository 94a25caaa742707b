/**
 * Entry of the standalone bundle (dist/probe.mjs): executed as a script, it runs the probe and exits with its
 * code; imported, it runs nothing (the main CLI's `probe` command calls cli.ts instead).
 *
 * The gate's promise is one JSON line on stdout whatever happens, so this entry owns every way a Node process
 * can end early: an uncaught exception or rejection, a signal (ECS stops containers with SIGTERM), and memory
 * growth that would otherwise end in V8's out-of-memory abort (exit 134, no line): a guard checks the resident
 * set and fails the gate in words before that.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { probeMain } from "./cli.js";
import { PROBE_EXIT, PROBE_MEMORY_GUARD_MIB } from "./contract.js";
import { probeVersion } from "./version.js";

/** How often the memory guard looks: growth of a few hundred MB/s still leaves it several looks. */
const MEMORY_CHECK_MS = 50;
/** After a signal the run reports within milliseconds; if it does not, the process still ends with a line. */
const SIGNAL_GRACE_MS = 1500;

function isEntry(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

function exitAfterFlush(code: number): void {
  // Exit at once: a lingering keep-alive socket or timer must not hold the gate open.
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

async function runAsEntry(): Promise<void> {
  // The probe waits on sockets; V8's optimising compiler would only add its own memory (~4 MB of a ~50 MB
  // RSS budget) to a run that lasts two seconds. --no-opt is read each time a function would be optimised,
  // so it takes effect though the VM has already started.
  v8.setFlagsFromString("--no-opt");
  // Whether the JSON line (or --help) is out: a fatal path after it must not print a second one.
  let reported = false;
  let exitCode: number | null = null;
  const stdout = {
    write(chunk: string): boolean {
      reported = true;
      return process.stdout.write(chunk);
    },
  };
  const fatal = (reason: string) => {
    if (!reported) {
      reported = true;
      const line = {
        probe: "firelens-preflight",
        version: probeVersion(),
        ok: false,
        exitCode: PROBE_EXIT.failed,
        level: "none",
        reason,
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
      process.stderr.write(`firelens-preflight: FAILED (exit ${PROBE_EXIT.failed}): ${reason}\n`);
    }
    exitAfterFlush(exitCode ?? PROBE_EXIT.failed);
  };
  const internal = (err: unknown) =>
    fatal(`internal error: ${err instanceof Error ? err.message : String(err)}`);
  process.on("uncaughtException", internal);
  process.on("unhandledRejection", internal);
  // A closed stdout (EPIPE) must not turn into an uncaught error.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});

  const limit = PROBE_MEMORY_GUARD_MIB * 2 ** 20;
  const guard = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss <= limit) return;
    clearInterval(guard);
    fatal(
      `memory guard: the probe's resident memory reached ${Math.round(rss / 2 ** 20)} MiB, over its limit of ${PROBE_MEMORY_GUARD_MIB} MiB`,
    );
  }, MEMORY_CHECK_MS);
  guard.unref();

  // Signals are taken from the first line of the probe's own code on; the run turns an abort into its
  // "interrupted" result (exit 1), and a run that does not wind down in time still ends with a line.
  const interrupt = new AbortController();
  for (const name of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.on(name, () => {
      interrupt.abort(name);
      setTimeout(() => fatal(`interrupted (${name}); the run did not stop in time`), SIGNAL_GRACE_MS).unref();
    });
  }

  const code = await probeMain(
    process.argv.slice(2),
    process.env,
    { stdout, stderr: process.stderr },
    // performance.now() counts from the process start: the deadline covers Node's own start-up too.
    { startedAt: 0, signal: interrupt.signal },
  );
  exitCode = code;
  exitAfterFlush(code);
}

if (isEntry()) await runAsEntry();
