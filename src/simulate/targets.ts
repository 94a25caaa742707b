/**
 * The task's target in the ALB target group: registration, health checks, routing, draining. Sources by
 * label: the header of engine.ts.
 */
import { EventKind, StopCause } from "./codes.js";
import type { Parts } from "./parts.js";
import type { Scenario } from "./scenario.js";
import type { TargetState, Task } from "./task.js";

export class TargetGroup {
  private readonly intervalSeconds: number;
  private readonly healthyThreshold: number;
  private readonly unhealthyThreshold: number;
  private readonly timeoutSeconds: number;
  private readonly gracePeriodSeconds: number;

  constructor(
    private readonly parts: Parts,
    scenario: Scenario,
  ) {
    const hc = scenario.loadBalancer.healthCheck;
    this.intervalSeconds = hc.intervalSeconds;
    this.healthyThreshold = hc.healthyThreshold;
    this.unhealthyThreshold = hc.unhealthyThreshold;
    this.timeoutSeconds = hc.timeoutSeconds;
    this.gracePeriodSeconds = scenario.service.healthCheckGracePeriodSeconds;
  }

  register(task: Task): void {
    const now = this.parts.queue.now;
    task.registered = true;
    task.everRegistered = true;
    this.setState(task, "initial");
    task.firstHealthCheckAt = now + task.healthCheckPhase * this.intervalSeconds;
    this.planHealth(task);
  }

  /**
   * [TG-HC]: a check every `interval`; `healthyThreshold` consecutive successes make the target healthy,
   * `unhealthyThreshold` consecutive failures unhealthy. A check fails while the app is not listening.
   * Computed in closed form: no event per check.
   */
  planHealth(task: Task): void {
    const { queue } = this.parts;
    const now = queue.now;
    const iv = this.intervalSeconds;
    const readyAt = task.serving ? now : (task.readyAt[task.plan.target] as number);
    if (!Number.isFinite(readyAt)) return;
    const from = Math.max(now, task.firstHealthCheckAt);
    const k0 = Math.ceil((from - task.firstHealthCheckAt) / iv - 1e-9);
    const firstCheck = task.firstHealthCheckAt + k0 * iv;
    const failedChecks = Math.max(0, Math.ceil((readyAt - firstCheck) / iv - 1e-9));
    const healthyAt = firstCheck + (failedChecks + this.healthyThreshold - 1) * iv;
    task.healthPlanEpoch++;
    const epoch = task.healthPlanEpoch;
    if (task.serving || task.targetState === "initial" || task.targetState === "unhealthy") {
      queue.targetCheckAt(healthyAt, EventKind.targetHealthy, task, epoch);
    }
    if (failedChecks >= this.unhealthyThreshold && task.targetState === "initial") {
      const unhealthyAt = firstCheck + (this.unhealthyThreshold - 1) * iv;
      queue.targetCheckAt(unhealthyAt, EventKind.targetUnhealthy, task, epoch);
      // [SVC]: the scheduler ignores unhealthy targets during the grace period after task start.
      const graceEnd = task.runningAt + this.gracePeriodSeconds;
      queue.targetCheckAt(Math.max(unhealthyAt, graceEnd), EventKind.unhealthyTargetStop, task, epoch);
    }
  }

  /** A health event of the current plan, on a target still registered and not stopping. */
  private current(task: Task, epoch: number): boolean {
    return epoch === task.healthPlanEpoch && !task.isStopping;
  }

  onHealthy(task: Task, epoch: number): void {
    if (!this.current(task, epoch) || !task.registered || !task.serving) return;
    const { queue, fleet, traffic, scheduler } = this.parts;
    task.routable = true;
    task.tookTraffic = true;
    scheduler.markChanged();
    this.setState(task, "healthy");
    scheduler.taskHealthy(task);
    const plan = task.plan;
    const target = plan.containers[plan.target];
    if (
      target?.logsViaRouter &&
      target.timing.firstLog === "first-request" &&
      traffic.requestsPerSecond > 0 &&
      queue.now < traffic.endsAt
    ) {
      // The first request this target gets: exponential wait at its share of the rate.
      const wait = -Math.log(task.firstRequestDraw) * (fleet.routableCount() / traffic.requestsPerSecond);
      queue.at(queue.now + wait, EventKind.firstRequest, task);
    }
  }

  onUnhealthy(task: Task, epoch: number): void {
    if (!this.current(task, epoch) || task.targetState !== "initial") return;
    this.setState(task, "unhealthy");
  }

  /** [HC][SVC]: a target still unhealthy after the grace period => the task is stopped and replaced. */
  onStillUnhealthy(task: Task, epoch: number): void {
    if (!this.current(task, epoch) || task.targetState === "healthy") return;
    this.parts.stopper.stopTask(task, StopCause.UnhealthyTarget);
  }

  /** The app behind the target stopped answering. */
  appStopped(task: Task): void {
    if (!task.serving) return;
    task.serving = false;
    if (!task.routable) return;
    const { queue, traffic } = this.parts;
    traffic.failInFlight(task);
    // The ALB finds it dead after `unhealthyThreshold` failed checks (each waits `timeout`).
    const iv = this.intervalSeconds;
    const k0 = Math.max(0, Math.ceil((queue.now - task.firstHealthCheckAt) / iv));
    const detect =
      task.firstHealthCheckAt + k0 * iv + (this.unhealthyThreshold - 1) * iv + this.timeoutSeconds;
    queue.at(detect, EventKind.routingStopped, task);
  }

  /** [TG]: deregistered. A draining target gets no new requests, after a short propagation delay. */
  deregister(task: Task): void {
    const { queue } = this.parts;
    task.registered = false;
    queue.at(queue.now + task.deregistrationLagSeconds, EventKind.routingStopped, task);
    this.setState(task, "draining");
  }

  onRoutingStopped(task: Task): void {
    if (!task.routable) return;
    task.routable = false;
    this.parts.scheduler.markChanged();
    this.setState(task, task.isStopped ? "gone" : "draining");
    this.parts.fleet.prune();
  }

  setState(task: Task, state: TargetState): void {
    if (task.targetState === state && task.targetLog && task.targetLog.length > 0) return;
    task.targetState = state;
    if (task.targetLog) task.targetLog.push({ t: this.parts.queue.now, state });
  }
}
