/**
 * Issue 23 item 12: the deployment circuit breaker applies to the rolling (`ECS`) deployment controller only.
 * `fix` leaves CODE_DEPLOY and EXTERNAL services alone (and says so), and FLP208 is silent on them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { fixText } from "../../src/fix/index.js";
import { lintDocument } from "../../src/rules/index.js";
import { loadHclParser, parseDocument, parseText } from "../../src/taskdef/index.js";

const PROBE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/firelens-preflight:0.1.0";

beforeAll(async () => {
  await loadHclParser();
});

const template = (controller: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: log_router
          Image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5
          Essential: true
          FirelensConfiguration: { Type: fluentbit }
        - Name: web
          Image: nginx:1.27
          Essential: true
          PortMappings: [{ ContainerPort: 80 }]
          LogConfiguration:
            LogDriver: awsfirelens
            Options: { Name: cloudwatch_logs, region: eu-west-1, log_group_name: web }
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      DesiredCount: 2
${controller}`;

const tf = (controller: string) => `resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    {
      name      = "log_router"
      image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5"
      essential = true
      firelensConfiguration = { type = "fluentbit" }
    },
    {
      name      = "web"
      image     = "nginx:1.27"
      essential = true
      logConfiguration = {
        logDriver = "awsfirelens"
        options   = { Name = "cloudwatch_logs", region = "eu-west-1", log_group_name = "web" }
      }
    },
  ])
}

resource "aws_ecs_service" "web" {
  name            = "web"
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 2
${controller}}
`;

function ruleIds(text: string, file: string): string[] {
  return lintDocument(parseDocument(text, file)).map((f) => f.ruleId);
}

describe("a blue/green or external service gets no circuit breaker", () => {
  for (const type of ["CODE_DEPLOY", "EXTERNAL"]) {
    it(`template, ${type}: FLP208 silent, fix gates the task and leaves the service alone`, () => {
      const text = template(`      DeploymentController:\n        Type: ${type}\n`);
      expect(ruleIds(text, "t.yaml")).not.toContain("FLP208");
      const r = fixText(text, "t.yaml", { probeImage: PROBE });
      expect(r.changed).toBe(true);
      expect(r.changes.map((c) => c.kind)).not.toContain("circuit-breaker");
      expect(r.text).not.toContain("DeploymentCircuitBreaker");
      expect(r.notes.join("\n")).toContain(`deployment controller ${type}`);
      expect(ruleIds(r.text, "t.yaml")).not.toContain("FLP208");
    });

    it(`Terraform, ${type}: FLP208 silent, fix writes no deployment_circuit_breaker`, async () => {
      const text = tf(`\n  deployment_controller {\n    type = "${type}"\n  }\n`);
      const doc = await parseText(text, "main.tf");
      expect(lintDocument(doc).map((f) => f.ruleId)).not.toContain("FLP208");
      const r = fixText(text, "main.tf", { probeImage: PROBE });
      expect(r.changed).toBe(true);
      expect(r.text).not.toContain("deployment_circuit_breaker");
      expect(r.notes.join("\n")).toContain(`deployment controller ${type}`);
    });
  }

  it("the rolling controller, written or not, still gets the circuit breaker", async () => {
    for (const controller of ["", "      DeploymentController:\n        Type: ECS\n"]) {
      const text = template(controller);
      expect(ruleIds(text, "t.yaml")).toContain("FLP208");
      const r = fixText(text, "t.yaml", { probeImage: PROBE });
      expect(r.changes.map((c) => c.kind)).toContain("circuit-breaker");
      expect(ruleIds(r.text, "t.yaml")).not.toContain("FLP208");
    }
    const text = tf(`\n  deployment_controller {\n    type = "ECS"\n  }\n`);
    expect(lintDocument(await parseText(text, "main.tf")).map((f) => f.ruleId)).toContain("FLP208");
    expect(fixText(text, "main.tf", { probeImage: PROBE }).text).toContain("deployment_circuit_breaker");
  });

  it("a controller only known at deploy time: FLP208 stands, fix writes nothing to the service and says why", async () => {
    const text = tf(`\n  deployment_controller {\n    type = var.controller\n  }\n`);
    expect(lintDocument(await parseText(text, "main.tf")).map((f) => f.ruleId)).toContain("FLP208");
    const r = fixText(text, "main.tf", { probeImage: PROBE });
    expect(r.text).not.toContain("deployment_circuit_breaker");
    expect(r.notes.join("\n")).toContain("only known at deploy time");
  });
});
