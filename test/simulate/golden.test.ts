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
    given: "876ed8bf028ca66d",
    gated: "52a95a24ffdb9402",
    sleepGated: "b64f3acbbb7dd341",
  },
  "examples/scenarios/busy-service.yaml": {
    given: "e8298d79b256d25b",
    gated: "1fb4d72f9e74b509",
    sleepGated: "a7cf913f51187ba6",
  },
  "examples/scenarios/half-capacity-rollout.yaml": {
    given: "81cb5fd7adab3eee",
    gated: "a0672d66c04c78ce",
    sleepGated: "846fef113943f548",
  },
  "examples/scenarios/slow-start-no-grace.yaml": {
    given: "5e3fe13cc66df57b",
    gated: "99d38767cdba3dfe",
    sleepGated: "9a2a1b539abb8f0f",
  },
  "defaults, crash 0.3, probe misses 0.2, no rollback": {
    given: "97778d350b0ea466",
    gated: "6ed7d484a989c716",
    sleepGated: "377e3b825f29b9db",
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
