import { FLP211 } from "../../src/rules/FLP211-router-depends-on.js";
import { app, ecs, gate, preflight, router, testRule } from "../support/rule-tester.js";

testRule(FLP211, {
  valid: [ecs([router(), preflight(), app(gate)]), ecs([router({ dependsOn: [] }), app()])],
  invalid: [
    {
      code: ecs([
        { name: "dd-agent", image: "datadog/agent:7" },
        router({ dependsOn: [{ containerName: "dd-agent", condition: "START" }] }),
        app(),
      ]),
      errors: [
        {
          messageId: "routerDependsOn",
          data: { container: "log-router", targets: "dd-agent START" },
          path: "$.containerDefinitions[1].dependsOn",
          severity: "warning",
        },
      ],
    },
  ],
});
