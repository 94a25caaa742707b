/**
 * The simulator's enumerations, each declared once, as a list of names. The engine stores a name's
 * position (a small integer: it fits the per-container typed arrays and compares fast in the hot loop);
 * traces and the public types use the name. Adding a name to a list gives it a code everywhere; there is
 * no second list to keep in step.
 */

/** `{ name: position }` for a list of names, each position typed as its own literal. */
type CodesOf<T extends readonly string[]> = {
  readonly [I in keyof T as I extends `${number}`
    ? T[I] & string
    : never]: I extends `${infer N extends number}` ? N : never;
};

/** Any code of an enumeration built by `codesOf`. */
type CodeOf<C> = C[keyof C];

function codesOf<const T extends readonly string[]>(names: T): CodesOf<T> {
  const codes: Record<string, number> = {};
  names.forEach((name, i) => {
    codes[name] = i;
  });
  return Object.freeze(codes) as CodesOf<T>;
}

/** Where a container is in its life; the engine compares codes, so the list is in lifecycle order. */
export const ContainerStatus = codesOf(["notStarted", "running", "stopped"] as const);

/**
 * Where a task is in its life, in lifecycle order (the engine asks "stopping or later" as `>= stopping`).
 * `running` = every essential container (and the load-balanced one) has started.
 */
export const TaskState = codesOf(["pending", "running", "stopping", "stopped"] as const);
export type TaskStateCode = CodeOf<typeof TaskState>;

/** The task definition a task runs: the one being deployed, or the one the service ran before. */
export const TASK_VERSIONS = ["new", "previous"] as const;
export const TaskVersion = codesOf(TASK_VERSIONS);
export type TaskVersionCode = CodeOf<typeof TaskVersion>;

/** Why a container stopped. */
export const CONTAINER_STOP_REASONS = [
  "exited",
  "crashed",
  "CannotStartContainerError",
  "SIGTERM",
  "SIGKILL",
  "never-started",
] as const;
export type ContainerStopReason = (typeof CONTAINER_STOP_REASONS)[number];
export const StopReason = codesOf(CONTAINER_STOP_REASONS);
export type StopReasonCode = CodeOf<typeof StopReason>;

/**
 * Why a task stopped (ECS `stopCode` where there is one; the unhealthy causes are ours). A task blocked on a
 * dependency that can no longer be met is not stopped: it hangs (`Task.hungAt`).
 */
export const TASK_STOP_CAUSES = [
  "EssentialContainerExited",
  "ServiceSchedulerInitiated",
  "UnhealthyTarget",
  "UnhealthyContainer",
] as const;
export type TaskStopCause = (typeof TASK_STOP_CAUSES)[number];
export const StopCause = codesOf(TASK_STOP_CAUSES);
export type StopCauseCode = CodeOf<typeof StopCause>;

/** What an event on the queue is about; `EventQueue` carries the code, `DeploymentSimulator` dispatches on it. */
export const EventKind = codesOf([
  "imagePulled",
  "containerReady",
  "containerHealthy",
  "containerExited",
  "targetRegistered",
  "targetHealthy",
  "targetUnhealthy",
  "unhealthyTargetStop",
  "routingStopped",
  "drainDone",
  "firstRequest",
  "routerCrash",
  "gateVerdict",
  "containerUnhealthy",
] as const);
export type EventKindCode = CodeOf<typeof EventKind>;
