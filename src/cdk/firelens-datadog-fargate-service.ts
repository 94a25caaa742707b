import { Duration, RemovalPolicy, Token } from "aws-cdk-lib";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as ecsPatterns from "aws-cdk-lib/aws-ecs-patterns";
import type * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import type * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import {
  PREFLIGHT_CONTAINER_NAME,
  ROUTER_HEALTH_CHECK,
  ROUTER_MONITORING_CONFIG,
} from "../probe/contract.js";
import { FireLensPreflightError } from "./errors.js";
import { LogRouterPreflight, type PreflightOptions } from "./log-router-preflight.js";

/**
 * Pinned router image: aws-for-fluent-bit 3.2.1 (Fluent Bit 4.2.2, Amazon Linux 2023), the current line since
 * 2.x reached its end of life (2026-06-30). It ships the built-in monitoring config (`ROUTER_MONITORING_CONFIG`),
 * and no crash bug in our catalogue is reachable with it: the open in_forward SIGSEGV (fluent-bit#11113)
 * needs a custom config that sets Mem_Buf_Limit below Buffer_Max_Size, and the built-in monitoring config
 * holds only [SERVICE] settings (fluent-bit#11113; aws-for-fluent-bit's CHANGELOG).
 */
export const DEFAULT_ROUTER_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1";
/** Built-in config that turns on the monitoring server on port 2020 (aws-for-fluent-bit >= 2.29.1). */
export const MONITORING_CONFIG = ROUTER_MONITORING_CONFIG;
/** Datadog Agent 7 from the Amazon ECR Public Gallery (no Docker Hub pull limits); a major tag, pin a full version in production. */
export const DEFAULT_AGENT_IMAGE = "public.ecr.aws/datadog/agent:7";

/** The router health check the gate recommends (the probe's contract), as a CDK health check. */
export function uptimeHealthCheck(): ecs.HealthCheck {
  return {
    command: [...ROUTER_HEALTH_CHECK.command],
    interval: Duration.seconds(ROUTER_HEALTH_CHECK.interval),
    timeout: Duration.seconds(ROUTER_HEALTH_CHECK.timeout),
    retries: ROUTER_HEALTH_CHECK.retries,
    startPeriod: Duration.seconds(ROUTER_HEALTH_CHECK.startPeriod),
  };
}

/** An app container logging to Datadog through FireLens. */
export interface FireLensAppContainerOptions extends Omit<ecs.ContainerDefinitionOptions, "logging"> {
  /** @default "app" for the main container; required for sidecars */
  readonly containerName?: string;
  /** Port the load balancer sends traffic to (main container only). @default 80 */
  readonly containerPort?: number;
  /** Datadog `service`. @default - the container name */
  readonly ddService?: string;
  /** Datadog `source`. @default - not set */
  readonly ddSource?: string;
  /** Extra options for this container's Datadog output; they win over the generated ones. @default - none */
  readonly logOptions?: Readonly<Record<string, string>>;
  /**
   * Log driver for this container instead of the Datadog output. A container that does not log through
   * `awsfirelens` is not gated.
   * @default - FireLens to Datadog
   */
  readonly logging?: ecs.LogDriver;
}

export interface FireLensDatadogFargateServiceProps
  extends Omit<
    ecsPatterns.ApplicationLoadBalancedFargateServiceProps,
    "taskImageOptions" | "taskDefinition" | "healthCheck" | "containerCpu" | "containerMemoryLimitMiB"
  > {
  /** The service's main container; the load balancer routes to its `containerPort`. */
  readonly app: FireLensAppContainerOptions;
  /** More containers logging through FireLens, gated like the app. @default - none */
  readonly sidecars?: FireLensAppContainerOptions[];
  /** Secrets Manager secret holding the Datadog API key. Never passed as plain text. */
  readonly datadogApiKeySecret: secretsmanager.ISecret;
  /** JSON field of the secret holding the key. @default - the whole secret string */
  readonly datadogApiKeySecretField?: string;
  /** Datadog site. @default "datadoghq.com" */
  readonly datadogSite?: string;
  /** `dd_tags` for every container's logs (`key:value,…`). @default - none */
  readonly datadogTags?: string;
  /** @default ContainerImage.fromRegistry("public.ecr.aws/datadog/agent:7") */
  readonly agentImage?: ecs.ContainerImage;
  /** @default "datadog-agent" */
  readonly agentContainerName?: string;
  /** Extra Agent environment. @default - `ECS_FARGATE=true` and `DD_SITE` only */
  readonly agentEnvironment?: Readonly<Record<string, string>>;
  /** @default 256 (Datadog's recommended Agent memory on Fargate) */
  readonly agentMemoryReservationMiB?: number;
  /** @default ContainerImage.fromRegistry("public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1") */
  readonly routerImage?: ecs.ContainerImage;
  /** @default "log-router" */
  readonly routerContainerName?: string;
  /**
   * Load the built-in monitoring config `ROUTER_MONITORING_CONFIG` (monitoring server on :2020, needed for the
   * probe's `flushed` level and the uptime health check). Turn off for router images older than 2.29.1.
   * @default true
   */
  readonly routerMonitoring?: boolean;
  /** @default - the uptime check (`/api/v1/uptime`) when `routerMonitoring`, else none */
  readonly routerHealthCheck?: ecs.HealthCheck;
  /** @default 50 (what CDK gives its implicit router) */
  readonly routerMemoryReservationMiB?: number;
  /** Retention of the router's own CloudWatch log group. @default logs.RetentionDays.ONE_MONTH */
  readonly routerLogRetention?: logs.RetentionDays;
  /** @default - `require: "flushed"` when `routerMonitoring`, else the probe's `auto` */
  readonly preflight?: PreflightOptions;
  /** Target group health check. @default - `path: "/"`, interval 15 s, healthy after 2 checks */
  readonly targetHealthCheck?: elbv2.HealthCheck;
  /** @default - a new cluster with Container Insights, in `vpc` (or a new 2-AZ VPC) */
  readonly cluster?: ecs.ICluster;
  /** @default 512 */
  readonly cpu?: number;
  /** @default 1024 */
  readonly memoryLimitMiB?: number;
  /**
   * @default { enable: true, rollback: true } with the rolling (ECS) deployment controller - a task held back by
   * the gate counts as a failed launch; none with a `CODE_DEPLOY` or `EXTERNAL` controller, where the circuit
   * breaker does not apply (aws-cdk-lib refuses it there)
   */
  readonly circuitBreaker?: ecs.DeploymentCircuitBreaker;
  /** @default 100 */
  readonly minHealthyPercent?: number;
  /**
   * @default - the probe's deadline plus 60 s (120 s with the default deadline): ECS may health-check the target
   * while the gate still holds the app back
   */
  readonly healthCheckGracePeriod?: Duration;
  /** @default 200 */
  readonly maxHealthyPercent?: number;
  /** @default - CDK generates one */
  readonly family?: string;
  /** @default - CDK creates one */
  readonly executionRole?: iam.IRole;
  /** @default - CDK creates one */
  readonly taskRole?: iam.IRole;
}

type DatadogDriver = (container: string, options: FireLensAppContainerOptions | undefined) => ecs.LogDriver;

/** Each container's own Datadog output through FireLens, the API key from Secrets Manager. */
function datadogLogDriver(
  props: FireLensDatadogFargateServiceProps,
  site: string,
  apiKey: ecs.Secret,
): DatadogDriver {
  return (container, options) =>
    new ecs.FireLensLogDriver({
      options: {
        Name: "datadog",
        Host: `http-intake.logs.${site}`,
        TLS: "on",
        compress: "gzip",
        provider: "ecs",
        dd_message_key: "log",
        dd_service: options?.ddService ?? container,
        ...(options?.ddSource === undefined ? {} : { dd_source: options.ddSource }),
        ...(props.datadogTags === undefined ? {} : { dd_tags: props.datadogTags }),
        ...options?.logOptions,
      },
      secretOptions: { apikey: apiKey },
    });
}

/** Only the pattern's own props go through, so ours can never collide with one it adds later. */
/**
 * A rolling update, the only deployment the circuit breaker watches: no controller (ECS's default) or the ECS
 * one. `CODE_DEPLOY` and `EXTERNAL` deployments have no circuit breaker.
 */
function rollingDeployment(props: FireLensDatadogFargateServiceProps): boolean {
  const type = props.deploymentController?.type;
  return type === undefined || type === ecs.DeploymentControllerType.ECS;
}

function patternProps(
  props: FireLensDatadogFargateServiceProps,
): ecsPatterns.ApplicationLoadBalancedFargateServiceProps {
  const {
    app: _app,
    sidecars: _sidecars,
    datadogApiKeySecret: _secret,
    datadogApiKeySecretField: _field,
    datadogSite: _site,
    datadogTags: _tags,
    agentImage: _agentImage,
    agentContainerName: _agentName,
    agentEnvironment: _agentEnv,
    agentMemoryReservationMiB: _agentMemory,
    routerImage: _routerImage,
    routerContainerName: _routerName,
    routerMonitoring: _monitoring,
    routerHealthCheck: _routerHealthCheck,
    routerMemoryReservationMiB: _routerMemory,
    routerLogRetention: _retention,
    preflight: _preflight,
    targetHealthCheck: _targetHealthCheck,
    family: _family,
    executionRole: _executionRole,
    taskRole: _taskRole,
    ...rest
  } = props;
  return rest;
}

/**
 * The seed's system as one construct: an ALB in front of a Fargate service (circuit breaker with rollback),
 * a FireLens router on a pinned aws-for-fluent-bit with its monitoring server and an uptime health check,
 * the Datadog Agent with its API key from Secrets Manager, the app container(s) logging to Datadog through
 * FireLens, and the preflight gate holding them back until the log path is verified.
 */
export class FireLensDatadogFargateService extends Construct {
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly cluster: ecs.ICluster;
  readonly appContainer: ecs.ContainerDefinition;
  readonly sidecarContainers: ecs.ContainerDefinition[];
  readonly logRouter: ecs.FirelensLogRouter;
  readonly agentContainer: ecs.ContainerDefinition;
  readonly preflight: LogRouterPreflight;
  /** The ECS-patterns construct underneath, for anything not surfaced here. */
  readonly pattern: ecsPatterns.ApplicationLoadBalancedFargateService;

  constructor(scope: Construct, id: string, props: FireLensDatadogFargateServiceProps) {
    super(scope, id);
    const appName = props.app.containerName ?? "app";
    const routerName = props.routerContainerName ?? "log-router";
    const agentName = props.agentContainerName ?? "datadog-agent";
    const monitoring = props.routerMonitoring ?? true;
    const site = props.datadogSite ?? "datadoghq.com";
    this.validate(props, appName, routerName, agentName, monitoring, site);

    const apiKey = ecs.Secret.fromSecretsManager(props.datadogApiKeySecret, props.datadogApiKeySecretField);
    const datadog = datadogLogDriver(props, site, apiKey);
    this.taskDefinition = new ecs.FargateTaskDefinition(this, "TaskDefinition", {
      cpu: props.cpu ?? 512,
      memoryLimitMiB: props.memoryLimitMiB ?? 1024,
      runtimePlatform: props.runtimePlatform,
      ephemeralStorageGiB: props.ephemeralStorageGiB,
      family: props.family,
      executionRole: props.executionRole,
      taskRole: props.taskRole,
    });
    this.logRouter = this.addRouter(props, routerName, monitoring);
    this.agentContainer = this.addAgent(props, agentName, site, apiKey, datadog);
    this.appContainer = this.addApp(appName, props.app, datadog, true);
    this.sidecarContainers = (props.sidecars ?? []).map((s) =>
      this.addApp(s.containerName ?? "", s, datadog, false),
    );
    // The ALB pattern routes to the default container; the router was added first and would otherwise be it.
    this.taskDefinition.defaultContainer = this.appContainer;

    this.preflight = new LogRouterPreflight(this, "Preflight", {
      require: monitoring ? "flushed" : undefined,
      monitor: monitoring ? undefined : "off",
      ...props.preflight,
      taskDefinition: this.taskDefinition,
      router: this.logRouter,
      agent: this.agentContainer,
    });
    this.pattern = this.addService(props);
    this.service = this.pattern.service;
    this.loadBalancer = this.pattern.loadBalancer;
    this.listener = this.pattern.listener;
    this.targetGroup = this.pattern.targetGroup;
    this.cluster = this.pattern.cluster;
  }

  private addRouter(
    props: FireLensDatadogFargateServiceProps,
    routerName: string,
    monitoring: boolean,
  ): ecs.FirelensLogRouter {
    return this.taskDefinition.addFirelensLogRouter(routerName, {
      containerName: routerName,
      image: props.routerImage ?? ecs.ContainerImage.fromRegistry(DEFAULT_ROUTER_IMAGE),
      essential: true,
      memoryReservationMiB: props.routerMemoryReservationMiB ?? 50,
      firelensConfig: {
        type: ecs.FirelensLogRouterType.FLUENTBIT,
        options: monitoring
          ? {
              enableECSLogMetadata: true,
              configFileType: ecs.FirelensConfigFileType.FILE,
              configFileValue: MONITORING_CONFIG,
            }
          : { enableECSLogMetadata: true },
      },
      healthCheck: props.routerHealthCheck ?? (monitoring ? uptimeHealthCheck() : undefined),
      // The router cannot ship its own logs; they go to CloudWatch so a crash leaves a trace.
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: "firelens",
        logGroup: new logs.LogGroup(this, "RouterLogs", {
          retention: props.routerLogRetention ?? logs.RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
      }),
    });
  }

  private addAgent(
    props: FireLensDatadogFargateServiceProps,
    agentName: string,
    site: string,
    apiKey: ecs.Secret,
    datadog: DatadogDriver,
  ): ecs.ContainerDefinition {
    return this.taskDefinition.addContainer(agentName, {
      containerName: agentName,
      image: props.agentImage ?? ecs.ContainerImage.fromRegistry(DEFAULT_AGENT_IMAGE),
      essential: true,
      memoryReservationMiB: props.agentMemoryReservationMiB ?? 256,
      environment: { ECS_FARGATE: "true", DD_SITE: site, ...props.agentEnvironment },
      secrets: { DD_API_KEY: apiKey },
      healthCheck: {
        command: ["CMD-SHELL", "agent health"],
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(15),
      },
      logging: datadog(agentName, undefined),
    });
  }

  private addService(
    props: FireLensDatadogFargateServiceProps,
  ): ecsPatterns.ApplicationLoadBalancedFargateService {
    // ECS starts health-checking the target while the gate still holds the app back: the grace period covers
    // the router's start, the probe's whole deadline and the app's start, so a slow gate is not read as a dead app.
    const deadline = props.preflight?.deadline ?? Duration.seconds(60);
    const healthCheckGracePeriod =
      props.healthCheckGracePeriod ??
      (deadline.isUnresolved()
        ? Duration.seconds(120)
        : Duration.seconds(deadline.toSeconds({ integral: false }) + 60));
    // Our own cluster rather than the pattern's stack-wide default, so Container Insights is on (the deploy's
    // task failures and restarts are what an operator looks at when the gate holds a deployment back).
    const cluster =
      props.cluster ??
      new ecs.Cluster(this, "Cluster", {
        vpc: props.vpc,
        containerInsightsV2: ecs.ContainerInsights.ENABLED,
      });
    const pattern = new ecsPatterns.ApplicationLoadBalancedFargateService(this, "Service", {
      ...patternProps(props),
      cluster,
      vpc: undefined,
      taskDefinition: this.taskDefinition,
      circuitBreaker: rollingDeployment(props)
        ? (props.circuitBreaker ?? { enable: true, rollback: true })
        : undefined,
      healthCheckGracePeriod,
      minHealthyPercent: props.minHealthyPercent ?? 100,
      maxHealthyPercent: props.maxHealthyPercent ?? 200,
    });
    pattern.targetGroup.configureHealthCheck(
      props.targetHealthCheck ?? { path: "/", interval: Duration.seconds(15), healthyThresholdCount: 2 },
    );
    return pattern;
  }

  private addApp(
    name: string,
    options: FireLensAppContainerOptions,
    datadog: DatadogDriver,
    main: boolean,
  ): ecs.ContainerDefinition {
    const { containerPort, ddService: _s, ddSource: _so, logOptions: _lo, ...containerOptions } = options;
    const port = containerPort ?? (main ? 80 : undefined);
    return this.taskDefinition.addContainer(name, {
      ...containerOptions,
      containerName: name,
      logging: options.logging ?? datadog(name, options),
      portMappings:
        options.portMappings ??
        (port === undefined ? undefined : [{ containerPort: port, protocol: ecs.Protocol.TCP }]),
    });
  }

  private validate(
    props: FireLensDatadogFargateServiceProps,
    appName: string,
    routerName: string,
    agentName: string,
    monitoring: boolean,
    site: string,
  ): void {
    const preflightName = props.preflight?.containerName ?? PREFLIGHT_CONTAINER_NAME;
    const names = [
      ["app.containerName", appName],
      ...(props.sidecars ?? []).map(
        (s, i) => [`sidecars[${i}].containerName`, s.containerName ?? ""] as const,
      ),
      ["routerContainerName", routerName],
      ["agentContainerName", agentName],
      ["preflight.containerName", preflightName],
    ] as const;
    const seen = new Map<string, string>();
    for (const [prop, name] of names) {
      if (name === "") throw new FireLensPreflightError(`${prop}: a container name is required`, this);
      const before = seen.get(name);
      if (before !== undefined) {
        throw new FireLensPreflightError(
          `${prop}: "${name}" is already used by ${before}; names must be unique`,
          this,
        );
      }
      seen.set(name, prop);
    }
    if (props.cluster !== undefined && props.vpc !== undefined) {
      throw new FireLensPreflightError(
        "vpc: pass either cluster or vpc; a cluster already has its VPC",
        this,
      );
    }
    if (props.app.essential === false) {
      throw new FireLensPreflightError(
        "app.essential: false would let the task run without its app; the gate relies on the app being essential",
        this,
      );
    }
    if (!monitoring && props.preflight?.require === "flushed") {
      throw new FireLensPreflightError(
        'preflight.require: "flushed" needs the router\'s monitoring server; set routerMonitoring: true or require "accepted"',
        this,
      );
    }
    if (!Token.isUnresolved(site) && !/^[a-z0-9.-]+$/.test(site)) {
      throw new FireLensPreflightError(
        `datadogSite: "${site}" is not a Datadog site such as "datadoghq.eu"`,
        this,
      );
    }
    if (!rollingDeployment(props)) {
      // The ECS API applies deploymentCircuitBreaker to the rolling update (ECS controller) only, and
      // aws-cdk-lib's BaseService reports "Deployment circuit breaker requires the ECS deployment controller".
      if (props.circuitBreaker !== undefined && props.circuitBreaker.enable !== false) {
        throw new FireLensPreflightError(
          `circuitBreaker: the deployment circuit breaker applies to the ECS (rolling update) deployment controller only, not ${props.deploymentController?.type}; drop circuitBreaker (the ${props.deploymentController?.type} deployment decides what a task the gate stops does to the rollout)`,
          this,
        );
      }
    } else if (props.circuitBreaker?.enable === false) {
      throw new FireLensPreflightError(
        "circuitBreaker.enable: false leaves a deployment whose tasks the gate keeps stopping retrying forever; keep it on",
        this,
      );
    }
  }
}
