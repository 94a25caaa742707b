import { FLP201 } from "../../src/rules/FLP201-ungated-app.js";
import { app, ecs, gate, preflight, router, testRule } from "../support/rule-tester.js";

const ddAgent = { name: "dd-agent", image: "public.ecr.aws/datadog/agent:7.31.0", essential: true };

testRule(FLP201, {
  valid: [
    { name: "the seed's gate", code: ecs([router(), ddAgent, preflight(), app(gate)]) },
    {
      name: "non-essential router: a crash does not stop the task",
      code: ecs([router({ essential: false }), app()]),
    },
    {
      name: "no router",
      code: ecs([{ name: "web", image: "nginx", logConfiguration: { logDriver: "awslogs" } }]),
    },
    {
      name: "gated through another gated container",
      code: ecs([
        router(),
        preflight(),
        app(gate),
        app({ name: "worker", dependsOn: [{ containerName: "app", condition: "START" }] }),
      ]),
    },
    {
      name: "preflight recognised by its environment, not its name",
      code: ecs([
        router(),
        preflight({ name: "gate" }),
        app({ dependsOn: [{ containerName: "gate", condition: "SUCCESS" }] }),
      ]),
    },
    { name: "non-essential app", code: ecs([router(), app({ essential: false })]) },
    {
      name: "the Datadog Agent is not gated (the gate waits for it)",
      code: ecs([
        router(),
        { ...ddAgent, logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog" } } },
        preflight(),
        app(gate),
      ]),
    },
  ],
  invalid: [
    {
      name: "an AWS example: essential router, essential app, nothing in between",
      code: ecs([router(), app()]),
      errors: [
        {
          messageId: "noGate",
          data: { container: "app", router: "log-router" },
          path: "$.containerDefinitions[1].name",
          container: "app",
        },
      ],
    },
    {
      name: "essential omitted on router and app means essential",
      code: ecs([router({ essential: undefined }), app({ essential: undefined })]),
      errors: [{ messageId: "noGate" }],
    },
    {
      name: "waits for the preflight with START only",
      code: ecs([
        router(),
        preflight(),
        app({ dependsOn: [{ containerName: "log-router-preflight", condition: "START" }] }),
      ]),
      errors: [
        {
          messageId: "notGated",
          data: { container: "app", router: "log-router", preflights: "'log-router-preflight'" },
          path: "$.containerDefinitions[2].dependsOn",
        },
      ],
    },
    {
      name: "an essential preflight is no gate",
      code: ecs([router(), preflight({ essential: true }), app(gate)]),
      errors: [{ messageId: "notGated" }],
    },
    {
      name: "one of two apps left out",
      code: ecs([router(), preflight(), app(gate), app({ name: "api" })]),
      errors: [
        {
          messageId: "notGated",
          data: { container: "api", router: "log-router", preflights: "'log-router-preflight'" },
        },
      ],
    },
  ],
});
