import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixText } from "../../src/fix/index.js";
import { FLP112 } from "../../src/rules/FLP112-healthy-on-stoppable.js";
import { app, ecs, lintWith, preflight, router, testRule } from "../support/rule-tester.js";

const healthCheck = { healthCheck: { command: ["CMD-SHELL", "exit 0"], interval: 10 } };
const healthyOn = (name: string) => ({ dependsOn: [{ containerName: name, condition: "HEALTHY" }] });

testRule(FLP112, {
  valid: [
    // The gate waits for an essential router to be HEALTHY: the router's exit stops the task, no hang.
    ecs([
      router(healthCheck),
      preflight(healthyOn("log-router")),
      app({ dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }] }),
    ]),
    // START on a non-essential container cannot hang the task.
    ecs([
      router({ essential: false, ...healthCheck }),
      app({ dependsOn: [{ containerName: "log-router", condition: "START" }] }),
    ]),
    // No healthCheck at all is FLP105's finding, not this one.
    ecs([router({ essential: false }), app(healthyOn("log-router"))]),
  ],
  invalid: [
    {
      code: ecs([router({ essential: false, ...healthCheck }), app(healthyOn("log-router"))]),
      errors: [
        {
          messageId: "healthyOnStoppable",
          data: {
            container: "app",
            target: "log-router",
            why: "it is not essential, so it can exit while the task goes on",
          },
          path: "$.containerDefinitions[1].dependsOn[0].condition",
        },
      ],
    },
    {
      // A gate with a health check that something waits on HEALTHY.
      code: ecs([
        router(),
        preflight(healthCheck),
        app({ dependsOn: [{ containerName: "log-router-preflight", condition: "HEALTHY" }] }),
      ]),
      errors: [
        {
          messageId: "healthyOnStoppable",
          data: {
            container: "app",
            target: "log-router-preflight",
            why: "it is a gate, which exits once it is done",
          },
          path: "$.containerDefinitions[2].dependsOn[0].condition",
        },
      ],
    },
  ],
});

describe("FLP112 and fix", () => {
  // The gate fix writes waits for the router HEALTHY only when the router has a healthCheck; the router is
  // essential there, so the fixed task must not trip the rule (issue 23, the rule for the hang).
  it.each(["examples/seed/after.json", "examples/seed/before.json"])("fix output of %s is clean", (file) => {
    const fixed = fixText(readFileSync(file, "utf8"), file, { probeImage: "example.com/probe:1" });
    expect(lintWith(FLP112, fixed.text, file)).toEqual([]);
  });

  it("fix of a task whose essential router has a healthCheck (the gate then waits HEALTHY) is clean", () => {
    const input = ecs([router(healthCheck), app()]);
    const fixed = fixText(input, "t.json", { probeImage: "example.com/probe:1" });
    expect(fixed.text).toContain('"condition": "HEALTHY"');
    expect(lintWith(FLP112, fixed.text, "t.json")).toEqual([]);
  });
});
