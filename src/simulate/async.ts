/**
 * The Monte Carlo for long runs: in chunks that yield to the event loop (so Ctrl-C can abort with partial
 * results and progress can be shown), optionally over worker threads.
 */
import { Worker } from "node:worker_threads";
import {
  assembleResult,
  COLUMNS,
  newTable,
  type RunTable,
  runRange,
  type SimulateOptions,
  type SimulationResult,
  simulatorsFor,
  type Variant,
} from "./montecarlo.js";
import { previousVersionPlan } from "./plan.js";
import type { Scenario } from "./scenario.js";
import type { WorkerInit, WorkerJob } from "./worker.js";

/**
 * Runs per slice in this thread between two looks at the event loop (Ctrl-C, progress): a few tens of
 * milliseconds of work, so an abort is seen well within a second even on a loaded machine.
 */
const SLICE = 512;
/**
 * At most this many runs per job sent to a worker thread (fewer for short runs, so every worker gets
 * several): an interrupted run keeps the jobs finished before the interruption.
 */
const WORKER_JOB = 2048;
/** Below this, starting threads costs more than it saves. */
const MIN_RUNS_FOR_WORKERS = 2048;

function copyInto(dst: RunTable, src: RunTable, at: number): void {
  for (const c of COLUMNS) dst[c].set(src[c], at);
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Run every variant for `runs` deployments. Resolves with partial results when `signal` aborts: the runs
 * counted are the contiguous prefix [0, completedRuns).
 */
export async function runVariantsAsync(
  variants: readonly Variant[],
  scenario: Scenario,
  options: SimulateOptions,
): Promise<SimulationResult> {
  const runs = Math.max(0, Math.floor(options.runs ?? 1000));
  const seed = (options.seed ?? 1) >>> 0;
  const started = performance.now();
  const tables = variants.map(() => newTable(runs));
  const workers = Math.max(0, Math.floor(options.workers ?? 0));
  let done: number;
  if (workers > 1 && runs > MIN_RUNS_FOR_WORKERS) {
    done = await withWorkers(variants, scenario, seed, runs, workers, tables, options);
  } else {
    const sims = simulatorsFor(variants, scenario);
    done = 0;
    while (done < runs && !options.signal?.aborted) {
      const to = Math.min(runs, done + SLICE);
      sims.forEach((sim, k) => {
        runRange(sim, seed, done, to, tables[k] as RunTable);
      });
      done = to;
      options.onProgress?.(done * variants.length, runs * variants.length);
      await yieldNow();
    }
  }
  return assembleResult(variants, scenario, tables, done, {
    runs,
    seed,
    trace: options.trace ?? true,
    interrupted: done < runs,
    started,
    workers: workers > 1 ? workers : 0,
  });
}

/**
 * Start a worker: the built worker.js next to this file, or, when running from the TypeScript source
 * (tests, tsx), worker.ts loaded through tsx's loader, registered inside the worker first.
 */
function startWorker(init: WorkerInit): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./worker.js", import.meta.url), { workerData: init });
  const src = JSON.stringify(new URL("./worker.ts", import.meta.url).href);
  const code = `import("tsx/esm/api").then((m) => { m.register(); return import(${src}); });`;
  return new Worker(code, { eval: true, workerData: init });
}

/** Resolves when `signal` aborts (never without one); `dispose` removes the listener. */
function abortOf(signal: AbortSignal | undefined): { aborted: Promise<void>; dispose: () => void } {
  let dispose = () => {};
  const aborted = new Promise<void>((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) {
      resolve();
      return;
    }
    const onAbort = () => resolve();
    signal.addEventListener("abort", onAbort, { once: true });
    dispose = () => signal.removeEventListener("abort", onAbort);
  });
  return { aborted, dispose };
}

/**
 * Runs the jobs on `count` worker threads, each taking the next job when it is done. On abort the workers
 * are terminated at once, mid-job (a job's runs are lost, not its correctness): stopping must not wait for
 * the jobs in flight.
 */
async function withWorkers(
  variants: readonly Variant[],
  scenario: Scenario,
  seed: number,
  runs: number,
  count: number,
  tables: RunTable[],
  options: SimulateOptions,
): Promise<number> {
  const init: WorkerInit = {
    plans: variants.map((v) => v.plan),
    previous: previousVersionPlan(scenario),
    scenario,
    seed,
  };
  const jobSize = Math.max(SLICE, Math.min(WORKER_JOB, Math.ceil(runs / (count * 4))));
  const jobs: WorkerJob[] = [];
  for (let from = 0; from < runs; from += jobSize) jobs.push({ from, to: Math.min(runs, from + jobSize) });
  const finished = new Uint8Array(jobs.length);
  let next = 0;
  let doneRuns = 0;
  const { signal } = options;
  const pool = Array.from({ length: Math.min(count, jobs.length) }, () => startWorker(init));
  const stop = abortOf(signal);
  try {
    const all = Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const give = () => {
              if (signal?.aborted || next >= jobs.length) {
                resolve();
                return;
              }
              worker.postMessage(jobs[next++]);
            };
            worker.on("message", (msg: { from: number; to: number; tables: RunTable[] }) => {
              if (signal?.aborted) return;
              msg.tables.forEach((t, k) => {
                copyInto(tables[k] as RunTable, t, msg.from);
              });
              finished[msg.from / jobSize] = 1;
              doneRuns += msg.to - msg.from;
              options.onProgress?.(doneRuns * variants.length, runs * variants.length);
              give();
            });
            worker.on("error", reject);
            give();
          }),
      ),
    );
    await Promise.race([all, stop.aborted]);
  } finally {
    stop.dispose();
    await Promise.all(pool.map((w) => w.terminate()));
  }
  // Only the contiguous prefix of finished jobs counts.
  let prefix = 0;
  for (let j = 0; j < jobs.length && finished[j]; j++) prefix = (jobs[j] as WorkerJob).to;
  return prefix;
}
