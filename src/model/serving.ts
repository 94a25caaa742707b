/**
 * Three more readings every part takes from the model rather than making its own: which container the load
 * balancer sends traffic to, what kind of gate a gate container is, and a container's health check with the
 * ECS defaults filled in. `simulate` and `plan` both read them here, so they cannot disagree with `check`.
 */
import { isIntrinsic } from "../taskdef/index.js";
import type { ContainerReading, TaskReading } from "./types.js";
import { isObject, num } from "./values.js";

function hasPorts(c: ContainerReading): boolean {
  const pm: unknown = c.definition.portMappings;
  return isIntrinsic(pm) || (Array.isArray(pm) && pm.length > 0);
}

/**
 * The container the load balancer targets: an essential app (a container that logs through awsfirelens and is
 * neither router, gate nor agent) with port mappings, else any essential app, else an essential container that
 * is none of router, gate or agent (with ports first). Never the router, a gate or the Datadog Agent, whose ports
 * (8126 for traces) are not the service's. `undefined` for a task with none of these.
 */
export function servingContainer(task: TaskReading): ContainerReading | undefined {
  const essential = (c: ContainerReading) => c.essential !== false;
  const apps = task.apps.filter(essential);
  const others = task.containers.filter((c) => c.role === "other" && essential(c));
  return apps.find(hasPorts) ?? apps[0] ?? others.find(hasPorts) ?? others[0];
}

/** What a gate container runs: the probe (its settings by variable or flag), or something else (a `sleep`). */
export type GateKind = "probe" | "sleep";

/**
 * The role reading's own answer (roles.ts gives a gate the evidence "carries the probe's FIRELENS_PREFLIGHT_…" or
 * "runs the probe with --containers/--tags"), so `plan` and `simulate` cannot tell the kind apart from the roles.
 */
export function gateKind(c: ContainerReading): GateKind {
  return c.evidence.some((e) => /\bthe probe\b/.test(e)) ? "probe" : "sleep";
}

/** A container health check's timing, seconds, with the ECS defaults for what is not written literally. */
export interface HealthCheckTiming {
  readonly interval: number;
  readonly timeout: number;
  readonly retries: number;
  readonly startPeriod: number;
}

/**
 * The container's health check as the model reads it (`hasHealthCheck`), or `null`. Values that are not written
 * literally (a check chosen by `Fn::If`, a parameter) take ECS's defaults: interval 30, timeout 5, retries 3, no
 * start period (API_HealthCheck).
 */
export function healthCheckTiming(c: ContainerReading): HealthCheckTiming | null {
  if (!c.hasHealthCheck) return null;
  const hc: unknown = c.definition.healthCheck;
  const field = (key: string): number | undefined => (isObject(hc) ? num(hc[key]) : undefined);
  return {
    interval: field("interval") ?? 30,
    timeout: field("timeout") ?? 5,
    retries: field("retries") ?? 3,
    startPeriod: field("startPeriod") ?? 0,
  };
}

/**
 * Whether the router's health check is written out (a literal object), so a HEALTHY wait on it can end. One chosen
 * by a condition (`Fn::If` with `AWS::NoValue` in a branch) or only known at deploy time may be absent when the
 * task runs, and a HEALTHY wait on a container without a health check never ends.
 */
export function literalHealthCheck(c: ContainerReading): boolean {
  return isObject(c.definition.healthCheck as unknown);
}
