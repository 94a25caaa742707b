import { FLP208 } from "../../src/rules/FLP208-service-circuit-breaker.js";
import { testRule } from "../support/rule-tester.js";

const template = (deployment: string, router = true) => `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: log_router
          Image: amazon/aws-for-fluent-bit:2.32.5
${router ? "          FirelensConfiguration: { Type: fluentbit }\n" : ""}        - Name: app
          Image: nginx
          LogConfiguration: { LogDriver: ${router ? "awsfirelens" : "awslogs"} }
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
${deployment}`;

testRule(FLP208, {
  valid: [
    {
      file: "template.yaml",
      code: template(`      DeploymentConfiguration:
        DeploymentCircuitBreaker:
          Enable: true
          Rollback: true
`),
    },
    {
      name: "YAML strings",
      file: "template.yaml",
      code: template(`      DeploymentConfiguration:
        DeploymentCircuitBreaker: { Enable: "true", Rollback: "true" }
`),
    },
    { name: "no FireLens router", file: "template.yaml", code: template("      DesiredCount: 2\n", false) },
    {
      name: "blue/green: the circuit breaker does not apply to a CODE_DEPLOY service",
      file: "template.yaml",
      code: template(`      DeploymentController:
        Type: CODE_DEPLOY
`),
    },
    {
      name: "CODE_DEPLOY with the circuit breaker written off: nothing to say either",
      file: "template.yaml",
      code: template(`      DeploymentController: { Type: CODE_DEPLOY }
      DeploymentConfiguration:
        DeploymentCircuitBreaker: { Enable: false, Rollback: false }
`),
    },
    {
      name: "an EXTERNAL controller (JSON, flow style)",
      file: "template.yaml",
      code: template("      DeploymentController: { Type: EXTERNAL }\n"),
    },
    {
      name: "no services in an ECS JSON",
      code: `{"family":"x","containerDefinitions":[{"name":"r","image":"amazon/aws-for-fluent-bit:2.32.5","firelensConfiguration":{"type":"fluentbit"}}]}`,
    },
  ],
  invalid: [
    {
      name: "the rolling ECS controller, written out",
      file: "template.yaml",
      code: template(`      DeploymentController:
        Type: ECS
`),
      errors: [{ messageId: "missing", path: "$.Resources.Service.Properties" }],
    },
    {
      name: "a controller only known at deploy time may be the rolling one",
      file: "template.yaml",
      code: template(`      DeploymentController:
        Type: !Ref Controller
`),
      errors: [{ messageId: "missing", path: "$.Resources.Service.Properties" }],
    },
    {
      file: "template.yaml",
      code: template("      DesiredCount: 2\n"),
      errors: [
        {
          messageId: "missing",
          data: { service: "Service", taskDefinition: "Task" },
          path: "$.Resources.Service.Properties",
        },
      ],
    },
    {
      file: "template.yaml",
      code: template(`      DeploymentConfiguration:
        MaximumPercent: 200
`),
      errors: [{ messageId: "missing", path: "$.Resources.Service.Properties.DeploymentConfiguration" }],
    },
    {
      file: "template.yaml",
      code: template(`      DeploymentConfiguration:
        DeploymentCircuitBreaker:
          Enable: true
          Rollback: false
`),
      errors: [
        {
          messageId: "noRollback",
          data: { service: "Service", taskDefinition: "Task" },
          path: "$.Resources.Service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker",
          line: 17,
        },
      ],
    },
    {
      file: "template.yaml",
      code: template(`      DeploymentConfiguration:
        DeploymentCircuitBreaker:
          Enable: false
          Rollback: true
`),
      errors: [
        {
          messageId: "disabled",
          path: "$.Resources.Service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker.Enable",
        },
      ],
    },
  ],
});
