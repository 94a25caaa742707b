import { FLP212 } from "../../src/rules/FLP212-datadog-provider-ecs.js";
import { app, ecs, gate, preflight, router, testRule } from "../support/rule-tester.js";

const dd = (options: object) =>
  app({
    logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog", dd_service: "x", ...options } },
  });
const img = (image: string) => router({ image });

testRule(FLP212, {
  valid: [
    {
      name: "fixed in aws 2.31.3",
      code: ecs([img("amazon/aws-for-fluent-bit:2.31.3"), dd({ provider: "ecs" })]),
    },
    { name: "upstream 2.0.9", code: ecs([img("fluent/fluent-bit:2.0.9"), dd({ provider: "ecs" })]) },
    {
      name: "no provider ecs",
      code: ecs([img("amazon/aws-for-fluent-bit:2.19.0"), dd({ dd_tags: "env:prod" })]),
    },
    { name: "not datadog", code: ecs([img("amazon/aws-for-fluent-bit:2.19.0"), app()]) },
  ],
  invalid: [
    {
      name: "the AWS Datadog example on the seed's router",
      code: ecs([img("amazon/aws-for-fluent-bit:2.19.0"), dd({ provider: "ecs" })]),
      errors: [
        {
          messageId: "crashes",
          data: {
            container: "app",
            version: "aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3)",
            bugs: "A (fluent-bit#5929)",
          },
          path: "$.containerDefinitions[1].logConfiguration.options.provider",
        },
      ],
    },
    {
      name: "gated (the seed after fix): the preflight's copy is not reported, the app's is a warning",
      code: ecs([
        img("amazon/aws-for-fluent-bit:2.19.0"),
        preflight({
          logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog", provider: "ecs" } },
        }),
        app({
          ...gate,
          logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog", provider: "ecs" } },
        }),
      ]),
      errors: [
        {
          messageId: "crashesGated",
          severity: "warning",
          data: {
            container: "app",
            version: "aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3)",
            bugs: "A (fluent-bit#5929)",
          },
          container: "app",
        },
      ],
    },
    {
      name: "aws 2.29.0 and case-insensitive keys",
      code: ecs([img("amazon/aws-for-fluent-bit:2.29.0"), dd({ Provider: "ECS" })]),
      errors: [
        {
          messageId: "crashes",
          data: {
            container: "app",
            version: "aws-for-fluent-bit 2.29.0 (Fluent Bit 1.9.10)",
            bugs: "B (aws-for-fluent-bit#491)",
          },
          path: "$.containerDefinitions[1].logConfiguration.options.Provider",
        },
      ],
    },
    {
      name: "aws 2.30.0: the rare remap segfault",
      code: ecs([img("amazon/aws-for-fluent-bit:2.30.0"), dd({ provider: "ecs" })]),
      errors: [
        {
          messageId: "crashes",
          data: {
            container: "app",
            version: "aws-for-fluent-bit 2.30.0 (Fluent Bit 1.9.10)",
            bugs: "B2 (https://github.com/aws/aws-for-fluent-bit/blob/mainline/CHANGELOG.md)",
          },
        },
      ],
    },
    {
      name: "stable is unknown",
      code: ecs([img("amazon/aws-for-fluent-bit:stable"), dd({ provider: "ecs" })]),
      errors: [
        {
          messageId: "unknownVersion",
          severity: "warning",
          data: { container: "app", reason: "the tag 'stable' moves between releases" },
        },
      ],
    },
  ],
});
