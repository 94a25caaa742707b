/**
 * The seed example end to end: examples/seed/before.json loaded by the task-definition core, gated by
 * `fix` in memory, simulated under examples/seed/scenario.yaml. Issue 8: without the gate, failed requests
 * on the deploys where the router crashed; with it, none, and each crash is a task stopped before
 * registration and replaced.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixText } from "../../src/fix/index.js";
import { DeploymentSimulator } from "../../src/simulate/engine.js";
import { compileTask, loadScenario, previousVersionPlan, simulateCompare } from "../../src/simulate/index.js";
import { parseDocument } from "../../src/taskdef/index.js";
import { sleepGated } from "./fixtures.js";

const scenario = loadScenario(
  readFileSync("examples/seed/scenario.yaml", "utf8"),
  "examples/seed/scenario.yaml",
);
const before = readFileSync("examples/seed/before.json", "utf8");
const given = parseDocument(before, "examples/seed/before.json").taskDefinitions[0];
const gated = parseDocument(
  fixText(before, "before.json", { probeImage: "firelens-preflight:test" }).text,
  "after.json",
).taskDefinitions[0];

describe("seed example", () => {
  it("loads: router log-router, target app; fix adds a probe gate", () => {
    if (!given || !gated) throw new Error("seed did not load");
    const g = compileTask(given, scenario);
    const p = compileTask(gated, scenario);
    expect(g.gate).toBe(-1);
    expect(g.containers[g.router]?.name).toBe("log-router");
    expect(g.containers[g.target]?.name).toBe("app");
    expect(p.gateKind).toBe("probe");
    expect(p.containers[p.gate]?.name).toBe("log-router-preflight");
  });

  it("without the gate, requests fail only on deploys where the router crashed; with it, none", () => {
    if (!given || !gated) throw new Error("seed did not load");
    const prev = previousVersionPlan(scenario);
    const a = new DeploymentSimulator(compileTask(given, scenario), prev, scenario);
    const b = new DeploymentSimulator(compileTask(gated, scenario), prev, scenario);
    let crashDeploys = 0;
    let failingDeploys = 0;
    for (let run = 0; run < 400; run++) {
      const x = a.run(42, run);
      const y = b.run(42, run);
      if (x.failed > 0) {
        failingDeploys++;
        expect(x.routerCrashes).toBeGreaterThan(0);
      }
      if (x.routerCrashes > 0) crashDeploys++;
      expect(y.failed).toBe(0);
      // The crash shows up as a task stopped before registration (and before traffic), then replaced.
      expect(y.tasksStoppedBeforeRegistration).toBe(y.routerCrashes);
      expect(y.tasksStoppedBeforeTraffic).toBe(y.routerCrashes);
      if (!y.rolledBack) expect(y.completed).toBe(true);
    }
    expect(crashDeploys).toBeGreaterThan(20);
    expect(failingDeploys).toBeGreaterThan(0);
  });

  it("compare: the aggregate tells the same story; the seed's 30 s sleep gate costs deploy time the probe does not", () => {
    if (!given || !gated) throw new Error("seed did not load");
    const r = simulateCompare(given, gated, scenario, { runs: 2000, seed: 7, trace: false });
    const [g, p] = r.variants;
    expect(g?.deploysWithFailures).toBeGreaterThan(0);
    expect(g?.failedRequests.p99).toBeGreaterThan(0);
    expect(p?.requests.failed).toBe(0);
    expect(p?.tasksStoppedBeforeRegistration).toBe(p?.routerCrashes);
    const sleep = simulateCompare(gated, sleepGated, scenario, { runs: 2000, seed: 7, trace: false });
    const [probe, slept] = sleep.variants;
    expect(slept?.requests.failed).toBe(0);
    expect(slept?.plan.gateKind).toBe("sleep");
    expect((slept?.deployDuration.p50 ?? 0) - (probe?.deployDuration.p50 ?? 0)).toBeGreaterThan(15);
  });
});
