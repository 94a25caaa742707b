/**
 * The engine's output for fixed seeds, pinned: every per-run result and five full traces for each example
 * scenario and each task definition, hashed. The hashes were taken before the engine was split into its
 * parts (issue 19: "no behaviour change: same seed, same figures"); a refactor that changes one draw, one
 * event order or one counter changes a hash. A deliberate change to the model updates them, and says why in
 * its commit message.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeploymentSimulator } from "../../src/simulate/engine.js";
import { compileTask, previousVersionPlan } from "../../src/simulate/plan.js";
import { defaultScenario, loadScenario, type Scenario } from "../../src/simulate/scenario.js";
import { gated, given, sleepGated } from "./fixtures.js";

const scenarios: [string, Scenario][] = [
  ["examples/seed/scenario.yaml", loadScenario(readFileSync("examples/seed/scenario.yaml", "utf8"))],
  ...readdirSync("examples/scenarios")
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f): [string, Scenario] => {
      const file = join("examples/scenarios", f);
      return [file, loadScenario(readFileSync(file, "utf8"), file)];
    }),
  [
    "defaults, crash 0.3, probe misses 0.2, no rollback",
    defaultScenario({
      router: { crash: { probability: 0.3, afterFirstFlushSeconds: { exponential: 1 } } },
      gate: { missProbability: 0.2 },
      service: { desiredCount: 3, circuitBreaker: { enable: true, rollback: false } },
      containers: { app: { firstLog: "first-request" } },
    }),
  ],
];
const taskDefs = { given, gated, sleepGated };

/** NaN and -0 survive the hash (JSON would turn NaN into null). */
const text = (x: unknown) =>
  JSON.stringify(x, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));

function fingerprint(scenario: Scenario, containers: typeof given): string {
  const sim = new DeploymentSimulator(
    compileTask(containers, scenario),
    previousVersionPlan(scenario),
    scenario,
  );
  const hash = createHash("sha256");
  for (let run = 0; run < 300; run++) hash.update(text(sim.run(1, run)));
  for (let run = 0; run < 5; run++) hash.update(text(sim.traceRun(7, run)));
  return hash.digest("hex").slice(0, 16);
}

const GOLDEN: Record<string, Record<keyof typeof taskDefs, string>> = {
  "examples/seed/scenario.yaml": {
    given: "f3952c4abe4bbc0b",
    gated: "e32a859ff80dfbf1",
    sleepGated: "59f293e03296ad16",
  },
  "examples/scenarios/busy-service.yaml": {
    given: "7a6682c71e62c48a",
    gated: "3f86e0ee9e65f576",
    sleepGated: "7ae8cd8348948605",
  },
  "examples/scenarios/half-capacity-rollout.yaml": {
    given: "b9c7df51130c102d",
    gated: "cd745128fcaa9716",
    sleepGated: "87459f2995f7f2f7",
  },
  "examples/scenarios/slow-start-no-grace.yaml": {
    given: "e0c87da08a73da46",
    gated: "413b8ec200bbcdb7",
    sleepGated: "8545e290a1c24a34",
  },
  "defaults, crash 0.3, probe misses 0.2, no rollback": {
    given: "87516dd448a0738e",
    gated: "ea116b77b1644927",
    sleepGated: "bf878e14e53712f4",
  },
};

describe("engine output is pinned for fixed seeds", () => {
  for (const [name, scenario] of scenarios) {
    for (const [label, containers] of Object.entries(taskDefs)) {
      it(`${name}, ${label}`, () => {
        const want = GOLDEN[name]?.[label as keyof typeof taskDefs];
        const got = fingerprint(scenario, containers);
        if (process.env.GOLDEN_PRINT) process.stdout.write(`GOLDEN ${name} | ${label} | ${got}\n`);
        expect(got).toBe(want);
      });
    }
  }
});
