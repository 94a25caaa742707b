/**
 * Client traffic. Requests are not events: between two state changes the targets the ALB routes to are
 * fixed, so the requests of that interval are one Poisson draw per outcome. Sources by label: the header
 * of engine.ts.
 */
import type { EventQueue } from "./events.js";
import type { Fleet } from "./fleet.js";
import { Rng } from "./rng.js";
import type { Scenario } from "./scenario.js";
import type { Task } from "./task.js";

export class Traffic {
  readonly requestsPerSecond: number;
  /** Traffic stops here (simulated seconds). */
  readonly endsAt: number;
  private readonly latencySeconds: number;
  private readonly rng = new Rng(0);
  /** Requests are counted up to here. */
  private countedTo = 0;
  succeeded = 0;
  /** Routed to a target whose app was gone (or in flight when it went): ALB 502. */
  failed502 = 0;
  /** No target to route to: ALB 503. */
  failed503 = 0;

  constructor(
    scenario: Scenario,
    private readonly queue: EventQueue,
    private readonly fleet: Fleet,
  ) {
    this.requestsPerSecond = scenario.traffic.requestsPerSecond;
    this.endsAt = scenario.traffic.durationSeconds;
    this.latencySeconds = scenario.traffic.latencySeconds;
  }

  startRun(runSeed: number): void {
    this.rng.reseed(runSeed ^ 0x5eed);
    this.countedTo = 0;
    this.succeeded = 0;
    this.failed502 = 0;
    this.failed503 = 0;
  }

  /**
   * Requests between the last count and `t`: the ALB spreads them over the targets it routes to ([HC]:
   * traffic only to healthy targets). A routed request fails when the app behind the target is gone: 502
   * [ALB502]. No routable target at all: 503. (ALB "fail-open" when every target is unhealthy is not
   * modelled.)
   */
  countUntil(t: number): void {
    const from = this.countedTo;
    this.countedTo = t;
    const to = Math.min(t, this.endsAt);
    const rate = this.requestsPerSecond;
    if (to <= from || rate <= 0) return;
    const lambda = rate * (to - from);
    let routable = 0;
    let dead = 0;
    const act = this.fleet.active;
    for (let i = 0; i < act.length; i++) {
      const task = act[i] as Task;
      if (task.routable) {
        routable++;
        if (!task.serving) dead++;
      }
    }
    if (routable === 0) {
      this.failed503 += this.rng.poisson(lambda);
      return;
    }
    const perTarget = lambda / routable;
    this.succeeded += this.rng.poisson(perTarget * (routable - dead));
    if (dead === 0) return;
    for (let i = 0; i < act.length; i++) {
      const task = act[i] as Task;
      if (!task.routable || task.serving) continue;
      const n = this.rng.poisson(perTarget);
      this.failed502 += n;
      if (n > 0 && task.failureLog) task.failureLog.push({ t: (from + to) / 2, count: n });
    }
  }

  /** The app behind a routed target stopped: its in-flight requests fail with it ([ALB502], [TG]). */
  failInFlight(task: Task): void {
    const now = this.queue.now;
    const share = this.requestsPerSecond / this.fleet.routableCount();
    const inFlight = this.rng.poisson(share * this.latencySeconds);
    // They were counted as succeeded when their interval was counted.
    const moved = now < this.endsAt ? Math.min(inFlight, this.succeeded) : 0;
    this.succeeded -= moved;
    this.failed502 += moved;
    if (moved > 0 && task.failureLog) task.failureLog.push({ t: now, count: moved });
  }
}
