import { describe, expect, it } from "vitest";
import { FLP111 } from "../../src/rules/FLP111-field-type.js";
import { app, ecs, lintWith, router, testRule } from "../support/rule-tester.js";

const DEPENDS_ON = "a list of {containerName, condition} objects";

const cfn = (containers: string, service = ""): string =>
  [
    "Resources:",
    "  Task:",
    "    Type: AWS::ECS::TaskDefinition",
    "    Properties:",
    "      ContainerDefinitions:",
    containers,
    service,
  ].join("\n");

testRule(FLP111, {
  valid: [
    ecs([router(), app({ dependsOn: [{ containerName: "log-router", condition: "START" }] })]),
    {
      name: "null fields are unset (console exports write them), not wrong",
      code: ecs([router(), app({ firelensConfiguration: null, dependsOn: null, essential: null })]),
    },
    {
      name: "CloudFormation converts scalars: 'true', '30', a number for a name",
      file: "t.yaml",
      code: cfn(
        [
          "        - Name: log-router",
          "          Image: amazon/aws-for-fluent-bit:2.32.5",
          '          Essential: "true"',
          '          StopTimeout: "30"',
          "          FirelensConfiguration: {Type: fluentbit, Options: {enable-ecs-log-metadata: true}}",
          "        - Name: 5",
          "          Image: app",
          "          Essential: TRUE",
          "          DependsOn: [{ContainerName: log-router, Condition: START}]",
          "          HealthCheck: {Command: [CMD, true], Interval: '10'}",
        ].join("\n"),
      ),
    },
    {
      name: "a service without DeploymentConfiguration",
      file: "t.yaml",
      code: cfn(
        "        - {Name: app, Image: app}",
        "  Service:\n    Type: AWS::ECS::Service\n    Properties: {TaskDefinition: !Ref Task}\n",
      ),
    },
    {
      name: "values known at deploy time are not judged",
      file: "t.yaml",
      code: cfn(
        [
          "        - Name: !Ref AppName",
          "          Image: app",
          "          Essential: !If [IsProd, true, false]",
          "          DependsOn: !If [HasRouter, [{ContainerName: log-router, Condition: START}], !Ref AWS::NoValue]",
          "          Environment: !Ref Env",
        ].join("\n"),
      ),
    },
  ],
  invalid: [
    {
      name: "dependsOn: 5",
      code: ecs([router(), app({ dependsOn: 5 })]),
      errors: [
        {
          messageId: "wrongType",
          data: {
            subject: "Container 'app'",
            field: "dependsOn",
            actual: "a number (5)",
            expected: DEPENDS_ON,
          },
          path: "$.containerDefinitions[1].dependsOn",
          container: "app",
        },
      ],
    },
    {
      name: "dependsOn: [null]",
      code: ecs([router(), app({ dependsOn: [null] })]),
      errors: [
        {
          messageId: "wrongType",
          data: {
            subject: "Container 'app'",
            field: "dependsOn[0]",
            actual: "null",
            expected: "an object ({containerName, condition, …})",
          },
          path: "$.containerDefinitions[1].dependsOn[0]",
        },
      ],
    },
    {
      name: "containerName: 5",
      code: ecs([router(), app({ dependsOn: [{ containerName: 5, condition: "START" }] })]),
      errors: [
        {
          messageId: "wrongType",
          data: {
            subject: "Container 'app'",
            field: "dependsOn[0].containerName",
            actual: "a number (5)",
            expected: "a string",
          },
          path: "$.containerDefinitions[1].dependsOn[0].containerName",
          line: 25,
        },
      ],
    },
    {
      name: "a YAML !!int name",
      file: "task.yaml",
      code: "containerDefinitions:\n  - name: !!int 5\n    image: nginx\n",
      errors: [
        {
          messageId: "wrongType",
          data: { subject: "Container '#0'", field: "name", actual: "a number (5)", expected: "a string" },
          path: "$.containerDefinitions[0].name",
          line: 2,
        },
      ],
    },
    {
      name: 'essential: "maybe"; environment: {}; logConfiguration: []',
      code: ecs([router(), app({ essential: "maybe", environment: {}, logConfiguration: [] })]),
      errors: [
        {
          messageId: "wrongType",
          data: {
            subject: "Container 'app'",
            field: "essential",
            actual: 'the string "maybe"',
            expected: "true or false",
          },
          path: "$.containerDefinitions[1].essential",
        },
        {
          messageId: "wrongType",
          data: {
            subject: "Container 'app'",
            field: "logConfiguration",
            actual: "a list",
            expected: "an object ({logDriver, options, secretOptions, …})",
          },
        },
        {
          messageId: "wrongType",
          data: {
            subject: "Container 'app'",
            field: "environment",
            actual: "an object",
            expected: "a list of {name, value} objects",
          },
        },
      ],
    },
    {
      name: 'essential: "false" in ECS JSON (the AWS CLI rejects a string for a boolean)',
      code: ecs([router({ essential: "false" }), app()]),
      errors: [{ messageId: "wrongType", path: "$.containerDefinitions[0].essential" }],
    },
    {
      name: "a log option that is not a string, and a secret's value not printed",
      code: ecs([
        router(),
        app({
          logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog", retry_limit: 2 } },
          environment: [{ name: "DD_API_KEY", value: ["0123456789abcdef"] }],
        }),
      ]),
      errors: [
        {
          messageId: "wrongType",
          data: {
            subject: "Container 'app'",
            field: "logConfiguration.options.retry_limit",
            actual: "a number (2)",
            expected: "a string",
          },
        },
        {
          messageId: "wrongType",
          data: {
            subject: "Container 'app'",
            field: "environment[0].value",
            actual: "a list",
            expected: "a string",
          },
        },
      ],
    },
    {
      name: "structural mismatches in a template",
      file: "t.yaml",
      code: cfn(
        [
          "        - Name: app",
          "          Image: app",
          "          Essential: maybe",
          "          DependsOn: {ContainerName: log-router, Condition: START}",
        ].join("\n"),
        [
          "  Service:",
          "    Type: AWS::ECS::Service",
          "    Properties:",
          "      TaskDefinition: !Ref Task",
          "      DeploymentConfiguration:",
          "        DeploymentCircuitBreaker: [true]",
        ].join("\n"),
      ),
      errors: [
        {
          messageId: "wrongType",
          data: {
            subject: "Container 'app'",
            field: "essential",
            actual: 'the string "maybe"',
            expected: "true or false",
          },
          path: "$.Resources.Task.Properties.ContainerDefinitions[0].Essential",
          line: 8,
        },
        {
          messageId: "wrongType",
          data: { subject: "Container 'app'", field: "dependsOn", actual: "an object", expected: DEPENDS_ON },
          path: "$.Resources.Task.Properties.ContainerDefinitions[0].DependsOn",
        },
        {
          messageId: "wrongType",
          data: {
            subject: "Service 'Service'",
            field: "DeploymentConfiguration.DeploymentCircuitBreaker",
            actual: "a list",
            expected: "an object ({enable, rollback, …})",
          },
          path: "$.Resources.Service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker",
          line: 15,
        },
      ],
    },
    {
      name: "task-level cpu as a number (the API takes a string)",
      code: ecs([router(), app()], { cpu: 256, memory: "512" }),
      errors: [
        {
          messageId: "wrongType",
          data: {
            subject: "The task definition",
            field: "cpu",
            actual: "a number (256)",
            expected: "a string",
          },
          path: "$.cpu",
        },
      ],
    },
    {
      name: "a key written twice: the last one counts, the first is reported",
      code: '{\n  "family": "x",\n  "containerDefinitions": [],\n  "containerDefinitions": [\n    {"name": "app", "image": "nginx"}\n  ]\n}\n',
      errors: [
        {
          messageId: "duplicateKey",
          data: { key: "containerDefinitions", count: 2, line: 4, ignored: "3" },
          path: "$.containerDefinitions",
          line: 4,
          severity: "warning",
        },
      ],
    },
  ],
});

describe("FLP111 with several task definitions", () => {
  it("reports a repeated key once, with the task definition that holds it", () => {
    const text = JSON.stringify({
      Resources: {
        A: {
          Type: "AWS::ECS::TaskDefinition",
          Properties: { ContainerDefinitions: [{ Name: "a", Image: "x" }] },
        },
        B: {
          Type: "AWS::ECS::TaskDefinition",
          Properties: { ContainerDefinitions: [{ Name: "b", Image: "x" }] },
        },
      },
    })
      .replace('"Name":"b"', '"Name":"b","Image":"y"')
      .replace('{"Resources"', '{"Parameters":{},"Parameters":{},"Resources"');
    const found = lintWith(FLP111, text, "t.json");
    expect(found.map((f) => [f.taskDefinition, f.jsonPath])).toEqual([
      ["A", "$.Parameters"],
      ["B", "$.Resources.B.Properties.ContainerDefinitions[0].Image"],
    ]);
  });
});
