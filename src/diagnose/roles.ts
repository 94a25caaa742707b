/**
 * Who is who in a stopped task. describe-tasks output does not say which container is the router, the
 * gate or essential (API_Container has no `essential` field), so the task definition decides when we
 * have it; otherwise names and images are the only clue, and every conclusion drawn from them is weaker.
 */
import { agentEvidence, readTask, type TaskReading } from "../model/index.js";
import type { ContainerView, TaskDefinitionView } from "../taskdef/model.js";
import type { Container, ContainerFacts, ContainerRole, RoleSource, Task } from "./types.js";

const ROUTER_IMAGE = /(^|\/)(aws-for-fluent-bit|fluent-bit|fluentbit|fluentd)(:|@|$)/i;

/** The role the shared task reading gives the container (the same one lint, fix, plan and simulate use). */
function roleFromDefinition(reading: TaskReading, view: ContainerView): ContainerRole {
  const role = reading.containers[view.index]?.role ?? "other";
  return role === "gate" ? "preflight" : role;
}

function roleFromEvidence(c: Container): ContainerRole {
  const name = c.name ?? "";
  const image = c.image;
  if (/preflight/i.test(name)) return "preflight";
  if ((image !== undefined && ROUTER_IMAGE.test(image)) || /^(log[-_]?router|firelens)/i.test(name)) {
    return "router";
  }
  if (agentEvidence(name, image) !== undefined) return "agent";
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
  const reading = td === undefined ? undefined : readTask(td);
  let inferred = false;
  const containers = (task.containers ?? []).map((c, i): ContainerFacts => {
    const name = c.name ?? `#${i}`;
    const view = byName.get(name);
    const fromTd = td !== undefined && view !== undefined;
    if (!fromTd) inferred = true;
    return {
      name,
      role: fromTd && reading !== undefined ? roleFromDefinition(reading, view) : roleFromEvidence(c),
      roleSource: fromTd ? "task-definition" : "inferred",
      essential: fromTd ? reading?.containers[view.index]?.essential : undefined,
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
