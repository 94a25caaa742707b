/**
 * Monte Carlo over many deployments: run i uses seed (seed, i) whatever the batch, worker or order it runs
 * in, so any run can be replayed alone (that is how the report traces its representative deploy) and the
 * two sides of a comparison see the same random draws for the same task.
 */
import type { FirstFlushCrash } from "../model/index.js";
import { DeploymentSimulator, type RunResult, type RunTrace } from "./engine.js";
import { type ContainerSource, compileTask, previousVersionPlan, type TaskPlan } from "./plan.js";
import type { Scenario } from "./scenario.js";

/** Per-run figures, one column per figure (compact, transferable between worker threads). */
export const COLUMNS = [
  "sent",
  "succeeded",
  "failed",
  "failed502",
  "failed503",
  "completed",
  "durationSeconds",
  "circuitBreakerTripped",
  "rolledBack",
  "tasksLaunched",
  "tasksFailed",
  "tasksStoppedBeforeTraffic",
  "tasksStoppedBeforeRegistration",
  "tasksHung",
  "routerCrashes",
  "gateFailures",
] as const;
type Column = (typeof COLUMNS)[number];
export type RunTable = Record<Column, Float64Array>;

export function newTable(n: number): RunTable {
  const t = {} as RunTable;
  for (const c of COLUMNS) t[c] = new Float64Array(n);
  return t;
}

function storeRun(table: RunTable, i: number, r: RunResult): void {
  table.sent[i] = r.sent;
  table.succeeded[i] = r.succeeded;
  table.failed[i] = r.failed;
  table.failed502[i] = r.failed502;
  table.failed503[i] = r.failed503;
  table.completed[i] = r.completed ? 1 : 0;
  table.durationSeconds[i] = r.durationSeconds;
  table.circuitBreakerTripped[i] = r.circuitBreakerTripped ? 1 : 0;
  table.rolledBack[i] = r.rolledBack ? 1 : 0;
  table.tasksLaunched[i] = r.tasksLaunched;
  table.tasksFailed[i] = r.tasksFailed;
  table.tasksStoppedBeforeTraffic[i] = r.tasksStoppedBeforeTraffic;
  table.tasksStoppedBeforeRegistration[i] = r.tasksStoppedBeforeRegistration;
  table.tasksHung[i] = r.tasksHung;
  table.routerCrashes[i] = r.routerCrashes;
  table.gateFailures[i] = r.gateFailures;
}

/** Run deployments [from, to) into `table` at offset `from - base`. */
export function runRange(
  sim: DeploymentSimulator,
  seed: number,
  from: number,
  to: number,
  table: RunTable,
  base = 0,
): void {
  for (let i = from; i < to; i++) storeRun(table, i - base, sim.run(seed, i));
}

export interface Stats {
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly min: number;
  /** How many runs the figure is over (deploy duration: completed runs only). */
  readonly n: number;
}

export interface Histogram {
  /** Bin i holds values in [edges[i], edges[i+1]). */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  /** `log`: bins grow 1, 2, 5 per decade from 1, so the tail keeps its shape; `linear`: equal widths. */
  readonly scale: "log" | "linear";
  /** Values exactly 0, counted apart from the bins (log scale only: a deploy that failed no request). */
  readonly zero: number | null;
}

/** Nearest-rank percentiles. NaN values (deploys that never completed) are left out. */
function stats(values: Float64Array): Stats {
  const finite = values.filter((x) => !Number.isNaN(x));
  const n = finite.length;
  if (n === 0)
    return {
      mean: Number.NaN,
      p50: Number.NaN,
      p95: Number.NaN,
      p99: Number.NaN,
      max: Number.NaN,
      min: Number.NaN,
      n,
    };
  const sorted = finite.sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] as number;
  const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] as number;
  return {
    mean: sum / n,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[n - 1] as number,
    min: sorted[0] as number,
    n,
  };
}

/** `bins` equal bins over [lo, hi] (one bin when the range is empty). */
function linearHistogram(values: Float64Array, lo: number, hi: number, bins: number): Histogram {
  const n = hi > lo ? bins : 1;
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(n).fill(0);
  for (const x of values) {
    if (Number.isNaN(x)) continue;
    const b = Math.min(n - 1, Math.max(0, Math.floor((x - lo) / width)));
    counts[b] = (counts[b] ?? 0) + 1;
  }
  const edges = Array.from({ length: n + 1 }, (_, i) => lo + i * width);
  return { edges, counts, scale: "linear", zero: null };
}

/** 1, 2, 5, 10, 20, 50 … up to the first edge above `max`. */
function logEdges(max: number): number[] {
  const edges = [1];
  for (let decade = 1; (edges.at(-1) as number) <= max; decade *= 10) {
    for (const m of [2, 5, 10]) {
      edges.push(m * decade);
      if (m * decade > max) break;
    }
  }
  return edges;
}

/** Non-negative counts: zeros apart, the rest in 1-2-5 bins up to `max` (shared by the variants). */
function logHistogram(values: Float64Array, max: number): Histogram {
  const edges = logEdges(max);
  const counts = new Array<number>(edges.length - 1).fill(0);
  let zero = 0;
  for (const x of values) {
    if (Number.isNaN(x)) continue;
    if (x <= 0) {
      zero++;
      continue;
    }
    let b = 0;
    while (b < counts.length - 1 && x >= (edges[b + 1] as number)) b++;
    counts[b] = (counts[b] ?? 0) + 1;
  }
  return { edges, counts, scale: "log", zero };
}

export interface PlanSummary {
  readonly containers: readonly string[];
  readonly router: string | null;
  readonly gate: string | null;
  readonly gateKind: "probe" | "sleep" | null;
  readonly target: string;
  readonly implicitRouterDependencies: boolean;
  readonly notes: readonly string[];
  /**
   * Routers whose image has a known crash on startup or the first flush this task reaches (FLP202's known
   * crash): `firelens-preflight rehearse` shows it on the machine before a deploy (issue 24 item 6).
   */
  readonly knownFirstFlushCrashes: readonly FirstFlushCrash[];
}

export interface VariantResult {
  /** `given` (the task definition as it is) or `gated` (after `fix`). */
  readonly label: string;
  readonly runs: number;
  readonly plan: PlanSummary;
  readonly requests: {
    readonly sent: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly failed502: number;
    readonly failed503: number;
  };
  /** Failed requests per deploy. */
  readonly failedRequests: Stats;
  /** Deploys with at least one failed request. */
  readonly deploysWithFailures: number;
  /** Seconds to steady state, over the deploys that got there. */
  readonly deployDuration: Stats;
  readonly completed: number;
  readonly circuitBreakerTrips: number;
  readonly rollbacks: number;
  readonly tasksLaunched: number;
  readonly tasksFailed: number;
  /** New-version tasks that stopped before the ALB ever routed to them. */
  readonly tasksStoppedBeforeTraffic: number;
  readonly tasksStoppedBeforeRegistration: number;
  /** New-version tasks that hung before RUNNING (never stopped, never took traffic). */
  readonly tasksHung: number;
  readonly routerCrashes: number;
  readonly deploysWithRouterCrash: number;
  readonly gateFailures: number;
  readonly histograms: { readonly failedRequests: Histogram; readonly deployDuration: Histogram };
  /** One deploy traced in full, for the timeline (see `representative` on the result). */
  readonly trace: RunTrace | null;
}

export interface SimulationResult {
  readonly scenario: string;
  readonly description: string;
  readonly seed: number;
  /** Runs asked for. */
  readonly runs: number;
  /** Runs done (fewer than `runs` when interrupted). */
  readonly completedRuns: number;
  readonly interrupted: boolean;
  readonly variants: readonly VariantResult[];
  /** Index of the traced run, shared by every variant. */
  readonly representative: number | null;
  readonly elapsedMs: number;
  readonly workers: number;
}

export interface SimulateOptions {
  /** @default 1000 */
  readonly runs?: number;
  /** @default 1 */
  readonly seed?: number;
  /** Trace a representative deploy for the timeline. @default true */
  readonly trace?: boolean;
  /** Worker threads (simulateAsync only); 0 or 1 = this thread. @default 0 */
  readonly workers?: number;
  /** Called now and then with runs done so far (summed over variants). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stop early; the result then holds the runs done so far (simulateAsync only). */
  readonly signal?: AbortSignal;
}

export interface Variant {
  readonly label: string;
  readonly plan: TaskPlan;
}

function summarizePlan(plan: TaskPlan): PlanSummary {
  const name = (i: number) => (i >= 0 ? (plan.containers[i]?.name ?? null) : null);
  return {
    containers: plan.containers.map((c) => c.name),
    router: name(plan.router),
    gate: name(plan.gate),
    gateKind: plan.gateKind,
    target: name(plan.target) ?? "",
    implicitRouterDependencies: plan.implicitRouterDeps,
    notes: plan.notes,
    knownFirstFlushCrashes: plan.knownFirstFlushCrashes,
  };
}

export function variantOf(label: string, source: ContainerSource, scenario: Scenario): Variant {
  return { label, plan: compileTask(source, scenario) };
}

function sum(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] as number;
  return s;
}

function count(a: Float64Array, n: number, pred: (x: number) => boolean): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (pred(a[i] as number)) c++;
  return c;
}

/** Aggregate the first `n` rows of a table. */
function aggregate(
  label: string,
  plan: TaskPlan,
  table: RunTable,
  n: number,
  trace: RunTrace | null,
  range?: HistogramRange,
): VariantResult {
  const sl = (c: Column) => table[c].subarray(0, n);
  const failed = sl("failed");
  const duration = sl("durationSeconds");
  const fStats = stats(failed);
  const dStats = stats(duration);
  const r = range ?? histogramRange([table], n);
  return {
    label,
    runs: n,
    plan: summarizePlan(plan),
    requests: {
      sent: sum(table.sent, n),
      succeeded: sum(table.succeeded, n),
      failed: sum(table.failed, n),
      failed502: sum(table.failed502, n),
      failed503: sum(table.failed503, n),
    },
    failedRequests: fStats,
    deploysWithFailures: count(failed, n, (x) => x > 0),
    deployDuration: dStats,
    completed: sum(table.completed, n),
    circuitBreakerTrips: sum(table.circuitBreakerTripped, n),
    rollbacks: sum(table.rolledBack, n),
    tasksLaunched: sum(table.tasksLaunched, n),
    tasksFailed: sum(table.tasksFailed, n),
    tasksStoppedBeforeTraffic: sum(table.tasksStoppedBeforeTraffic, n),
    tasksStoppedBeforeRegistration: sum(table.tasksStoppedBeforeRegistration, n),
    tasksHung: sum(table.tasksHung, n),
    routerCrashes: sum(table.routerCrashes, n),
    deploysWithRouterCrash: count(sl("routerCrashes"), n, (x) => x > 0),
    gateFailures: sum(table.gateFailures, n),
    histograms: {
      failedRequests: logHistogram(failed, r.failedMax),
      deployDuration: linearHistogram(duration, r.durationMin, r.durationMax, 20),
    },
    trace,
  };
}

/** Shared histogram bounds, so the variants of a comparison are binned alike. */
interface HistogramRange {
  readonly failedMax: number;
  readonly durationMin: number;
  readonly durationMax: number;
}

function histogramRange(tables: readonly RunTable[], n: number): HistogramRange {
  let failedMax = 0;
  let durationMin = Number.POSITIVE_INFINITY;
  let durationMax = Number.NEGATIVE_INFINITY;
  for (const t of tables) {
    for (let i = 0; i < n; i++) {
      const f = t.failed[i] as number;
      if (f > failedMax) failedMax = f;
      const d = t.durationSeconds[i] as number;
      if (d < durationMin) durationMin = d;
      if (d > durationMax) durationMax = d;
    }
  }
  if (!Number.isFinite(durationMin)) {
    durationMin = 0;
    durationMax = 1;
  }
  return { failedMax, durationMin, durationMax };
}

/**
 * The run to draw: the first where the first variant lost requests to a router crash, else the first with
 * a crash, else run 0.
 */
function pickRepresentative(table: RunTable, n: number): number | null {
  if (n === 0) return null;
  for (let i = 0; i < n; i++)
    if ((table.routerCrashes[i] as number) > 0 && (table.failed[i] as number) > 0) return i;
  for (let i = 0; i < n; i++) if ((table.routerCrashes[i] as number) > 0) return i;
  return 0;
}

export function simulatorsFor(variants: readonly Variant[], scenario: Scenario): DeploymentSimulator[] {
  const previous = previousVersionPlan(scenario);
  return variants.map((v) => new DeploymentSimulator(v.plan, previous, scenario));
}

/** Build the result from filled tables (shared by the in-thread and worker paths). */
export function assembleResult(
  variants: readonly Variant[],
  scenario: Scenario,
  tables: readonly RunTable[],
  done: number,
  opts: {
    runs: number;
    seed: number;
    trace: boolean;
    interrupted: boolean;
    started: number;
    workers: number;
  },
): SimulationResult {
  const first = tables[0];
  const rep = opts.trace && first ? pickRepresentative(first, done) : null;
  const sims = rep === null ? [] : simulatorsFor(variants, scenario);
  const range = histogramRange(tables, done);
  const out = variants.map((v, k) => {
    const table = tables[k] as RunTable;
    const trace = rep === null ? null : (sims[k]?.traceRun(opts.seed, rep) ?? null);
    return aggregate(v.label, v.plan, table, done, trace, range);
  });
  return {
    scenario: scenario.name,
    description: scenario.description,
    seed: opts.seed,
    runs: opts.runs,
    completedRuns: done,
    interrupted: opts.interrupted,
    variants: out,
    representative: rep,
    elapsedMs: performance.now() - opts.started,
    workers: opts.workers,
  };
}

/** All variants, in this thread, synchronously. */
export function runVariants(
  variants: readonly Variant[],
  scenario: Scenario,
  options: SimulateOptions,
): SimulationResult {
  const runs = Math.max(0, Math.floor(options.runs ?? 1000));
  const seed = (options.seed ?? 1) >>> 0;
  const started = performance.now();
  const sims = simulatorsFor(variants, scenario);
  const tables = variants.map(() => newTable(runs));
  const step = 4096;
  for (let from = 0; from < runs; from += step) {
    const to = Math.min(runs, from + step);
    sims.forEach((sim, k) => {
      runRange(sim, seed, from, to, tables[k] as RunTable);
    });
    options.onProgress?.(to * variants.length, runs * variants.length);
  }
  return assembleResult(variants, scenario, tables, runs, {
    runs,
    seed,
    trace: options.trace ?? true,
    interrupted: false,
    started,
    workers: 0,
  });
}
