import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultScenario, loadScenario } from "../../src/simulate/scenario.js";
import { scenarioErrorOf } from "./helpers.js";

const errorOf = scenarioErrorOf;

describe("scenario files", () => {
  it("fills every default, each from its documented source", () => {
    const s = defaultScenario();
    expect(s.service).toEqual({
      desiredCount: 2,
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      healthCheckGracePeriodSeconds: 0,
      circuitBreaker: { enable: false, rollback: false, resetOnHealthyTask: true },
    });
    expect(s.loadBalancer.healthCheck).toEqual({
      intervalSeconds: 30,
      timeoutSeconds: 5,
      healthyThreshold: 5,
      unhealthyThreshold: 2,
    });
    expect(s.loadBalancer.deregistrationDelaySeconds).toBe(300);
    expect(s.router.flushIntervalSeconds).toBe(1);
    expect(s.router.crash.probability).toBe(0);
    expect(s.gate.probeVerdictSeconds).toEqual({ kind: "uniform", min: 1.6, max: 2 });
    expect(s.gate.sleepVerdictSeconds).toEqual({ kind: "constant", value: 30 });
    expect(s.containers.default?.firstLog).toBe("start");
  });

  it("reads distributions in every form and merges per-container timings over `default`", () => {
    const s = loadScenario(
      [
        "containers:",
        "  default: { pullSeconds: 3, bootSeconds: { normal: [2, 0.5] } }",
        "  app: { bootSeconds: { lognormal: [5, 0.3] }, firstLog: first-request }",
        "  agent: { pullSeconds: { exponential: 4 } }",
        "  router: { pullSeconds: { uniform: [1, 2] } }",
      ].join("\n"),
      "s.yaml",
    );
    expect(s.containers.app).toEqual({
      pullSeconds: { kind: "constant", value: 3 },
      bootSeconds: { kind: "lognormal", median: 5, sigma: 0.3 },
      sigtermExitSeconds: { kind: "constant", value: 1 },
      firstLog: "first-request",
    });
    expect(s.containers.agent?.pullSeconds).toEqual({ kind: "exponential", mean: 4 });
    expect(s.containers.router?.pullSeconds).toEqual({ kind: "uniform", min: 1, max: 2 });
    expect(s.containers.agent?.bootSeconds).toEqual({ kind: "normal", mean: 2, sd: 0.5 });
  });

  it("names the field, what was expected, and the line of a wrong type", () => {
    const e = errorOf("service:\n  desiredCount: two\n");
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.path).toBe("service.desiredCount");
    expect(e.issues[0]?.message).toMatch(/expected number/);
    expect(e.issues[0]?.line).toBe(2);
    expect(e.message).toMatch(/^s\.yaml:2:\d+: service\.desiredCount: expected number/);
  });

  it("rejects unknown fields (typos) by name", () => {
    const e = errorOf("loadBalancer:\n  deregistrationDelay: 30\n");
    expect(e.issues[0]?.path).toBe("loadBalancer.deregistrationDelay");
    expect(e.issues[0]?.message).toMatch(/unknown field/);
  });

  it("checks ranges: a probability above 1, a percent above 200, a count below 1", () => {
    const e = errorOf(
      "router:\n  crash:\n    probability: 1.5\nservice:\n  maximumPercent: 250\n  desiredCount: 0\n",
    );
    const paths = e.issues.map((i) => i.path).sort();
    expect(paths).toEqual(["router.crash.probability", "service.desiredCount", "service.maximumPercent"]);
    expect(e.issues.find((i) => i.path === "router.crash.probability")?.message).toMatch(/<=1/);
  });

  it("explains a bad distribution and a uniform with min > max", () => {
    const bad = errorOf("gate:\n  probeVerdictSeconds: { between: [1, 2] }\n");
    expect(bad.issues[0]?.path).toBe("gate.probeVerdictSeconds");
    expect(bad.issues[0]?.message).toMatch(/\{uniform: \[min, max\]\}/);
    const reversed = errorOf("gate:\n  probeVerdictSeconds: { uniform: [3, 1] }\n");
    expect(reversed.issues[0]?.path).toBe("gate.probeVerdictSeconds");
    expect(reversed.issues[0]?.message).toMatch(/min must not exceed max/);
  });

  it("rejects an unknown firstLog and gate kind with the allowed values", () => {
    const e = errorOf("containers:\n  app: { firstLog: sometimes }\ngate: { kind: magic }\n");
    expect(e.issues.map((i) => i.path).sort()).toEqual(["containers.app.firstLog", "gate.kind"]);
    expect(e.issues.find((i) => i.path === "gate.kind")?.message).toMatch(/"probe"/);
  });

  it("reports YAML syntax errors with their line", () => {
    const e = errorOf("service:\n  desiredCount: [1\n");
    expect(e.issues[0]?.message).toMatch(/^YAML:/);
    expect(e.issues[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it("loads the seed example", () => {
    const s = loadScenario(
      readFileSync("examples/seed/scenario.yaml", "utf8"),
      "examples/seed/scenario.yaml",
    );
    expect(s.name).toBe("seed");
    expect(s.router.crash.probability).toBeGreaterThan(0);
    expect(s.containers.app?.firstLog).toBe("first-request");
  });
});
