import { FLP104 } from "../../src/rules/FLP104-exit-condition-on-essential.js";
import { app, ecs, gate, preflight, router, testRule } from "../support/rule-tester.js";

testRule(FLP104, {
  valid: [
    ecs([router(), preflight(), app(gate)]),
    ecs([router(), app({ dependsOn: [{ containerName: "log-router", condition: "START" }] })]),
    {
      name: "essential given by an intrinsic is unknown",
      file: "template.yaml",
      code: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: init
          Image: busybox
          Essential: !Ref InitEssential
        - Name: app
          Image: nginx
          DependsOn:
            - ContainerName: init
              Condition: SUCCESS
`,
    },
  ],
  invalid: [
    {
      name: "essential chosen by !If: reported for the branch where it is true",
      file: "template.yaml",
      code: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: init
          Image: busybox
          Essential: !If [IsProd, false, true]
        - Name: app
          Image: nginx
          DependsOn:
            - ContainerName: init
              Condition: SUCCESS
`,
      errors: [
        {
          messageId: "essentialTarget",
          path: "$.Resources.Task.Properties.ContainerDefinitions[1].DependsOn[0].Condition",
        },
      ],
    },
    {
      name: "the seed's gate with the preflight left essential by default",
      code: ecs([router(), preflight({ essential: undefined }), app(gate)]),
      errors: [
        {
          messageId: "essentialTarget",
          data: {
            container: "app",
            target: "log-router-preflight",
            condition: "exit with SUCCESS",
            byDefault: " (essential is omitted, which means true)",
          },
          path: "$.containerDefinitions[2].dependsOn[0].condition",
        },
      ],
    },
    {
      name: "COMPLETE on an explicitly essential init container",
      code: ecs([
        { name: "init", image: "busybox", essential: true },
        { name: "web", image: "nginx", dependsOn: [{ containerName: "init", condition: "COMPLETE" }] },
      ]),
      errors: [
        {
          messageId: "essentialTarget",
          data: { container: "web", target: "init", condition: "COMPLETE", byDefault: "" },
        },
      ],
    },
  ],
});
