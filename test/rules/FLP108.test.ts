import { FLP108 } from "../../src/rules/FLP108-health-check-range.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

const hc = (h: object) => router({ healthCheck: { command: ["CMD-SHELL", "exit 0"], ...h } });

testRule(FLP108, {
  valid: [
    ecs([hc({ interval: 5, timeout: 2, retries: 1, startPeriod: 0 }), app()]),
    ecs([hc({ interval: 300, timeout: 60, retries: 10, startPeriod: 300 }), app()]),
    ecs([hc({}), app()]),
    {
      name: "numeric strings from YAML are read as numbers",
      file: "template.yaml",
      code: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: web
          Image: nginx
          HealthCheck:
            Command: [CMD-SHELL, "exit 0"]
            Interval: "30"
            Retries: !Ref Retries
`,
    },
  ],
  invalid: [
    {
      code: ecs([hc({ interval: 4, timeout: 61, retries: 0, startPeriod: 301 }), app()]),
      errors: [
        {
          messageId: "outOfRange",
          data: { container: "log-router", field: "interval", value: 4, min: 5, max: 300, unit: " s" },
          path: "$.containerDefinitions[0].healthCheck.interval",
        },
        {
          messageId: "outOfRange",
          data: { container: "log-router", field: "timeout", value: 61, min: 2, max: 60, unit: " s" },
        },
        {
          messageId: "outOfRange",
          data: { container: "log-router", field: "retries", value: 0, min: 1, max: 10, unit: "" },
        },
        {
          messageId: "outOfRange",
          data: { container: "log-router", field: "startPeriod", value: 301, min: 0, max: 300, unit: " s" },
        },
      ],
    },
    {
      code: ecs([hc({ interval: 7.5 }), app()]),
      errors: [{ messageId: "notInteger", path: "$.containerDefinitions[0].healthCheck.interval" }],
    },
  ],
});
