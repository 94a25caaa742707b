/**
 * Issue 23 item 8 (fix): a router whose HealthCheck is `!If [Cond, {...}, !Ref AWS::NoValue]`. With the condition
 * false the router has no health check, and a HEALTHY wait on it never ends: the gate and every app it holds
 * never start. `fix` writes only what holds in every branch: the preflight waits START, and fix says why.
 */
import { describe, expect, it } from "vitest";
import { fixText } from "../../src/fix/index.js";
import { readTask } from "../../src/model/index.js";
import { lintDocument } from "../../src/rules/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

const PROBE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/firelens-preflight:0.1.0";

const template = (gate = "") => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  RouterHealthCheck:
    Type: String
    AllowedValues: ["on", "off"]
    Default: "off"
Conditions:
  UseRouterHealthCheck: !Equals [!Ref RouterHealthCheck, "on"]
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      Cpu: "512"
      Memory: "1024"
      ContainerDefinitions:
        - Name: log-router
          Image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5
          Essential: true
          FirelensConfiguration:
            Type: fluentbit
            Options: { config-file-type: file, config-file-value: /fluent-bit/configs/output-metrics-healthcheck.conf }
          HealthCheck: !If
            - UseRouterHealthCheck
            - Command: [CMD-SHELL, "curl -fs http://127.0.0.1:2020/api/v1/uptime || exit 1"]
              Interval: 5
              Retries: 3
            - !Ref AWS::NoValue
${gate}        - Name: api
          Image: example/api:4.2.0
          Essential: true
          PortMappings: [{ ContainerPort: 8080 }]
          LogConfiguration:
            LogDriver: awsfirelens
            Options: { Name: cloudwatch_logs, region: eu-west-1, log_group_name: api }
`;

/** The condition of the preflight's dependency on the router, in the fixed text. */
function gateWaitsFor(text: string): string | undefined {
  const td = parseDocument(text, "template.yaml").taskDefinitions[0];
  if (td === undefined) throw new Error("no task definition");
  const task = readTask(td);
  return task.gates[0]?.dependsOn.find((d) => d.target === "log-router")?.condition;
}

describe("a router health check chosen by a condition", () => {
  it("fix makes the preflight wait START and says why", () => {
    const r = fixText(template(), "template.yaml", { probeImage: PROBE });
    expect(r.changed).toBe(true);
    expect(gateWaitsFor(r.text)).toBe("START");
    expect(r.notes.join("\n")).toContain(
      "router 'log-router' has a healthCheck only in some branches (it is chosen by a condition, or only known at deploy time), so the preflight waits for it to START, not to be HEALTHY",
    );
    // The conditional health check itself stays as its owner wrote it.
    expect(r.text).toContain("HealthCheck: !If\n            - UseRouterHealthCheck");
    const ids = lintDocument(parseDocument(r.text, "template.yaml")).map((f) => f.ruleId);
    for (const id of ["FLP105", "FLP201", "FLP205", "FLP206"]) expect(ids).not.toContain(id);
  });

  it("--router-monitoring does not replace the conditional health check", () => {
    const r = fixText(template(), "template.yaml", { probeImage: PROBE, routerMonitoring: true });
    expect(r.changes.map((c) => c.kind)).not.toContain("router-health-check");
    expect(gateWaitsFor(r.text)).toBe("START");
  });

  it("an existing gate that waits HEALTHY is moved to START, with the reason", () => {
    const gate = `        - Name: log-router-preflight
          Image: ${PROBE}
          Essential: false
          Environment: [{ Name: FIRELENS_PREFLIGHT_CONTAINERS, Value: api }]
          DependsOn: [{ ContainerName: log-router, Condition: HEALTHY }]
`;
    const text = template(gate).replace(
      "          PortMappings: [{ ContainerPort: 8080 }]\n",
      "          PortMappings: [{ ContainerPort: 8080 }]\n          DependsOn: [{ ContainerName: log-router-preflight, Condition: SUCCESS }]\n",
    );
    expect(gateWaitsFor(text)).toBe("HEALTHY");
    const r = fixText(text, "template.yaml", { probeImage: PROBE });
    expect(gateWaitsFor(r.text)).toBe("START");
    expect(r.changes.find((c) => c.kind === "gate-condition")?.description).toContain(
      "now waits for router 'log-router' to START, not to be HEALTHY",
    );
    expect(fixText(r.text, "template.yaml", { probeImage: PROBE }).changed).toBe(false);
  });

  it("a health check written out in every branch still gets HEALTHY", () => {
    const text = template().replace(
      /HealthCheck: !If\n[\s\S]*?- !Ref AWS::NoValue\n/,
      'HealthCheck:\n            Command: [CMD-SHELL, "curl -fs http://127.0.0.1:2020/api/v1/uptime || exit 1"]\n            Interval: 5\n',
    );
    expect(text).not.toContain("!If");
    expect(gateWaitsFor(fixText(text, "template.yaml", { probeImage: PROBE }).text)).toBe("HEALTHY");
  });
});
