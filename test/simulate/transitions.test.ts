/**
 * One test per ECS / ALB transition the model encodes, each naming its source by the labels listed with
 * their public URLs in the header of src/simulate/engine.ts ([TDP], [graph.go], [HC], [CB] …).
 */
import { describe, expect, it } from "vitest";
import { circuitBreakerThreshold } from "../../src/simulate/engine.js";
import { SimulationInputError } from "../../src/simulate/plan.js";
import type { ContainerDefinition } from "../../src/taskdef/model.js";
import { fixedScenario, runOnce, targetAt } from "./helpers.js";

const firelens = { logDriver: "awsfirelens" as const, options: { Name: "datadog" } };
const router = (extra: Partial<ContainerDefinition> = {}): ContainerDefinition => ({
  name: "log-router",
  image: "fluent-bit",
  essential: true,
  firelensConfiguration: { type: "fluentbit" },
  ...extra,
});
const app = (extra: Partial<ContainerDefinition> = {}): ContainerDefinition => ({
  name: "app",
  image: "app",
  essential: true,
  portMappings: [{ containerPort: 8080 }],
  logConfiguration: firelens,
  ...extra,
});
const probe = (extra: Partial<ContainerDefinition> = {}): ContainerDefinition => ({
  name: "log-router-preflight",
  image: "probe",
  essential: false,
  environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
  dependsOn: [{ containerName: "log-router", condition: "START" }],
  ...extra,
});
const gatedApp = (extra: Partial<ContainerDefinition> = {}) =>
  app({ dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }], ...extra });
const healthCheck = {
  command: ["CMD-SHELL", "curl -f http://127.0.0.1:2020/api/v1/uptime || exit 1"],
  interval: 10,
};

describe("dependsOn ([TDP], [graph.go])", () => {
  it("START: an awsfirelens container gets an implicit START on the router and waits for it ([task.go])", () => {
    const sc = fixedScenario({ containers: { "log-router": { pullSeconds: 5 } } });
    const r = runOnce([router(), app()], sc);
    expect(r.plan.implicitRouterDeps).toBe(true);
    expect(r.plan.containers[1]?.deps).toEqual([
      { target: 0, targetName: "log-router", condition: "START", implicit: true },
    ]);
    expect(r.container("log-router").startedAt).toBe(5);
    expect(r.container("app").startedAt).toBe(5);
  });

  it("the implicit START vanishes when the router has a dependsOn ([task.go])", () => {
    const sc = fixedScenario({ containers: { "log-router": { pullSeconds: 5 } } });
    const agent: ContainerDefinition = { name: "dd-agent", image: "agent", essential: true };
    const r = runOnce(
      [router({ dependsOn: [{ containerName: "dd-agent", condition: "START" }] }), agent, app()],
      sc,
    );
    expect(r.plan.implicitRouterDeps).toBe(false);
    expect(r.plan.notes.join("\n")).toMatch(/no implicit START/);
    expect(r.container("app").startedAt).toBe(0);
  });

  it("HEALTHY waits for the target's container health check; SUCCESS for its exit 0 ([graph.go], [HC])", () => {
    const sc = fixedScenario();
    const r = runOnce(
      [
        router({ healthCheck }),
        probe({ dependsOn: [{ containerName: "log-router", condition: "HEALTHY" }] }),
        gatedApp(),
      ],
      sc,
    );
    // First container health check one interval (10 s) after start; the router was ready at 1 s.
    expect(r.container("log-router-preflight").startedAt).toBe(10);
    // Probe: ready at 11, records sent, verdict 2 s later, exit 0.
    expect(r.container("log-router-preflight").stoppedAt).toBe(13);
    expect(r.container("log-router-preflight").exitCode).toBe(0);
    expect(r.container("app").startedAt).toBe(13);
  });

  it("SUCCESS on a target that exits non-zero: the dependent stops with 143 CannotStartContainerError ([PR3218])", () => {
    const sc = fixedScenario({ router: { crash: { probability: 1 } } });
    const r = runOnce([router({ essential: false }), probe(), gatedApp()], sc);
    const gate = r.container("log-router-preflight");
    const appC = r.container("app");
    expect(r.container("log-router").exitCode).toBe(139);
    expect(gate.exitCode).toBe(1);
    expect(appC.exitCode).toBe(143);
    expect(appC.reason).toBe("CannotStartContainerError");
    expect(appC.startedAt).toBeNull();
    // [TDP] essential: the app is essential, so its stop stops the task.
    expect(r.task.stopCause).toBe("EssentialContainerExited");
    expect(targetAt(r.task, "initial")).toBeUndefined();
  });

  // The agent checks the whole graph before it starts any container (ValidDependencies in
  // agent/engine/dependencygraph/graph.go; initializeContainerOrdering in agent/api/task/task.go): such a task
  // never runs, so there is no deploy to simulate.
  it.each([
    [
      "a dependency on a container that does not exist",
      [app({ logConfiguration: undefined, dependsOn: [{ containerName: "nope", condition: "START" }] })],
      /"app" depends on "nope", which is not in the task/,
    ],
    [
      "HEALTHY on a container without healthCheck",
      [router(), app({ dependsOn: [{ containerName: "log-router", condition: "HEALTHY" }] })],
      /"app" waits for "log-router" to be HEALTHY, but "log-router" has no healthCheck/,
    ],
  ] as const)(
    "%s: the agent refuses the task, so the simulator refuses the input",
    (_, containers, message) => {
      expect(() => runOnce([...containers], fixedScenario())).toThrow(SimulationInputError);
      expect(() => runOnce([...containers], fixedScenario())).toThrow(message);
    },
  );
});

describe("the gate (README.md 'The gate'; the seed, examples/seed)", () => {
  const sleeper = probe({ environment: [], command: ["sh", "-c", "sleep 30"] });

  it("is found from the task definition: a probe when it carries FIRELENS_PREFLIGHT_* settings, else the seed's sleep", () => {
    const withProbe = runOnce([router(), probe(), gatedApp()], fixedScenario());
    expect(withProbe.plan.gateKind).toBe("probe");
    const withSleep = runOnce([router(), sleeper, gatedApp()], fixedScenario());
    expect(withSleep.plan.gateKind).toBe("sleep");
    // The sleep opens after its fixed 30 s, whatever the router did.
    expect(withSleep.container("log-router-preflight").stoppedAt).toBe(1 + 30);
    expect(withSleep.container("app").startedAt).toBe(31);
  });

  it("the sleep verifies nothing: with a non-essential router that crashed it still exits 0, and the app it releases waits for ever on the dead router ([graph.go] START)", () => {
    const sc = fixedScenario({ router: { crash: { probability: 1 } } });
    const r = runOnce([router({ essential: false }), sleeper, gatedApp()], sc);
    expect(r.container("log-router").reason).toBe("crashed");
    expect(r.container("log-router-preflight").exitCode).toBe(0);
    // The app's implicit START on the router is met only while the router runs: it never starts, and the
    // task hangs before RUNNING instead of taking traffic without its router.
    expect(r.container("app").startedAt).toBeNull();
    expect(r.container("app").stoppedAt).toBeNull();
    expect(r.task.hungAt).toBe(31);
    expect(r.task.stopCause).toBeNull();
    // The probe in the same place fails the task instead (see the SUCCESS test above).
    const p = runOnce([router({ essential: false }), probe(), gatedApp()], sc);
    expect(p.container("log-router-preflight").exitCode).toBe(1);
  });

  it("a probe that misses the crash (false negative) exits 0, and the app still cannot start on the dead router", () => {
    const sc = fixedScenario({ router: { crash: { probability: 1 } }, gate: { missProbability: 1 } });
    const r = runOnce([router({ essential: false }), probe(), gatedApp()], sc);
    expect(r.container("log-router-preflight").exitCode).toBe(0);
    expect(r.container("app").startedAt).toBeNull();
    expect(r.task.hungAt).toBe(3);
    expect(targetAt(r.task, "initial")).toBeUndefined();
  });
});

describe("container health checks ([HC])", () => {
  const slowRouter = { containers: { "log-router": { bootSeconds: 20 } } };
  const hc = (startPeriod: number) => ({
    command: ["CMD-SHELL", "curl -f http://127.0.0.1:2020/api/v1/uptime || exit 1"],
    interval: 5,
    retries: 2,
    startPeriod,
  });

  it("`retries` failed checks after startPeriod make an essential container UNHEALTHY: the task is replaced", () => {
    const r = runOnce([router({ healthCheck: hc(0) }), app()], fixedScenario(slowRouter));
    expect(r.task.stopCause).toBe("UnhealthyContainer");
    expect(r.task.containers[0]?.stoppedAt).toBeGreaterThanOrEqual(10);
    expect(r.newTasks.length).toBeGreaterThan(1);
  });

  it("failures inside startPeriod do not count; nor does UNHEALTHY inside the grace period ([SVC])", () => {
    const withStart = runOnce([router({ healthCheck: hc(30) }), app()], fixedScenario(slowRouter));
    expect(withStart.task.stopCause).toBeNull();
    const withGrace = runOnce(
      [router({ healthCheck: hc(0) }), app()],
      fixedScenario({ ...slowRouter, service: { healthCheckGracePeriodSeconds: 60 } }),
    );
    expect(withGrace.task.stopCause).toBeNull();
  });
});

describe("essential ([TDP]) and stop signals ([CD-API] stopTimeout)", () => {
  const agent: ContainerDefinition = { name: "dd-agent", image: "agent", essential: true, stopTimeout: 30 };

  it("an essential container's exit stops the task: SIGTERM -> 143; past stopTimeout SIGKILL -> 137", () => {
    const sc = fixedScenario({
      router: { crash: { probability: 1 } },
      containers: { app: { firstLog: "start" }, "dd-agent": { sigtermExitSeconds: 50 } },
    });
    const r = runOnce([router(), agent, app()], sc);
    const crashAt = r.container("log-router").stoppedAt ?? Number.NaN;
    expect(r.container("log-router").reason).toBe("crashed");
    expect(r.task.stopCause).toBe("EssentialContainerExited");
    expect(r.container("app").exitCode).toBe(143);
    expect(r.container("app").stoppedAt).toBeCloseTo(crashAt + 1, 9);
    expect(r.container("dd-agent").exitCode).toBe(137);
    expect(r.container("dd-agent").reason).toBe("SIGKILL");
    expect(r.container("dd-agent").stoppedAt).toBeCloseTo(crashAt + 30, 9);
    expect(r.task.stoppedAt).toBeCloseTo(crashAt + 30, 9);
  });

  it("shutdown runs in reverse dependency order: a target is signalled after its dependents stopped ([graph.go] verifyShutdownOrder)", () => {
    const sc = fixedScenario({
      router: { crash: { probability: 1 } },
      containers: { app: { firstLog: "start" } },
    });
    const r = runOnce(
      [router(), agent, app({ dependsOn: [{ containerName: "dd-agent", condition: "START" }] })],
      sc,
    );
    const appStop = r.container("app").stoppedAt ?? Number.NaN;
    expect(r.container("dd-agent").stoppedAt).toBeCloseTo(appStop + 1, 9);
  });

  it("a non-essential container's exit leaves the task running ([TDP])", () => {
    const r = runOnce([router(), probe(), gatedApp()], fixedScenario());
    expect(r.container("log-router-preflight").exitCode).toBe(0);
    expect(r.task.stoppedAt).toBeNull();
    expect(r.trace.result.completed).toBe(true);
  });
});

describe("ALB target and service scheduler ([HC], [TG-HC], [DC])", () => {
  it("registers when the load-balanced container starts, healthy after healthyThreshold passing checks ([HC], [TG-HC])", () => {
    const r = runOnce([router(), probe(), gatedApp()], fixedScenario());
    expect(targetAt(r.task, "initial")).toBe(3); // probe verdict at 1 + 2 s; app starts, registered
    const healthy = targetAt(r.task, "healthy") ?? Number.NaN;
    // App ready at 4; the first passing check is within one interval (5 s), then one more interval.
    expect(healthy).toBeGreaterThanOrEqual(4 + 5);
    expect(healthy).toBeLessThan(4 + 10);
  });

  it("a task the scheduler stops drains for the deregistration delay before SIGTERM ([LBD], [TG])", () => {
    const r = runOnce([router(), app()], fixedScenario());
    const prev = r.trace.tasks.find((t) => t.version === "previous");
    const draining = prev && targetAt(prev, "draining");
    expect(draining).toBeDefined();
    // New task healthy -> old deregistered; 10 s delay, then SIGTERM and a 1 s exit.
    expect(draining).toBe(targetAt(r.task, "healthy"));
    expect(prev?.stoppedAt).toBeCloseTo((draining ?? 0) + 10 + 1, 9);
    expect(prev?.stopCause).toBe("ServiceSchedulerInitiated");
  });

  it("a target still unhealthy is stopped, but not inside the health-check grace period ([SVC], [HC])", () => {
    const slow = { containers: { app: { bootSeconds: 100 } } };
    const noGrace = runOnce([app({ logConfiguration: undefined })], fixedScenario(slow));
    expect(noGrace.task.stopCause).toBe("UnhealthyTarget");
    expect(noGrace.task.stoppedAt).toBeLessThanOrEqual(10 + 1);
    const withGrace = runOnce(
      [app({ logConfiguration: undefined })],
      fixedScenario({ ...slow, service: { healthCheckGracePeriodSeconds: 300 } }),
    );
    expect(withGrace.task.stopCause).toBeNull();
    expect(targetAt(withGrace.task, "healthy")).toBeGreaterThanOrEqual(100);
  });

  it("circuit breaker threshold is 0.5 x desiredCount clamped to 3..200 ([CB])", () => {
    expect(circuitBreakerThreshold(1)).toBe(3);
    expect(circuitBreakerThreshold(6)).toBe(3);
    expect(circuitBreakerThreshold(7)).toBe(4);
    expect(circuitBreakerThreshold(10)).toBe(5);
    expect(circuitBreakerThreshold(400)).toBe(200);
    expect(circuitBreakerThreshold(1000)).toBe(200);
  });

  it("the circuit breaker trips after `threshold` failed tasks and rolls back when asked ([CB])", () => {
    const crash = { router: { crash: { probability: 1 } } } as const;
    const rollback = runOnce(
      [router(), probe(), gatedApp()],
      fixedScenario({ ...crash, service: { circuitBreaker: { enable: true, rollback: true } } }),
    );
    expect(rollback.trace.result.circuitBreakerTripped).toBe(true);
    expect(rollback.trace.result.rolledBack).toBe(true);
    expect(rollback.trace.result.tasksFailed).toBe(3);
    expect(rollback.trace.result.completed).toBe(false);
    expect(rollback.trace.rollbackAt).not.toBeNull();
    const stall = runOnce(
      [router(), probe(), gatedApp()],
      fixedScenario({ ...crash, service: { circuitBreaker: { enable: true, rollback: false } } }),
    );
    expect(stall.trace.result.circuitBreakerTripped).toBe(true);
    expect(stall.trace.result.rolledBack).toBe(false);
    expect(stall.trace.result.tasksLaunched).toBe(3);
  });
});

describe("requests ([ALB502])", () => {
  it("a router crash on a serving target fails routed requests (502) until the ALB stops routing; none left -> 503", () => {
    const sc = fixedScenario({
      router: { crash: { probability: 1 } },
      traffic: { requestsPerSecond: 200, durationSeconds: 120 },
      containers: { app: { firstLog: "first-request" } },
    });
    const r = runOnce([router(), app()], sc);
    const res = r.trace.result;
    expect(res.routerCrashes).toBeGreaterThan(0);
    expect(res.failed502).toBeGreaterThan(0);
    expect(res.failed503).toBeGreaterThan(0);
    expect(res.sent).toBe(res.succeeded + res.failed);
    expect(r.task.failures.length).toBeGreaterThan(0);
  });

  it("a drain shorter than the ALB's propagation delay fails requests to the stopped app ([ALB502], [TG])", () => {
    const base = { traffic: { requestsPerSecond: 200, durationSeconds: 300 } };
    const short = runOnce(
      [router(), app()],
      fixedScenario({
        ...base,
        loadBalancer: { deregistrationDelaySeconds: 0, deregistrationLagSeconds: 5 },
      }),
    );
    expect(short.trace.result.failed502).toBeGreaterThan(0);
    const prev = short.trace.tasks.find((t) => t.version === "previous");
    expect(prev?.failures.length).toBeGreaterThan(0);
    const long = runOnce(
      [router(), app()],
      fixedScenario({
        ...base,
        loadBalancer: { deregistrationDelaySeconds: 10, deregistrationLagSeconds: 5 },
      }),
    );
    expect(long.trace.result.failed).toBe(0);
  });

  it("with the gate the same crash stops the task before registration, and nothing fails", () => {
    const sc = fixedScenario({
      router: { crash: { probability: 0.5 } },
      traffic: { requestsPerSecond: 200, durationSeconds: 300 },
      containers: { app: { firstLog: "first-request" } },
    });
    for (let run = 0; run < 20; run++) {
      const r = runOnce([router(), probe(), gatedApp()], sc, 7, run);
      expect(r.trace.result.failed).toBe(0);
      expect(r.trace.result.tasksStoppedBeforeRegistration).toBe(r.trace.result.routerCrashes);
    }
  });
});
