/**
 * Whether a known bug's trigger is present in a task: read from the awsfirelens output options, the
 * router's firelensConfiguration and its healthCheck. A router with a custom config file may configure
 * outputs we cannot see, so "not found" becomes "unknown" there.
 */
import type { ContainerView } from "../taskdef/model.js";
import type { BugCondition } from "./data/router-versions.js";
import { arr, isObject, option, optionsOf, str, type TaskAnalysis } from "./util.js";

export type Presence = "yes" | "no" | "unknown";

export function outputName(c: ContainerView): string | undefined {
  const opts = optionsOf(c.definition.logConfiguration as unknown);
  return str(option(opts, "Name")?.value)?.toLowerCase();
}

/**
 * aws-for-fluent-bit's built-in monitoring config (≥ 2.29.1) holds only [SERVICE] settings (HTTP server and
 * health check; reference/fluent-bit.md §1): no inputs, filters or outputs, so it cannot hide a bug's trigger.
 */
const BUILT_IN_SERVICE_ONLY_CONFIGS: ReadonlySet<string> = new Set([
  "/fluent-bit/configs/output-metrics-healthcheck.conf",
]);

export function hasCustomConfig(router: ContainerView | undefined): boolean {
  if (router === undefined) return false;
  const opts = optionsOf(router.definition.firelensConfiguration as unknown);
  const value = option(opts, "config-file-value")?.value;
  if (value === undefined) return false;
  return !(typeof value === "string" && BUILT_IN_SERVICE_ONLY_CONFIGS.has(value));
}

export interface ProviderEcsUse {
  readonly container: ContainerView;
  readonly where: "logConfiguration" | "firelensConfiguration";
  /** The option key as spelled (`provider`, `Provider`). */
  readonly key: string;
}

/** Containers whose awsfirelens output is `datadog` with `provider ecs`, and the key holding it. */
export function datadogProviderEcs(a: TaskAnalysis): readonly ProviderEcsUse[] {
  const hit = a.memo.providerEcs as readonly ProviderEcsUse[] | undefined;
  if (hit !== undefined) return hit;
  const out: ProviderEcsUse[] = [];
  for (const c of a.firelensUsers) {
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
  for (const r of a.routers) {
    const opts = optionsOf(r.definition.firelensConfiguration as unknown);
    const provider = option(opts, "provider");
    if (provider !== undefined && str(provider.value)?.toLowerCase() === "ecs") {
      out.push({ container: r, where: "firelensConfiguration", key: provider.key });
    }
  }
  a.memo.providerEcs = out;
  return out;
}

/** The router's healthCheck asks Fluent Bit's `/api/v1/health`. */
export function healthCheckHitsHealthEndpoint(router: ContainerView): boolean {
  const hc: unknown = router.definition.healthCheck;
  if (!isObject(hc)) return false;
  return arr(hc.command).some((part) => typeof part === "string" && part.includes("/api/v1/health"));
}

export function conditionPresence(cond: BugCondition, a: TaskAnalysis): Presence {
  const router = a.router;
  const custom = hasCustomConfig(router);
  const notSeen: Presence = custom ? "unknown" : "no";
  switch (cond) {
    case "datadog-provider-ecs":
      return datadogProviderEcs(a).length > 0 ? "yes" : notSeen;
    case "datadog-output":
      return a.firelensUsers.some((c) => outputName(c) === "datadog") ? "yes" : notSeen;
    case "cloudwatch-output":
      return a.firelensUsers.some((c) => outputName(c) === "cloudwatch_logs") ? "yes" : notSeen;
    case "health-endpoint":
      return router !== undefined && healthCheckHitsHealthEndpoint(router) ? "yes" : "no";
    case "custom-config":
      return custom ? "unknown" : "no";
    default:
      return "unknown";
  }
}
