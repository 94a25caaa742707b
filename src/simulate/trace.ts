/** What a run reports: its figures (`RunResult`) and, for the timeline, everything that happened (`RunTrace`). */
import {
  CONTAINER_STOP_REASONS,
  type ContainerStopReason,
  TASK_STOP_CAUSES,
  TASK_VERSIONS,
  type TaskStopCause,
} from "./codes.js";
import type { TargetState, Task } from "./task.js";

/** What one deployment came to. */
export interface RunResult {
  readonly sent: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Routed to a target whose app was gone (or in flight when it went): ALB 502. */
  readonly failed502: number;
  /** No target to route to: ALB 503. */
  readonly failed503: number;
  readonly completed: boolean;
  /** Seconds from the deploy's start to its steady state (NaN when it did not complete). */
  readonly durationSeconds: number;
  readonly circuitBreakerTripped: boolean;
  readonly rolledBack: boolean;
  /** New-version tasks launched. */
  readonly tasksLaunched: number;
  /** New-version tasks that stopped on their own (essential exit, unhealthy, unable to start). */
  readonly tasksFailed: number;
  readonly tasksStoppedBeforeTraffic: number;
  readonly tasksStoppedBeforeRegistration: number;
  /**
   * New-version tasks that hang before RUNNING: a container waits for ever on a dependency that can no longer
   * be met. They never stop (so the circuit breaker never counts them) and never take traffic; the deploy
   * neither completes nor rolls back because of them.
   */
  readonly tasksHung: number;
  readonly routerCrashes: number;
  /** Tasks the gate failed on purpose (preflight exit non-zero). */
  readonly gateFailures: number;
}

export interface ContainerTrace {
  readonly name: string;
  readonly essential: boolean;
  readonly role: "router" | "gate" | "target" | "other";
  readonly pulledAt: number | null;
  readonly startedAt: number | null;
  readonly readyAt: number | null;
  readonly stoppedAt: number | null;
  readonly exitCode: number | null;
  readonly reason: ContainerStopReason | null;
}

export interface TaskTrace {
  readonly id: number;
  readonly version: (typeof TASK_VERSIONS)[number];
  readonly launchedAt: number;
  readonly stoppedAt: number | null;
  readonly stopCause: TaskStopCause | null;
  /** When the task was found hung before RUNNING (it then never stops on its own), or null. */
  readonly hungAt: number | null;
  readonly containers: readonly ContainerTrace[];
  readonly target: readonly { readonly t: number; readonly state: TargetState }[];
  readonly failures: readonly { readonly t: number; readonly count: number }[];
}

export interface RunTrace {
  readonly result: RunResult;
  readonly tasks: readonly TaskTrace[];
  readonly endTime: number;
  readonly doneAt: number | null;
  readonly rollbackAt: number | null;
}

/** A time, or null when it never happened (NaN inside the engine). */
export const timeOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function roleOf(task: Task, index: number): ContainerTrace["role"] {
  const { plan } = task;
  if (index === plan.router) return "router";
  if (index === plan.gate) return "gate";
  if (index === plan.target) return "target";
  return "other";
}

export function traceOf(t: Task): TaskTrace {
  return {
    id: t.id,
    version: TASK_VERSIONS[t.version],
    launchedAt: t.launchedAt,
    stoppedAt: timeOrNull(t.stoppedAt),
    stopCause: t.stopCause === -1 ? null : TASK_STOP_CAUSES[t.stopCause],
    hungAt: timeOrNull(t.hungAt),
    containers: t.plan.containers.map((c) => {
      const i = c.index;
      const exitCode = t.exitCode[i] as number;
      const reason = t.stopReason[i] as number;
      return {
        name: c.name,
        essential: c.essential,
        role: roleOf(t, i),
        pulledAt: timeOrNull(t.pulledAt[i] as number),
        startedAt: timeOrNull(t.startedAt[i] as number),
        readyAt: t.containerReady[i] ? timeOrNull(t.readyAt[i] as number) : null,
        stoppedAt: timeOrNull(t.containerStoppedAt[i] as number),
        exitCode: exitCode >= 0 ? exitCode : null,
        reason: reason >= 0 ? (CONTAINER_STOP_REASONS[reason] ?? null) : null,
      };
    }),
    target: t.targetLog ?? [],
    failures: t.failureLog ?? [],
  };
}
