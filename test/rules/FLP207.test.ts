import { FLP207 } from "../../src/rules/FLP207-app-not-after-router.js";
import { app, ecs, gate, preflight, router, testRule } from "../support/rule-tester.js";

const agent = { name: "dd-agent", image: "public.ecr.aws/datadog/agent:7", essential: true };
const routerWaits = router({ dependsOn: [{ containerName: "dd-agent", condition: "START" }] });

testRule(FLP207, {
  valid: [
    { name: "implicit START dependency", code: ecs([router(), app()]) },
    { name: "through the gate", code: ecs([agent, routerWaits, preflight(), app(gate)]) },
    {
      name: "explicit START",
      code: ecs([
        agent,
        routerWaits,
        app({ dependsOn: [{ containerName: "log-router", condition: "START" }] }),
      ]),
    },
  ],
  invalid: [
    {
      code: ecs([agent, routerWaits, app()]),
      errors: [
        {
          messageId: "notAfterRouter",
          data: { container: "app", router: "log-router", because: "dependsOn" },
          path: "$.containerDefinitions[2].logConfiguration.logDriver",
        },
      ],
    },
    {
      code: ecs([
        agent,
        routerWaits,
        app({ dependsOn: [{ containerName: "dd-agent", condition: "START" }] }),
      ]),
      errors: [{ messageId: "notAfterRouter", path: "$.containerDefinitions[2].dependsOn" }],
    },
  ],
});
