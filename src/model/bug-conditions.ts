/**
 * Whether a known bug's trigger is present in a task: read from the awsfirelens output options, the
 * router's firelensConfiguration and its healthCheck. A router with a custom config file may configure
 * outputs we cannot see, so "not found" becomes "unknown" there. In the model so `simulate` reads it as FLP202
 * does; the rules' conditions module re-exports it.
 */
import type { BugCondition } from "./known-bugs.js";
import { loadsCustomConfig } from "./router.js";
import type { ContainerReading, TaskReading } from "./types.js";
import { arr, isObject, option, optionsOf, str } from "./values.js";

export type Presence = "yes" | "no" | "unknown";

export function outputName(c: ContainerReading): string | undefined {
  const opts = optionsOf(c.definition.logConfiguration as unknown);
  return str(option(opts, "Name")?.value)?.toLowerCase();
}

export function hasCustomConfig(router: ContainerReading | undefined): boolean {
  return router !== undefined && loadsCustomConfig(router.definition);
}

export interface ProviderEcsUse {
  readonly container: ContainerReading;
  readonly where: "logConfiguration" | "firelensConfiguration";
  /** The option key as spelled (`provider`, `Provider`). */
  readonly key: string;
}

/**
 * The answers for the current task reading: FLP202 asks for each bug of the router's version and FLP212 asks
 * again, and lint runs every rule on one task before the next (the model's own one-entry cache works so too).
 */
let answersFor: TaskReading | undefined;
let providerEcs: readonly ProviderEcsUse[] | undefined;
let presence: Map<BugCondition, Presence> | undefined;

function answersOf(task: TaskReading): void {
  if (answersFor === task) return;
  answersFor = task;
  providerEcs = undefined;
  presence = undefined;
}

/** Containers whose awsfirelens output is `datadog` with `provider ecs`, and the key holding it. */
export function datadogProviderEcs(task: TaskReading): readonly ProviderEcsUse[] {
  answersOf(task);
  providerEcs ??= findDatadogProviderEcs(task);
  return providerEcs;
}

function findDatadogProviderEcs(task: TaskReading): readonly ProviderEcsUse[] {
  const out: ProviderEcsUse[] = [];
  for (const c of task.firelensUsers) {
    const opts = optionsOf(c.definition.logConfiguration as unknown);
    const provider = option(opts, "provider");
    if (
      outputName(c) === "datadog" &&
      str(provider?.value)?.toLowerCase() === "ecs" &&
      provider !== undefined
    ) {
      out.push({ container: c, where: "logConfiguration", key: provider.key });
    }
  }
  for (const r of task.firelensContainers) {
    const opts = optionsOf(r.definition.firelensConfiguration as unknown);
    const provider = option(opts, "provider");
    if (provider !== undefined && str(provider.value)?.toLowerCase() === "ecs") {
      out.push({ container: r, where: "firelensConfiguration", key: provider.key });
    }
  }
  return out;
}

/** The router's healthCheck asks Fluent Bit's `/api/v1/health`. */
export function healthCheckHitsHealthEndpoint(router: ContainerReading): boolean {
  const hc: unknown = router.definition.healthCheck;
  if (!isObject(hc)) return false;
  return arr(hc.command).some((part) => typeof part === "string" && part.includes("/api/v1/health"));
}

export function conditionPresence(cond: BugCondition, task: TaskReading): Presence {
  answersOf(task);
  presence ??= new Map();
  let known = presence.get(cond);
  if (known === undefined) {
    known = findPresence(cond, task);
    presence.set(cond, known);
  }
  return known;
}

function findPresence(cond: BugCondition, task: TaskReading): Presence {
  const router = task.router;
  const custom = hasCustomConfig(router);
  const notSeen: Presence = custom ? "unknown" : "no";
  switch (cond) {
    case "datadog-provider-ecs":
      return datadogProviderEcs(task).length > 0 ? "yes" : notSeen;
    case "datadog-output":
      return task.firelensUsers.some((c) => outputName(c) === "datadog") ? "yes" : notSeen;
    case "cloudwatch-output":
      return task.firelensUsers.some((c) => outputName(c) === "cloudwatch_logs") ? "yes" : notSeen;
    case "health-endpoint":
      return router !== undefined && healthCheckHitsHealthEndpoint(router) ? "yes" : "no";
    case "custom-config":
      return custom ? "unknown" : "no";
    default:
      return "unknown";
  }
}
