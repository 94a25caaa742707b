/**
 * Issue 23 item 7: `simulate` reads the load-balancer target, the gate's kind and "has a health check" from the
 * model, as `check` and `plan` do, instead of deciding them itself.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readTask, servingContainer } from "../../src/model/index.js";
import { compileTask, defaultScenario, simulate } from "../../src/simulate/index.js";
import { parseDocument } from "../../src/taskdef/index.js";
import type { TaskDefinitionView } from "../../src/taskdef/model.js";

function firstTask(text: string, file: string): TaskDefinitionView {
  const td = parseDocument(text, file).taskDefinitions[0];
  if (td === undefined) throw new Error(`${file}: no task definition`);
  return td;
}

describe("simulate reads the task through the model", () => {
  it("the seed with the default scenario sends traffic to the app, not to dd-agent (which has ports too)", () => {
    const td = firstTask(readFileSync("examples/seed/before.json", "utf8"), "examples/seed/before.json");
    const plan = compileTask(td, defaultScenario());
    expect(plan.containers[plan.target]?.name).toBe("app");
    expect(servingContainer(readTask(td))?.name).toBe("app");
  });

  it("a gate that takes the probe's settings by flag is a probe, not a sleep", () => {
    const td = firstTask(
      JSON.stringify({
        containerDefinitions: [
          {
            name: "log-router",
            image: "fluent-bit",
            essential: true,
            firelensConfiguration: { type: "fluentbit" },
          },
          {
            name: "gate",
            image: "example/probe:1",
            essential: false,
            command: ["--containers", "web", "--require", "accepted"],
            dependsOn: [{ containerName: "log-router", condition: "START" }],
          },
          {
            name: "web",
            image: "example/web:1",
            essential: true,
            portMappings: [{ containerPort: 80 }],
            logConfiguration: { logDriver: "awsfirelens" },
            dependsOn: [{ containerName: "gate", condition: "SUCCESS" }],
          },
        ],
      }),
      "td.json",
    );
    const plan = compileTask(td, defaultScenario());
    expect(plan.containers[plan.gate]?.name).toBe("gate");
    expect(plan.gateKind).toBe("probe");
    // The seed's own workaround, a gate that only sleeps, stays a sleep.
    const sleeping = firstTask(
      JSON.stringify({
        containerDefinitions: [
          {
            name: "log-router",
            image: "fluent-bit",
            essential: true,
            firelensConfiguration: { type: "fluentbit" },
          },
          {
            name: "log-router-preflight",
            image: "public.ecr.aws/amazonlinux/amazonlinux:2023-minimal",
            essential: false,
            command: ["sh", "-c", "sleep 30"],
            dependsOn: [{ containerName: "log-router", condition: "START" }],
          },
          {
            name: "web",
            image: "example/web:1",
            essential: true,
            logConfiguration: { logDriver: "awsfirelens" },
            dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }],
          },
        ],
      }),
      "sleep.json",
    );
    expect(compileTask(sleeping, defaultScenario()).gateKind).toBe("sleep");
  });

  it("a CloudFormation Fn::If health check is a health check for simulate as for check and plan", () => {
    const template = `Conditions:
  UseHealthCheck: !Equals [!Ref Env, prod]
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: log-router
          Image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5
          Essential: true
          FirelensConfiguration: { Type: fluentbit }
          HealthCheck: !If
            - UseHealthCheck
            - Command: [CMD-SHELL, "curl -fs http://127.0.0.1:2020/api/v1/uptime || exit 1"]
              Interval: 5
            - !Ref AWS::NoValue
        - Name: log-router-preflight
          Image: example/probe:1
          Essential: false
          Environment: [{ Name: FIRELENS_PREFLIGHT_CONTAINERS, Value: web }]
          DependsOn: [{ ContainerName: log-router, Condition: HEALTHY }]
        - Name: web
          Image: example/web:1
          Essential: true
          PortMappings: [{ ContainerPort: 80 }]
          LogConfiguration: { LogDriver: awsfirelens, Options: { Name: stdout } }
          DependsOn: [{ ContainerName: log-router-preflight, Condition: SUCCESS }]
`;
    const td = firstTask(template, "template.yaml");
    const task = readTask(td);
    const plan = compileTask(td, defaultScenario());
    const router = plan.containers[plan.router];
    // plan's start graph (the model's nodes) and simulate's container plan agree on every health check.
    for (const c of task.containers) {
      expect(plan.containers[c.index]?.health !== null).toBe(task.nodes[c.index]?.hasHealthCheck);
    }
    expect(router?.health).not.toBeNull();
    // ...and says which reading it simulated.
    expect(plan.notes.join("\n")).toContain(
      'the health check of "log-router" is chosen by a condition or only known at deploy time; simulated as present',
    );
    // Before, simulate saw no health check here, so the gate's HEALTHY wait never ended: 0 % of deploys completed.
    const result = simulate(td, defaultScenario(), { runs: 20, trace: false });
    expect(result.variants[0]?.completed).toBeGreaterThan(0);
  });
});
