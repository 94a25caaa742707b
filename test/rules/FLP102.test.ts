import { FLP102 } from "../../src/rules/FLP102-depends-on-self.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

testRule(FLP102, {
  valid: [ecs([router(), app({ dependsOn: [{ containerName: "log-router", condition: "START" }] })])],
  invalid: [
    {
      code: ecs([router(), app({ dependsOn: [{ containerName: "app", condition: "HEALTHY" }] })]),
      errors: [
        {
          messageId: "selfDependency",
          data: { container: "app", condition: "HEALTHY" },
          path: "$.containerDefinitions[1].dependsOn[0].containerName",
        },
      ],
    },
  ],
});
