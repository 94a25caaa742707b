/**
 * Stopping a task: deregistration and draining, then SIGTERM and SIGKILL in reverse dependency order.
 * Sources by label ([LBD], [graph.go] …): the header of engine.ts.
 */
import {
  ContainerStatus,
  EventKind,
  StopCause,
  type StopCauseCode,
  StopReason,
  TaskState,
  TaskVersion,
} from "./codes.js";
import type { Parts } from "./parts.js";
import type { TaskPlan } from "./plan.js";
import type { Scenario } from "./scenario.js";
import type { Task } from "./task.js";

/** For each container, the containers that depend on it (they must stop first, [graph.go]). */
function dependentsOf(plan: TaskPlan): number[][] {
  const dependents: number[][] = plan.containers.map(() => []);
  for (const c of plan.containers) {
    for (const d of c.deps) if (d.target >= 0) dependents[d.target]?.push(c.index);
  }
  return dependents;
}

export class TaskStopper {
  /** New-version tasks that stopped on their own (not stopped by the scheduler). */
  tasksFailed = 0;
  stoppedBeforeTraffic = 0;
  stoppedBeforeRegistration = 0;
  /** New-version tasks that hung before RUNNING (see `hung`). */
  tasksHung = 0;
  private readonly deregistrationDelaySeconds: number;
  private readonly dependentsNew: number[][];
  private readonly dependentsPrevious: number[][];

  constructor(
    private readonly parts: Parts,
    scenario: Scenario,
    plan: TaskPlan,
    previous: TaskPlan,
  ) {
    this.deregistrationDelaySeconds = scenario.loadBalancer.deregistrationDelaySeconds;
    this.dependentsNew = dependentsOf(plan);
    this.dependentsPrevious = dependentsOf(previous);
  }

  startRun(): void {
    this.tasksFailed = 0;
    this.stoppedBeforeTraffic = 0;
    this.stoppedBeforeRegistration = 0;
    this.tasksHung = 0;
  }

  /**
   * A pending task with nothing left that can move: some container waits for a dependency that can no longer
   * be met. The agent keeps waiting without a timeout ([tm.go] progressTask waits on a blocked dependency;
   * only a task no container wants to move is stopped), so the task is not stopped: it stays PENDING, never
   * registers and never takes traffic. The circuit breaker counts tasks that fail to reach RUNNING by
   * stopping ([CB]); this one never stops, so it is counted here, and it holds its slot of the deployment.
   */
  hung(task: Task): void {
    if (!Number.isNaN(task.hungAt)) return;
    task.hungAt = this.parts.queue.now;
    if (task.version === TaskVersion.new) this.tasksHung++;
  }

  /**
   * [HC] lifecycle, [LBD]: DEACTIVATING deregisters the target. For a stop the scheduler starts, ECS waits
   * for the drain (up to the deregistration delay) before SIGTERM; when an essential container exited on
   * its own, the agent is already stopping the other containers.
   */
  stopTask(task: Task, cause: StopCauseCode): void {
    if (task.isStopping) return;
    const { queue, scheduler, targets } = this.parts;
    task.state = TaskState.stopping;
    scheduler.markChanged();
    task.stopCause = cause;
    // Containers that never started never will ([graph.go] HasNotAndWillNotStart).
    for (let c = 0; c < task.containerCount; c++) {
      if (task.containerStatus[c] === ContainerStatus.notStarted) {
        task.containerStatus[c] = ContainerStatus.stopped;
        task.containerStoppedAt[c] = queue.now;
        task.stopReason[c] = StopReason["never-started"];
      }
    }
    if (task.registered) {
      targets.deregister(task);
      if (cause === StopCause.ServiceSchedulerInitiated) {
        queue.at(queue.now + this.deregistrationDelaySeconds, EventKind.drainDone, task);
        return;
      }
    }
    this.shutdown(task);
  }

  /**
   * Signal what may be signalled: a container is stopped only after every container depending on it
   * ([graph.go] verifyShutdownOrder); SIGTERM, then SIGKILL after stopTimeout: exit 143 or 137 ([CD-API]).
   */
  shutdown(task: Task): void {
    const { queue, targets } = this.parts;
    const cs = task.plan.containers;
    const dependents = task.version === TaskVersion.new ? this.dependentsNew : this.dependentsPrevious;
    let allStopped = true;
    for (let c = 0; c < task.containerCount; c++) {
      if (task.containerStatus[c] !== ContainerStatus.running) continue;
      allStopped = false;
      if (task.signalled[c]) continue;
      // A scheduler stop waits for the drain (drainDone).
      if (task.stopCause === StopCause.ServiceSchedulerInitiated && task.registered) continue;
      if (this.dependentRunning(task, dependents[c])) continue;
      task.signalled[c] = 1;
      if (c === task.plan.target) targets.appStopped(task);
      const sigtermExit = task.sigtermExitSeconds[c] as number;
      const stopTimeout = cs[c]?.stopTimeout ?? 30;
      if (sigtermExit <= stopTimeout) queue.exitAt(queue.now + sigtermExit, task, c, 143);
      else queue.exitAt(queue.now + stopTimeout, task, c, 137);
    }
    if (allStopped && task.state !== TaskState.stopped) this.taskStopped(task);
  }

  private dependentRunning(task: Task, dependents: readonly number[] | undefined): boolean {
    if (dependents === undefined) return false;
    for (const d of dependents) if (task.containerStatus[d] === ContainerStatus.running) return true;
    return false;
  }

  private taskStopped(task: Task): void {
    const { queue, scheduler, targets, fleet } = this.parts;
    task.state = TaskState.stopped;
    scheduler.markChanged();
    task.stoppedAt = queue.now;
    if (!task.routable) targets.setState(task, "gone");
    if (task.version === TaskVersion.new && task.stopCause !== StopCause.ServiceSchedulerInitiated) {
      this.tasksFailed++;
      if (!task.tookTraffic) this.stoppedBeforeTraffic++;
      if (!task.everRegistered) this.stoppedBeforeRegistration++;
      scheduler.taskFailed();
    }
    fleet.prune();
  }
}
