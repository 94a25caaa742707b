import { FLP205 } from "../../src/rules/FLP205-preflight-wrong-condition.js";
import { app, ecs, gate, preflight, router, testRule } from "../support/rule-tester.js";

const waits = (condition: string) =>
  app({ dependsOn: [{ containerName: "log-router-preflight", condition }] });

testRule(FLP205, {
  valid: [ecs([router(), preflight(), app(gate)])],
  invalid: [
    {
      name: "the seed's shape with START",
      code: ecs([router(), preflight(), waits("START")]),
      errors: [
        {
          messageId: "wrongCondition",
          data: { container: "app", preflight: "log-router-preflight", condition: "START" },
          path: "$.containerDefinitions[2].dependsOn[0].condition",
        },
      ],
    },
    {
      code: ecs([router(), preflight(), waits("COMPLETE")]),
      errors: [
        {
          messageId: "wrongCondition",
          data: { container: "app", preflight: "log-router-preflight", condition: "COMPLETE" },
        },
      ],
    },
    { code: ecs([router(), preflight(), waits("HEALTHY")]), errors: [{ messageId: "wrongCondition" }] },
  ],
});
