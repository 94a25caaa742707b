import { FLP106 } from "../../src/rules/FLP106-no-essential-container.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

testRule(FLP106, {
  valid: [
    ecs([router(), app()]),
    { name: "essential omitted means true", code: ecs([{ name: "web", image: "nginx" }]) },
  ],
  invalid: [
    {
      code: ecs([router({ essential: false }), app({ essential: false })]),
      errors: [
        { messageId: "noEssential", data: { taskDefinition: "test" }, path: "$.containerDefinitions" },
      ],
    },
  ],
});
