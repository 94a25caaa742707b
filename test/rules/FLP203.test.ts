import { FLP203 } from "../../src/rules/FLP203-mutable-router-tag.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

const img = (image: string) => router({ image });

testRule(FLP203, {
  valid: [
    ecs([img("amazon/aws-for-fluent-bit:2.32.5"), app()]),
    ecs([img(`amazon/aws-for-fluent-bit@sha256:${"c".repeat(64)}`), app()]),
    {
      name: "an app's latest tag is not the router's",
      code: ecs([router(), app({ image: "nginx:latest" })]),
    },
    {
      name: "a tag only known at deploy time",
      file: "template.yaml",
      code: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: log_router
          Image: !Sub "amazon/aws-for-fluent-bit:\${RouterTag}"
          FirelensConfiguration: { Type: fluentbit }
        - Name: app
          Image: nginx
          LogConfiguration: { LogDriver: awsfirelens }
`,
    },
  ],
  invalid: [
    {
      code: ecs([img("amazon/aws-for-fluent-bit:stable"), app()]),
      errors: [
        {
          messageId: "mutableTag",
          data: { container: "log-router", image: "amazon/aws-for-fluent-bit:stable", tag: "stable" },
          path: "$.containerDefinitions[0].image",
        },
      ],
    },
    {
      code: ecs([img("public.ecr.aws/aws-observability/aws-for-fluent-bit:init-latest"), app()]),
      errors: [
        {
          messageId: "mutableTag",
          data: {
            container: "log-router",
            image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:init-latest",
            tag: "init-latest",
          },
        },
      ],
    },
    {
      name: "no tag at all, registry with a port",
      code: ecs([img("registry.local:5000/aws-for-fluent-bit"), app()]),
      errors: [
        {
          messageId: "noTag",
          data: { container: "log-router", image: "registry.local:5000/aws-for-fluent-bit", tag: "" },
        },
      ],
    },
  ],
});
