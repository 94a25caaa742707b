import { FLP107 } from "../../src/rules/FLP107-firelens-router-count.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

testRule(FLP107, {
  valid: [
    ecs([router(), app()]),
    ecs([{ name: "web", image: "nginx", logConfiguration: { logDriver: "awslogs" } }]),
  ],
  invalid: [
    {
      name: "awsfirelens without a router",
      code: ecs([app()]),
      errors: [
        {
          messageId: "missingRouter",
          data: { container: "app" },
          path: "$.containerDefinitions[0].logConfiguration.logDriver",
        },
      ],
    },
    {
      name: "two routers",
      code: ecs([router(), router({ name: "second-router" }), app()]),
      errors: [
        {
          messageId: "multipleRouters",
          data: { routers: "'log-router', 'second-router'" },
          path: "$.containerDefinitions[1].firelensConfiguration",
        },
      ],
    },
    {
      name: "router nobody logs to",
      code: ecs([router(), app({ logConfiguration: { logDriver: "awslogs" } })]),
      errors: [{ messageId: "unusedRouter", data: { container: "log-router" } }],
    },
  ],
});
