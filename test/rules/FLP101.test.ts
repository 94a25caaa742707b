import { FLP101 } from "../../src/rules/FLP101-depends-on-unknown-container.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

testRule(FLP101, {
  valid: [
    ecs([router(), app({ dependsOn: [{ containerName: "log-router", condition: "START" }] })]),
    ecs([router(), app()]),
    {
      name: "intrinsic containerName is unknown, not wrong",
      file: "template.yaml",
      code: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: nginx
          DependsOn:
            - ContainerName: !Ref SidecarName
              Condition: START
`,
    },
  ],
  invalid: [
    {
      name: "typo in the name",
      code: ecs([router(), app({ dependsOn: [{ containerName: "log_router", condition: "START" }] })]),
      errors: [
        {
          messageId: "unknownContainer",
          data: { container: "app", target: "log_router" },
          path: "$.containerDefinitions[1].dependsOn[0].containerName",
          container: "app",
        },
      ],
    },
    {
      name: "missing containerName",
      code: ecs([router(), app({ dependsOn: [{ condition: "START" }] })]),
      errors: [
        {
          messageId: "missingName",
          data: { container: "app" },
          path: "$.containerDefinitions[1].dependsOn[0]",
        },
      ],
    },
    {
      name: "CloudFormation keys are located in PascalCase",
      file: "template.yaml",
      code: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: nginx
          DependsOn:
            - ContainerName: sidecar
              Condition: START
`,
      errors: [
        {
          messageId: "unknownContainer",
          data: { container: "app", target: "sidecar" },
          path: "$.Resources.Task.Properties.ContainerDefinitions[0].DependsOn[0].ContainerName",
          line: 9,
        },
      ],
    },
  ],
});
