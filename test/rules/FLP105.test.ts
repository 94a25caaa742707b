import { FLP105 } from "../../src/rules/FLP105-healthy-without-healthcheck.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

const healthy = { dependsOn: [{ containerName: "log-router", condition: "HEALTHY" }] };
const uptime = {
  healthCheck: {
    command: ["CMD-SHELL", "curl -f http://127.0.0.1:2020/api/v1/uptime || exit 1"],
    interval: 10,
  },
};

testRule(FLP105, {
  valid: [
    ecs([router(uptime), app(healthy)]),
    ecs([router(), app({ dependsOn: [{ containerName: "log-router", condition: "START" }] })]),
  ],
  invalid: [
    {
      code: ecs([router(), app(healthy)]),
      errors: [
        {
          messageId: "noHealthCheck",
          data: { container: "app", target: "log-router" },
          path: "$.containerDefinitions[1].dependsOn[0].condition",
        },
      ],
    },
  ],
});
