/**
 * The preflight gate container, as plain data. Shared by `fix` (raw task definitions) and `src/cdk/`
 * (constructs), so both put exactly the same container into a task. No imports on purpose: the CDK side
 * must not pull the document model in, and `fix` must not pull CDK in.
 *
 * The wiring it encodes is DESIGN.md "The gate": the preflight is non-essential (ECS rejects SUCCESS on an
 * essential target), depends on the router (START, or HEALTHY when the router has a healthCheck) and on the
 * Datadog Agent (START); the gated containers depend on it with SUCCESS. The router itself never gets a
 * dependsOn (the agent would then drop every implicit START dependency on it).
 */

/** Default container name of the gate (the seed's name). */
export const DEFAULT_PREFLIGHT_NAME = "log-router-preflight";
/** TCP port of FireLens's forward input (the ECS agent always generates 24224). */
export const DEFAULT_FORWARD_PORT = 24224;
/** The probe's own defaults (DESIGN.md, probe configuration); written out anyway so a task definition reads on its own. */
export const DEFAULT_MONITOR = "http://127.0.0.1:2020";
export const DEFAULT_REQUIRE: PreflightRequire = "auto";
export const DEFAULT_DEADLINE = "60s";
export const DEFAULT_RECORDS = 3;

/**
 * CPU units reserved for the probe. It runs before the app starts, so it never competes for CPU; on Fargate
 * container `cpu` only counts against the task budget and sets a share, so a small figure keeps budgets fitting.
 */
export const PREFLIGHT_CPU = 32;
/**
 * Soft memory reservation (MiB), and deliberately no hard `memory` limit: the bundled probe is a single Node
 * process (tens of MiB RSS); a hard limit below its peak would get it OOM-killed and turn a healthy router into
 * a failed gate, whereas a soft reservation only sizes the task budget. 32 MiB keeps tight Fargate budgets
 * (256 CPU / 512 MiB) usable.
 */
export const PREFLIGHT_MEMORY_RESERVATION_MIB = 32;

export type PreflightRequire = "alive" | "accepted" | "flushed" | "auto";

/** Environment variable names, in the order they are written. */
export const PREFLIGHT_ENV = {
  containers: "FIRELENS_PREFLIGHT_CONTAINERS",
  forward: "FIRELENS_PREFLIGHT_FORWARD",
  monitor: "FIRELENS_PREFLIGHT_MONITOR",
  require: "FIRELENS_PREFLIGHT_REQUIRE",
  deadline: "FIRELENS_PREFLIGHT_DEADLINE",
  records: "FIRELENS_PREFLIGHT_RECORDS",
} as const;

export type DependencyCondition = "START" | "COMPLETE" | "SUCCESS" | "HEALTHY";

export interface ContainerDependency {
  readonly containerName: string;
  readonly condition: DependencyCondition;
}

export interface KeyValuePair {
  readonly name: string;
  readonly value: string;
}

export interface PreflightContainerOptions {
  /** Names of the containers the gate holds back; the probe sends tags `{name}-firelens-preflight` for each. */
  readonly gated: readonly string[];
  /** Name of the FireLens router container (the one with `firelensConfiguration`). */
  readonly routerName: string;
  /** Whether the router has a `healthCheck`; the gate then waits for HEALTHY instead of START. */
  readonly routerHasHealthCheck: boolean;
  /** Name of the Datadog Agent container, when the task has one. */
  readonly agentName?: string;
  /** Probe image. */
  readonly image: string;
  /** @default "log-router-preflight" */
  readonly name?: string;
  /**
   * The router's forward TCP port. Only written when it differs from 24224, so the probe keeps its own
   * default (`$FLUENT_HOST:$FLUENT_PORT`, which also works in bridge mode) otherwise.
   * @default 24224
   */
  readonly forwardPort?: number;
  /** Host written with a non-default `forwardPort`. @default "127.0.0.1" */
  readonly forwardHost?: string;
  /** Fluent Bit monitoring server URL, or `"off"` when the router has none. @default "http://127.0.0.1:2020" */
  readonly monitor?: string;
  /** @default "auto" */
  readonly require?: PreflightRequire;
  /** Hard limit for the probe run (`1500ms`, `30s`, `2m`). @default "60s" */
  readonly deadline?: string;
  /** Records per tag. @default 3 */
  readonly records?: number;
  /** @default 32 */
  readonly cpu?: number;
  /** @default 32 */
  readonly memoryReservation?: number;
  /**
   * The probe's own `logConfiguration` (callers copy the first gated container's `awsfirelens` one, so the
   * probe's stdout travels the same plugin). Left out when undefined.
   */
  readonly logConfiguration?: unknown;
}

/** camelCase ECS container definition of the gate, in the key order it is written. */
export interface PreflightContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential: false;
  readonly cpu: number;
  readonly memoryReservation: number;
  readonly environment: readonly KeyValuePair[];
  readonly dependsOn: readonly ContainerDependency[];
  readonly logConfiguration?: unknown;
}

/** A bad option; the message names the option, the value and what is allowed. */
export class PreflightContainerError extends Error {
  override readonly name = "PreflightContainerError";
}

const REQUIRE_LEVELS: readonly PreflightRequire[] = ["alive", "accepted", "flushed", "auto"];
const DURATION = /^\d+(?:\.\d+)?(?:ms|s|m)$/;

/** The dependency a gated container gets on the gate. */
export function gatedDependency(name: string = DEFAULT_PREFLIGHT_NAME): ContainerDependency {
  return { containerName: name, condition: "SUCCESS" };
}

/** The gate's environment, in a stable order. */
export function preflightEnvironment(options: PreflightContainerOptions): KeyValuePair[] {
  const port = options.forwardPort ?? DEFAULT_FORWARD_PORT;
  const env: KeyValuePair[] = [{ name: PREFLIGHT_ENV.containers, value: options.gated.join(",") }];
  if (port !== DEFAULT_FORWARD_PORT) {
    env.push({ name: PREFLIGHT_ENV.forward, value: `${options.forwardHost ?? "127.0.0.1"}:${port}` });
  }
  env.push(
    { name: PREFLIGHT_ENV.monitor, value: options.monitor ?? DEFAULT_MONITOR },
    { name: PREFLIGHT_ENV.require, value: options.require ?? DEFAULT_REQUIRE },
    { name: PREFLIGHT_ENV.deadline, value: options.deadline ?? DEFAULT_DEADLINE },
    { name: PREFLIGHT_ENV.records, value: String(options.records ?? DEFAULT_RECORDS) },
  );
  return env;
}

/** The gate's own dependencies: router first, then the agent. */
export function preflightDependencies(options: PreflightContainerOptions): ContainerDependency[] {
  const deps: ContainerDependency[] = [
    { containerName: options.routerName, condition: options.routerHasHealthCheck ? "HEALTHY" : "START" },
  ];
  if (options.agentName !== undefined) deps.push({ containerName: options.agentName, condition: "START" });
  return deps;
}

/** Throws `PreflightContainerError` on options that could never make a valid gate. */
export function validatePreflightOptions(options: PreflightContainerOptions): void {
  const name = options.name ?? DEFAULT_PREFLIGHT_NAME;
  if (options.gated.length === 0) {
    throw new PreflightContainerError("gated: at least one container to gate is required, got none");
  }
  const seen = new Set<string>();
  for (const g of options.gated) {
    if (g.length === 0) throw new PreflightContainerError("gated: container names must not be empty");
    if (g.includes(",")) {
      throw new PreflightContainerError(
        `gated: container name "${g}" contains a comma, which the probe's list cannot carry`,
      );
    }
    if (seen.has(g)) throw new PreflightContainerError(`gated: container "${g}" is listed twice`);
    seen.add(g);
    for (const [role, other] of [
      ["the preflight container", name],
      ["the router", options.routerName],
      ["the agent", options.agentName],
    ] as const) {
      if (g === other) {
        throw new PreflightContainerError(
          `gated: "${g}" is ${role}; only app containers can be gated (a gate on ${role} could never open)`,
        );
      }
    }
  }
  if (options.routerName.length === 0) throw new PreflightContainerError("routerName: must not be empty");
  if (name === options.routerName || name === options.agentName) {
    throw new PreflightContainerError(`name: "${name}" is already the router or agent container's name`);
  }
  if (options.image.length === 0) throw new PreflightContainerError("image: a probe image is required");
  const port = options.forwardPort ?? DEFAULT_FORWARD_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PreflightContainerError(`forwardPort: ${port} is not a TCP port (1-65535)`);
  }
  if (options.require !== undefined && !REQUIRE_LEVELS.includes(options.require)) {
    throw new PreflightContainerError(
      `require: "${options.require}" is not one of ${REQUIRE_LEVELS.map((l) => `"${l}"`).join(", ")}`,
    );
  }
  if (options.deadline !== undefined && !DURATION.test(options.deadline)) {
    throw new PreflightContainerError(
      `deadline: "${options.deadline}" is not a duration such as "1500ms", "30s" or "2m"`,
    );
  }
  const records = options.records ?? DEFAULT_RECORDS;
  if (!Number.isInteger(records) || records < 1) {
    throw new PreflightContainerError(`records: ${records} must be a positive integer`);
  }
  for (const [key, value] of [
    ["cpu", options.cpu],
    ["memoryReservation", options.memoryReservation],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new PreflightContainerError(`${key}: ${value} must be a positive integer`);
    }
  }
}

/** The gate's ECS container definition (camelCase, `RegisterTaskDefinition` shape). */
export function preflightContainer(options: PreflightContainerOptions): PreflightContainerDefinition {
  validatePreflightOptions(options);
  const def: PreflightContainerDefinition = {
    name: options.name ?? DEFAULT_PREFLIGHT_NAME,
    image: options.image,
    essential: false,
    cpu: options.cpu ?? PREFLIGHT_CPU,
    memoryReservation: options.memoryReservation ?? PREFLIGHT_MEMORY_RESERVATION_MIB,
    environment: preflightEnvironment(options),
    dependsOn: preflightDependencies(options),
  };
  return options.logConfiguration === undefined
    ? def
    : { ...def, logConfiguration: options.logConfiguration };
}
