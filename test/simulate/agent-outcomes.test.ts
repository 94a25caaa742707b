/**
 * simulate decides dependency outcomes with the model's rule (`dependencyVerdict`, the one `outcomeOfExit` uses),
 * as amazon-ecs-agent v1.61.2 does (agent/engine/dependencygraph/graph.go, agent/engine/task_manager.go):
 * (a) START is met only while the dependency runs, (b) HEALTHY on a container that stopped blocks for ever
 * rather than failing with 143, (c) a task blocked that way hangs before RUNNING rather than being stopped.
 * Then: for generated tasks, each container's simulated end state after a router crash equals `outcomeOfExit`'s.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ContainerOutcome,
  type OutcomeGraph,
  outcomeOfExit,
  type TaskOutcome,
} from "../../src/model/index.js";
import type { TaskTrace } from "../../src/simulate/engine.js";
import { headline, simulate } from "../../src/simulate/index.js";
import type { TaskPlan } from "../../src/simulate/plan.js";
import type { ContainerDefinition } from "../../src/taskdef/model.js";
import { runs } from "../support/runs.js";
import { fixedScenario, runOnce, targetAt } from "./helpers.js";

const firelens = { logDriver: "awsfirelens" as const, options: { Name: "datadog" } };
const routerHealthCheck = { command: ["CMD-SHELL", "true"], interval: 10 };
const router = (extra: Partial<ContainerDefinition> = {}): ContainerDefinition => ({
  name: "log-router",
  image: "fluent-bit",
  essential: false,
  firelensConfiguration: { type: "fluentbit" },
  ...extra,
});
const app: ContainerDefinition = {
  name: "app",
  image: "app",
  essential: true,
  portMappings: [{ containerPort: 8080 }],
  logConfiguration: firelens,
};
const sleepGate: ContainerDefinition = {
  name: "log-router-preflight",
  image: "busybox",
  essential: false,
  command: ["sh", "-c", "sleep 30"],
  dependsOn: [{ containerName: "log-router", condition: "START" }],
};
/** A sidecar that does not log through the router, so it has no implicit edge: only what it writes. */
const sidecar = (dependsOn: ContainerDefinition["dependsOn"]): ContainerDefinition => ({
  name: "sidecar",
  image: "sidecar",
  essential: false,
  dependsOn,
});
// The router crashes on its first flush; the app logs as soon as it is up, so that flush comes at once.
const crashing = () =>
  fixedScenario({ router: { crash: { probability: 1 } }, containers: { app: { firstLog: "start" } } });

describe("dependency outcomes as the agent decides them", () => {
  it("(a) START on a container that has stopped is not met: the waiter waits for ever", () => {
    const r = runOnce(
      [
        router(),
        app,
        sleepGate,
        sidecar([
          { containerName: "log-router", condition: "START" },
          { containerName: "log-router-preflight", condition: "SUCCESS" },
        ]),
      ],
      crashing(),
    );
    expect(r.container("log-router").reason).toBe("crashed");
    expect(r.container("log-router-preflight").exitCode).toBe(0);
    // The router had started (and ran) before: the agent asks for RUNNING now (IsKnownSteadyState).
    const s = r.container("sidecar");
    expect(s.startedAt).toBeNull();
    expect(s.stoppedAt).toBeNull();
    expect(s.reason).toBeNull();
    expect(r.task.hungAt).toBe(31);
  });

  it("(b) HEALTHY on a container that stopped before it was healthy waits for ever, not 143", () => {
    const r = runOnce(
      [
        router({ healthCheck: routerHealthCheck }),
        app,
        sidecar([{ containerName: "log-router", condition: "HEALTHY" }]),
      ],
      crashing(),
    );
    const routerC = r.container("log-router");
    expect(routerC.reason).toBe("crashed");
    // It crashed before its first container health check (10 s): never HEALTHY.
    expect(routerC.stoppedAt).toBeLessThan(10);
    const s = r.container("sidecar");
    expect(s.exitCode).toBeNull();
    expect(s.reason).not.toBe("CannotStartContainerError");
    expect(s.startedAt).toBeNull();
    expect(r.task.stopCause).toBeNull();
  });

  it("(c) a task blocked for good hangs before RUNNING: never stopped, never registered, counted as hung, not as failed", () => {
    const containers = [
      router({ healthCheck: routerHealthCheck }),
      app,
      sidecar([{ containerName: "log-router", condition: "HEALTHY" }]),
    ];
    const sc = crashing();
    const r = runOnce(containers, sc);
    expect(r.task.hungAt).not.toBeNull();
    expect(r.task.stopCause).toBeNull();
    expect(r.task.stoppedAt).toBeNull();
    expect(targetAt(r.task, "initial")).toBeUndefined();
    const result = r.trace.result;
    expect(result.tasksHung).toBe(1);
    // The circuit breaker counts tasks that stop before RUNNING ([CB]); this one never stops, so it neither
    // trips the breaker nor lets the deploy complete; the previous version keeps serving.
    expect(result.tasksFailed).toBe(0);
    expect(result.circuitBreakerTripped).toBe(false);
    expect(result.completed).toBe(false);
    expect(result.rolledBack).toBe(false);
    const previous = r.trace.tasks.filter((t) => t.version === "previous");
    expect(previous.length).toBeGreaterThan(0);
    expect(previous.every((t) => t.stoppedAt === null)).toBe(true);
    // And the Monte Carlo figures say so.
    const mc = simulate(containers, sc, { runs: 5, trace: false });
    expect(mc.variants[0]?.tasksHung).toBe(5);
    expect(mc.variants[0]?.completed).toBe(0);
    expect(headline(mc)).toBe(
      "Without the gate, no deploy failed requests; 5 tasks hung before RUNNING, waiting for ever on a dependency that can no longer be met (5 of 5 deploys did not complete).",
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Agreement: simulate's end state of every container after a router crash equals outcomeOfExit's.

type Cond = "START" | "HEALTHY" | "SUCCESS" | "COMPLETE";

interface Extra {
  readonly essential: boolean;
  readonly logs: boolean;
  readonly health: boolean;
  readonly deps: readonly { readonly to: number; readonly condition: Cond }[];
}

const extraArb = fc.record({
  essential: fc.boolean(),
  logs: fc.boolean(),
  health: fc.boolean(),
  deps: fc.array(
    fc.record({
      to: fc.nat({ max: 20 }),
      condition: fc.constantFrom<Cond>("START", "HEALTHY", "SUCCESS", "COMPLETE"),
    }),
    { maxLength: 3 },
  ),
});

const taskArb = fc.record({
  routerEssential: fc.boolean(),
  routerHealth: fc.boolean(),
  gate: fc.boolean(),
  gateHealthy: fc.boolean(),
  appGated: fc.boolean(),
  loggerEssential: fc.boolean(),
  extras: fc.array(extraArb, { maxLength: 4 }),
  order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
});

type TaskSpec = typeof taskArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * A task whose timings meet `outcomeOfExit`'s assumptions: the router crashes 40 s after its first flush (the
 * always-running `logger` sends the first records at 1 s), after every other health check had its chance (5 s
 * intervals, chains of at most five) but before its own (120 s) and before a probe's verdict (90 s); SUCCESS and
 * COMPLETE wait only on containers that exit on their own (the router, the probe) or on essential ones (which
 * never finish first). Dependencies point at earlier containers only (no cycles); the
 * written order is then shuffled, so a held-back container is listed before or after its waiters.
 */
function build(spec: TaskSpec): ContainerDefinition[] {
  const defs: ContainerDefinition[] = [];
  defs.push(
    router({
      essential: spec.routerEssential,
      ...(spec.routerHealth ? { healthCheck: { ...routerHealthCheck, interval: 120 } } : {}),
    }),
  );
  defs.push({ name: "logger", image: "logger", essential: spec.loggerEssential, logConfiguration: firelens });
  if (spec.gate) {
    defs.push({
      name: "log-router-preflight",
      image: "probe",
      essential: false,
      environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
      dependsOn: [
        {
          containerName: "log-router",
          condition: spec.gateHealthy && spec.routerHealth ? "HEALTHY" : "START",
        },
      ],
    });
  }
  defs.push({
    ...app,
    ...(spec.gate && spec.appGated
      ? { dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }] }
      : {}),
  });
  spec.extras.forEach((x: Extra, i) => {
    const dependsOn: { containerName: string; condition: Cond }[] = [];
    for (const d of x.deps) {
      const target = defs[d.to % defs.length];
      if (target === undefined || dependsOn.some((e) => e.containerName === target.name)) continue;
      const name = String(target.name);
      const hasHealth = target.healthCheck !== undefined;
      const exitsOrEssential =
        name === "log-router" || name === "log-router-preflight" || target.essential === true;
      if (d.condition === "HEALTHY" && !hasHealth) continue;
      if ((d.condition === "SUCCESS" || d.condition === "COMPLETE") && !exitsOrEssential) continue;
      dependsOn.push({ containerName: name, condition: d.condition });
    }
    defs.push({
      name: `c${i}`,
      image: "c",
      essential: x.essential,
      ...(x.logs ? { logConfiguration: firelens } : {}),
      ...(x.health ? { healthCheck: { command: ["CMD-SHELL", "true"], interval: 5 } } : {}),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    });
  });
  // Shuffle by the generated keys (stable for equal keys).
  const keys = defs.map((_, i) => spec.order[i % spec.order.length] ?? i);
  return defs
    .map((d, i) => ({ d, k: keys[i] as number, i }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.d);
}

function graphOf(plan: TaskPlan): OutcomeGraph {
  return {
    nodes: plan.containers.map((c) => ({
      index: c.index,
      name: c.name,
      essential: c.essential,
      hasHealthCheck: c.health !== null,
    })),
    edges: plan.containers.flatMap((c) =>
      c.deps.map((d) => ({ from: c.index, to: d.target, condition: d.condition })),
    ),
  };
}

/**
 * What the simulated task did with each container, in the model's words. A probe that sees an essential router
 * die may still exit 1 before the task's SIGTERM reaches it; the task stopped at the crash either way, and the
 * model counts it as started (`outcomeOfExit`: the task stops the probes first).
 */
function simulatedOutcome(
  c: TaskTrace["containers"][number],
  router: boolean,
  gate: boolean,
  routerEssential: boolean,
): ContainerOutcome | "?" {
  if (router && c.reason === "crashed") return "exits";
  if (gate && !routerEssential && c.exitCode === 1 && c.reason === "exited") return "exits";
  if (c.reason === "CannotStartContainerError") return "held-back";
  if (c.startedAt !== null) return "starts";
  if (c.reason === "never-started") return "stopped-with-task";
  if (c.stoppedAt === null) return "waits-forever";
  return "?";
}

function simulatedTask(t: TaskTrace, routerExited: boolean): TaskOutcome {
  if (t.stopCause !== null) return "stops";
  if (t.hungAt !== null) return "hangs";
  return routerExited ? "runs-without-router" : "runs";
}

describe("simulate agrees with outcomeOfExit after a router crash", () => {
  it("for generated tasks, every container's end state and the task's", () => {
    const scenario = fixedScenario({
      router: { crash: { probability: 1, exitCode: 139, afterFirstFlushSeconds: 40 } },
      gate: { missProbability: 0, probeVerdictSeconds: 90 },
      containers: { default: { firstLog: "never" }, logger: { firstLog: "start" } },
    });
    let compared = 0;
    const seen = new Set<string>();
    fc.assert(
      fc.property(taskArb, (spec) => {
        const r = runOnce(build(spec), scenario);
        const plan = r.plan;
        if (plan.router < 0) return;
        const o = outcomeOfExit(graphOf(plan), plan.router, 139, {
          router: plan.router,
          probes: plan.gateKind === "probe" && plan.gate >= 0 ? [plan.gate] : [],
        });
        const sim = r.task.containers.map((c, i) =>
          simulatedOutcome(c, i === plan.router, i === plan.gate, spec.routerEssential),
        );
        const model = o.nodes.map((n) => (n.outcome === "starts-anyway" ? "starts" : n.outcome));
        expect({ containers: r.task.containers.map((c) => c.name), outcomes: sim }).toEqual({
          containers: r.task.containers.map((c) => c.name),
          outcomes: model,
        });
        expect(simulatedTask(r.task, true)).toBe(o.task);
        for (const x of model) seen.add(x);
        seen.add(`task ${o.task}`);
        compared++;
      }),
      { numRuns: runs(300), seed: 23 },
    );
    expect(compared).toBe(runs(300));
    // The generated tasks reach every outcome, so the agreement covers each rule (at the default count).
    if (runs(300) >= 300)
      expect([...seen].sort()).toEqual([
        "exits",
        "held-back",
        "starts",
        "stopped-with-task",
        "task hangs",
        "task runs-without-router",
        "task stops",
        "waits-forever",
      ]);
  });
});
