import { App, AspectPriority, Aspects, Duration, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { describe, expect, it } from "vitest";
import { LogRouterPreflight, PreflightAspect } from "../../src/cdk/index.js";
import { lintDocument } from "../../src/rules/engine.js";
import { parseDocument } from "../../src/taskdef/index.js";

const PROBE = ecs.ContainerImage.fromRegistry("example.com/firelens-preflight:test");
const IMG = ecs.ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx:1.27");

interface Container {
  Name: string;
  Essential?: boolean;
  DependsOn?: { Condition: string; ContainerName: string }[];
  Environment?: { Name: string; Value: string }[];
  LogConfiguration?: Record<string, unknown>;
}

function containersOf(template: Template, logicalIdPrefix = ""): Record<string, Container> {
  const tds = template.findResources("AWS::ECS::TaskDefinition");
  const entry = Object.entries(tds).find(([id]) => id.startsWith(logicalIdPrefix));
  const defs =
    ((entry?.[1].Properties ?? {}) as { ContainerDefinitions?: Container[] }).ContainerDefinitions ?? [];
  return Object.fromEntries(defs.map((d) => [d.Name, d]));
}

/** FLP1xx/FLP2xx findings of our own linter on a synthesized template (convention 10). */
function gateFindings(template: Template): string[] {
  const doc = parseDocument(JSON.stringify(template.toJSON()), "template.json");
  return lintDocument(doc)
    .filter((f) => /^FLP[12]/.test(f.ruleId))
    .map((f) => `${f.ruleId} ${f.taskDefinition}: ${f.message}`);
}

/** The seed's task: router, agent, app; plus a non-essential helper and an awslogs sidecar (neither gated). */
function seedTask(stack: Stack, id = "Task", routerHealthCheck = false): ecs.FargateTaskDefinition {
  const task = new ecs.FargateTaskDefinition(stack, id, { cpu: 512, memoryLimitMiB: 1024 });
  const secret = secretsmanager.Secret.fromSecretNameV2(stack, `${id}Key`, "datadog/api-key");
  const firelens = new ecs.FireLensLogDriver({
    options: { Name: "datadog", Host: "http-intake.logs.datadoghq.com", TLS: "on", dd_service: "app" },
    secretOptions: { apikey: ecs.Secret.fromSecretsManager(secret) },
  });
  task.addFirelensLogRouter("log-router", {
    containerName: "log-router",
    image: ecs.ContainerImage.fromRegistry("public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4"),
    firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
    healthCheck: routerHealthCheck ? { command: ["CMD-SHELL", "exit 0"] } : undefined,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: "firelens" }),
  });
  task.addContainer("dd-agent", {
    containerName: "dd-agent",
    image: ecs.ContainerImage.fromRegistry("public.ecr.aws/datadog/agent:7.31.0"),
    logging: firelens,
  });
  task.addContainer("app", { containerName: "app", image: IMG, logging: firelens });
  task.addContainer("helper", { containerName: "helper", image: IMG, essential: false, logging: firelens });
  task.addContainer("metrics", {
    containerName: "metrics",
    image: IMG,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: "metrics" }),
  });
  return task;
}

describe("LogRouterPreflight", { timeout: 120_000 }, () => {
  it("gates every essential awsfirelens container except router and agent, with the fix command's wiring", () => {
    const stack = new Stack(new App(), "S");
    const task = seedTask(stack);
    const gate = new LogRouterPreflight(stack, "Gate", { taskDefinition: task, image: PROBE });
    expect(gate.gatedContainerNames).toEqual(["app"]);
    expect(gate.agent?.containerName).toBe("dd-agent");
    expect(LogRouterPreflight.of(task)).toBe(gate);
    const template = Template.fromStack(stack);
    expect(gateFindings(template)).toEqual([]);
    const c = containersOf(template);
    expect(c.app?.DependsOn).toEqual([{ Condition: "SUCCESS", ContainerName: "log-router-preflight" }]);
    expect(c.helper?.DependsOn).toBeUndefined();
    expect(c.metrics?.DependsOn).toBeUndefined();
    expect(c["dd-agent"]?.DependsOn).toBeUndefined();
    expect(c["log-router"]?.DependsOn).toBeUndefined();
    expect(c["log-router-preflight"]).toMatchObject({
      Essential: false,
      DependsOn: [
        { Condition: "START", ContainerName: "log-router" },
        { Condition: "START", ContainerName: "dd-agent" },
      ],
    });
    // Its own stdout travels the first gated container's FireLens output, secret included.
    expect(c["log-router-preflight"]?.LogConfiguration).toEqual(c.app?.LogConfiguration);
  });

  it("waits for HEALTHY when the router has a health check, and takes every probe option", () => {
    const stack = new Stack(new App(), "S");
    const task = seedTask(stack, "Task", true);
    new LogRouterPreflight(stack, "Gate", {
      taskDefinition: task,
      image: PROBE,
      containerName: "gate",
      require: "accepted",
      deadline: Duration.millis(1500),
      records: 7,
      monitor: "off",
      forwardPort: 24225,
      cpu: 64,
      memoryReservationMiB: 48,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: "gate" }),
    });
    const c = containersOf(Template.fromStack(stack));
    expect(c.gate).toMatchObject({
      Cpu: 64,
      MemoryReservation: 48,
      DependsOn: [
        { Condition: "HEALTHY", ContainerName: "log-router" },
        { Condition: "START", ContainerName: "dd-agent" },
      ],
      Environment: [
        { Name: "FIRELENS_PREFLIGHT_CONTAINERS", Value: "app" },
        { Name: "FIRELENS_PREFLIGHT_FORWARD", Value: "127.0.0.1:24225" },
        { Name: "FIRELENS_PREFLIGHT_MONITOR", Value: "off" },
        { Name: "FIRELENS_PREFLIGHT_REQUIRE", Value: "accepted" },
        { Name: "FIRELENS_PREFLIGHT_DEADLINE", Value: "1500ms" },
        { Name: "FIRELENS_PREFLIGHT_RECORDS", Value: "7" },
      ],
      LogConfiguration: { LogDriver: "awslogs" },
    });
  });

  it("refuses tasks it cannot gate, naming the construct", () => {
    const stack = new Stack(new App(), "S");
    const bare = new ecs.FargateTaskDefinition(stack, "Bare");
    bare.addContainer("app", {
      image: IMG,
      logging: ecs.LogDrivers.firelens({ options: { Name: "datadog" } }),
    });
    expect(() => new LogRouterPreflight(stack, "G1", { taskDefinition: bare, image: PROBE })).toThrow(
      /has no FireLens router; add it with taskDefinition.addFirelensLogRouter\(\).*\(at S\/G1\)/,
    );

    const task = seedTask(stack, "T2");
    const router = task.findContainer("log-router");
    const agent = task.findContainer("dd-agent");
    if (router === undefined || agent === undefined) throw new Error("fixture");
    expect(
      () => new LogRouterPreflight(stack, "G2", { taskDefinition: task, image: PROBE, gate: [router] }),
    ).toThrow(/gate: log-router is the router/);
    expect(
      () => new LogRouterPreflight(stack, "G3", { taskDefinition: task, image: PROBE, gate: [] }),
    ).toThrow(/gate: at least one container/);
    expect(
      () =>
        new LogRouterPreflight(stack, "G4", {
          taskDefinition: task,
          image: PROBE,
          deadline: Duration.millis(0),
        }),
    ).toThrow(/deadline/);

    router.addContainerDependencies({ container: agent });
    expect(() => new LogRouterPreflight(stack, "G5", { taskDefinition: task, image: PROBE })).toThrow(
      /router: log-router has a dependsOn; remove it/,
    );

    const noApp = new ecs.FargateTaskDefinition(stack, "NoApp");
    noApp.addFirelensLogRouter("r", {
      image: IMG,
      firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
    });
    noApp.addContainer("x", { image: IMG, logging: ecs.LogDrivers.awsLogs({ streamPrefix: "x" }) });
    expect(() => new LogRouterPreflight(stack, "G6", { taskDefinition: noApp, image: PROBE })).toThrow(
      /no essential container logging through awsfirelens to gate/,
    );
  });

  it("fails synthesis when an essential FireLens container is added after a defaulted gate, until it is gated", () => {
    const withLate = (gateIt: boolean): Stack => {
      const stack = new Stack(new App(), "S");
      const task = seedTask(stack);
      const gate = new LogRouterPreflight(stack, "Gate", { taskDefinition: task, image: PROBE });
      const late = task.addContainer("late", {
        containerName: "late",
        image: IMG,
        logging: ecs.LogDrivers.firelens({ options: { Name: "datadog" } }),
      });
      if (gateIt) gate.gate(late);
      return stack;
    };
    expect(() => Template.fromStack(withLate(false))).toThrow(
      /late log through awsfirelens but are not gated/,
    );
    const c = containersOf(Template.fromStack(withLate(true)));
    expect(c.late?.DependsOn).toEqual([{ Condition: "SUCCESS", ContainerName: "log-router-preflight" }]);
    expect(c["log-router-preflight"]?.Environment?.[0]).toEqual({
      Name: "FIRELENS_PREFLIGHT_CONTAINERS",
      Value: "app,late",
    });
  });

  it("fails synthesis when the router gets a dependsOn after the gate", () => {
    const stack = new Stack(new App(), "S");
    const task = seedTask(stack);
    const gate = new LogRouterPreflight(stack, "Gate", { taskDefinition: task, image: PROBE });
    gate.router.addContainerDependencies({
      container: gate.container,
      condition: ecs.ContainerDependencyCondition.START,
    });
    expect(() => Template.fromStack(stack)).toThrow(/router log-router has a dependsOn/);
  });

  it("defaults to the package's probe Dockerfile as an image asset, synthesized without Docker", () => {
    const app = new App();
    const stack = new Stack(app, "S");
    new LogRouterPreflight(stack, "Gate", { taskDefinition: seedTask(stack) });
    const started = Date.now();
    const assembly = app.synth();
    expect(Date.now() - started).toBeLessThan(15_000);
    const image = JSON.stringify(
      containersOf(Template.fromStack(stack))["log-router-preflight"] as unknown as Record<string, unknown>,
    );
    expect(image).toContain("cdk-hnb659fds-container-assets");
    const manifest = assembly.artifacts.find((a) => a.id.endsWith(".assets"));
    expect(manifest).toBeDefined();
  });
});

describe("PreflightAspect", { timeout: 120_000 }, () => {
  function app(): { stack: Stack; template: () => Template } {
    const stack = new Stack(new App(), "S");
    return { stack, template: () => Template.fromStack(stack) };
  }

  it("gates every task definition with an essential router and ungated FireLens apps, and only those", () => {
    const { stack, template } = app();
    seedTask(stack, "A");
    seedTask(stack, "B");
    const gated = seedTask(stack, "C");
    new LogRouterPreflight(stack, "CGate", { taskDefinition: gated, image: PROBE });
    const awslogsOnly = new ecs.FargateTaskDefinition(stack, "D");
    awslogsOnly.addContainer("web", { image: IMG, logging: ecs.LogDrivers.awsLogs({ streamPrefix: "web" }) });
    const implicit = new ecs.FargateTaskDefinition(stack, "E");
    implicit.addContainer("web", {
      image: IMG,
      logging: ecs.LogDrivers.firelens({ options: { Name: "datadog" } }),
    });
    Aspects.of(stack).add(new PreflightAspect({ image: PROBE, require: "accepted" }), {
      priority: AspectPriority.MUTATING,
    });
    const t = template();
    expect(gateFindings(t).filter((f) => !/ E[0-9A-F]+:/.test(f))).toEqual([]);
    for (const id of ["A", "B", "C"]) {
      const c = containersOf(t, id);
      expect(c.app?.DependsOn, id).toEqual([{ Condition: "SUCCESS", ContainerName: "log-router-preflight" }]);
      expect(c["log-router-preflight"]?.Essential, id).toBe(false);
    }
    expect(containersOf(t, "A")["log-router-preflight"]?.Environment).toContainEqual({
      Name: "FIRELENS_PREFLIGHT_REQUIRE",
      Value: "accepted",
    });
    expect(Object.keys(containersOf(t, "D"))).toEqual(["web"]);
    // CDK adds the implicit router only at synthesis, after Aspects: left alone.
    expect(containersOf(t, "E").web?.DependsOn).toBeUndefined();
  });

  it("extends an existing gate to containers added after it, and is idempotent", () => {
    const { stack, template } = app();
    const task = seedTask(stack);
    new LogRouterPreflight(stack, "Gate", { taskDefinition: task, image: PROBE });
    task.addContainer("late", {
      containerName: "late",
      image: IMG,
      logging: ecs.LogDrivers.firelens({ options: { Name: "datadog" } }),
    });
    Aspects.of(stack).add(new PreflightAspect({ image: PROBE }), { priority: AspectPriority.MUTATING });
    Aspects.of(stack).add(new PreflightAspect({ image: PROBE }), { priority: AspectPriority.MUTATING });
    const c = containersOf(template());
    expect(Object.keys(c).filter((n) => n.includes("preflight"))).toEqual(["log-router-preflight"]);
    expect(c.late?.DependsOn).toEqual([{ Condition: "SUCCESS", ContainerName: "log-router-preflight" }]);
    expect(c.app?.DependsOn).toEqual([{ Condition: "SUCCESS", ContainerName: "log-router-preflight" }]);
  });

  it("waits START, not HEALTHY, on a router that is not essential even with a healthCheck (FLP112)", () => {
    const stack = new Stack(new App(), "S");
    const task = new ecs.FargateTaskDefinition(stack, "Task");
    task.addFirelensLogRouter("log-router", {
      containerName: "log-router",
      image: IMG,
      essential: false,
      healthCheck: { command: ["CMD-SHELL", "exit 0"] },
      firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
    });
    task.addContainer("app", {
      containerName: "app",
      image: IMG,
      logging: ecs.LogDrivers.firelens({ options: { Name: "datadog" } }),
    });
    new LogRouterPreflight(stack, "Gate", { taskDefinition: task, image: PROBE });
    const template = Template.fromStack(stack);
    expect(containersOf(template)["log-router-preflight"]?.DependsOn).toEqual([
      { Condition: "START", ContainerName: "log-router" },
    ]);
    expect(gateFindings(template).filter((f) => f.startsWith("FLP112"))).toEqual([]);
  });

  it("skips a task whose router is not essential", () => {
    const { stack, template } = app();
    const task = new ecs.FargateTaskDefinition(stack, "Task");
    task.addFirelensLogRouter("log-router", {
      image: IMG,
      essential: false,
      firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
    });
    task.addContainer("app", {
      image: IMG,
      logging: ecs.LogDrivers.firelens({ options: { Name: "datadog" } }),
    });
    Aspects.of(stack).add(new PreflightAspect({ image: PROBE }), { priority: AspectPriority.MUTATING });
    expect(Object.keys(containersOf(template()))).toHaveLength(2);
  });
});
