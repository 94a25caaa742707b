/**
 * Why a run reached its deadline, in words, from what the run had seen: a pure function of plain facts, so every
 * branch is testable without a router.
 */
import type { Assessment } from "./verdict.js";

export type Level = "none" | "alive" | "accepted" | "flushed";

export const LEVEL_RANK: Readonly<Record<Level, number>> = { none: 0, alive: 1, accepted: 2, flushed: 3 };

export interface DeadlineFacts {
  readonly deadlineMs: number;
  /** The forward target as shown to people. */
  readonly forward: string;
  /** The forward port ever accepted the probe. */
  readonly connected: boolean;
  readonly lastConnectError: string | null;
  /** The probe was still waiting for the agent's readiness URL (nothing sent yet). */
  readonly waitingForAgent: boolean;
  readonly level: Level;
  readonly required: Exclude<Level, "none">;
  readonly sent: number;
  readonly chunks: number;
  readonly acked: number;
  readonly monitor: {
    readonly answered: boolean;
    readonly sawSnapshot: boolean;
    readonly metricsUnavailable: string | null;
    readonly lastError: string | null;
    readonly assessment: Assessment | null;
  };
  /** The level and the settle window were behind the run: it was waiting for the final liveness ping. */
  readonly finalCheck: boolean;
  readonly pingTag: string;
}

/** Exit code and reason for a run that reached its deadline: 3 when the router never listened, else 1. */
export function explainDeadline(f: DeadlineFacts): { exitCode: 1 | 3; reason: string } {
  const secs = `${f.deadlineMs / 1000} s`;
  if (!f.connected) {
    return {
      exitCode: 3,
      reason: `router never became reachable at ${f.forward} within the deadline of ${secs} (last error: ${f.lastConnectError ?? "none"})`,
    };
  }
  return {
    exitCode: 1,
    reason: `deadline of ${secs} reached at level ${f.level}, ${f.required} required: ${why(f)}`,
  };
}

function why(f: DeadlineFacts): string {
  if (f.waitingForAgent) return "the agent readiness URL never answered 200";
  if (f.level === "alive" && f.chunks > 0 && f.acked < f.chunks) {
    return `the router acknowledged ${f.acked} of ${f.chunks} chunks`;
  }
  if (LEVEL_RANK[f.level] < LEVEL_RANK[f.required] && f.required === "flushed") return whyNotFlushed(f);
  if (f.finalCheck) return `the router did not acknowledge the final liveness ping on tag ${f.pingTag}`;
  return "the settle window did not end before the deadline";
}

function whyNotFlushed(f: DeadlineFacts): string {
  const m = f.monitor;
  if (!m.sawSnapshot) {
    if (m.metricsUnavailable) return `the monitoring server has no usable metrics (${m.metricsUnavailable})`;
    return m.answered
      ? `the monitoring server never published metrics (${m.lastError ?? "404 not yet"})`
      : `the monitoring server accepted connections but never answered in time (${m.lastError ?? "no answer"})`;
  }
  const a = m.assessment;
  const per = a
    ? Object.entries(a.deltas)
        .map(([n, d]) => `${n} +${d.procRecords}`)
        .join(", ")
    : "";
  return `the outputs processed ${a?.processed ?? 0} of ${f.sent} records${per ? ` (${per})` : ""}`;
}
