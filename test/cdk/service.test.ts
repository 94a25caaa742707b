import { App, AspectPriority, Aspects, Duration, Stack } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_ROUTER_IMAGE,
  FireLensDatadogFargateService,
  type FireLensDatadogFargateServiceProps,
  MONITORING_CONFIG,
  PreflightAspect,
} from "../../src/cdk/index.js";

const PROBE = ecs.ContainerImage.fromRegistry("example.com/firelens-preflight:test");

function build(props: Partial<FireLensDatadogFargateServiceProps> = {}): {
  stack: Stack;
  system: FireLensDatadogFargateService;
} {
  const stack = new Stack(new App(), "Test");
  const system = new FireLensDatadogFargateService(stack, "Backend", {
    app: { image: ecs.ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx:1.27") },
    datadogApiKeySecret: secretsmanager.Secret.fromSecretNameV2(stack, "Key", "datadog/api-key"),
    preflight: { image: PROBE },
    ...props,
  });
  return { stack, system };
}

function containers(template: Template): Record<string, Record<string, unknown>> {
  const tds = Object.values(template.findResources("AWS::ECS::TaskDefinition"));
  expect(tds).toHaveLength(1);
  const props = (tds[0]?.Properties ?? {}) as { ContainerDefinitions?: Record<string, unknown>[] };
  const defs = props.ContainerDefinitions ?? [];
  return Object.fromEntries(defs.map((d) => [String(d.Name), d]));
}

describe("FireLensDatadogFargateService defaults", { timeout: 120_000 }, () => {
  let template: Template;
  let byName: Record<string, Record<string, unknown>>;
  beforeAll(() => {
    template = Template.fromStack(build().stack);
    byName = containers(template);
  }, 120_000);

  it("has the four containers of the gate, with the right essential flags", () => {
    expect(Object.keys(byName).sort()).toEqual([
      "app",
      "datadog-agent",
      "log-router",
      "log-router-preflight",
    ]);
    expect(byName["log-router"]?.Essential).toBe(true);
    expect(byName["datadog-agent"]?.Essential).toBe(true);
    expect(byName.app?.Essential).toBe(true);
    expect(byName["log-router-preflight"]?.Essential).toBe(false);
  });

  it("runs the router on a pinned aws-for-fluent-bit with the monitoring config and an uptime health check, and no dependsOn", () => {
    expect(DEFAULT_ROUTER_IMAGE).toMatch(/aws-for-fluent-bit:\d+\.\d+\.\d+(\.\d+)?$/);
    template.hasResourceProperties("AWS::ECS::TaskDefinition", {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Name: "log-router",
          Image: DEFAULT_ROUTER_IMAGE,
          FirelensConfiguration: {
            Type: "fluentbit",
            Options: Match.objectLike({ "config-file-type": "file", "config-file-value": MONITORING_CONFIG }),
          },
          HealthCheck: Match.objectLike({
            Command: ["CMD-SHELL", Match.stringLikeRegexp("127\\.0\\.0\\.1:2020/api/v1/uptime")],
          }),
          LogConfiguration: Match.objectLike({ LogDriver: "awslogs" }),
          DependsOn: Match.absent(),
        }),
      ]),
    });
    expect(JSON.stringify(template.toJSON())).not.toContain("/api/v1/health");
  });

  it("wires the gate: app SUCCESS on preflight; preflight HEALTHY on the router and START on the agent", () => {
    expect(byName.app?.DependsOn).toEqual([{ Condition: "SUCCESS", ContainerName: "log-router-preflight" }]);
    expect(byName["log-router-preflight"]?.DependsOn).toEqual([
      { Condition: "HEALTHY", ContainerName: "log-router" },
      { Condition: "START", ContainerName: "datadog-agent" },
    ]);
    expect(byName["log-router-preflight"]?.Environment).toEqual([
      { Name: "FIRELENS_PREFLIGHT_CONTAINERS", Value: "app" },
      { Name: "FIRELENS_PREFLIGHT_MONITOR", Value: "http://127.0.0.1:2020" },
      { Name: "FIRELENS_PREFLIGHT_REQUIRE", Value: "flushed" },
      { Name: "FIRELENS_PREFLIGHT_DEADLINE", Value: "60s" },
      { Name: "FIRELENS_PREFLIGHT_RECORDS", Value: "3" },
    ]);
    expect(byName["log-router-preflight"]?.MemoryReservation).toBe(32);
    expect(byName["log-router-preflight"]?.LogConfiguration).toEqual(byName.app?.LogConfiguration);
  });

  it("sends app logs to Datadog through FireLens with the API key from Secrets Manager, never in plain text", () => {
    template.hasResourceProperties("AWS::ECS::TaskDefinition", {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Name: "datadog-agent",
          Secrets: [{ Name: "DD_API_KEY", ValueFrom: Match.anyValue() }],
        }),
        Match.objectLike({
          Name: "app",
          PortMappings: [{ ContainerPort: 80, Protocol: "tcp" }],
          LogConfiguration: {
            LogDriver: "awsfirelens",
            Options: Match.objectLike({ Name: "datadog", Host: "http-intake.logs.datadoghq.com", TLS: "on" }),
            SecretOptions: [{ Name: "apikey", ValueFrom: Match.anyValue() }],
          },
        }),
      ]),
    });
    for (const def of Object.values(byName)) {
      const options =
        (def.LogConfiguration as { Options?: Record<string, unknown> } | undefined)?.Options ?? {};
      expect(Object.keys(options).map((k) => k.toLowerCase())).not.toContain("apikey");
      const env = (def.Environment as { Name: string }[] | undefined) ?? [];
      expect(env.map((e) => e.Name)).not.toContain("DD_API_KEY");
    }
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(["secretsmanager:GetSecretValue"]) }),
        ]),
      },
    });
  });

  it("turns on the circuit breaker with rollback", () => {
    template.hasResourceProperties("AWS::ECS::Service", {
      LaunchType: "FARGATE",
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      }),
      HealthCheckGracePeriodSeconds: 120,
      LoadBalancers: [Match.objectLike({ ContainerName: "app", ContainerPort: 80 })],
    });
  });

  it("puts the app behind an ALB with a target health check", () => {
    template.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 1);
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", {
      Scheme: "internet-facing",
    });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", { Port: 80, Protocol: "HTTP" });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", {
      HealthCheckPath: "/",
      HealthCheckIntervalSeconds: 15,
      HealthyThresholdCount: 2,
      TargetType: "ip",
    });
  });

  it("sizes the task for a Fargate combination", () => {
    template.hasResourceProperties("AWS::ECS::TaskDefinition", {
      Cpu: "512",
      Memory: "1024",
      RequiresCompatibilities: ["FARGATE"],
      NetworkMode: "awsvpc",
    });
  });
});

describe("FireLensDatadogFargateService overrides", { timeout: 120_000 }, () => {
  it("without router monitoring: no config file, no health check, preflight waits for START and skips the monitor", () => {
    const byName = containers(Template.fromStack(build({ routerMonitoring: false }).stack));
    expect(byName["log-router"]?.HealthCheck).toBeUndefined();
    expect(byName["log-router"]?.FirelensConfiguration).toEqual({
      Type: "fluentbit",
      Options: { "enable-ecs-log-metadata": "true" },
    });
    expect(byName["log-router-preflight"]?.DependsOn).toEqual([
      { Condition: "START", ContainerName: "log-router" },
      { Condition: "START", ContainerName: "datadog-agent" },
    ]);
    const env = byName["log-router-preflight"]?.Environment as { Name: string; Value: string }[];
    expect(env).toContainEqual({ Name: "FIRELENS_PREFLIGHT_MONITOR", Value: "off" });
    expect(env).toContainEqual({ Name: "FIRELENS_PREFLIGHT_REQUIRE", Value: "auto" });
  });

  it("gates sidecars too, and takes custom names, site, tags and sizes", () => {
    const { stack, system } = build({
      app: {
        image: PROBE,
        containerName: "web",
        containerPort: 8080,
        ddSource: "go",
        logOptions: { retry_limit: "5" },
      },
      sidecars: [{ image: PROBE, containerName: "worker" }],
      routerContainerName: "router",
      agentContainerName: "dd-agent",
      datadogSite: "datadoghq.eu",
      datadogTags: "env:test",
      cpu: 1024,
      memoryLimitMiB: 2048,
      preflight: { image: PROBE, containerName: "gate", records: 5, deadline: Duration.seconds(30) },
    });
    expect(system.preflight.gatedContainerNames).toEqual(["web", "worker"]);
    const byName = containers(Template.fromStack(stack));
    expect(byName.worker?.DependsOn).toEqual([{ Condition: "SUCCESS", ContainerName: "gate" }]);
    expect(byName.web?.LogConfiguration).toMatchObject({
      Options: {
        Host: "http-intake.logs.datadoghq.eu",
        dd_service: "web",
        dd_source: "go",
        dd_tags: "env:test",
        retry_limit: "5",
      },
    });
    expect(byName.gate?.DependsOn).toEqual([
      { Condition: "HEALTHY", ContainerName: "router" },
      { Condition: "START", ContainerName: "dd-agent" },
    ]);
    expect(byName.gate?.Environment).toContainEqual({
      Name: "FIRELENS_PREFLIGHT_CONTAINERS",
      Value: "web,worker",
    });
    expect(byName.gate?.Environment).toContainEqual({ Name: "FIRELENS_PREFLIGHT_DEADLINE", Value: "30s" });
    Template.fromStack(stack).hasResourceProperties("AWS::ECS::Service", {
      HealthCheckGracePeriodSeconds: 90,
    });
  });

  it("is left alone by PreflightAspect: it is gated already", () => {
    const { stack } = build();
    Aspects.of(stack).add(new PreflightAspect({ image: PROBE }), { priority: AspectPriority.MUTATING });
    const names = Object.keys(containers(Template.fromStack(stack)));
    expect(names.filter((n) => n.includes("preflight"))).toEqual(["log-router-preflight"]);
  });

  it.each([ecs.DeploymentControllerType.CODE_DEPLOY, ecs.DeploymentControllerType.EXTERNAL])(
    "writes no circuit breaker for a %s deployment controller, which it does not apply to",
    (type) => {
      const { stack } = build({ deploymentController: { type } });
      const template = Template.fromStack(stack);
      const services = Object.values(template.findResources("AWS::ECS::Service"));
      expect(services).toHaveLength(1);
      const props = services[0]?.Properties as {
        DeploymentController?: { Type?: string };
        DeploymentConfiguration?: Record<string, unknown>;
      };
      expect(props.DeploymentController?.Type).toBe(type);
      expect(props.DeploymentConfiguration).toBeDefined();
      expect(props.DeploymentConfiguration).not.toHaveProperty("DeploymentCircuitBreaker");
      // aws-cdk-lib reports a circuit breaker under another controller as an error annotation.
      const errors = Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("circuit breaker"));
      expect(errors).toEqual([]);
    },
  );

  it("keeps an explicit circuitBreaker.enable: false under a CODE_DEPLOY controller", () => {
    const { stack } = build({
      deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
      circuitBreaker: { enable: false },
    });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain("DeploymentCircuitBreaker");
  });

  it.each([
    [
      { sidecars: [{ image: PROBE, containerName: "app" }] },
      /sidecars\[0\]\.containerName: "app" is already used/,
    ],
    [{ sidecars: [{ image: PROBE }] }, /sidecars\[0\]\.containerName: a container name is required/],
    [{ routerContainerName: "app" }, /routerContainerName: "app" is already used by app\.containerName/],
    [{ app: { image: PROBE, essential: false } }, /app\.essential: false/],
    [
      { routerMonitoring: false, preflight: { image: PROBE, require: "flushed" as const } },
      /preflight\.require/,
    ],
    [{ circuitBreaker: { enable: false } }, /circuitBreaker\.enable/],
    [{ cluster: {} as never, vpc: {} as never }, /vpc: pass either cluster or vpc/],
    [
      {
        deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
        circuitBreaker: { rollback: true },
      },
      /circuitBreaker: the deployment circuit breaker applies to the ECS \(rolling update\) deployment controller only, not CODE_DEPLOY/,
    ],
    [{ datadogSite: "https://datadoghq.com/" }, /datadogSite/],
    [
      { preflight: { image: PROBE, records: 0 } },
      /records: 0 must be an integer from 1 to 1000 \(at Test\/Backend\/Preflight\)/,
    ],
  ] as const)("rejects bad props %#", (props, message) => {
    expect(() => build(props as Partial<FireLensDatadogFargateServiceProps>)).toThrow(message);
  });
});
