/**
 * The random values of one task, drawn at its launch from a stream of its own, keyed by (run seed,
 * version, serial): the n-th new task of run i draws the same values with and without the gate, so a
 * comparison's differences come from the task definitions, not from the dice.
 */
import { TaskVersion } from "./codes.js";
import { Rng, seedOf } from "./rng.js";
import type { Distribution, Scenario } from "./scenario.js";
import type { Task } from "./task.js";

function sample(d: Distribution, rng: Rng): number {
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

export class TaskDraws {
  private readonly rng = new Rng(0);
  private runSeed = 0;

  constructor(private readonly scenario: Scenario) {}

  startRun(runSeed: number): void {
    this.runSeed = runSeed;
  }

  draw(t: Task): void {
    const base = seedOf(this.runSeed ^ (t.version === TaskVersion.new ? 0 : 0x9e3779b9), t.serial);
    const r = this.rng.reseed(base ^ 0x7a5c);
    const sc = this.scenario;
    // Fixed draw order: the same serial draws the same values with and without the gate.
    t.routerWillCrash = r.float() < sc.router.crash.probability;
    t.flushPhase = r.float();
    t.crashAfterFlushSeconds = sample(sc.router.crash.afterFirstFlushSeconds, r);
    t.gateMissesCrash = r.float() < sc.gate.missProbability;
    t.crashDetectionSeconds = sample(sc.gate.detectionSeconds, r);
    t.registrationLagSeconds = sample(sc.loadBalancer.registrationLagSeconds, r);
    t.healthCheckPhase = r.float();
    t.deregistrationLagSeconds = sample(sc.loadBalancer.deregistrationLagSeconds, r);
    const probe = sample(sc.gate.probeVerdictSeconds, r);
    const sleep = sample(sc.gate.sleepVerdictSeconds, r);
    t.gateVerdictSeconds = t.plan.gateKind === "sleep" ? sleep : probe;
    t.firstRequestDraw = r.floatOpen();
    for (const c of t.plan.containers) {
      const cr = this.rng.reseed(base ^ c.salt);
      const pull = sample(c.timing.pullSeconds, cr);
      t.bootSeconds[c.index] = sample(c.timing.bootSeconds, cr);
      t.sigtermExitSeconds[c.index] = sample(c.timing.sigtermExitSeconds, cr);
      t.pulledAt[c.index] = t.launchedAt + pull;
    }
  }
}
