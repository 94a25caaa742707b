// The thread that runs the built CLI in process for test/support/cli.ts: it loads the bundle once and runs one
// command per message with in-memory streams, then wakes the waiting test. Plain JavaScript, so Node loads it
// as is, without the test runner's TypeScript transform.
import { createRequire } from "node:module";
import { Readable, Writable } from "node:stream";
import { parentPort, workerData } from "node:worker_threads";

const { main } = createRequire(import.meta.url)(workerData.bundle);

/** A stream that keeps what is written, as a child's piped stdout would (no TTY, so no colours). */
function collector() {
  const chunks = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

let current;
function finish(result) {
  if (current === undefined) return;
  const { port, signal } = current;
  current = undefined;
  port.postMessage(result);
  port.close();
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

// A bug that escapes the CLI's own boundary would kill a child process; here it ends the run as a crash.
process.on("uncaughtException", (error) =>
  finish({ code: null, stdout: "", stderr: "", crash: String(error?.stack ?? error) }),
);
process.on("unhandledRejection", (error) =>
  finish({ code: null, stdout: "", stderr: "", crash: String(error?.stack ?? error) }),
);

parentPort.on("message", async ({ args, input, cwd, env, port, signal }) => {
  current = { port, signal };
  const stdout = collector();
  const stderr = collector();
  // Like spawnSync's pipe: the input if any, then end of file.
  const stdin = Readable.from(input === undefined ? [] : [Buffer.from(input)], { objectMode: false });
  try {
    const code = await main(args, { stdout: stdout.stream, stderr: stderr.stream, stdin, env, cwd });
    finish({ code, stdout: stdout.text(), stderr: stderr.text() });
  } catch (error) {
    finish({
      code: null,
      stdout: stdout.text(),
      stderr: stderr.text(),
      crash: String(error?.stack ?? error),
    });
  }
});
