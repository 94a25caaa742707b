/** The preventions several cases share: the `fix` command and the rules that name a crash trigger. */
import type { ContainerDefinition, TaskDefinitionView } from "../taskdef/model.js";
import type { ContainerFacts, Prevention } from "./types.js";

export const FIX_COMMAND = "firelens-preflight fix <task-definition>";

function hasDatadogProviderEcs(def: ContainerDefinition): boolean {
  const lc: unknown = def.logConfiguration;
  if (typeof lc !== "object" || lc === null) return false;
  const opts: unknown = (lc as Record<string, unknown>).options;
  if (typeof opts !== "object" || opts === null) return false;
  const entries = Object.entries(opts as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]);
  const get = (k: string): unknown => entries.find(([key]) => key === k)?.[1];
  return (
    String(get("name") ?? "").toLowerCase() === "datadog" &&
    String(get("provider") ?? "").toLowerCase() === "ecs"
  );
}

function routerHitsHealthEndpoint(def: ContainerDefinition): boolean {
  const hc: unknown = def.healthCheck;
  if (typeof hc !== "object" || hc === null) return false;
  const cmd: unknown = (hc as Record<string, unknown>).command;
  return Array.isArray(cmd) && cmd.some((p) => typeof p === "string" && p.includes("/api/v1/health"));
}

/** Rules that name a crash trigger this task definition actually has. */
export function crashTriggerRules(td: TaskDefinitionView | undefined, routerName: string): Prevention[] {
  if (td === undefined) return [];
  const out: Prevention[] = [];
  const router = td.containers.find((c) => c.name === routerName);
  if (router !== undefined && routerHitsHealthEndpoint(router.definition)) {
    out.push({
      kind: "rule",
      id: "FLP210",
      why: "the router's healthCheck asks /api/v1/health, which crashes Fluent Bit before 1.8.7 at startup",
    });
  }
  if (td.containers.some((c) => hasDatadogProviderEcs(c.definition))) {
    out.push({
      kind: "rule",
      id: "FLP212",
      why: "a datadog output with `provider ecs` crashes Fluent Bit 1.8.x/1.9.x on a first flush",
    });
  }
  return out;
}

/** FLP202, naming the image the router ran. */
export function knownCrashRule(router: ContainerFacts): Prevention {
  return {
    kind: "rule",
    id: "FLP202",
    why: `router versions with known crash bugs (this one ran ${router.image ?? "an unknown image"})`,
  };
}
