import { FLP110 } from "../../src/rules/FLP110-depends-on-condition.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

testRule(FLP110, {
  valid: [
    ecs([router(), app({ dependsOn: [{ containerName: "log-router", condition: "START" }] })]),
    ecs([router(), app({ dependsOn: [{ containerName: "log-router", condition: "HEALTHY" }] })]),
  ],
  invalid: [
    {
      code: ecs([router(), app({ dependsOn: [{ containerName: "log-router" }] })]),
      errors: [
        {
          messageId: "missingCondition",
          data: { container: "app", target: "log-router", condition: "" },
          path: "$.containerDefinitions[1].dependsOn[0]",
        },
      ],
    },
    {
      code: ecs([router(), app({ dependsOn: [{ containerName: "log-router", condition: "RUNNING" }] })]),
      errors: [
        {
          messageId: "unknownCondition",
          data: { container: "app", target: "log-router", condition: "RUNNING" },
          path: "$.containerDefinitions[1].dependsOn[0].condition",
        },
      ],
    },
    {
      name: "conditions are upper case",
      code: ecs([router(), app({ dependsOn: [{ containerName: "log-router", condition: "start" }] })]),
      errors: [
        {
          messageId: "unknownCondition",
          data: { container: "app", target: "log-router", condition: "start" },
        },
      ],
    },
  ],
});
