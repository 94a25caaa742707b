import { FLP109 } from "../../src/rules/FLP109-container-timeout-range.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

const fargate = { requiresCompatibilities: ["FARGATE"] };

testRule(FLP109, {
  valid: [
    ecs([router({ startTimeout: 2, stopTimeout: 120 }), app()], fargate),
    {
      name: "EC2 has no documented ceiling",
      code: ecs([router({ startTimeout: 600, stopTimeout: 300 }), app()], {
        requiresCompatibilities: ["EC2"],
      }),
    },
    ecs([router(), app()], fargate),
  ],
  invalid: [
    {
      code: ecs([router({ startTimeout: 1, stopTimeout: 121 }), app()], fargate),
      errors: [
        {
          messageId: "outOfRange",
          data: {
            container: "log-router",
            field: "startTimeout",
            value: 1,
            range: "2–120 s",
            why: " on Fargate",
          },
          path: "$.containerDefinitions[0].startTimeout",
        },
        {
          messageId: "outOfRange",
          data: {
            container: "log-router",
            field: "stopTimeout",
            value: 121,
            range: "0–120 s",
            why: " on Fargate",
          },
        },
      ],
    },
    {
      code: ecs([router({ stopTimeout: -1 }), app()]),
      errors: [
        {
          messageId: "outOfRange",
          data: {
            container: "log-router",
            field: "stopTimeout",
            value: -1,
            range: "whole numbers ≥ 0",
            why: "",
          },
        },
      ],
    },
    {
      code: ecs([router({ startTimeout: 601 }), app()], { requiresCompatibilities: ["MANAGED_INSTANCES"] }),
      errors: [
        {
          messageId: "outOfRange",
          data: {
            container: "log-router",
            field: "startTimeout",
            value: 601,
            range: "0–600 s",
            why: " on Managed Instances",
          },
        },
      ],
    },
  ],
});
