/**
 * The log path: the first records reaching the FireLens router, its first flush (and the crash a scenario
 * may inject there), and the preflight gate that watches it. Sources by label: the header of engine.ts.
 */
import { ContainerStatus, EventKind, StopReason } from "./codes.js";
import type { Parts } from "./parts.js";
import type { Scenario } from "./scenario.js";
import type { Task } from "./task.js";

export class LogPath {
  routerCrashes = 0;
  /** Tasks the gate failed on purpose (preflight exit non-zero). */
  gateFailures = 0;
  private readonly flushIntervalSeconds: number;
  private readonly crashExitCode: number;

  constructor(
    private readonly parts: Parts,
    scenario: Scenario,
  ) {
    this.flushIntervalSeconds = scenario.router.flushIntervalSeconds;
    this.crashExitCode = scenario.router.crash.exitCode;
  }

  startRun(): void {
    this.routerCrashes = 0;
    this.gateFailures = 0;
  }

  /** The router accepts records: what was buffered goes out, and a waiting probe can start its work. */
  routerReady(task: Task): void {
    if (task.recordsBuffered) this.firstRecords(task);
    const gate = task.plan.gate;
    if (gate >= 0 && task.containerStatus[gate] === ContainerStatus.running && task.containerReady[gate])
      this.gateWork(task);
  }

  gateReady(task: Task): void {
    this.gateWork(task);
  }

  onFirstRequest(task: Task): void {
    if (task.routable && task.serving) this.records(task);
  }

  /** Log records are sent to the router: the first ones make it flush within one Flush interval. */
  records(task: Task): void {
    const router = task.plan.router;
    if (router < 0 || task.routerGotRecords || task.recordsBuffered) return;
    if (task.containerStatus[router] === ContainerStatus.stopped) return;
    if (!task.containerReady[router]) {
      // Docker's fluentd log driver connects asynchronously and buffers ([dte]).
      task.recordsBuffered = true;
      return;
    }
    this.firstRecords(task);
  }

  private firstRecords(task: Task): void {
    task.recordsBuffered = false;
    task.routerGotRecords = true;
    if (!task.routerWillCrash) return;
    const { queue } = this.parts;
    const at = queue.now + task.flushPhase * this.flushIntervalSeconds + task.crashAfterFlushSeconds;
    queue.at(at, EventKind.routerCrash, task);
  }

  onRouterCrash(task: Task): void {
    const { plan } = task;
    const router = plan.router;
    if (router < 0 || task.containerStatus[router] !== ContainerStatus.running) return;
    const { queue, containers } = this.parts;
    this.routerCrashes++;
    containers.stopped(task, router, this.crashExitCode, StopReason.crashed);
    // The probe watches the router; it notices the death at its next poll (unless it misses it).
    const gate = plan.gate;
    if (
      gate >= 0 &&
      plan.gateKind === "probe" &&
      task.containerStatus[gate] === ContainerStatus.running &&
      !task.gateMissesCrash
    ) {
      queue.at(queue.now + task.crashDetectionSeconds, EventKind.gateVerdict, task, gate);
    }
  }

  /**
   * The gate at work. The probe sends its records as soon as the router accepts them (the first flush
   * follows) and gives its verdict after verifying the flush and a settle window (README.md "The gate").
   * The seed's sleep preflight echoes through the router and exits 0 after its sleeps, verifying nothing.
   */
  private gateWork(task: Task): void {
    const { plan } = task;
    const gate = plan.gate;
    if (task.containerStatus[gate] !== ContainerStatus.running || task.gateWorking) return;
    // The probe waits for the forward input, within its deadline.
    if (plan.gateKind !== "sleep" && plan.router >= 0 && !task.containerReady[plan.router]) return;
    task.gateWorking = true;
    this.records(task);
    const { queue } = this.parts;
    queue.at(queue.now + task.gateVerdictSeconds, EventKind.gateVerdict, task, gate);
  }

  /** The probe fails the task when the router is down by its verdict (unless it missed the crash). */
  onVerdict(task: Task, gate: number): void {
    if (task.containerStatus[gate] !== ContainerStatus.running) return;
    const { plan } = task;
    const routerDown = plan.router >= 0 && task.containerStatus[plan.router] !== ContainerStatus.running;
    if (plan.gateKind === "probe" && routerDown && !task.gateMissesCrash) {
      this.gateFailures++;
      this.parts.containers.stopped(task, gate, 1, StopReason.exited);
    } else {
      this.parts.containers.stopped(task, gate, 0, StopReason.exited);
    }
  }
}
