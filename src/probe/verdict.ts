/**
 * Pure judgement of metrics snapshots: per-output deltas against the baseline, and what they prove.
 *
 * Output names (`datadog.0`, `datadog.1`, aliases) do not say which container they serve, since FireLens
 * outputs match `{container}-firelens*`; so the probe sums deltas over every output except the `null` ones
 * (FireLens's own `firelens-healthcheck` sink), and any new failure counter on any of them is a failure.
 * The datadog output reports a refused or unreachable destination as `retries`/`retried_records` with
 * `errors` at 0, and `retries_failed` only moves after back-offs far beyond any gate deadline, so a new retry
 * is the first and only early sign of a failed first flush.
 */
import type { MetricsSnapshot, OutputCounters } from "./monitor.js";

export interface OutputDelta {
  readonly procRecords: number;
  readonly errors: number;
  readonly retries: number;
  readonly retriesFailed: number;
  readonly droppedRecords: number;
  readonly retriedRecords: number;
}

export type Assessment =
  /** Not enough processed yet, nothing wrong. */
  | {
      readonly kind: "pending";
      readonly processed: number;
      readonly deltas: Readonly<Record<string, OutputDelta>>;
    }
  | {
      readonly kind: "flushed";
      readonly processed: number;
      readonly deltas: Readonly<Record<string, OutputDelta>>;
    }
  | {
      readonly kind: "failed";
      readonly output: string;
      readonly reason: string;
      readonly processed: number;
      readonly deltas: Readonly<Record<string, OutputDelta>>;
    }
  /** A counter went backwards: a different process answers now. */
  | {
      readonly kind: "restarted";
      readonly reason: string;
      readonly processed: number;
      readonly deltas: Readonly<Record<string, OutputDelta>>;
    }
  /** The router has no output the records could reach. */
  | {
      readonly kind: "no-outputs";
      readonly reason: string;
      readonly processed: 0;
      readonly deltas: Record<string, never>;
    };

export const ZERO_COUNTERS: OutputCounters = {
  procRecords: 0,
  procBytes: 0,
  errors: 0,
  retries: 0,
  retriesFailed: 0,
  droppedRecords: 0,
  retriedRecords: 0,
};

/** An all-zero baseline: what a router that has not published its first snapshot has counted. */
export function zeroBaseline(): MetricsSnapshot {
  return { source: "v1", outputs: {}, uptimeSec: null };
}

/** `null.0`, `null.3`: FireLens's health-check sink, which proves nothing about the app's path. */
export function isNullOutput(name: string): boolean {
  return /^null\.\d+$/.test(name);
}

function delta(base: OutputCounters, now: OutputCounters): OutputDelta {
  return {
    procRecords: now.procRecords - base.procRecords,
    errors: now.errors - base.errors,
    retries: now.retries - base.retries,
    retriesFailed: now.retriesFailed - base.retriesFailed,
    droppedRecords: now.droppedRecords - base.droppedRecords,
    retriedRecords: now.retriedRecords - base.retriedRecords,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "output datadog.1: 1 retry, 5 records retried, 0 processed — the first flush failed (…)". */
export function describeFailure(name: string, d: OutputDelta): string {
  const parts: string[] = [];
  if (d.errors > 0) parts.push(plural(d.errors, "error"));
  if (d.retries > 0) parts.push(plural(d.retries, "retry", "retries"));
  if (d.retriedRecords > 0) parts.push(`${plural(d.retriedRecords, "record")} retried`);
  if (d.retriesFailed > 0) parts.push(plural(d.retriesFailed, "retry failed", "retries failed"));
  if (d.droppedRecords > 0) parts.push(`${plural(d.droppedRecords, "record")} dropped`);
  parts.push(`${Math.max(0, d.procRecords)} processed`);
  let why: string;
  // FLB_ERROR counts an error and drops the chunk; a spent retry limit counts retries_failed and drops it:
  // name the cause, not its consequence.
  if (d.errors > 0) why = "the output's flush failed with an error (records rejected, not retried)";
  else if (d.retriesFailed > 0) why = "the output gave up on records after its retry limit";
  else if (d.droppedRecords > 0) why = "the router dropped records";
  else why = "the first flush failed (destination refused or unreachable)";
  return `output ${name}: ${parts.join(", ")} — ${why}`;
}

function isFailure(d: OutputDelta): boolean {
  return d.errors > 0 || d.retries > 0 || d.retriedRecords > 0 || d.retriesFailed > 0 || d.droppedRecords > 0;
}

/**
 * Compares `current` with `baseline` for `sent` probe records. Outputs absent from the baseline count from
 * zero (an all-zero baseline is the not-yet state of a router younger than its first snapshot).
 */
export function assess(baseline: MetricsSnapshot, current: MetricsSnapshot, sent: number): Assessment {
  const deltas: Record<string, OutputDelta> = {};
  const names = Object.keys(current.outputs).filter((n) => !isNullOutput(n));
  if (names.length === 0) {
    const all = Object.keys(current.outputs);
    return {
      kind: "no-outputs",
      reason: `the router has no output besides ${all.length === 0 ? "none" : all.join(", ")}: the probe's records reach no destination`,
      processed: 0,
      deltas: {},
    };
  }
  let processed = 0;
  let restarted: string | null = null;
  let failed: { name: string; d: OutputDelta } | null = null;
  for (const name of names) {
    const now = current.outputs[name] ?? ZERO_COUNTERS;
    const d = delta(baseline.outputs[name] ?? ZERO_COUNTERS, now);
    deltas[name] = d;
    const backwards = (Object.keys(d) as (keyof OutputDelta)[]).find((k) => d[k] < 0);
    if (backwards !== undefined && restarted === null) {
      restarted = `output ${name}: counter ${backwards} went backwards — the router restarted`;
    }
    if (failed === null && isFailure(d)) failed = { name, d };
    processed += Math.max(0, d.procRecords);
  }
  for (const name of Object.keys(baseline.outputs)) {
    if (!isNullOutput(name) && current.outputs[name] === undefined && restarted === null) {
      restarted = `output ${name} disappeared from the metrics — the router restarted with another configuration`;
    }
  }
  if (restarted !== null) return { kind: "restarted", reason: restarted, processed, deltas };
  if (failed !== null) {
    return {
      kind: "failed",
      output: failed.name,
      reason: describeFailure(failed.name, failed.d),
      processed,
      deltas,
    };
  }
  if (processed >= sent) return { kind: "flushed", processed, deltas };
  return { kind: "pending", processed, deltas };
}

/** Uptime must never go backwards; an answer in seconds can only stay or grow between polls. */
export function uptimeWentBackwards(previous: number | null, next: number): boolean {
  return previous !== null && next < previous;
}
