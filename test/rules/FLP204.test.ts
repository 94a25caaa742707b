import { FLP204 } from "../../src/rules/FLP204-preflight-essential.js";
import { app, ecs, gate, preflight, router, testRule } from "../support/rule-tester.js";

testRule(FLP204, {
  valid: [ecs([router(), preflight(), app(gate)]), ecs([router(), app()])],
  invalid: [
    {
      code: ecs([router(), preflight({ essential: true }), app(gate)]),
      errors: [
        {
          messageId: "essential",
          data: { container: "log-router-preflight" },
          path: "$.containerDefinitions[1].essential",
        },
      ],
    },
    {
      name: "omitted means essential",
      code: ecs([router(), preflight({ essential: undefined }), app(gate)]),
      errors: [
        {
          messageId: "essentialByDefault",
          data: { container: "log-router-preflight" },
          path: "$.containerDefinitions[1].name",
        },
      ],
    },
    {
      name: "recognised by FIRELENS_PREFLIGHT_* environment",
      code: ecs([router(), preflight({ name: "probe", essential: "true" }), app()]),
      errors: [{ messageId: "essential", data: { container: "probe" } }],
    },
  ],
});
