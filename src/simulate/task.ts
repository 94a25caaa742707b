/**
 * One ECS task as the simulator tracks it: its containers, its ALB target, and the random values drawn
 * when it launched. Sources by label ([TDP], [HC] …): the header of engine.ts.
 */
import {
  ContainerStatus,
  type StopCauseCode,
  TaskState,
  type TaskStateCode,
  TaskVersion,
  type TaskVersionCode,
} from "./codes.js";
import type { TaskPlan } from "./plan.js";

/** ALB target states as the timeline shows them. */
export type TargetState = "unregistered" | "initial" | "healthy" | "unhealthy" | "draining" | "gone";

export class Task {
  readonly containerCount: number;
  id = 0;
  /** Launch order within its version: the key of its random draws, so both variants draw alike. */
  serial = 0;
  version: TaskVersionCode = TaskVersion.new;
  launchedAt = 0;
  state: TaskStateCode = TaskState.pending;
  stopCause: StopCauseCode | -1 = -1;
  runningAt = Number.NaN;
  stoppedAt = Number.NaN;
  /**
   * When the task was found hung: pending, nothing left that can move, a container blocked for good. The agent
   * keeps waiting and nothing stops it ([tm.go] progressTask), so it stays pending (NaN while it is not hung).
   */
  hungAt = Number.NaN;
  /** Events on the queue about this task; none left while pending means it can never start. */
  pendingEvents = 0;

  // Per container, by index in the plan.
  readonly containerStatus: Uint8Array;
  readonly imagePulled: Uint8Array;
  readonly containerReady: Uint8Array;
  /** HEALTHY reported at least once (a HEALTHY dependency is confirmed at startup only, [TDP]). */
  readonly containerHealthy: Uint8Array;
  readonly pulledAt: Float64Array;
  readonly startedAt: Float64Array;
  readonly readyAt: Float64Array;
  readonly containerStoppedAt: Float64Array;
  readonly exitCode: Int16Array;
  readonly stopReason: Int8Array;
  /** SIGTERM sent. */
  readonly signalled: Uint8Array;
  readonly bootSeconds: Float64Array;
  readonly sigtermExitSeconds: Float64Array;

  // ALB target.
  registered = false;
  everRegistered = false;
  targetState: TargetState = "unregistered";
  /** The ALB sends it new requests. */
  routable = false;
  /** The app behind it answers. */
  serving = false;
  tookTraffic = false;
  /** Bumped whenever health checks are planned anew; events of an older plan are stale. */
  healthPlanEpoch = 0;
  firstHealthCheckAt = 0;

  // Drawn at launch (draws.ts).
  routerWillCrash = false;
  gateMissesCrash = false;
  /** Where in the flush interval the first flush falls, 0..1. */
  flushPhase = 0;
  crashAfterFlushSeconds = 0;
  crashDetectionSeconds = 0;
  registrationLagSeconds = 0;
  /** Where in the ALB's check interval the target's first check falls, 0..1. */
  healthCheckPhase = 0;
  deregistrationLagSeconds = 0;
  gateVerdictSeconds = 0;
  /** Uniform in (0, 1], turned into the wait for the target's first request once it is healthy. */
  firstRequestDraw = 0;

  // The log path.
  /** Records sent before the router accepted them, held by the log driver until it does ([dte]). */
  recordsBuffered = false;
  routerGotRecords = false;
  gateWorking = false;

  // Trace (traceRun only).
  targetLog: { t: number; state: TargetState }[] | null = null;
  failureLog: { t: number; count: number }[] | null = null;

  /** Allocated once per plan and reused across runs (allocation dominated the hot loop). */
  constructor(readonly plan: TaskPlan) {
    const n = plan.containers.length;
    this.containerCount = n;
    this.containerStatus = new Uint8Array(n);
    this.imagePulled = new Uint8Array(n);
    this.containerReady = new Uint8Array(n);
    this.containerHealthy = new Uint8Array(n);
    this.pulledAt = new Float64Array(n);
    this.startedAt = new Float64Array(n);
    this.readyAt = new Float64Array(n);
    this.containerStoppedAt = new Float64Array(n);
    this.exitCode = new Int16Array(n);
    this.stopReason = new Int8Array(n);
    this.signalled = new Uint8Array(n);
    this.bootSeconds = new Float64Array(n);
    this.sigtermExitSeconds = new Float64Array(n);
  }

  init(id: number, serial: number, version: TaskVersionCode, launchedAt: number, trace: boolean): this {
    this.id = id;
    this.serial = serial;
    this.version = version;
    this.launchedAt = launchedAt;
    this.state = TaskState.pending;
    this.stopCause = -1;
    this.runningAt = Number.NaN;
    this.stoppedAt = Number.NaN;
    this.hungAt = Number.NaN;
    this.pendingEvents = 0;
    this.containerStatus.fill(ContainerStatus.notStarted);
    this.imagePulled.fill(0);
    this.containerReady.fill(0);
    this.containerHealthy.fill(0);
    this.pulledAt.fill(Number.NaN);
    this.startedAt.fill(Number.NaN);
    this.readyAt.fill(Number.NaN);
    this.containerStoppedAt.fill(Number.NaN);
    this.exitCode.fill(-1);
    this.stopReason.fill(-1);
    this.signalled.fill(0);
    this.registered = false;
    this.everRegistered = false;
    this.targetState = "unregistered";
    this.routable = false;
    this.serving = false;
    this.tookTraffic = false;
    this.healthPlanEpoch = 0;
    this.firstHealthCheckAt = 0;
    this.recordsBuffered = false;
    this.routerGotRecords = false;
    this.gateWorking = false;
    this.targetLog = trace ? [] : null;
    this.failureLog = trace ? [] : null;
    return this;
  }

  /** Stopping or stopped: nothing starts any more. */
  get isStopping(): boolean {
    return this.state >= TaskState.stopping;
  }

  get isStopped(): boolean {
    return this.state === TaskState.stopped;
  }
}
