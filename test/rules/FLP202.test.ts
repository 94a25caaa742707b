import { FLP202 } from "../../src/rules/FLP202-router-known-crash.js";
import { app, ecs, gate, preflight, router, testRule } from "../support/rule-tester.js";

const img = (image: string, extra: object = {}) => router({ image, ...extra });
const datadog = app({
  logConfiguration: {
    logDriver: "awsfirelens",
    options: { Name: "datadog", provider: "ecs", dd_service: "x" },
  },
});

testRule(FLP202, {
  valid: [
    ecs([img("public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5"), app()]),
    {
      name: "datadog provider ecs fixed in 2.31.3",
      code: ecs([img("amazon/aws-for-fluent-bit:2.31.3"), datadog]),
    },
    { name: "build suffix", code: ecs([img("amazon/aws-for-fluent-bit:2.32.5.20250212"), app()]) },
    { name: "moving tags are FLP203's", code: ecs([img("amazon/aws-for-fluent-bit:stable"), app()]) },
    {
      name: "Fluentd routers are out of scope",
      code: ecs([img("fluent/fluentd:v1.16", { firelensConfiguration: { type: "fluentd" } }), app()]),
    },
    {
      name: "upstream 4.2.8 without custom config",
      code: ecs([img("cr.fluentbit.io/fluent/fluent-bit:4.2.8"), app()]),
    },
    {
      name: "3.2.1 with the built-in monitoring config ([SERVICE] only: no custom-config trigger)",
      code: ecs([
        img("public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1", {
          firelensConfiguration: {
            type: "fluentbit",
            options: {
              "config-file-type": "file",
              "config-file-value": "/fluent-bit/configs/output-metrics-healthcheck.conf",
            },
          },
        }),
        app(),
      ]),
    },
  ],
  invalid: [
    {
      name: "the seed: 2.19.0 (Fluent Bit 1.8.3) with Datadog provider ecs",
      code: ecs([img("amazon/aws-for-fluent-bit:2.19.0"), datadog]),
      errors: [
        {
          messageId: "knownCrash",
          data: {
            container: "log-router",
            version: "aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3)",
            bugs: "A (fluent-bit#5929)",
            others:
              "; also runtime crash or hang bugs: C (fluent-bit#3952), F (fluent-bit#2589), G (fluent-bit#4098), H (fluent-bit#4040)",
          },
          path: "$.containerDefinitions[0].image",
        },
      ],
    },
    {
      name: "the seed after the gate: still a crash, no longer an outage",
      code: ecs([
        img("amazon/aws-for-fluent-bit:2.19.0"),
        preflight(),
        app({
          ...gate,
          logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog", provider: "ecs" } },
        }),
      ]),
      errors: [
        {
          messageId: "knownCrashGated",
          severity: "warning",
          data: {
            container: "log-router",
            version: "aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3)",
            bugs: "A (fluent-bit#5929)",
            others:
              "; also runtime crash or hang bugs: C (fluent-bit#3952), F (fluent-bit#2589), G (fluent-bit#4098), H (fluent-bit#4040)",
          },
        },
      ],
    },
    {
      name: "2.19.0 with an early /api/v1/health check",
      code: ecs([
        img("amazon/aws-for-fluent-bit:2.19.0", {
          healthCheck: { command: ["CMD-SHELL", "curl -f http://127.0.0.1:2020/api/v1/health || exit 1"] },
        }),
        app(),
      ]),
      errors: [
        {
          messageId: "knownCrash",
          data: {
            container: "log-router",
            version: "aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3)",
            bugs: "E (fluent-bit#3983)",
            others:
              "; also runtime crash or hang bugs: F (fluent-bit#2589), G (fluent-bit#4098), H (fluent-bit#4040), M (fluent-bit#4425)",
          },
        },
      ],
    },
    {
      name: "2.19.0 with a cloudwatch output: runtime bugs only",
      code: ecs([img("amazon/aws-for-fluent-bit:2.19.0"), app()]),
      errors: [
        {
          messageId: "knownBugs",
          severity: "warning",
          data: {
            container: "log-router",
            version: "aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3)",
            bugs: "F (fluent-bit#2589), G (fluent-bit#4098), H (fluent-bit#4040), M (fluent-bit#4425)",
          },
        },
      ],
    },
    {
      name: "2.29.0 broke provider ecs",
      code: ecs([img("906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:2.29.0"), datadog]),
      errors: [
        {
          messageId: "knownCrash",
          data: {
            container: "log-router",
            version: "aws-for-fluent-bit 2.29.0 (Fluent Bit 1.9.10)",
            bugs: "B (aws-for-fluent-bit#491)",
            others: "",
          },
        },
      ],
    },
    {
      name: "upstream 1.9.10 image with provider ecs",
      code: ecs([img("fluent/fluent-bit:1.9.10-debug"), datadog]),
      errors: [
        {
          messageId: "knownCrash",
          data: {
            container: "log-router",
            version: "Fluent Bit 1.9.10",
            bugs: "B (aws-for-fluent-bit#491)",
            others: "",
          },
        },
      ],
    },
    {
      name: "a release missing from the table is unknown, not safe",
      code: ecs([img("amazon/aws-for-fluent-bit:2.16.1"), app()]),
      errors: [
        {
          messageId: "unknownVersion",
          severity: "warning",
          data: {
            container: "log-router",
            image: "amazon/aws-for-fluent-bit:2.16.1",
            reason: "aws-for-fluent-bit 2.16.1 is not in our version table",
          },
        },
      ],
    },
    {
      name: "custom image",
      code: ecs([img("123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-fluent-bit:1.0.3"), app()]),
      errors: [{ messageId: "unknownVersion" }],
    },
    {
      name: "pinned by digest only",
      code: ecs([img(`amazon/aws-for-fluent-bit@sha256:${"a".repeat(64)}`), app()]),
      errors: [
        {
          messageId: "unknownVersion",
          data: {
            container: "log-router",
            image: `amazon/aws-for-fluent-bit@sha256:${"a".repeat(64)}`,
            reason: "the image is pinned by digest only, which does not name a version",
          },
        },
      ],
    },
    {
      name: "tag and digest: the tag names the version",
      code: ecs([img(`amazon/aws-for-fluent-bit:2.19.0@sha256:${"b".repeat(64)}`), datadog]),
      errors: [{ messageId: "knownCrash" }],
    },
    {
      name: "Fn::Sub image with a literal tag",
      file: "template.yaml",
      code: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: log_router
          Image: !Sub "\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/aws-for-fluent-bit:2.19.0"
          FirelensConfiguration:
            Type: fluentbit
        - Name: app
          Image: nginx
          LogConfiguration:
            LogDriver: awsfirelens
            Options:
              Name: datadog
              provider: ecs
`,
      errors: [
        {
          messageId: "knownCrash",
          path: "$.Resources.Task.Properties.ContainerDefinitions[0].Image",
          line: 7,
        },
      ],
    },
    {
      name: "Ref image is unknown until deploy",
      file: "template.yaml",
      code: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: log_router
          Image: !Ref RouterImage
          FirelensConfiguration:
            Type: fluentbit
        - Name: app
          Image: nginx
          LogConfiguration:
            LogDriver: awsfirelens
`,
      errors: [
        {
          messageId: "unknownVersion",
          data: {
            container: "log_router",
            image: "Ref RouterImage (CloudFormation, known at deploy)",
            reason: "the image is not known until deploy time",
          },
        },
      ],
    },
  ],
});
