/**
 * The CLI bundle's entry (dist/cli/run.js): `main` runs the CLI once with the streams it is given (in process,
 * for tests and embedders) and returns the exit code; `start` runs it as the process, for the bin.
 */
import { ioReason } from "./errors.js";
import { processStreams } from "./io.js";
import { main } from "./program.js";

export { main };

export function start(): void {
  for (const [name, stream] of [
    ["<stdout>", process.stdout],
    ["<stderr>", process.stderr],
  ] as const) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      // `firelens-preflight lint … | head` closes the pipe early; that is the reader's choice, not an error.
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      // A full disk or a closed terminal under `> file`: an output error, exit 2, said where it can be.
      if (stream === process.stdout)
        process.stderr.write(`error: cannot write ${name}: ${ioReason(error)}\n`);
      process.exit(2);
    });
  }
  // No top-level await: the CLI ships as CommonJS, which Node loads faster than ES modules.
  main(process.argv.slice(2), processStreams()).then((code) => {
    process.exitCode = code;
  });
}
