/**
 * The preflight gate container, as plain data: what a task looks like after us. Shared by `fix` (raw task
 * definitions) and the CDK constructs, so both put exactly the same container into a task. Its settings are the
 * probe's own (its contract module), written out in full so a task definition reads on its own.
 *
 * The wiring: the gate is non-essential (ECS rejects SUCCESS on an essential target), depends on the router
 * (START, or HEALTHY when the router has a healthCheck) and on the Datadog Agent (START); the gated containers
 * depend on it with SUCCESS. The router itself never gets a dependsOn (the agent would then drop every implicit
 * START dependency on it).
 */
import {
  CONTAINER_NAME_PATTERN,
  DEFAULT_DEADLINE,
  DEFAULT_FORWARD_HOST,
  DEFAULT_FORWARD_PORT,
  DEFAULT_MONITOR_URL,
  DEFAULT_RECORDS,
  DEFAULT_REQUIRE,
  durationProblem,
  MAX_RECORDS,
  PREFLIGHT_CONTAINER_NAME,
  PREFLIGHT_CPU,
  PREFLIGHT_MEMORY_RESERVATION_MIB,
  PROBE_SETTINGS,
  REQUIRE_LEVELS,
  type RequireLevel,
} from "../probe/contract.js";
import { intrinsic, isIntrinsic } from "../taskdef/index.js";
import type { Intrinsic } from "../taskdef/model.js";
import { hasPlaceholder } from "./values.js";

export type DependencyCondition = "START" | "COMPLETE" | "SUCCESS" | "HEALTHY";

export interface ContainerDependency {
  /** A name, or the same CloudFormation intrinsic the container's own `name` uses. */
  readonly containerName: string | Intrinsic;
  readonly condition: DependencyCondition;
}

export interface KeyValuePair {
  readonly name: string;
  /** Text, or an intrinsic that builds it at deploy time (a gated container named by an intrinsic). */
  readonly value: string | Intrinsic;
}

/** A gated container's name: literal, or the intrinsic its definition names it with (templates only). */
export type GatedName = string | Intrinsic;

export interface GateContainerOptions {
  /** Containers the gate holds back; the probe sends tags `{name}-firelens-preflight` for each. */
  readonly gated: readonly GatedName[];
  /** Name of the FireLens router container. */
  readonly routerName: string;
  /** Whether the router has a `healthCheck`; the gate then waits for HEALTHY instead of START. */
  readonly routerHasHealthCheck: boolean;
  /** Name of the Datadog Agent container, when the task has one. */
  readonly agentName?: string;
  /** Probe image. */
  readonly image: string;
  /** @default PREFLIGHT_CONTAINER_NAME, the seed's name */
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
  readonly require?: RequireLevel;
  /** Hard limit for the probe run (`1500ms`, `30s`, `2m`, `1h`). @default "60s" */
  readonly deadline?: string;
  /** Records per tag. @default 3 */
  readonly records?: number;
  /** @default 32 */
  readonly cpu?: number;
  /** @default 32 */
  readonly memoryReservation?: number;
  /** The probe's own `logConfiguration`, already checked by the caller; left out when undefined. */
  readonly logConfiguration?: unknown;
}

/** camelCase ECS container definition of the gate, in the key order it is written. */
export interface GateContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential: false;
  readonly cpu: number;
  readonly memoryReservation: number;
  readonly environment: readonly KeyValuePair[];
  readonly dependsOn: readonly ContainerDependency[];
  readonly logConfiguration?: unknown;
}

/** Which option is wrong, and what was expected; callers word it for their own surface (CLI flag, CDK prop). */
export class GateContainerError extends Error {
  override readonly name = "GateContainerError";
  constructor(
    readonly option: keyof GateContainerOptions,
    readonly detail: string,
  ) {
    super(`${option}: ${detail}`);
  }
}

/** The dependency a gated container gets on the gate. */
export function gatedDependency(name: string = PREFLIGHT_CONTAINER_NAME): ContainerDependency {
  return { containerName: name, condition: "SUCCESS" };
}

/** The probe's container list: plain text, or an `Fn::Join` when a gated name is only known at deploy time. */
export function containersSetting(gated: readonly GatedName[]): string | Intrinsic {
  if (gated.every((g): g is string => typeof g === "string")) return gated.join(",");
  return intrinsic("Fn::Join", [",", [...gated]]);
}

/** The gate's environment, in a stable order. */
export function gateEnvironment(options: GateContainerOptions): KeyValuePair[] {
  const port = options.forwardPort ?? DEFAULT_FORWARD_PORT;
  const env: KeyValuePair[] = [
    { name: PROBE_SETTINGS.containers.env, value: containersSetting(options.gated) },
  ];
  if (port !== DEFAULT_FORWARD_PORT) {
    env.push({
      name: PROBE_SETTINGS.forward.env,
      value: `${options.forwardHost ?? DEFAULT_FORWARD_HOST}:${port}`,
    });
  }
  env.push(
    { name: PROBE_SETTINGS.monitor.env, value: options.monitor ?? DEFAULT_MONITOR_URL },
    { name: PROBE_SETTINGS.require.env, value: options.require ?? DEFAULT_REQUIRE },
    { name: PROBE_SETTINGS.deadline.env, value: options.deadline ?? DEFAULT_DEADLINE },
    { name: PROBE_SETTINGS.records.env, value: String(options.records ?? DEFAULT_RECORDS) },
  );
  return env;
}

/** The gate's own dependencies: router first, then the agent. */
export function gateDependencies(options: GateContainerOptions): ContainerDependency[] {
  const deps: ContainerDependency[] = [
    { containerName: options.routerName, condition: options.routerHasHealthCheck ? "HEALTHY" : "START" },
  ];
  if (options.agentName !== undefined) deps.push({ containerName: options.agentName, condition: "START" });
  return deps;
}

function checkGated(options: GateContainerOptions, name: string): void {
  if (options.gated.length === 0) {
    throw new GateContainerError("gated", "at least one container to gate is required, got none");
  }
  const seen = new Set<string>();
  for (const g of options.gated) {
    // A name only known at deploy time is written as it stands; the tool that fills it in checks it.
    if (isIntrinsic(g) || hasPlaceholder(g)) continue;
    if (!CONTAINER_NAME_PATTERN.test(g)) {
      throw new GateContainerError(
        "gated",
        `"${g}" is not an ECS container name (1-255 letters, digits, - and _), so the probe could not carry it`,
      );
    }
    if (seen.has(g)) throw new GateContainerError("gated", `container "${g}" is listed twice`);
    seen.add(g);
    for (const [role, other] of [
      ["the preflight container", name],
      ["the router", options.routerName],
      ["the agent", options.agentName],
    ] as const) {
      if (g === other) {
        throw new GateContainerError(
          "gated",
          `"${g}" is ${role}; only app containers can be gated (a gate on ${role} could never open)`,
        );
      }
    }
  }
}

/** Throws `GateContainerError` on options that could never make a valid gate. */
export function validateGateOptions(options: GateContainerOptions): void {
  const name = options.name ?? PREFLIGHT_CONTAINER_NAME;
  checkGated(options, name);
  if (options.routerName.length === 0) throw new GateContainerError("routerName", "must not be empty");
  if (!CONTAINER_NAME_PATTERN.test(name)) {
    throw new GateContainerError(
      "name",
      `"${name}" is not an ECS container name (1-255 letters, digits, - and _)`,
    );
  }
  if (name === options.routerName || name === options.agentName) {
    throw new GateContainerError("name", `"${name}" is already the router or agent container's name`);
  }
  if (options.image.trim().length === 0) throw new GateContainerError("image", "a probe image is required");
  const port = options.forwardPort ?? DEFAULT_FORWARD_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new GateContainerError("forwardPort", `${port} is not a TCP port (1-65535)`);
  }
  if (options.require !== undefined && !REQUIRE_LEVELS.includes(options.require)) {
    throw new GateContainerError(
      "require",
      `"${options.require}" is not one of ${REQUIRE_LEVELS.map((l) => `"${l}"`).join(", ")}`,
    );
  }
  // The probe's own grammar and range (its contract): a deadline it refuses makes it exit 2 in every task.
  const deadlineProblem =
    options.deadline === undefined ? undefined : durationProblem("deadline", options.deadline);
  if (deadlineProblem !== undefined) throw new GateContainerError("deadline", deadlineProblem);
  const records = options.records ?? DEFAULT_RECORDS;
  if (!Number.isInteger(records) || records < 1 || records > MAX_RECORDS) {
    throw new GateContainerError("records", `${records} must be an integer from 1 to ${MAX_RECORDS}`);
  }
  for (const key of ["cpu", "memoryReservation"] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new GateContainerError(key, `${value} must be a positive integer`);
    }
  }
}

/** The gate's ECS container definition (camelCase, `RegisterTaskDefinition` shape). */
export function gateContainer(options: GateContainerOptions): GateContainerDefinition {
  validateGateOptions(options);
  const def: GateContainerDefinition = {
    name: options.name ?? PREFLIGHT_CONTAINER_NAME,
    image: options.image,
    essential: false,
    cpu: options.cpu ?? PREFLIGHT_CPU,
    memoryReservation: options.memoryReservation ?? PREFLIGHT_MEMORY_RESERVATION_MIB,
    environment: gateEnvironment(options),
    dependsOn: gateDependencies(options),
  };
  return options.logConfiguration === undefined
    ? def
    : { ...def, logConfiguration: options.logConfiguration };
}
