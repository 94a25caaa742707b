/**
 * One ECS rolling deployment behind an ALB, as a discrete-event simulation.
 *
 * Events are state changes (a container pulled, started, ready, exited; a target registered, healthy,
 * draining; a drain finished). Requests are not events: between two state changes the set of targets the
 * ALB routes to is fixed, so the requests of that interval are one Poisson draw per outcome. A run costs in
 * proportion to its state changes, not to its traffic.
 *
 * Every transition names its source: `ecs.md §n` is `/work/shared/reference/ecs.md` (which gives the AWS
 * pages and agent source files behind it); ALB health-check timing is
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html.
 */
import type { TaskPlan } from "./plan.js";
import { Rng, seedOf } from "./rng.js";
import type { Distribution, Scenario } from "./scenario.js";

// Container status.
const NONE = 0;
const RUNNING = 1;
const STOPPED = 2;

/** Why a container stopped. */
export type ContainerStopReason =
  | "exited"
  | "crashed"
  | "CannotStartContainerError"
  | "SIGTERM"
  | "SIGKILL"
  | "never-started";
const REASONS: readonly ContainerStopReason[] = [
  "exited",
  "crashed",
  "CannotStartContainerError",
  "SIGTERM",
  "SIGKILL",
  "never-started",
];
const R_EXITED = 0;
const R_CRASHED = 1;
const R_CANNOT_START = 2;
const R_SIGTERM = 3;
const R_SIGKILL = 4;
const R_NEVER = 5;

/** Why a task stopped. */
export type TaskStopCause =
  | "EssentialContainerExited"
  | "ServiceSchedulerInitiated"
  | "UnhealthyTarget"
  | "UnableToTransition"
  | "UnhealthyContainer";
const CAUSES: readonly TaskStopCause[] = [
  "EssentialContainerExited",
  "ServiceSchedulerInitiated",
  "UnhealthyTarget",
  "UnableToTransition",
  "UnhealthyContainer",
];
const C_ESSENTIAL = 0;
const C_SCHEDULER = 1;
const C_UNHEALTHY = 2;
const C_UNABLE = 3;
const C_UNHEALTHY_CONTAINER = 4;

/** ALB target states as the timeline shows them. */
export type TargetState = "unregistered" | "initial" | "healthy" | "unhealthy" | "draining" | "gone";

// Event kinds.
const E_PULLED = 0;
const E_READY = 1;
const E_CHEALTHY = 2;
const E_EXIT = 3;
const E_REGISTER = 4;
const E_THEALTHY = 5;
const E_TUNHEALTHY = 6;
const E_UNHEALTHY_STOP = 7;
const E_ROUTING_STOP = 8;
const E_DRAIN_DONE = 9;
const E_FIRST_REQUEST = 10;
const E_CRASH = 11;
const E_VERDICT = 12;
const E_CUNHEALTHY = 13;

const VERSION_NEW = 0;
const VERSION_PREVIOUS = 1;

/** ecs.md §6 [CB]: 0.5 x desiredCount, clamped to 3..200 (rounding a half up is our assumption). */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

export function sample(d: Distribution, rng: Rng): number {
  switch (d.kind) {
    case "constant":
      return d.value;
    case "uniform":
      return d.min + (d.max - d.min) * rng.float();
    case "normal": {
      const x = d.mean + d.sd * rng.normal();
      return Math.max(x, 0);
    }
    case "lognormal":
      return d.median * Math.exp(d.sigma * rng.normal());
    case "exponential":
      return rng.exponential(d.mean);
  }
}

interface Ev {
  t: number;
  seq: number;
  kind: number;
  task: Task;
  arg: number;
  code: number;
}

class Task {
  readonly n: number;
  id = 0;
  serial = 0;
  version = 0;
  launchedAt = 0;
  state = 0; // 0 pending, 1 running (all essential started), 2 stopping, 3 stopped
  stopCause = -1;
  runningAt = Number.NaN;
  stopInitiatedAt = Number.NaN;
  stoppedAt = Number.NaN;
  pending = 0;
  // Containers.
  readonly status: Uint8Array;
  readonly pulled: Uint8Array;
  readonly ready: Uint8Array;
  readonly healthy: Uint8Array;
  readonly pulledAt: Float64Array;
  readonly startedAt: Float64Array;
  readonly readyAt: Float64Array;
  readonly stoppedAt_: Float64Array;
  readonly exitCode: Int16Array;
  readonly reason: Int8Array;
  readonly signalled: Uint8Array;
  readonly boot: Float64Array;
  readonly sigtermExit: Float64Array;
  // Target.
  registered = false;
  everRegistered = false;
  registeredAt = Number.NaN;
  tstate: TargetState = "unregistered";
  routable = false;
  serving = false;
  tookTraffic = false;
  healthEpoch = 0;
  hcC0 = 0;
  // Random draws made at launch.
  crash = false;
  miss = false;
  flushPhase = 0;
  crashAfter = 0;
  detection = 0;
  regLag = 0;
  hcPhase = 0;
  deregLag = 0;
  verdict = 0;
  firstRequestU = 0;
  // Router records.
  recordsWaiting = false;
  recordsAt = Number.NaN;
  recordsSeen = false;
  crashed = false;
  gateFailed = false;
  gateBusy = false;
  // Trace.
  targetLog: { t: number; state: TargetState }[] | null = null;
  failLog: { t: number; count: number }[] | null = null;

  /** Allocated once per plan and reused across runs (allocation dominated the hot loop). */
  constructor(readonly plan: TaskPlan) {
    const n = plan.containers.length;
    this.n = n;
    this.status = new Uint8Array(n);
    this.pulled = new Uint8Array(n);
    this.ready = new Uint8Array(n);
    this.healthy = new Uint8Array(n);
    this.pulledAt = new Float64Array(n);
    this.startedAt = new Float64Array(n);
    this.readyAt = new Float64Array(n);
    this.stoppedAt_ = new Float64Array(n);
    this.exitCode = new Int16Array(n);
    this.reason = new Int8Array(n);
    this.signalled = new Uint8Array(n);
    this.boot = new Float64Array(n);
    this.sigtermExit = new Float64Array(n);
  }

  init(id: number, serial: number, version: number, launchedAt: number, trace: boolean): this {
    this.id = id;
    this.serial = serial;
    this.version = version;
    this.launchedAt = launchedAt;
    this.state = 0;
    this.stopCause = -1;
    this.runningAt = Number.NaN;
    this.stopInitiatedAt = Number.NaN;
    this.stoppedAt = Number.NaN;
    this.pending = 0;
    this.status.fill(0);
    this.pulled.fill(0);
    this.ready.fill(0);
    this.healthy.fill(0);
    this.pulledAt.fill(Number.NaN);
    this.startedAt.fill(Number.NaN);
    this.readyAt.fill(Number.NaN);
    this.stoppedAt_.fill(Number.NaN);
    this.exitCode.fill(-1);
    this.reason.fill(-1);
    this.signalled.fill(0);
    this.registered = false;
    this.everRegistered = false;
    this.registeredAt = Number.NaN;
    this.tstate = "unregistered";
    this.routable = false;
    this.serving = false;
    this.tookTraffic = false;
    this.healthEpoch = 0;
    this.hcC0 = 0;
    this.recordsWaiting = false;
    this.recordsAt = Number.NaN;
    this.recordsSeen = false;
    this.crashed = false;
    this.gateFailed = false;
    this.gateBusy = false;
    this.targetLog = trace ? [] : null;
    this.failLog = trace ? [] : null;
    return this;
  }
}

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
  readonly version: "new" | "previous";
  readonly launchedAt: number;
  readonly stoppedAt: number | null;
  readonly stopCause: TaskStopCause | null;
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

const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Runs deployments of one compiled task against one scenario. Reusable across runs; not re-entrant.
 */
export class DeploymentSimulator {
  private readonly rng = new Rng(0);
  private readonly drawRng = new Rng(0);
  private heap: Ev[] = [];
  private seq = 0;
  private now = 0;
  private lastT = 0;
  private tasks: Task[] = [];
  private readonly poolNew: Task[] = [];
  private readonly poolPrevious: Task[] = [];
  /** Set when something the scheduler looks at changed (a task stopped, turned healthy, stopped routing). */
  private dirty = true;
  private readonly scratch: Task[] = [];
  private active: Task[] = [];
  private trace = false;
  private runSeed = 0;
  private nextId = 0;
  private newSerial = 0;
  private prevSerial = 0;
  private deployVersion = VERSION_NEW;
  private failures = 0;
  private tripped = false;
  private rolledBack = false;
  private stalled = false;
  private doneAt = Number.NaN;
  private done = false;
  private rollbackAt = Number.NaN;
  private launches = 0;
  // Counters.
  private ok = 0;
  private f502 = 0;
  private f503 = 0;
  private tasksLaunched = 0;
  private tasksFailed = 0;
  private stoppedBeforeTraffic = 0;
  private stoppedBeforeRegistration = 0;
  private routerCrashes = 0;
  private gateFailures = 0;
  // Derived settings.
  private readonly desired: number;
  private readonly maxTotal: number;
  private readonly minHealthy: number;
  private readonly cbThreshold: number;
  private readonly rate: number;
  private readonly trafficEnd: number;
  private readonly hcInterval: number;
  private readonly healthyThreshold: number;
  private readonly unhealthyThreshold: number;
  private readonly hcTimeout: number;
  private readonly dependents: number[][];
  private readonly previous: TaskPlan;

  constructor(
    private readonly plan: TaskPlan,
    previous: TaskPlan,
    private readonly scenario: Scenario,
  ) {
    const s = scenario.service;
    this.desired = s.desiredCount;
    // ecs.md §6 "Service settings": maximumPercent is an upper limit (rounded down), minimumHealthyPercent
    // a lower limit (rounded up) of running/healthy tasks during a deployment (API_DeploymentConfiguration).
    this.maxTotal = Math.max(1, Math.floor((this.desired * s.maximumPercent) / 100));
    this.minHealthy = Math.ceil((this.desired * s.minimumHealthyPercent) / 100);
    this.cbThreshold = circuitBreakerThreshold(this.desired);
    this.rate = scenario.traffic.requestsPerSecond;
    this.trafficEnd = scenario.traffic.durationSeconds;
    const hc = scenario.loadBalancer.healthCheck;
    this.hcInterval = hc.intervalSeconds;
    this.healthyThreshold = hc.healthyThreshold;
    this.unhealthyThreshold = hc.unhealthyThreshold;
    this.hcTimeout = hc.timeoutSeconds;
    this.previous = previous;
    this.dependents = plan.containers.map(() => []);
    for (const c of plan.containers) {
      for (const d of c.deps) if (d.target >= 0) this.dependents[d.target]?.push(c.index);
    }
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
    const result = this.result();
    return {
      result,
      tasks: this.tasks.map((t) => this.taskTrace(t)),
      endTime: this.now,
      doneAt: fin(this.doneAt),
      rollbackAt: fin(this.rollbackAt),
    };
  }

  // ---------------------------------------------------------------- setup

  private acquire(version: number): Task {
    const pool = version === VERSION_NEW ? this.poolNew : this.poolPrevious;
    return pool.pop() ?? new Task(version === VERSION_NEW ? this.plan : this.previous);
  }

  private reset(seed: number, run: number, trace: boolean): void {
    for (const t of this.tasks) (t.version === VERSION_NEW ? this.poolNew : this.poolPrevious).push(t);
    this.runSeed = seedOf(seed >>> 0, run >>> 0);
    this.rng.reseed(this.runSeed ^ 0x5eed);
    this.heap.length = 0;
    this.seq = 0;
    this.now = 0;
    this.lastT = 0;
    this.tasks = [];
    this.active = [];
    this.trace = trace;
    this.nextId = 0;
    this.newSerial = 0;
    this.prevSerial = 0;
    this.deployVersion = VERSION_NEW;
    this.dirty = true;
    this.failures = 0;
    this.tripped = false;
    this.rolledBack = false;
    this.stalled = false;
    this.doneAt = Number.NaN;
    this.done = false;
    this.rollbackAt = Number.NaN;
    this.launches = 0;
    this.ok = 0;
    this.f502 = 0;
    this.f503 = 0;
    this.tasksLaunched = 0;
    this.tasksFailed = 0;
    this.stoppedBeforeTraffic = 0;
    this.stoppedBeforeRegistration = 0;
    this.routerCrashes = 0;
    this.gateFailures = 0;
    // The service before the deploy: desiredCount tasks of the previous version, healthy and serving.
    for (let i = 0; i < this.desired; i++) {
      const t = this.acquire(VERSION_PREVIOUS).init(
        this.nextId++,
        this.prevSerial++,
        VERSION_PREVIOUS,
        0,
        trace,
      );
      t.state = 1;
      t.runningAt = 0;
      t.status[0] = RUNNING;
      t.pulled[0] = 1;
      t.ready[0] = 1;
      t.startedAt[0] = 0;
      t.readyAt[0] = 0;
      t.sigtermExit[0] = 1;
      t.registered = true;
      t.everRegistered = true;
      t.registeredAt = 0;
      t.serving = true;
      t.routable = true;
      t.tookTraffic = true;
      this.drawTask(t);
      this.setTarget(t, "healthy");
      this.tasks.push(t);
      this.active.push(t);
    }
  }

  private drawTask(t: Task): void {
    const base = seedOf(this.runSeed ^ (t.version === VERSION_NEW ? 0 : 0x9e3779b9), t.serial);
    const r = this.drawRng.reseed(base ^ 0x7a5c);
    const sc = this.scenario;
    // Fixed draw order: the same serial draws the same values with and without the gate.
    t.crash = r.float() < sc.router.crash.probability;
    t.flushPhase = r.float();
    t.crashAfter = sample(sc.router.crash.afterFirstFlushSeconds, r);
    t.miss = r.float() < sc.gate.missProbability;
    t.detection = sample(sc.gate.detectionSeconds, r);
    t.regLag = sample(sc.loadBalancer.registrationLagSeconds, r);
    t.hcPhase = r.float();
    t.deregLag = sample(sc.loadBalancer.deregistrationLagSeconds, r);
    const probe = sample(sc.gate.probeVerdictSeconds, r);
    const sleep = sample(sc.gate.sleepVerdictSeconds, r);
    t.verdict = t.plan.gateKind === "sleep" ? sleep : probe;
    t.firstRequestU = r.floatOpen();
    for (const c of t.plan.containers) {
      const cr = this.drawRng.reseed(base ^ c.salt);
      const pull = sample(c.timing.pullSeconds, cr);
      t.boot[c.index] = sample(c.timing.bootSeconds, cr);
      t.sigtermExit[c.index] = sample(c.timing.sigtermExitSeconds, cr);
      t.pulledAt[c.index] = t.launchedAt + pull;
    }
  }

  // ---------------------------------------------------------------- event queue

  private push(t: number, kind: number, task: Task, arg = 0, code = 0): void {
    const h = this.heap;
    const ev: Ev = { t, seq: this.seq++, kind, task, arg, code };
    task.pending++;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = h[p] as Ev;
      if (pe.t < t || (pe.t === t && pe.seq < ev.seq)) break;
      h[i] = pe;
      i = p;
    }
    h[i] = ev;
  }

  private pop(): Ev | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined) return undefined;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        const le = h[l] as Ev;
        if (r < n) {
          const re = h[r] as Ev;
          if (re.t < le.t || (re.t === le.t && re.seq < le.seq)) c = r;
        }
        const ce = h[c] as Ev;
        if (last.t < ce.t || (last.t === ce.t && last.seq < ce.seq)) break;
        h[i] = ce;
        i = c;
      }
      h[i] = last;
    }
    top.task.pending--;
    return top;
  }

  private loop(): void {
    const maxT = this.scenario.limits.maxSimSeconds;
    this.schedule();
    for (;;) {
      const ev = this.pop();
      if (ev === undefined) break;
      if (ev.t > maxT) {
        this.now = maxT;
        break;
      }
      this.integrate(ev.t);
      this.now = ev.t;
      this.handle(ev);
      // ecs.md §1 [tm.go handleContainersUnableToTransitionState]: nothing left that can move and an
      // essential container never reached its steady state => the task is stopped.
      const task = ev.task;
      if (task.pending === 0 && task.state === 0) this.stopTask(task, C_UNABLE);
      this.schedule();
    }
    // Steady (or stalled) from here to the end of the traffic window: one last interval.
    this.integrate(Math.max(this.now, this.trafficEnd));
  }

  // ---------------------------------------------------------------- traffic

  /**
   * Requests between the previous state change and `t`: the ALB spreads them over the targets it routes to
   * (ecs.md §6: traffic only to healthy targets). A routed request fails when the app behind the target is
   * gone: 502 [ALB502]. No routable target at all: 503. (ALB "fail-open" when every target is unhealthy is
   * not modelled.)
   */
  private integrate(t: number): void {
    const from = this.lastT;
    this.lastT = t;
    const to = Math.min(t, this.trafficEnd);
    if (to <= from || this.rate <= 0) return;
    const lambda = this.rate * (to - from);
    let k = 0;
    let dead = 0;
    const act = this.active;
    for (let i = 0; i < act.length; i++) {
      const task = act[i] as Task;
      if (task.routable) {
        k++;
        if (!task.serving) dead++;
      }
    }
    if (k === 0) {
      const n = this.rng.poisson(lambda);
      this.f503 += n;
      return;
    }
    const per = lambda / k;
    this.ok += this.rng.poisson(per * (k - dead));
    if (dead > 0) {
      for (let i = 0; i < act.length; i++) {
        const task = act[i] as Task;
        if (!task.routable || task.serving) continue;
        const n = this.rng.poisson(per);
        this.f502 += n;
        if (n > 0 && task.failLog) task.failLog.push({ t: (from + to) / 2, count: n });
      }
    }
  }

  private routableCount(): number {
    let k = 0;
    for (const t of this.active) if (t.routable) k++;
    return k;
  }

  // ---------------------------------------------------------------- events

  private handle(ev: Ev): void {
    const task = ev.task;
    const c = ev.arg;
    switch (ev.kind) {
      case E_PULLED:
        if (task.state >= 2) return;
        task.pulled[c] = 1;
        this.tryStart(task);
        return;
      case E_READY:
        if (task.status[c] !== RUNNING) return;
        this.onReady(task, c);
        return;
      case E_CHEALTHY:
        if (task.status[c] !== RUNNING) return;
        // ecs.md §3: container health HEALTHY; a HEALTHY dependency is confirmed at startup only.
        task.healthy[c] = 1;
        this.tryStart(task);
        return;
      case E_CUNHEALTHY:
        if (task.status[c] !== RUNNING || task.healthy[c] || task.state >= 2) return;
        this.stopTask(task, C_UNHEALTHY_CONTAINER);
        return;
      case E_EXIT:
        if (task.status[c] !== RUNNING) return;
        this.containerStopped(
          task,
          c,
          ev.code,
          ev.code === 137 ? R_SIGKILL : ev.code === 143 && task.signalled[c] ? R_SIGTERM : R_EXITED,
        );
        return;
      case E_VERDICT:
        this.onVerdict(task, c);
        return;
      case E_CRASH:
        this.onCrash(task);
        return;
      case E_REGISTER:
        if (task.state >= 2 || task.registered) return;
        this.register(task);
        return;
      case E_THEALTHY:
        if (ev.code !== task.healthEpoch || task.state >= 2 || !task.registered || !task.serving) return;
        this.onTargetHealthy(task);
        return;
      case E_TUNHEALTHY:
        if (ev.code !== task.healthEpoch || task.state >= 2 || task.tstate !== "initial") return;
        this.setTarget(task, "unhealthy");
        return;
      case E_UNHEALTHY_STOP:
        // ecs.md §6 [HC][SVC]: a target still unhealthy after the grace period => task stopped and replaced.
        if (ev.code !== task.healthEpoch || task.state >= 2 || task.tstate === "healthy") return;
        this.stopTask(task, C_UNHEALTHY);
        return;
      case E_ROUTING_STOP:
        if (!task.routable) return;
        task.routable = false;
        this.dirty = true;
        this.setTarget(task, task.state === 3 ? "gone" : "draining");
        this.prune();
        return;
      case E_DRAIN_DONE:
        // ecs.md §6 [LBD]: ECS sends the stop signal once the deregistration delay has passed.
        this.shutdown(task);
        return;
      case E_FIRST_REQUEST:
        if (task.routable && task.serving) this.records(task);
        return;
    }
  }

  private launch(version: number): void {
    const serial = version === VERSION_NEW ? this.newSerial++ : this.prevSerial++;
    const t = this.acquire(version).init(this.nextId++, serial, version, this.now, this.trace);
    this.drawTask(t);
    this.tasks.push(t);
    this.active.push(t);
    this.launches++;
    if (version === VERSION_NEW) this.tasksLaunched++;
    if (this.trace) this.setTarget(t, "unregistered");
    // Images are pulled at task start, whatever the dependencies; ordering applies to container start
    // (ecs.md §1: dependsOn orders start; §6 [HC]: ACTIVATING pulls images).
    for (let c = 0; c < t.n; c++) this.push(t.pulledAt[c] as number, E_PULLED, t, c);
  }

  /**
   * Start every container whose dependencies are met; stop the ones whose dependencies never will be.
   * ecs.md §1 table (conditions, per [graph.go] containerOrderingDependenciesIsResolved) and "Runtime".
   */
  private tryStart(task: Task): void {
    if (task.state >= 2) return;
    const cs = task.plan.containers;
    let changed = true;
    while (changed) {
      changed = false;
      for (let c = 0; c < task.n; c++) {
        if (task.status[c] !== NONE || !task.pulled[c]) continue;
        const cp = cs[c];
        if (cp === undefined) continue;
        let resolved = true;
        let terminal = false;
        for (const d of cp.deps) {
          const x = d.target;
          if (x < 0) {
            // ecs.md §1 Runtime (a): the named target does not exist.
            terminal = true;
            break;
          }
          const st = task.status[x];
          const started = !Number.isNaN(task.startedAt[x] as number);
          switch (d.condition) {
            case "START":
              // Steady state RUNNING (or past it); (d) a target that will never start is terminal.
              if (!started) {
                resolved = false;
                if (st === STOPPED) terminal = true;
              }
              break;
            case "HEALTHY":
              if (!task.healthy[x]) {
                resolved = false;
                // A stopped target will never report HEALTHY. Without a healthCheck it can never
                // resolve either (containerOrderingDependenciesCanResolve = false): the container just
                // waits, and the task stops as unable to transition.
                if (st === STOPPED) terminal = true;
              }
              break;
            case "COMPLETE":
              if (st !== STOPPED || task.exitCode[x] === -1) {
                resolved = false;
                if (st === STOPPED) terminal = true;
              }
              break;
            case "SUCCESS":
              if (st !== STOPPED || task.exitCode[x] !== 0) {
                resolved = false;
                // (c) stopped with a non-zero exit code; (d) stopped without ever running.
                if (st === STOPPED) terminal = true;
              }
              break;
          }
          if (terminal) break;
        }
        if (terminal) {
          // ecs.md §1 Runtime / §2 [tm.go handleTerminalDependencyError, PR #3218]: the dependent is
          // stopped with exit code 143 and CannotStartContainerError; no signal is actually sent.
          this.containerStopped(task, c, 143, R_CANNOT_START);
          if (task.state >= 2) return;
          changed = true;
        } else if (resolved) {
          this.startContainer(task, c);
          changed = true;
        }
      }
    }
  }

  private startContainer(task: Task, c: number): void {
    const cp = task.plan.containers[c];
    if (cp === undefined) return;
    const now = this.now;
    task.status[c] = RUNNING;
    task.startedAt[c] = now;
    const readyAt = now + (task.boot[c] as number);
    task.readyAt[c] = readyAt;
    this.push(readyAt, E_READY, task, c);
    if (cp.health !== null) {
      // ecs.md §3: checks every `interval` from the container's start; the first success marks HEALTHY
      // (inside startPeriod failures do not count). The first check runs one interval after start.
      const h = cp.health;
      const iv = h.interval;
      const k = Math.max(1, Math.ceil((readyAt - now) / iv));
      this.push(now + k * iv, E_CHEALTHY, task, c);
      // Checks 1..k-1 fail; those after startPeriod count, and `retries` of them in a row make the
      // container UNHEALTHY. An essential UNHEALTHY container makes the task UNHEALTHY, and the service
      // replaces it, though not inside the grace period (ecs.md §3 roll-up; §6 [HC], [SVC]).
      if (cp.essential) {
        const firstCounted = Math.max(1, Math.floor(h.startPeriod / iv) + 1);
        const nth = firstCounted + h.retries - 1;
        if (nth < k) {
          const graceEnd = task.launchedAt + this.scenario.service.healthCheckGracePeriodSeconds;
          this.push(Math.max(now + nth * iv, graceEnd), E_CUNHEALTHY, task, c);
        }
      }
    }
    if (task.state === 0) {
      // Task RUNNING once every essential container (and the load-balanced one) has started.
      const cs = task.plan.containers;
      let all = true;
      for (let i = 0; i < task.n; i++) {
        if ((cs[i]?.essential || i === task.plan.target) && task.status[i] !== RUNNING) {
          all = false;
          break;
        }
      }
      if (all) {
        task.state = 1;
        task.runningAt = now;
        // ecs.md §6 [HC]: ECS registers the task with the target group in ACTIVATING. When exactly,
        // relative to dependsOn gating, is unverified (ecs.md open question 5): we register once the
        // load-balanced container has started, which is when ECS can know its address and port.
        this.push(now + task.regLag, E_REGISTER, task);
      }
    }
  }

  private onReady(task: Task, c: number): void {
    const plan = task.plan;
    task.ready[c] = 1;
    const cp = plan.containers[c];
    if (c === plan.router) {
      if (task.recordsWaiting) this.flushFirst(task);
      if (plan.gate >= 0 && task.status[plan.gate] === RUNNING && task.ready[plan.gate]) this.gateWork(task);
    }
    // The ALB's checks were planned at registration from this very ready time (planHealth).
    if (c === plan.target && task.signalled[c] === 0) task.serving = true;
    if (c === plan.gate) {
      this.gateWork(task);
      return;
    }
    if (cp?.logsViaRouter && cp.timing.firstLog === "start") this.records(task);
  }

  /**
   * The gate at work. The probe sends its records as soon as the router accepts them (the first flush
   * follows) and gives its verdict after verifying the flush and a settle window (DESIGN.md "The probe").
   * The seed's sleep preflight echoes through the router and exits 0 after its sleeps (seed article).
   */
  private gateWork(task: Task): void {
    const plan = task.plan;
    const gate = plan.gate;
    if (task.status[gate] !== RUNNING || task.gateBusy) return;
    if (plan.gateKind !== "sleep") {
      const router = plan.router;
      if (router >= 0 && !task.ready[router]) return; // waits for the forward input, within its deadline
    }
    task.gateBusy = true;
    this.records(task);
    this.push(this.now + task.verdict, E_VERDICT, task, gate);
  }

  private onVerdict(task: Task, gate: number): void {
    if (task.status[gate] !== RUNNING) return;
    const router = task.plan.router;
    const routerDown = router >= 0 && task.status[router] !== RUNNING;
    if (task.plan.gateKind === "probe" && routerDown && !task.miss) {
      task.gateFailed = true;
      this.gateFailures++;
      this.containerStopped(task, gate, 1, R_EXITED);
    } else {
      this.containerStopped(task, gate, 0, R_EXITED);
    }
  }

  /** Log records reach the router for the first time: the first flush follows within one Flush interval. */
  private records(task: Task): void {
    const router = task.plan.router;
    if (router < 0 || task.recordsSeen || task.recordsWaiting) return;
    if (task.status[router] === STOPPED) return;
    if (!task.ready[router]) {
      // Docker's fluentd driver connects asynchronously and buffers (ecs.md §4 [dte]).
      task.recordsWaiting = true;
      return;
    }
    this.flushFirst(task);
  }

  private flushFirst(task: Task): void {
    task.recordsWaiting = false;
    task.recordsSeen = true;
    task.recordsAt = this.now;
    if (!task.crash) return;
    const at = this.now + task.flushPhase * this.scenario.router.flushIntervalSeconds + task.crashAfter;
    this.push(at, E_CRASH, task);
  }

  private onCrash(task: Task): void {
    const plan = task.plan;
    const router = plan.router;
    if (router < 0 || task.status[router] !== RUNNING) return;
    task.crashed = true;
    this.routerCrashes++;
    this.containerStopped(task, router, this.scenario.router.crash.exitCode, R_CRASHED);
    // The probe watches the router; it notices the death at its next poll (unless it misses it).
    const gate = plan.gate;
    if (gate >= 0 && plan.gateKind === "probe" && task.status[gate] === RUNNING && !task.miss) {
      this.push(this.now + task.detection, E_VERDICT, task, gate);
    }
  }

  private containerStopped(task: Task, c: number, code: number, reason: number): void {
    const plan = task.plan;
    const cp = plan.containers[c];
    const wasRunning = task.status[c] === RUNNING;
    task.status[c] = STOPPED;
    task.stoppedAt_[c] = this.now;
    task.exitCode[c] = code;
    task.reason[c] = reason;
    if (c === plan.target && wasRunning) this.serveOff(task);
    if (cp?.essential && task.state < 2) {
      // ecs.md §2: an essential container stops for any reason => the task stops (EssentialContainerExited).
      this.stopTask(task, C_ESSENTIAL);
      return;
    }
    if (task.state >= 2) {
      this.shutdown(task);
      return;
    }
    // A SUCCESS/COMPLETE dependency may now resolve, or turn terminal.
    this.tryStart(task);
  }

  /** The app behind the target stops answering. */
  private serveOff(task: Task): void {
    if (!task.serving) return;
    task.serving = false;
    if (!task.routable) return;
    // In-flight requests on the target fail with it (ecs.md §6 [ALB502]/[TG]).
    const k = this.routableCount();
    const inflight = this.rng.poisson((this.rate / k) * this.scenario.traffic.latencySeconds);
    const moved = this.now < this.trafficEnd ? Math.min(inflight, this.ok) : 0;
    this.ok -= moved;
    this.f502 += moved;
    if (moved > 0 && task.failLog) task.failLog.push({ t: this.now, count: moved });
    // ALB health checks find it dead after `unhealthyThreshold` failed checks (each waits `timeout`).
    const iv = this.hcInterval;
    const k0 = Math.max(0, Math.ceil((this.now - task.hcC0) / iv));
    const detect = task.hcC0 + k0 * iv + (this.unhealthyThreshold - 1) * iv + this.hcTimeout;
    this.push(detect, E_ROUTING_STOP, task);
  }

  /**
   * Stop a task. ecs.md §6 lifecycle [HC][LBD]: DEACTIVATING deregisters the target. For a stop the
   * scheduler starts, ECS waits for the drain (up to the deregistration delay) before SIGTERM; when an
   * essential container exited on its own, the agent is already stopping the other containers.
   */
  private stopTask(task: Task, cause: number): void {
    if (task.state >= 2) return;
    task.state = 2;
    this.dirty = true;
    task.stopCause = cause;
    task.stopInitiatedAt = this.now;
    // Containers that never started never will (ecs.md §1 Runtime (d)).
    for (let c = 0; c < task.n; c++) {
      if (task.status[c] === NONE) {
        task.status[c] = STOPPED;
        task.stoppedAt_[c] = this.now;
        task.reason[c] = R_NEVER;
      }
    }
    if (task.registered) {
      task.registered = false;
      // ecs.md §6 [TG]: a draining target gets no new requests, after a short propagation delay.
      this.push(this.now + task.deregLag, E_ROUTING_STOP, task);
      this.setTarget(task, "draining");
      if (cause === C_SCHEDULER) {
        this.push(this.now + this.scenario.loadBalancer.deregistrationDelaySeconds, E_DRAIN_DONE, task);
        return;
      }
    }
    this.shutdown(task);
  }

  /**
   * Signal what may be signalled: ecs.md §1 [graph.go verifyShutdownOrder] (a target is stopped only after
   * every container depending on it), §2 (SIGTERM, then SIGKILL after stopTimeout: exit 143 or 137).
   */
  private shutdown(task: Task): void {
    const cs = task.plan.containers;
    let allStopped = true;
    for (let c = 0; c < task.n; c++) {
      if (task.status[c] !== RUNNING) continue;
      allStopped = false;
      if (task.signalled[c]) continue;
      if (task.stopCause === C_SCHEDULER && task.registered) continue;
      let blocked = false;
      const deps = task.plan === this.plan ? this.dependents[c] : undefined;
      if (deps) {
        for (const d of deps) {
          if (task.status[d] === RUNNING) {
            blocked = true;
            break;
          }
        }
      }
      if (blocked) continue;
      task.signalled[c] = 1;
      if (c === task.plan.target) this.serveOff(task);
      const grace = task.sigtermExit[c] as number;
      const stopTimeout = cs[c]?.stopTimeout ?? 30;
      if (grace <= stopTimeout) this.push(this.now + grace, E_EXIT, task, c, 143);
      else this.push(this.now + stopTimeout, E_EXIT, task, c, 137);
    }
    if (allStopped && task.state !== 3) this.taskStopped(task);
  }

  private taskStopped(task: Task): void {
    task.state = 3;
    this.dirty = true;
    task.stoppedAt = this.now;
    if (!task.routable) this.setTarget(task, "gone");
    if (task.version === VERSION_NEW && task.stopCause !== C_SCHEDULER) {
      this.tasksFailed++;
      if (!task.tookTraffic) this.stoppedBeforeTraffic++;
      if (!task.everRegistered) this.stoppedBeforeRegistration++;
      // ecs.md §6 [CB]: failed tasks of the deployment count towards the circuit breaker (stage 1: never
      // reached RUNNING; stage 2: failed health checks or stopped after RUNNING).
      if (this.deployVersion === VERSION_NEW && !this.done) this.failures++;
    }
    this.prune();
  }

  private prune(): void {
    const act = this.active;
    let j = 0;
    for (let i = 0; i < act.length; i++) {
      const t = act[i] as Task;
      if (t.state === 3 && !t.routable) continue;
      act[j++] = t;
    }
    act.length = j;
  }

  // ---------------------------------------------------------------- ALB target

  private register(task: Task): void {
    task.registered = true;
    task.everRegistered = true;
    task.registeredAt = this.now;
    this.setTarget(task, "initial");
    task.hcC0 = this.now + task.hcPhase * this.hcInterval;
    this.planHealth(task);
  }

  /**
   * ALB health checks (target-group-health-checks page): a check every `interval`; `healthyThreshold`
   * consecutive successes make the target healthy, `unhealthyThreshold` consecutive failures unhealthy.
   * A check fails while the app is not listening. Computed in closed form: no event per check.
   */
  private planHealth(task: Task): void {
    const iv = this.hcInterval;
    const target = task.plan.target;
    const readyAt = task.serving ? this.now : (task.readyAt[target] as number);
    if (!Number.isFinite(readyAt)) return;
    const from = Math.max(this.now, task.hcC0);
    const k0 = Math.ceil((from - task.hcC0) / iv - 1e-9);
    const firstCheck = task.hcC0 + k0 * iv;
    const kOk = Math.max(0, Math.ceil((readyAt - firstCheck) / iv - 1e-9));
    const healthyAt = firstCheck + (kOk + this.healthyThreshold - 1) * iv;
    task.healthEpoch++;
    const epoch = task.healthEpoch;
    if (task.serving || task.tstate === "initial" || task.tstate === "unhealthy") {
      this.push(healthyAt, E_THEALTHY, task, 0, epoch);
    }
    if (kOk >= this.unhealthyThreshold && task.tstate === "initial") {
      const unhealthyAt = firstCheck + (this.unhealthyThreshold - 1) * iv;
      this.push(unhealthyAt, E_TUNHEALTHY, task, 0, epoch);
      // ecs.md §6 [SVC]: the scheduler ignores unhealthy targets during the grace period after task start.
      const graceEnd = task.runningAt + this.scenario.service.healthCheckGracePeriodSeconds;
      this.push(Math.max(unhealthyAt, graceEnd), E_UNHEALTHY_STOP, task, 0, epoch);
    }
  }

  private onTargetHealthy(task: Task): void {
    task.routable = true;
    task.tookTraffic = true;
    this.dirty = true;
    this.setTarget(task, "healthy");
    // ecs.md §6 [CB]: resetOnHealthyTask (default true) resets the failure count.
    if (
      task.version === this.deployVersion &&
      this.scenario.service.circuitBreaker.resetOnHealthyTask &&
      !this.done
    ) {
      this.failures = 0;
    }
    const plan = task.plan;
    const tc = plan.containers[plan.target];
    if (
      tc?.logsViaRouter &&
      tc.timing.firstLog === "first-request" &&
      this.rate > 0 &&
      this.now < this.trafficEnd
    ) {
      // The first request this target gets: exponential wait at its share of the rate.
      const k = this.routableCount();
      this.push(this.now - Math.log(task.firstRequestU) * (k / this.rate), E_FIRST_REQUEST, task);
    }
  }

  private setTarget(task: Task, state: TargetState): void {
    if (task.tstate === state && task.targetLog && task.targetLog.length > 0) return;
    task.tstate = state;
    if (task.targetLog) task.targetLog.push({ t: this.now, state });
  }

  // ---------------------------------------------------------------- service scheduler

  /**
   * Rolling update (ecs.md §6 "Service settings"): launch tasks of the deployment's version while the total
   * stays within maximumPercent; stop tasks of the other version while the healthy count stays at or above
   * minimumHealthyPercent. Circuit breaker and rollback: ecs.md §6 [CB].
   */
  private schedule(): void {
    if (this.stalled || !this.dirty) return;
    this.dirty = false;
    if (
      this.deployVersion === VERSION_NEW &&
      this.scenario.service.circuitBreaker.enable &&
      this.failures >= this.cbThreshold &&
      !this.done
    ) {
      this.tripped = true;
      if (this.scenario.service.circuitBreaker.rollback) {
        // Roll back to the last COMPLETED deployment: the previous version becomes the one to run.
        this.deployVersion = VERSION_PREVIOUS;
        this.rolledBack = true;
        this.rollbackAt = this.now;
        this.failures = 0;
      } else {
        // Deployment FAILED without rollback: no more launches; the service stays as it is.
        this.stalled = true;
        return;
      }
    }
    const v = this.deployVersion;
    let alive = 0;
    let ofV = 0;
    let healthy = 0;
    for (const t of this.active) {
      if (t.state === 3) continue;
      alive++;
      if (t.state === 2) continue;
      if (t.version === v) ofV++;
      if (t.tstate === "healthy" && t.routable) healthy++;
    }
    // Tasks still draining count against maximumPercent until they are STOPPED: ECS counts RUNNING and
    // PENDING tasks, and a draining task is still RUNNING (DEACTIVATING) (ecs.md §6 lifecycle table).
    const cap = this.scenario.limits.maxTaskLaunches;
    while (ofV < this.desired && alive < this.maxTotal && this.launches < cap) {
      this.launch(v);
      ofV++;
      alive++;
    }
    // Stop other-version tasks while the healthy count allows (stopping may prune `active`: copy first).
    const others = this.scratch;
    others.length = 0;
    for (const t of this.active) if (t.state < 2 && t.version !== v) others.push(t);
    for (const t of others) {
      const isHealthy = t.tstate === "healthy" && t.routable;
      if (isHealthy && healthy - 1 < this.minHealthy) continue;
      if (isHealthy) healthy--;
      this.stopTask(t, C_SCHEDULER);
    }
    // Steady state: desiredCount tasks of the version, all healthy, nothing else left.
    if (!this.done) {
      let vHealthy = 0;
      let others = 0;
      for (const t of this.active) {
        if (t.state === 3) continue;
        if (t.version !== v) others++;
        else if (t.state < 2 && t.tstate === "healthy") vHealthy++;
      }
      if (others === 0 && vHealthy >= this.desired) {
        this.doneAt = this.now;
        this.done = true;
      }
    }
  }

  // ---------------------------------------------------------------- results

  private result(): RunResult {
    const failed = this.f502 + this.f503;
    return {
      sent: this.ok + failed,
      succeeded: this.ok,
      failed,
      failed502: this.f502,
      failed503: this.f503,
      completed: this.done && !this.rolledBack,
      durationSeconds: this.done && !this.rolledBack ? this.doneAt : Number.NaN,
      circuitBreakerTripped: this.tripped,
      rolledBack: this.rolledBack,
      tasksLaunched: this.tasksLaunched,
      tasksFailed: this.tasksFailed,
      tasksStoppedBeforeTraffic: this.stoppedBeforeTraffic,
      tasksStoppedBeforeRegistration: this.stoppedBeforeRegistration,
      routerCrashes: this.routerCrashes,
      gateFailures: this.gateFailures,
    };
  }

  private taskTrace(t: Task): TaskTrace {
    const plan = t.plan;
    return {
      id: t.id,
      version: t.version === VERSION_NEW ? "new" : "previous",
      launchedAt: t.launchedAt,
      stoppedAt: fin(t.stoppedAt),
      stopCause: t.stopCause >= 0 ? (CAUSES[t.stopCause] ?? null) : null,
      containers: plan.containers.map((c) => ({
        name: c.name,
        essential: c.essential,
        role:
          c.index === plan.router
            ? "router"
            : c.index === plan.gate
              ? "gate"
              : c.index === plan.target
                ? "target"
                : "other",
        pulledAt: fin(t.pulledAt[c.index] as number),
        startedAt: fin(t.startedAt[c.index] as number),
        readyAt: t.ready[c.index] ? fin(t.readyAt[c.index] as number) : null,
        stoppedAt: fin(t.stoppedAt_[c.index] as number),
        exitCode: (t.exitCode[c.index] as number) >= 0 ? (t.exitCode[c.index] as number) : null,
        reason: (t.reason[c.index] as number) >= 0 ? (REASONS[t.reason[c.index] as number] ?? null) : null,
      })),
      target: t.targetLog ?? [],
      failures: t.failLog ?? [],
    };
  }
}
