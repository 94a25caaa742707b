/**
 * The ECS service scheduler during a rolling update, with the deployment circuit breaker. Sources by
 * label ([DC], [CB] …): the header of engine.ts.
 */
import {
  ContainerStatus,
  EventKind,
  StopCause,
  TaskState,
  TaskVersion,
  type TaskVersionCode,
} from "./codes.js";
import type { Parts } from "./parts.js";
import type { Scenario } from "./scenario.js";
import type { Task } from "./task.js";

/** [CB]: 0.5 x desiredCount, clamped to 3..200 (rounding a half up is our assumption). */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

const isHealthy = (t: Task) => t.targetState === "healthy" && t.routable;

export class ServiceScheduler {
  /** The version the deployment runs: the new one, or the previous one after a rollback. */
  deployVersion: TaskVersionCode = TaskVersion.new;
  tripped = false;
  rolledBack = false;
  /** Steady state reached. */
  done = false;
  doneAt = Number.NaN;
  rollbackAt = Number.NaN;
  tasksLaunched = 0;
  /** Failed tasks counted by the circuit breaker. */
  private failures = 0;
  /** Deployment FAILED without rollback: nothing more is launched. */
  private stalled = false;
  private launches = 0;
  /** Set when something the scheduler looks at changed (a task stopped, turned healthy, stopped routing). */
  private changed = true;
  private readonly others: Task[] = [];
  private readonly desired: number;
  private readonly maxTotal: number;
  private readonly minHealthy: number;
  private readonly threshold: number;

  constructor(
    private readonly parts: Parts,
    private readonly scenario: Scenario,
  ) {
    const s = scenario.service;
    this.desired = s.desiredCount;
    // [DC]: maximumPercent is an upper limit (rounded down), minimumHealthyPercent a lower limit (rounded
    // up) of running/healthy tasks during a deployment.
    this.maxTotal = Math.max(1, Math.floor((this.desired * s.maximumPercent) / 100));
    this.minHealthy = Math.ceil((this.desired * s.minimumHealthyPercent) / 100);
    this.threshold = circuitBreakerThreshold(this.desired);
  }

  startRun(): void {
    this.deployVersion = TaskVersion.new;
    this.tripped = false;
    this.rolledBack = false;
    this.done = false;
    this.doneAt = Number.NaN;
    this.rollbackAt = Number.NaN;
    this.tasksLaunched = 0;
    this.failures = 0;
    this.stalled = false;
    this.launches = 0;
    this.changed = true;
  }

  /** The service before the deploy: desiredCount tasks of the previous version, healthy and serving. */
  startPreviousVersion(): void {
    const { fleet, targets } = this.parts;
    for (let i = 0; i < this.desired; i++) {
      const t = fleet.launch(TaskVersion.previous, 0);
      t.state = TaskState.running;
      t.runningAt = 0;
      t.containerStatus[0] = ContainerStatus.running;
      t.imagePulled[0] = 1;
      t.containerReady[0] = 1;
      t.startedAt[0] = 0;
      t.readyAt[0] = 0;
      t.registered = true;
      t.everRegistered = true;
      t.serving = true;
      t.routable = true;
      t.tookTraffic = true;
      targets.setState(t, "healthy");
    }
  }

  markChanged(): void {
    this.changed = true;
  }

  /** [CB]: failed tasks of the deployment count (stage 1: never RUNNING; stage 2: failed health checks or stopped after RUNNING). */
  taskFailed(): void {
    if (this.deployVersion === TaskVersion.new && !this.done) this.failures++;
  }

  /** [CB]: resetOnHealthyTask (default true) resets the failure count. */
  taskHealthy(task: Task): void {
    if (
      task.version === this.deployVersion &&
      this.scenario.service.circuitBreaker.resetOnHealthyTask &&
      !this.done
    )
      this.failures = 0;
  }

  /**
   * Rolling update ([DC]): launch tasks of the deployment's version while the total stays within
   * maximumPercent; stop tasks of the other version while the healthy count stays at or above
   * minimumHealthyPercent.
   */
  schedule(): void {
    if (this.stalled || !this.changed) return;
    this.changed = false;
    if (this.circuitBreakerStalls()) return;
    const v = this.deployVersion;
    let alive = 0;
    let ofVersion = 0;
    let healthy = 0;
    for (const t of this.parts.fleet.active) {
      if (t.state === TaskState.stopped) continue;
      alive++;
      if (t.state === TaskState.stopping) continue;
      if (t.version === v) ofVersion++;
      if (isHealthy(t)) healthy++;
    }
    // Tasks still draining count against maximumPercent until they are STOPPED: ECS counts RUNNING and
    // PENDING tasks, and a draining task is still RUNNING (DEACTIVATING) ([HC] lifecycle).
    const cap = this.scenario.limits.maxTaskLaunches;
    while (ofVersion < this.desired && alive < this.maxTotal && this.launches < cap) {
      this.launch(v);
      ofVersion++;
      alive++;
    }
    this.stopOtherVersion(v, healthy);
    if (!this.done) this.checkSteadyState(v);
  }

  /**
   * [CB]: at the threshold the deployment fails and rolls back to the last COMPLETED one, or, without
   * rollback, stalls (then true: nothing more is scheduled).
   */
  private circuitBreakerStalls(): boolean {
    const cb = this.scenario.service.circuitBreaker;
    if (this.deployVersion !== TaskVersion.new || !cb.enable || this.failures < this.threshold || this.done)
      return false;
    this.tripped = true;
    if (!cb.rollback) {
      this.stalled = true;
      return true;
    }
    this.deployVersion = TaskVersion.previous;
    this.rolledBack = true;
    this.rollbackAt = this.parts.queue.now;
    this.failures = 0;
    return false;
  }

  /** Stop other-version tasks while the healthy count allows (stopping may prune `active`: copy first). */
  private stopOtherVersion(v: TaskVersionCode, healthyNow: number): void {
    let healthy = healthyNow;
    const others = this.others;
    others.length = 0;
    for (const t of this.parts.fleet.active)
      if (t.state < TaskState.stopping && t.version !== v) others.push(t);
    for (const t of others) {
      const wasHealthy = isHealthy(t);
      if (wasHealthy && healthy - 1 < this.minHealthy) continue;
      if (wasHealthy) healthy--;
      this.parts.stopper.stopTask(t, StopCause.ServiceSchedulerInitiated);
    }
  }

  /** Steady state: desiredCount tasks of the version, all healthy, nothing else left. */
  private checkSteadyState(v: TaskVersionCode): void {
    let healthyOfVersion = 0;
    let others = 0;
    for (const t of this.parts.fleet.active) {
      if (t.state === TaskState.stopped) continue;
      if (t.version !== v) others++;
      else if (t.state < TaskState.stopping && t.targetState === "healthy") healthyOfVersion++;
    }
    if (others === 0 && healthyOfVersion >= this.desired) {
      this.doneAt = this.parts.queue.now;
      this.done = true;
    }
  }

  private launch(version: TaskVersionCode): void {
    const { fleet, queue, targets } = this.parts;
    const t = fleet.launch(version, queue.now);
    this.launches++;
    if (version === TaskVersion.new) this.tasksLaunched++;
    if (fleet.tracing) targets.setState(t, "unregistered");
    // Images are pulled at task start, whatever the dependencies; ordering applies to container start
    // ([TDP] dependsOn; [HC]: ACTIVATING pulls images).
    for (let c = 0; c < t.containerCount; c++) queue.at(t.pulledAt[c] as number, EventKind.imagePulled, t, c);
  }
}
