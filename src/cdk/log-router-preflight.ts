import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Duration, IgnoreMode, Stack, Token } from "aws-cdk-lib";
import { Platform } from "aws-cdk-lib/aws-ecr-assets";
import * as ecs from "aws-cdk-lib/aws-ecs";
import { Construct, type IConstruct } from "constructs";
import { GateContainerError, type GateContainerOptions, gateContainer } from "../model/index.js";
import { packageRoot } from "../package-info.js";
import { PREFLIGHT_CONTAINER_NAME, PROBE_SETTINGS, type RequireLevel } from "../probe/contract.js";
import { dependsOnCondition, probeDuration, readCdkTask, routerOf } from "./containers.js";
import { FireLensPreflightError } from "./errors.js";

/** Root of the installed package (the repository, or `node_modules/firelens-preflight`): it holds the probe's Dockerfile. */
export const PACKAGE_ROOT = packageRoot();

/**
 * What the probe's Dockerfile reads from its build context: only the prebuilt bundle, which ships in the
 * npm package and which `npm ci` builds in the repository. Everything else is excluded, so staging stays
 * small and the asset hash (hence a rebuild on deploy) only moves when the probe itself changes.
 */
export const PROBE_BUILD_CONTEXT: readonly string[] = ["Dockerfile", ".dockerignore", "dist/probe.mjs"];

export interface DefaultProbeImageOptions {
  /**
   * CPU architecture the image is built for: the task's `runtimePlatform.cpuArchitecture`. Never the
   * machine running `cdk deploy`, which may differ (an arm64 laptop deploying an X86_64 service).
   * @default ecs.CpuArchitecture.X86_64 - what ECS runs a task on when its runtimePlatform is unset
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
}

/** Docker platforms of the architectures Fargate and ECS on EC2 run Linux tasks on. */
const PLATFORMS: Readonly<Record<string, Platform>> = {
  X86_64: Platform.LINUX_AMD64,
  ARM64: Platform.LINUX_ARM64,
};

/**
 * The probe image built from this package's own Dockerfile, for one CPU architecture. Synthesis only stages
 * and hashes the files (no Docker); the image is built when the asset is published (`cdk deploy`), with
 * `docker build --platform`. Throws when the build context is incomplete (the bundle was never built),
 * rather than failing later at `docker build`.
 */
export function defaultProbeImage(
  scope?: IConstruct,
  options: DefaultProbeImageOptions = {},
): ecs.ContainerImage {
  const fail = (message: string): never => {
    throw scope === undefined ? new Error(message) : new FireLensPreflightError(message, scope);
  };
  const missing = PROBE_BUILD_CONTEXT.filter((p) => !existsSync(join(PACKAGE_ROOT, p)));
  if (missing.length > 0) {
    fail(
      `the probe image cannot be built from ${PACKAGE_ROOT}: ${missing.join(", ")} missing (run \`npm run build\`), or pass a published probe image as \`image\``,
    );
  }
  const architecture = options.cpuArchitecture?._cpuArchitecture ?? "X86_64";
  const platform =
    PLATFORMS[architecture] ??
    fail(
      `cpuArchitecture ${architecture}: the probe image is built for X86_64 or ARM64 only; pass a probe image built for it as \`image\``,
    );
  return ecs.ContainerImage.fromAsset(PACKAGE_ROOT, {
    file: "Dockerfile",
    ignoreMode: IgnoreMode.DOCKER,
    exclude: ["*", ...PROBE_BUILD_CONTEXT.map((p) => `!${p}`)],
    platform,
  });
}

/**
 * The CPU architecture a task definition runs on, as configured: the L2 getter where aws-cdk-lib has it,
 * else the L1 property it renders. Undefined when unset (ECS then runs X86_64).
 */
export function taskCpuArchitecture(
  taskDefinition: ecs.TaskDefinition,
  scope: IConstruct,
): ecs.CpuArchitecture | undefined {
  const fromL2 = (taskDefinition as { runtimePlatform?: ecs.RuntimePlatform }).runtimePlatform;
  if (fromL2 !== undefined) return fromL2.cpuArchitecture;
  const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition | undefined;
  const rendered =
    cfn?.runtimePlatform === undefined ? undefined : Stack.of(taskDefinition).resolve(cfn.runtimePlatform);
  const value = (rendered as { cpuArchitecture?: unknown } | undefined)?.cpuArchitecture;
  if (value === undefined) return undefined;
  if (typeof value !== "string" || Token.isUnresolved(value)) {
    throw new FireLensPreflightError(
      `taskDefinition: ${taskDefinition.node.path} has a runtimePlatform.cpuArchitecture known only at deploy time, so the probe image's platform cannot be chosen; pass a multi-arch probe image as \`image\``,
      scope,
    );
  }
  return ecs.CpuArchitecture.of(value);
}

/** Probe options shared by the construct, the Aspect and the service construct. */
export interface PreflightOptions {
  /**
   * Image of the probe container.
   * @default - built from this package's `Dockerfile` as a CDK Docker image asset (synth needs no Docker)
   */
  readonly image?: ecs.ContainerImage;
  /** @default PREFLIGHT_CONTAINER_NAME, the seed's name */
  readonly containerName?: string;
  /**
   * Lowest verification level that opens the gate.
   * @default "auto" - `flushed` when the router's monitoring server answers, else `accepted`
   */
  readonly require?: RequireLevel;
  /**
   * Hard limit for the whole probe run, from 100 ms to 24 h: the probe refuses others, and would exit 2 in every task.
   * @default Duration.seconds(60)
   */
  readonly deadline?: Duration;
  /** Records sent per gated container. @default 3 */
  readonly records?: number;
  /**
   * Fluent Bit monitoring server, or `"off"`.
   * @default DEFAULT_MONITOR_URL, the port the built-in monitoring config `ROUTER_MONITORING_CONFIG` opens
   */
  readonly monitor?: string;
  /** The router's forward TCP port. @default 24224 (what FireLens generates) */
  readonly forwardPort?: number;
  /** CPU units. @default 32 - it runs before the app starts, so a share is all it needs */
  readonly cpu?: number;
  /** Soft memory reservation in MiB (no hard limit is set). @default 32 */
  readonly memoryReservationMiB?: number;
  /**
   * The probe's own log driver.
   * @default - the log configuration of the first gated container, so the probe's output travels the same FireLens output
   */
  readonly logging?: ecs.LogDriver;
}

export interface LogRouterPreflightProps extends PreflightOptions {
  /** Task definition to gate. It must already hold its FireLens router (`addFirelensLogRouter`). */
  readonly taskDefinition: ecs.TaskDefinition;
  /**
   * Containers held back until the probe succeeds.
   * @default - every essential container that logs through `awsfirelens`, except the router and the agent
   */
  readonly gate?: ecs.ContainerDefinition[];
  /** The FireLens router. @default - the task definition's `FirelensLogRouter` */
  readonly router?: ecs.FirelensLogRouter;
  /**
   * The Datadog Agent container the probe waits for (START).
   * @default - the container whose image is `datadog/agent` or that is named `datadog-agent` / `dd-agent`, if any
   */
  readonly agent?: ecs.ContainerDefinition;
}

/** Reuses a container's already-bound log configuration (its secret grants were made when it was bound). */
class BoundLogDriver extends ecs.LogDriver {
  constructor(private readonly config: ecs.LogDriverConfig) {
    super();
  }
  bind(): ecs.LogDriverConfig {
    return this.config;
  }
}

const registry = new WeakMap<ecs.TaskDefinition, LogRouterPreflight>();

/**
 * The preflight gate on an existing task definition (README, "The gate"): a non-essential probe container that
 * depends on the router (START, or HEALTHY when it has a healthCheck) and on the Datadog Agent (START), and
 * every gated container depending on the probe with SUCCESS. A failed probe therefore stops the task before the
 * app listens, so the load balancer never routes to a task whose log path is broken.
 */
export class LogRouterPreflight extends Construct {
  /** The gate already on a task definition, if any. */
  static of(taskDefinition: ecs.TaskDefinition): LogRouterPreflight | undefined {
    return registry.get(taskDefinition);
  }

  /** The probe container. */
  readonly container: ecs.ContainerDefinition;
  readonly router: ecs.FirelensLogRouter;
  readonly agent: ecs.ContainerDefinition | undefined;
  readonly taskDefinition: ecs.TaskDefinition;
  private readonly gatedContainers: ecs.ContainerDefinition[] = [];
  /** Only a defaulted gate promises "every essential awsfirelens container"; an explicit one is the user's choice. */
  private readonly gateDefaulted: boolean;

  constructor(scope: Construct, id: string, props: LogRouterPreflightProps) {
    super(scope, id);
    const { taskDefinition } = props;
    if (registry.has(taskDefinition)) {
      throw new FireLensPreflightError(
        `taskDefinition: ${taskDefinition.node.path} already has a LogRouterPreflight; use LogRouterPreflight.of(taskDefinition).gate(...) to gate more containers`,
        this,
      );
    }
    const router = props.router ?? routerOf(taskDefinition);
    if (router === undefined) {
      throw new FireLensPreflightError(
        `taskDefinition: ${taskDefinition.node.path} has no FireLens router; add it with taskDefinition.addFirelensLogRouter() before the gate (the router CDK adds implicitly appears only at synthesis, too late to wire)`,
        this,
      );
    }
    if (router.taskDefinition !== taskDefinition) {
      throw new FireLensPreflightError(
        `router: ${router.containerName} belongs to another task definition`,
        this,
      );
    }
    if (router.containerDependencies.length > 0) {
      throw new FireLensPreflightError(
        `router: ${router.containerName} has a dependsOn; remove it, because the ECS agent then drops the implicit START dependency of every awsfirelens container on the router`,
        this,
      );
    }
    const containerName = props.containerName ?? PREFLIGHT_CONTAINER_NAME;
    const task = readCdkTask(taskDefinition);
    const modelAgent = task.of(task.reading.agent);
    const agent = props.agent ?? (modelAgent?.containerName === containerName ? undefined : modelAgent);
    const gate =
      props.gate ??
      task.reading.apps
        .filter((a) => a.essential === true)
        .map((a) => task.of(a))
        .filter((c): c is ecs.ContainerDefinition => c !== undefined && c !== router && c !== agent);
    if (gate.length === 0) {
      throw new FireLensPreflightError(
        props.gate === undefined
          ? `taskDefinition: ${taskDefinition.node.path} has no essential container logging through awsfirelens to gate; add the app containers before the gate, or pass gate`
          : "gate: at least one container to gate is required",
        this,
      );
    }
    for (const g of gate) this.checkGateable(g, taskDefinition, router, agent);

    // HEALTHY only on an essential router: one that is not essential can stop before it is healthy without
    // stopping the task, and a HEALTHY wait on it would then never end (the task hangs: FLP112).
    const routerReading = task.reading.containers[task.containers.indexOf(router)];
    const routerHealthy = routerReading?.hasHealthCheck === true && routerReading.essential === true;
    const options: GateContainerOptions = {
      gated: gate.map((c) => c.containerName),
      routerName: router.containerName,
      routerHasHealthCheck: routerHealthy,
      agentName: agent?.containerName,
      // The image is a CDK ContainerImage bound below; the shared function only needs a non-empty stand-in.
      image: "cdk-container-image",
      name: containerName,
      forwardPort: props.forwardPort,
      monitor: props.monitor,
      require: props.require,
      deadline: props.deadline === undefined ? undefined : probeDuration(props.deadline, "deadline", this),
      records: props.records,
      cpu: props.cpu,
      memoryReservation: props.memoryReservationMiB,
    };
    let definition: ReturnType<typeof gateContainer>;
    try {
      definition = gateContainer(options);
    } catch (error) {
      if (error instanceof GateContainerError) throw new FireLensPreflightError(error.message, this);
      throw error;
    }

    const firstGated = gate[0];
    const logging =
      props.logging ??
      (firstGated?.logDriverConfig === undefined
        ? undefined
        : new BoundLogDriver(firstGated.logDriverConfig));
    this.container = taskDefinition.addContainer(containerName, {
      containerName,
      image:
        props.image ??
        defaultProbeImage(this, { cpuArchitecture: taskCpuArchitecture(taskDefinition, this) }),
      essential: false,
      cpu: definition.cpu,
      memoryReservationMiB: definition.memoryReservation,
      environment: Object.fromEntries(definition.environment.map((e) => [e.name, String(e.value)])),
      logging,
    });
    for (const dep of definition.dependsOn) {
      const target = dep.containerName === router.containerName ? router : agent;
      if (target === undefined) continue;
      this.container.addContainerDependencies({
        container: target,
        condition: ecs.ContainerDependencyCondition[dep.condition],
      });
    }
    this.router = router;
    this.agent = agent;
    this.taskDefinition = taskDefinition;
    this.gateDefaulted = props.gate === undefined;
    registry.set(taskDefinition, this);
    for (const g of gate) this.wire(g);

    this.node.addValidation({ validate: () => this.validateTask() });
  }

  /** Names of the gated containers, in gate order. */
  get gatedContainerNames(): string[] {
    return this.gatedContainers.map((c) => c.containerName);
  }

  /** Gates more containers (e.g. ones added after the gate). Already gated containers are left as they are. */
  gate(...containers: ecs.ContainerDefinition[]): void {
    for (const c of containers) {
      if (this.gatedContainers.includes(c)) continue;
      this.checkGateable(c, this.taskDefinition, this.router, this.agent);
      this.wire(c);
    }
    this.container.addEnvironment(PROBE_SETTINGS.containers.env, this.gatedContainerNames.join(","));
  }

  private wire(container: ecs.ContainerDefinition): void {
    if (dependsOnCondition(container, this.container) === undefined) {
      container.addContainerDependencies({
        container: this.container,
        condition: ecs.ContainerDependencyCondition.SUCCESS,
      });
    }
    this.gatedContainers.push(container);
  }

  private checkGateable(
    container: ecs.ContainerDefinition,
    taskDefinition: ecs.TaskDefinition,
    router: ecs.FirelensLogRouter,
    agent: ecs.ContainerDefinition | undefined,
  ): void {
    if (container.taskDefinition !== taskDefinition) {
      throw new FireLensPreflightError(
        `gate: ${container.containerName} belongs to another task definition`,
        this,
      );
    }
    if (container === router || container === agent) {
      throw new FireLensPreflightError(
        `gate: ${container.containerName} is the ${container === router ? "router" : "agent"}; the gate waits for it, so it cannot wait for the gate`,
        this,
      );
    }
  }

  /** Whole-task checks, at synthesis: facts that can change after the constructor ran. */
  private validateTask(): string[] {
    const errors: string[] = [];
    if (this.router.containerDependencies.length > 0) {
      errors.push(
        `router ${this.router.containerName} has a dependsOn: remove it (the ECS agent then drops every implicit START dependency on the router)`,
      );
    }
    const task = readCdkTask(this.taskDefinition);
    const ungated = task.reading.ungatedApps
      .map((a) => task.of(a))
      .filter(
        (c): c is ecs.ContainerDefinition =>
          c !== undefined && c !== this.agent && c !== this.container && !this.gatedContainers.includes(c),
      );
    if (this.gateDefaulted && ungated.length > 0) {
      const names = ungated.map((c) => c.containerName).join(", ");
      errors.push(
        `essential container(s) ${names} log through awsfirelens but are not gated (added after the gate?): call LogRouterPreflight.of(taskDefinition).gate(...) or apply PreflightAspect`,
      );
    }
    for (const c of this.gatedContainers) {
      if (dependsOnCondition(c, this.container) !== ecs.ContainerDependencyCondition.SUCCESS) {
        errors.push(
          `gated container ${c.containerName} depends on ${this.container.containerName} with a condition other than SUCCESS; only SUCCESS proves the probe passed`,
        );
      }
    }
    return errors;
  }
}

/** The gate's own files, for tests and tooling. */
export const PROBE_DOCKERFILE = join(PACKAGE_ROOT, "Dockerfile");
