/**
 * Who is who in a stopped task. describe-tasks output does not say which container is the router, the
 * gate or essential (API_Container has no `essential` field), so the task definition decides when we
 * have it; otherwise names and images are the only clue, and every conclusion drawn from them is weaker.
 */
import type { ContainerDefinition, ContainerView, TaskDefinitionView } from "../taskdef/model.js";
import type { Container, ContainerFacts, ContainerRole, RoleSource, Task } from "./types.js";

/** The name `fix` and the seed give the gate. */
export const PREFLIGHT_NAME = "log-router-preflight";
const PREFLIGHT_ENV_PREFIX = "FIRELENS_PREFLIGHT_";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `essential` as ECS reads it: omitted means true; YAML templates may leave `"false"` strings behind. */
function essentialOf(def: ContainerDefinition): boolean | undefined {
  const raw: unknown = def.essential;
  if (raw === undefined || raw === null) return true;
  if (typeof raw === "boolean") return raw;
  if (typeof raw === "string") {
    const s = raw.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
  }
  return undefined;
}

function dependsOnSuccess(td: TaskDefinitionView, name: string): boolean {
  return td.containers.some((c) => {
    const deps: unknown = c.definition.dependsOn;
    return (
      Array.isArray(deps) &&
      deps.some(
        (d) =>
          isObject(d) &&
          d.containerName === name &&
          typeof d.condition === "string" &&
          d.condition.toUpperCase() === "SUCCESS",
      )
    );
  });
}

function hasPreflightEnv(def: ContainerDefinition): boolean {
  const env: unknown = def.environment;
  return (
    Array.isArray(env) &&
    env.some((e) => isObject(e) && typeof e.name === "string" && e.name.startsWith(PREFLIGHT_ENV_PREFIX))
  );
}

function usesAwsFirelens(def: ContainerDefinition): boolean {
  const lc: unknown = def.logConfiguration;
  return isObject(lc) && typeof lc.logDriver === "string" && lc.logDriver.toLowerCase() === "awsfirelens";
}

const ROUTER_IMAGE = /(^|\/)(aws-for-fluent-bit|fluent-bit|fluentbit|fluentd)(:|@|$)/i;
const AGENT_IMAGE = /(^|\/)(datadog(hq)?\/agent|datadog-agent)(:|@|$)/i;

function looksLikeAgent(name: string, image: string | undefined): boolean {
  return (image !== undefined && AGENT_IMAGE.test(image)) || name === "dd-agent" || name === "datadog-agent";
}

function roleFromDefinition(td: TaskDefinitionView, view: ContainerView): ContainerRole {
  const def = view.definition;
  const name = view.name ?? "";
  if (def.firelensConfiguration !== undefined && def.firelensConfiguration !== null) return "router";
  if (
    name === PREFLIGHT_NAME ||
    hasPreflightEnv(def) ||
    (essentialOf(def) === false && dependsOnSuccess(td, name))
  ) {
    return "preflight";
  }
  const image = typeof def.image === "string" ? def.image : undefined;
  if (looksLikeAgent(name, image)) return "agent";
  if (usesAwsFirelens(def) || essentialOf(def) === true) return "app";
  return "other";
}

function roleFromEvidence(c: Container): ContainerRole {
  const name = c.name ?? "";
  const image = c.image;
  if (/preflight/i.test(name)) return "preflight";
  if ((image !== undefined && ROUTER_IMAGE.test(image)) || /^(log[-_]?router|firelens)/i.test(name)) {
    return "router";
  }
  if (looksLikeAgent(name, image)) return "agent";
  return "app";
}

export interface RoleResult {
  readonly containers: readonly ContainerFacts[];
  readonly source: RoleSource;
  readonly notes: readonly string[];
}

/** The family of `arn:aws:ecs:…:task-definition/backend:42` → `backend`. */
export function familyOfArn(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const m = /task-definition\/([^:/]+)(?::\d+)?$/.exec(arn);
  return m?.[1];
}

export function containerFacts(task: Task, td: TaskDefinitionView | undefined): RoleResult {
  const notes: string[] = [];
  const byName = new Map<string, ContainerView>();
  if (td !== undefined) {
    for (const v of td.containers) if (v.name !== undefined && !byName.has(v.name)) byName.set(v.name, v);
    const family = familyOfArn(task.taskDefinitionArn);
    const tdFamily = typeof td.taskDefinition.family === "string" ? td.taskDefinition.family : undefined;
    if (family !== undefined && tdFamily !== undefined && family !== tdFamily) {
      notes.push(
        `the task ran task definition family '${family}' but the task definition given is '${tdFamily}': roles may not match`,
      );
    }
  }
  let inferred = false;
  const containers = (task.containers ?? []).map((c, i): ContainerFacts => {
    const name = c.name ?? `#${i}`;
    const view = byName.get(name);
    const fromTd = td !== undefined && view !== undefined;
    if (!fromTd) inferred = true;
    return {
      name,
      role: fromTd ? roleFromDefinition(td, view) : roleFromEvidence(c),
      roleSource: fromTd ? "task-definition" : "inferred",
      essential: fromTd ? essentialOf(view.definition) : undefined,
      image: c.image,
      lastStatus: c.lastStatus,
      exitCode: typeof c.exitCode === "number" ? c.exitCode : undefined,
      reason: c.reason === undefined || c.reason === "" ? undefined : c.reason,
      healthStatus: c.healthStatus,
    };
  });
  if (td === undefined) {
    notes.push(
      "no task definition given: roles (router, gate, app) and which containers are essential were inferred from container names and images, which is weaker evidence",
    );
  } else if (inferred) {
    notes.push(
      "some containers are not in the task definition given: their roles were inferred from names and images",
    );
  }
  return { containers, source: inferred ? "inferred" : "task-definition", notes };
}
