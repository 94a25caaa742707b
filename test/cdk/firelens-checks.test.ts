import { App, Stack, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import { describe, expect, it } from "vitest";
import { FireLensChecks, LogRouterPreflight } from "../../src/cdk/index.js";

const IMG = ecs.ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx:1.27");
const PROBE = ecs.ContainerImage.fromRegistry("example.com/firelens-preflight:test");

/** The seed's task before the fix: essential router on 2.19.0, app straight after it, service without rollback. */
function seed(options: { gate?: boolean; circuitBreaker?: boolean } = {}): {
  app: App;
  stack: Stack;
  service: ecs.FargateService;
} {
  const app = new App();
  const stack = new Stack(app, "S");
  const task = new ecs.FargateTaskDefinition(stack, "Task", { cpu: 512, memoryLimitMiB: 1024 });
  task.addFirelensLogRouter("log-router", {
    containerName: "log-router",
    image: ecs.ContainerImage.fromRegistry("public.ecr.aws/aws-observability/aws-for-fluent-bit:2.19.0"),
    firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: "firelens" }),
  });
  task.addContainer("app", {
    containerName: "app",
    image: IMG,
    logging: ecs.LogDrivers.firelens({
      options: { Name: "datadog", Host: "http-intake.logs.datadoghq.com" },
    }),
  });
  if (options.gate === true) new LogRouterPreflight(stack, "Gate", { taskDefinition: task, image: PROBE });
  const cluster = new ecs.Cluster(stack, "Cluster", { vpc: new ec2.Vpc(stack, "Vpc", { natGateways: 0 }) });
  const service = new ecs.FargateService(stack, "Service", {
    cluster,
    taskDefinition: task,
    minHealthyPercent: 100,
    circuitBreaker: options.circuitBreaker === true ? { enable: true, rollback: true } : undefined,
  });
  return { app, stack, service };
}

function violations(app: App, pack = new FireLensChecks()): string[] {
  app.synth();
  return pack
    .validateScope(app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${v.severity} ${r.constructPath}`),
    )
    .sort();
}

describe("FireLensChecks", { timeout: 120_000 }, () => {
  it("reports the seed's hazards on the resources they are about, one finding id per container", () => {
    const { app } = seed();
    expect(violations(app)).toEqual([
      "FireLensPreflight-FLP201[app] error S/Task/Resource",
      "FireLensPreflight-FLP202[log-router] warning S/Task/Resource",
      "FireLensPreflight-FLP208[missing] warning S/Service/Service",
    ]);
  });

  it("is clean once the gate, a fixed router and the circuit breaker are in", () => {
    const { app } = seed({ gate: true, circuitBreaker: true });
    expect(violations(app).filter((v) => !v.includes("FLP202"))).toEqual([]);
  });

  it("lets one finding be acknowledged with a reason, and rules be disabled", () => {
    const { app, stack, service } = seed({ gate: true });
    Validations.of(service).acknowledge({
      id: "FireLensPreflight-FLP208[missing]",
      reason: "Rolled back by the deploy pipeline's own alarms.",
    });
    Validations.of(stack).acknowledge({
      id: "FireLensPreflight-FLP202[log-router]",
      reason: "Known crash accepted: the preflight gate holds the app back.",
    });
    expect(violations(app)).toEqual([]);
    const { app: again } = seed();
    expect(violations(again, new FireLensChecks(undefined, { disable: ["flp201", "FLP202"] }))).toEqual([
      "FireLensPreflight-FLP208[missing] warning S/Service/Service",
    ]);
  });

  it("fails synthesis when registered as a validation plugin", () => {
    const { app } = seed();
    Validations.of(app).addPlugins(new FireLensChecks(app));
    expect(() => app.synth()).toThrow(/FireLensPreflight-FLP201\[app\]/);
  });
});
