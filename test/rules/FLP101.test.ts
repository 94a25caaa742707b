import { FLP101 } from "../../src/rules/FLP101-depends-on-unknown-container.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

testRule(FLP101, {
  valid: [
    ecs([
      { name: "db", image: "postgres:16" },
      {
        name: "web",
        image: "nginx:1.27",
        links: ["db", "db:database"],
        volumesFrom: [{ sourceContainer: "db" }],
      },
    ]),
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
      // Issue 23 item 5: plan and check call it a refusal; lint reports it too (the model's refusal, not re-read).
      name: "a three-part link: the agent refuses the task (Invalid link format)",
      code: ecs([
        { name: "db", image: "postgres:16" },
        { name: "web", image: "nginx:1.27", links: ["db:database", "db:database:extra"] },
      ]),
      errors: [
        {
          messageId: "badLink",
          data: { container: "web", link: "db:database:extra" },
          path: "$.containerDefinitions[1].links[1]",
          container: "web",
        },
      ],
    },
    {
      name: "a link and a volume source naming no container, each reported (not only the first refusal)",
      code: ecs([
        { name: "db", image: "postgres:16" },
        {
          name: "web",
          image: "nginx:1.27",
          links: ["cache:c"],
          volumesFrom: [{ sourceContainer: "db" }, { sourceContainer: "config" }],
        },
      ]),
      errors: [
        {
          messageId: "unknownLink",
          data: { container: "web", target: "cache" },
          path: "$.containerDefinitions[1].links[0]",
        },
        {
          messageId: "unknownVolumeSource",
          data: { container: "web", target: "config" },
          path: "$.containerDefinitions[1].volumesFrom[1].sourceContainer",
        },
      ],
    },
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
