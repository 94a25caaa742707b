/**
 * Containers inside a task: start order from `dependsOn`, readiness, container health checks, exits.
 * Sources by label ([TDP], [graph.go] …): the header of engine.ts.
 */

import { type DependencyState, type DependencyVerdict, dependencyVerdict } from "../model/index.js";
import {
  ContainerStatus,
  EventKind,
  StopCause,
  StopReason,
  type StopReasonCode,
  TaskState,
} from "./codes.js";
import type { Parts } from "./parts.js";
import type { ContainerPlan, DependencyPlan } from "./plan.js";
import type { Scenario } from "./scenario.js";
import type { Task } from "./task.js";

// The common states, allocated once: dependencies are judged in the simulator's hot loop.
const RUNNING: DependencyState = { kind: "running", healthy: false };
const RUNNING_HEALTHY: DependencyState = { kind: "running", healthy: true };
const NEVER: DependencyState = { kind: "never-starts" };
const HELD_BACK: DependencyState = { kind: "stopped", code: 143 };
const STOPPED_0: DependencyState = { kind: "stopped", code: 0 };
const PENDING: DependencyState = { kind: "pending" };

/**
 * A dependency as the agent knows it when it judges `waiter`. A container the agent held back (exit 143,
 * never ran) is, as in the model's outcomes, never-starting for a waiter listed after it (seen in the same
 * pass of [tm.go] startContainerTransitions) and STOPPED with 143 for one listed before it (the next pass).
 */
function dependencyState(task: Task, waiter: number, x: number): DependencyState {
  switch (task.containerStatus[x]) {
    case ContainerStatus.running:
      return task.containerHealthy[x] === 1 ? RUNNING_HEALTHY : RUNNING;
    case ContainerStatus.stopped: {
      if (task.stopReason[x] === StopReason.CannotStartContainerError) return x < waiter ? NEVER : HELD_BACK;
      const code = task.exitCode[x] as number;
      return code === 0 ? STOPPED_0 : { kind: "stopped", code: code === -1 ? null : code };
    }
    default:
      return PENDING;
  }
}

/**
 * [graph.go] through the model's one rule (`dependencyVerdict`, shared with `outcomeOfExit`): START is met
 * only while the dependency runs, HEALTHY only while it is healthy, so a dependency that stopped leaves them
 * blocked for good (it can no longer time out); terminal only for SUCCESS on a non-zero exit and for a
 * dependency that will never start. A target missing from the task is terminal too (the agent's "does not
 * exist" error).
 */
function dependencyOutcome(task: Task, waiter: number, dep: DependencyPlan): DependencyVerdict {
  if (dep.target < 0) return "terminal";
  return dependencyVerdict(dep.condition, dependencyState(task, waiter, dep.target));
}

export class ContainerLifecycle {
  private readonly gracePeriodSeconds: number;

  constructor(
    private readonly parts: Parts,
    scenario: Scenario,
  ) {
    this.gracePeriodSeconds = scenario.service.healthCheckGracePeriodSeconds;
  }

  onImagePulled(task: Task, c: number): void {
    if (task.isStopping) return;
    task.imagePulled[c] = 1;
    this.tryStart(task);
  }

  onReady(task: Task, c: number): void {
    if (task.containerStatus[c] !== ContainerStatus.running) return;
    const { plan } = task;
    task.containerReady[c] = 1;
    if (c === plan.router) this.parts.logs.routerReady(task);
    // The ALB's checks were planned at registration from this very ready time (TargetGroup.planHealth).
    if (c === plan.target && task.signalled[c] === 0) task.serving = true;
    if (c === plan.gate) {
      this.parts.logs.gateReady(task);
      return;
    }
    const cp = plan.containers[c];
    if (cp?.logsViaRouter && cp.timing.firstLog === "start") this.parts.logs.records(task);
  }

  /** [HC]: container health HEALTHY; a HEALTHY dependency is confirmed at startup only ([TDP]). */
  onHealthy(task: Task, c: number): void {
    if (task.containerStatus[c] !== ContainerStatus.running) return;
    task.containerHealthy[c] = 1;
    this.tryStart(task);
  }

  onUnhealthy(task: Task, c: number): void {
    if (task.containerStatus[c] !== ContainerStatus.running || task.containerHealthy[c] || task.isStopping)
      return;
    this.parts.stopper.stopTask(task, StopCause.UnhealthyContainer);
  }

  onExited(task: Task, c: number, exitCode: number): void {
    if (task.containerStatus[c] !== ContainerStatus.running) return;
    const reason =
      exitCode === 137
        ? StopReason.SIGKILL
        : exitCode === 143 && task.signalled[c]
          ? StopReason.SIGTERM
          : StopReason.exited;
    this.stopped(task, c, exitCode, reason);
  }

  /**
   * Start every container whose dependencies are met; stop the ones whose dependencies never will be.
   * [TDP] dependsOn, [graph.go], [PR3218].
   */
  tryStart(task: Task): void {
    if (task.isStopping) return;
    const cs = task.plan.containers;
    let essentialHeld = false;
    let changed = true;
    while (changed) {
      changed = false;
      for (let c = 0; c < task.containerCount; c++) {
        if (task.containerStatus[c] !== ContainerStatus.notStarted || !task.imagePulled[c]) continue;
        const cp = cs[c];
        if (cp === undefined) continue;
        let ready = true;
        let never = false;
        for (const dep of cp.deps) {
          const outcome = dependencyOutcome(task, c, dep);
          if (outcome === "terminal") {
            never = true;
            break;
          }
          if (outcome === "unmet") ready = false;
        }
        if (never) {
          // [tm.go] handleTerminalDependencyError, [PR3218]: the dependent is stopped with exit code 143
          // and CannotStartContainerError; no signal is actually sent. The agent finishes its pass over the
          // containers before it handles an essential one's stop, so the other waiters are judged first (as
          // the model's outcomes judge them): the task stops once nothing more follows.
          this.holdBack(task, c);
          if (cp.essential) essentialHeld = true;
          changed = true;
        } else if (ready) {
          this.start(task, c, cp);
          changed = true;
        }
      }
    }
    if (essentialHeld) this.parts.stopper.stopTask(task, StopCause.EssentialContainerExited);
    else this.reachRunning(task);
  }

  /** Held back before it ever ran: STOPPED with 143 and CannotStartContainerError. */
  private holdBack(task: Task, c: number): void {
    task.containerStatus[c] = ContainerStatus.stopped;
    task.containerStoppedAt[c] = this.parts.queue.now;
    task.exitCode[c] = 143;
    task.stopReason[c] = StopReason.CannotStartContainerError;
  }

  private start(task: Task, c: number, cp: ContainerPlan): void {
    const { queue } = this.parts;
    const now = queue.now;
    task.containerStatus[c] = ContainerStatus.running;
    task.startedAt[c] = now;
    const readyAt = now + (task.bootSeconds[c] as number);
    task.readyAt[c] = readyAt;
    queue.at(readyAt, EventKind.containerReady, task, c);
    if (cp.health !== null) this.planHealth(task, c, cp, readyAt);
    this.reachRunning(task);
  }

  /**
   * The task reaches RUNNING once no container is left waiting to start ([task.go] updateTaskKnownStatus: the
   * task's status is the earliest of its containers', and a STOPPED one no longer holds it back) and the
   * load-balanced container runs. A container that waits forever keeps it from RUNNING: the task hangs.
   */
  private reachRunning(task: Task): void {
    if (task.state !== TaskState.pending || !this.everyContainerStartedOrDone(task)) return;
    task.state = TaskState.running;
    task.runningAt = this.parts.queue.now;
    // [HC]: ECS registers the task with the target group in ACTIVATING. When exactly, relative to
    // dependsOn gating, is not documented: we register once the task is RUNNING, when ECS knows the
    // load-balanced container's address and port.
    this.parts.queue.at(task.runningAt + task.registrationLagSeconds, EventKind.targetRegistered, task);
  }

  /**
   * [HC]: checks every `interval` from the container's start; the first success marks HEALTHY (inside
   * startPeriod failures do not count). The first check runs one interval after start.
   */
  private planHealth(task: Task, c: number, cp: ContainerPlan, readyAt: number): void {
    const { queue } = this.parts;
    const now = queue.now;
    const h = cp.health;
    if (h === null) return;
    const iv = h.interval;
    const k = Math.max(1, Math.ceil((readyAt - now) / iv));
    queue.at(now + k * iv, EventKind.containerHealthy, task, c);
    // Checks 1..k-1 fail; those after startPeriod count, and `retries` of them in a row make the container
    // UNHEALTHY. An essential UNHEALTHY container makes the task UNHEALTHY, and the service replaces it,
    // though not inside the grace period ([HC], [SVC]).
    if (!cp.essential) return;
    const firstCounted = Math.max(1, Math.floor(h.startPeriod / iv) + 1);
    const nth = firstCounted + h.retries - 1;
    if (nth >= k) return;
    const graceEnd = task.launchedAt + this.gracePeriodSeconds;
    queue.at(Math.max(now + nth * iv, graceEnd), EventKind.containerUnhealthy, task, c);
  }

  private everyContainerStartedOrDone(task: Task): boolean {
    for (let i = 0; i < task.containerCount; i++)
      if (task.containerStatus[i] === ContainerStatus.notStarted) return false;
    return task.containerStatus[task.plan.target] === ContainerStatus.running;
  }

  /** A container stopped, for `reason`, with `exitCode`. */
  stopped(task: Task, c: number, exitCode: number, reason: StopReasonCode): void {
    const { queue, targets, stopper } = this.parts;
    const wasRunning = task.containerStatus[c] === ContainerStatus.running;
    task.containerStatus[c] = ContainerStatus.stopped;
    task.containerStoppedAt[c] = queue.now;
    task.exitCode[c] = exitCode;
    task.stopReason[c] = reason;
    if (c === task.plan.target && wasRunning) targets.appStopped(task);
    if (task.plan.containers[c]?.essential && !task.isStopping) {
      // [TDP] essential: an essential container stops for any reason => the task stops.
      stopper.stopTask(task, StopCause.EssentialContainerExited);
      return;
    }
    if (task.isStopping) {
      stopper.shutdown(task);
      return;
    }
    // A SUCCESS/COMPLETE dependency may now resolve, or turn terminal.
    this.tryStart(task);
  }
}
