import { FLP103 } from "../../src/rules/FLP103-depends-on-cycle.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

const dep = (name: string) => ({ containerName: name, condition: "START" });

testRule(FLP103, {
  valid: [
    ecs([router(), app({ dependsOn: [dep("log-router")] })]),
    { name: "a self-reference is FLP102's", code: ecs([router(), app({ dependsOn: [dep("app")] })]) },
    {
      name: "diamond, no cycle",
      code: ecs([
        { name: "a", image: "x", dependsOn: [dep("b"), dep("c")] },
        { name: "b", image: "x", dependsOn: [dep("d")] },
        { name: "c", image: "x", dependsOn: [dep("d")] },
        { name: "d", image: "x" },
      ]),
    },
  ],
  invalid: [
    {
      name: "two containers",
      code: ecs([router({ dependsOn: [dep("app")] }), app({ dependsOn: [dep("log-router")] })]),
      errors: [
        {
          messageId: "cycle",
          data: { cycle: "'log-router' → 'app' → 'log-router'" },
          path: "$.containerDefinitions[0].dependsOn",
        },
      ],
    },
    {
      name: "three containers, reported once",
      code: ecs([
        { name: "a", image: "x", dependsOn: [dep("b")] },
        { name: "b", image: "x", dependsOn: [dep("c")] },
        { name: "c", image: "x", dependsOn: [dep("a")] },
        { name: "d", image: "x", dependsOn: [dep("a")] },
      ]),
      errors: [{ messageId: "cycle", data: { cycle: "'a' → 'b' → 'c' → 'a'" } }],
    },
    {
      name: "two separate cycles",
      code: ecs([
        { name: "a", image: "x", dependsOn: [dep("b")] },
        { name: "b", image: "x", dependsOn: [dep("a")] },
        { name: "c", image: "x", dependsOn: [dep("d")] },
        { name: "d", image: "x", dependsOn: [dep("c")] },
      ]),
      errors: [
        { messageId: "cycle", data: { cycle: "'a' → 'b' → 'a'" } },
        { messageId: "cycle", data: { cycle: "'c' → 'd' → 'c'" } },
      ],
    },
  ],
});
