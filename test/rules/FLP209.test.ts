import { FLP209 } from "../../src/rules/FLP209-probe-duration-range.js";
import { app, ecs, gate, preflight, router, testRule } from "../support/rule-tester.js";

const env = (pairs: Record<string, string>) => ({
  environment: [
    { name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" },
    ...Object.entries(pairs).map(([name, value]) => ({ name, value })),
  ],
});

testRule(FLP209, {
  valid: [
    ecs([router(), preflight(), app(gate)]),
    ecs([router(), preflight(env({ FIRELENS_PREFLIGHT_DEADLINE: "100ms" })), app(gate)]),
    ecs([
      router(),
      preflight(env({ FIRELENS_PREFLIGHT_DEADLINE: "24h", FIRELENS_PREFLIGHT_SETTLE: "0s" })),
      app(gate),
    ]),
    {
      name: "a short deadline with the default settle window (the probe shrinks it to fit)",
      code: ecs([router(), preflight(env({ FIRELENS_PREFLIGHT_DEADLINE: "1s" })), app(gate)]),
    },
    {
      name: "a flag wins over the variable, as in the probe",
      code: ecs([
        router(),
        preflight({ ...env({ FIRELENS_PREFLIGHT_DEADLINE: "0s" }), command: ["--deadline", "30s"] }),
        app(gate),
      ]),
    },
    {
      name: "a deadline only known at deploy time",
      file: "t.yaml",
      code: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: log-router
          Image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5
          FirelensConfiguration: { Type: fluentbit }
        - Name: log-router-preflight
          Image: probe:1
          Essential: false
          Environment:
            - { Name: FIRELENS_PREFLIGHT_CONTAINERS, Value: app }
            - { Name: FIRELENS_PREFLIGHT_DEADLINE, Value: !Ref Deadline }
        - Name: app
          Image: nginx
          DependsOn: [{ ContainerName: log-router-preflight, Condition: SUCCESS }]
          LogConfiguration: { LogDriver: awsfirelens }
`,
    },
  ],
  invalid: [
    {
      name: "0s: below the probe's 100ms",
      code: ecs([router(), preflight(env({ FIRELENS_PREFLIGHT_DEADLINE: "0s" })), app(gate)]),
      errors: [
        {
          messageId: "refused",
          data: {
            container: "log-router-preflight",
            setting: "deadline",
            problem: "0s is outside the probe's range, from 100ms to 24h",
          },
          path: "$.containerDefinitions[1].environment[1].value",
        },
      ],
    },
    {
      name: "50ms",
      code: ecs([router(), preflight(env({ FIRELENS_PREFLIGHT_DEADLINE: "50ms" })), app(gate)]),
      errors: [
        {
          messageId: "refused",
          data: {
            container: "log-router-preflight",
            setting: "deadline",
            problem: "50ms is outside the probe's range, from 100ms to 24h",
          },
        },
      ],
    },
    {
      name: "25h, by flag in the command",
      code: ecs([router(), preflight({ command: ["--deadline=25h"] }), app(gate)]),
      errors: [
        {
          messageId: "refused",
          data: {
            container: "log-router-preflight",
            setting: "deadline",
            problem: "25h is outside the probe's range, from 100ms to 24h",
          },
          path: "$.containerDefinitions[1].command",
        },
      ],
    },
    {
      name: "not a duration at all",
      code: ecs([router(), preflight(env({ FIRELENS_PREFLIGHT_SETTLE: "2" })), app(gate)]),
      errors: [
        {
          messageId: "refused",
          data: {
            container: "log-router-preflight",
            setting: "settle",
            problem: '"2" is not a duration such as 1500ms, 30s, 2m or 1h (from 0s to 24h)',
          },
        },
      ],
    },
    {
      name: "a settle window as long as the deadline",
      code: ecs([
        router(),
        preflight(env({ FIRELENS_PREFLIGHT_DEADLINE: "2s", FIRELENS_PREFLIGHT_SETTLE: "2000ms" })),
        app(gate),
      ]),
      errors: [
        {
          messageId: "settleTooLong",
          data: { container: "log-router-preflight", settle: "2000ms", deadline: "2s" },
          path: "$.containerDefinitions[1].environment[2].value",
        },
      ],
    },
  ],
});
