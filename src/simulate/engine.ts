/**
 * One ECS rolling deployment behind an ALB, as a discrete-event simulation.
 *
 * Events are state changes (a container pulled, started, ready, exited; a target registered, healthy,
 * draining; a drain finished). Requests are not events: between two state changes the set of targets the
 * ALB routes to is fixed, so the requests of that interval are one Poisson draw per outcome (traffic.ts).
 * A run costs in proportion to its state changes, not to its traffic.
 *
 * The parts, one file each: the event queue and clock (events.ts), the tasks (fleet.ts, task.ts, and
 * draws.ts for their random values), containers starting and exiting (containers.ts), tasks stopping
 * (stopping.ts), the ALB target (targets.ts), the log router and the gate (logpath.ts), the service
 * scheduler and circuit breaker (scheduler.ts), client traffic (traffic.ts). This file wires them and
 * runs the loop.
 *
 * Every transition names its source; the labels used across src/simulate:
 * - [TDP] task definition parameters (dependsOn, essential, stopTimeout):
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html
 * - [CD-API] https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html and
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (stopTimeout)
 * - [HC] container health checks and the task lifecycle with a load balancer:
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
 * - ECS agent sources, https://github.com/aws/amazon-ecs-agent: [graph.go]
 *   agent/engine/dependencygraph/graph.go, [tm.go] agent/engine/task_manager.go, [task.go]
 *   agent/api/task/task.go (implicit START on the FireLens container), [dte]
 *   agent/engine/docker_task_engine.go (FireLens log configuration); [PR3218]
 *   https://github.com/aws/amazon-ecs-agent/pull/3218 (stop a container whose dependency cannot resolve,
 *   exit 143, CannotStartContainerError)
 * - [LBD] https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-connection-draining.html
 * - [TG] https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
 * - [TG-HC] https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 * - [ALB502] https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html#http-502-issues
 * - [SVC] https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html
 *   (healthCheckGracePeriodSeconds)
 * - [DC] https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
 * - [CB] https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html and
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html
 */
import { EventKind, TaskState } from "./codes.js";
import { ContainerLifecycle } from "./containers.js";
import { TaskDraws } from "./draws.js";
import { EventQueue, type SimEvent } from "./events.js";
import { Fleet } from "./fleet.js";
import { LogPath } from "./logpath.js";
import type { Parts } from "./parts.js";
import type { TaskPlan } from "./plan.js";
import { seedOf } from "./rng.js";
import type { Scenario } from "./scenario.js";
import { ServiceScheduler } from "./scheduler.js";
import { TaskStopper } from "./stopping.js";
import { TargetGroup } from "./targets.js";
import { type RunResult, type RunTrace, timeOrNull, traceOf } from "./trace.js";
import { Traffic } from "./traffic.js";

export type { ContainerStopReason, TaskStopCause } from "./codes.js";
export { circuitBreakerThreshold } from "./scheduler.js";
export type { TargetState } from "./task.js";
export type { ContainerTrace, RunResult, RunTrace, TaskTrace } from "./trace.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Runs deployments of one compiled task against one scenario. Reusable across runs; not re-entrant.
 */
export class DeploymentSimulator {
  private readonly parts: Parts;
  private readonly draws: TaskDraws;

  constructor(
    plan: TaskPlan,
    previous: TaskPlan,
    private readonly scenario: Scenario,
  ) {
    this.draws = new TaskDraws(scenario);
    const p = {} as Mutable<Parts>;
    p.queue = new EventQueue();
    p.fleet = new Fleet(plan, previous, this.draws);
    p.traffic = new Traffic(scenario, p.queue, p.fleet);
    p.targets = new TargetGroup(p, scenario);
    p.containers = new ContainerLifecycle(p, scenario);
    p.stopper = new TaskStopper(p, scenario, plan, previous);
    p.logs = new LogPath(p, scenario);
    p.scheduler = new ServiceScheduler(p, scenario);
    this.parts = p;
  }

  /** Run deployment number `run` of the Monte Carlo with master seed `seed`. */
  run(seed: number, run: number): RunResult {
    this.reset(seed, run, false);
    this.loop();
    return this.result();
  }

  /** The same run, with everything the timeline needs. */
  traceRun(seed: number, run: number): RunTrace {
    this.reset(seed, run, true);
    this.loop();
    const { fleet, queue, scheduler } = this.parts;
    return {
      result: this.result(),
      tasks: fleet.tasks.map(traceOf),
      endTime: queue.now,
      doneAt: timeOrNull(scheduler.doneAt),
      rollbackAt: timeOrNull(scheduler.rollbackAt),
    };
  }

  private reset(seed: number, run: number, trace: boolean): void {
    const { queue, fleet, traffic, stopper, logs, scheduler } = this.parts;
    const runSeed = seedOf(seed >>> 0, run >>> 0);
    fleet.startRun(trace);
    traffic.startRun(runSeed);
    this.draws.startRun(runSeed);
    queue.clear();
    stopper.startRun();
    logs.startRun();
    scheduler.startRun();
    scheduler.startPreviousVersion();
  }

  private loop(): void {
    const { queue, traffic, scheduler, stopper } = this.parts;
    const maxT = this.scenario.limits.maxSimSeconds;
    scheduler.schedule();
    for (;;) {
      const ev = queue.pop();
      if (ev === undefined) break;
      if (ev.t > maxT) {
        queue.now = maxT;
        break;
      }
      traffic.countUntil(ev.t);
      queue.now = ev.t;
      this.dispatch(ev);
      // Nothing left that can move and the task not RUNNING: a container is blocked on a dependency that can
      // no longer be met. The agent waits on it for ever ([tm.go] progressTask): the task hangs, not stops.
      const task = ev.task;
      if (task.pendingEvents === 0 && task.state === TaskState.pending) stopper.hung(task);
      scheduler.schedule();
    }
    // Steady (or stalled) from here to the end of the traffic window: one last interval.
    traffic.countUntil(Math.max(queue.now, traffic.endsAt));
  }

  private dispatch(ev: SimEvent): void {
    const { containers, targets, logs, stopper } = this.parts;
    const { task, container } = ev;
    switch (ev.kind) {
      case EventKind.imagePulled:
        containers.onImagePulled(task, container);
        break;
      case EventKind.containerReady:
        containers.onReady(task, container);
        break;
      case EventKind.containerHealthy:
        containers.onHealthy(task, container);
        break;
      case EventKind.containerUnhealthy:
        containers.onUnhealthy(task, container);
        break;
      case EventKind.containerExited:
        containers.onExited(task, container, ev.exitCode);
        break;
      case EventKind.gateVerdict:
        logs.onVerdict(task, container);
        break;
      case EventKind.routerCrash:
        logs.onRouterCrash(task);
        break;
      case EventKind.firstRequest:
        logs.onFirstRequest(task);
        break;
      case EventKind.targetRegistered:
        if (!task.isStopping && !task.registered) targets.register(task);
        break;
      case EventKind.targetHealthy:
        targets.onHealthy(task, ev.epoch);
        break;
      case EventKind.targetUnhealthy:
        targets.onUnhealthy(task, ev.epoch);
        break;
      case EventKind.unhealthyTargetStop:
        targets.onStillUnhealthy(task, ev.epoch);
        break;
      case EventKind.routingStopped:
        targets.onRoutingStopped(task);
        break;
      case EventKind.drainDone:
        // [LBD]: ECS sends the stop signal once the deregistration delay has passed.
        stopper.shutdown(task);
        break;
    }
  }

  private result(): RunResult {
    const { traffic, scheduler, stopper, logs } = this.parts;
    const failed = traffic.failed502 + traffic.failed503;
    const completed = scheduler.done && !scheduler.rolledBack;
    return {
      sent: traffic.succeeded + failed,
      succeeded: traffic.succeeded,
      failed,
      failed502: traffic.failed502,
      failed503: traffic.failed503,
      completed,
      durationSeconds: completed ? scheduler.doneAt : Number.NaN,
      circuitBreakerTripped: scheduler.tripped,
      rolledBack: scheduler.rolledBack,
      tasksLaunched: scheduler.tasksLaunched,
      tasksFailed: stopper.tasksFailed,
      tasksStoppedBeforeTraffic: stopper.stoppedBeforeTraffic,
      tasksStoppedBeforeRegistration: stopper.stoppedBeforeRegistration,
      tasksHung: stopper.tasksHung,
      routerCrashes: logs.routerCrashes,
      gateFailures: logs.gateFailures,
    };
  }
}
