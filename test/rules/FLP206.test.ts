import { FLP206 } from "../../src/rules/FLP206-preflight-coverage.js";
import { app, ecs, gate, preflight, router, testRule } from "../support/rule-tester.js";

const seedPreflight = {
  name: "log-router-preflight",
  image: "public.ecr.aws/amazonlinux/amazonlinux:2023-minimal",
  essential: false,
  command: ["sh", "-c", "for i in $(seq 1 3); do echo preflight alive; sleep 10; done"],
  dependsOn: [{ containerName: "log-router", condition: "START" }],
};
const env = (value: string, name = "FIRELENS_PREFLIGHT_CONTAINERS") =>
  preflight({ environment: [{ name, value }] });

testRule(FLP206, {
  valid: [
    ecs([router(), preflight(), app(gate)]),
    {
      name: "raw tags that route to the app's output",
      code: ecs([router(), env("app-firelens-preflight", "FIRELENS_PREFLIGHT_TAGS"), app(gate)]),
    },
    {
      name: "--containers flag",
      code: ecs([router(), preflight({ environment: [], command: ["--containers", "app"] }), app(gate)]),
    },
    {
      name: "--containers=a,b flag",
      code: ecs([
        router(),
        preflight({ environment: [], command: ["--containers=app,api"] }),
        app(gate),
        app({ name: "api", ...gate }),
      ]),
    },
    { name: "nothing gated", code: ecs([router(), preflight({ environment: [] }), app()]) },
  ],
  invalid: [
    {
      name: "the seed's echo-only preflight",
      code: ecs([router(), seedPreflight, app(gate)]),
      errors: [
        {
          messageId: "noTargets",
          data: { preflight: "log-router-preflight", gated: "'app'" },
          path: "$.containerDefinitions[1].name",
        },
      ],
    },
    {
      name: "a second app not covered",
      code: ecs([router(), env("app"), app(gate), app({ name: "api", ...gate })]),
      errors: [
        {
          messageId: "notCovered",
          data: { preflight: "log-router-preflight", container: "api" },
          path: "$.containerDefinitions[1].environment[0].value",
          container: "api",
        },
      ],
    },
    {
      name: "a tag that routes elsewhere",
      code: ecs([router(), env("other-firelens-preflight", "FIRELENS_PREFLIGHT_TAGS"), app(gate)]),
      errors: [{ messageId: "notCovered", data: { preflight: "log-router-preflight", container: "app" } }],
    },
  ],
});
