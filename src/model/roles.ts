/**
 * Who is who in a task. Every part asks here; none decides a role on its own.
 *
 * - router: the last container with a `firelensConfiguration` — the one the ECS agent configures and makes the
 *   awsfirelens containers wait for (`addFirelensContainerDependency`, agent/api/task/task.go).
 * - gate: a container named like the gate, carrying the probe's settings, or shaped like a gate (something waits
 *   on it with SUCCESS and it waits on the router).
 * - agent: the Datadog Agent, by its image in any registry spelling, or by the names Datadog's docs use.
 * - app: any other container that logs through awsfirelens.
 */
import { PREFLIGHT_CONTAINER_NAME, PROBE_ENV_PREFIX } from "../probe/contract.js";
import type { Dependency, Evidence, Role } from "./types.js";

/**
 * Datadog Agent images: Docker Hub `datadog/agent`, `gcr.io/datadoghq/agent`, ECR Public
 * `public.ecr.aws/datadog/agent`, Datadog's own `registry.datadoghq.com/agent`, the legacy
 * `datadog/docker-dd-agent`, and mirrors named `datadog-agent`. The cluster agent and dogstatsd are not it.
 */
const AGENT_IMAGE =
  /(^|\/)(?:(?:datadog|datadoghq)\/(?:agent|docker-dd-agent)|registry\.datadoghq\.com\/agent|datadog-agent)(?::|@|$)/i;
const AGENT_NAMES: ReadonlySet<string> = new Set(["datadog-agent", "dd-agent", "datadog"]);

/** Why a container looks like the Datadog Agent, or `undefined` when it does not. */
export function agentEvidence(name: string | undefined, image: string | undefined): Evidence | undefined {
  if (image !== undefined && AGENT_IMAGE.test(image)) return [`image ${image} is the Datadog Agent`];
  if (name !== undefined && AGENT_NAMES.has(name.toLowerCase())) {
    return [`named '${name}', as Datadog's ECS docs name the Agent`];
  }
  return undefined;
}

/** What the role decision needs to know about one container. */
export interface RoleInput {
  readonly name: string | undefined;
  readonly image: string | undefined;
  readonly hasFirelensConfiguration: boolean;
  readonly logsThroughFirelens: boolean;
  readonly environmentNames: Iterable<string>;
  /** Arguments (entryPoint then command), for the probe's `--containers` / `--tags` flags. */
  readonly args: readonly unknown[];
  readonly dependsOn: readonly Dependency[];
}

export interface RoleResult {
  readonly roles: readonly Role[];
  readonly evidence: readonly Evidence[];
  /** Index of the router, or -1. */
  readonly router: number;
}

function probeEvidence(c: RoleInput): string | undefined {
  for (const name of c.environmentNames) {
    if (name.startsWith(PROBE_ENV_PREFIX)) return `carries the probe's ${name}`;
  }
  for (const arg of c.args) {
    if (typeof arg === "string" && /^--(containers|tags)(=|$)/.test(arg)) return `runs the probe with ${arg}`;
  }
  return undefined;
}

export function assignRoles(containers: readonly RoleInput[]): RoleResult {
  const roles: Role[] = containers.map(() => "other");
  const evidence: Evidence[] = containers.map(() => []);
  let router = -1;
  let firelensCount = 0;
  containers.forEach((c, i) => {
    if (c.hasFirelensConfiguration) {
      router = i;
      firelensCount++;
    }
  });
  if (router >= 0) {
    roles[router] = "router";
    evidence[router] =
      firelensCount === 1
        ? ["has firelensConfiguration"]
        : [
            "has firelensConfiguration",
            `the last of ${firelensCount} such containers, the one the ECS agent uses (ECS accepts only one)`,
          ];
  }
  const routerName = router >= 0 ? containers[router]?.name : undefined;
  const successTargets = new Set<string>();
  for (const c of containers) {
    for (const d of c.dependsOn)
      if (d.condition === "SUCCESS" && d.target !== undefined) successTargets.add(d.target);
  }
  containers.forEach((c, i) => {
    if (i === router) return;
    const why: string[] = [];
    if (c.name === PREFLIGHT_CONTAINER_NAME) why.push(`named '${PREFLIGHT_CONTAINER_NAME}'`);
    const probe = probeEvidence(c);
    if (probe !== undefined) why.push(probe);
    if (
      c.name !== undefined &&
      successTargets.has(c.name) &&
      routerName !== undefined &&
      c.dependsOn.some((d) => d.target === routerName)
    ) {
      why.push(`waits on the router '${routerName}' and something waits on it with SUCCESS`);
    }
    if (why.length > 0) {
      roles[i] = "gate";
      evidence[i] = why;
    }
  });
  let agentFound = false;
  containers.forEach((c, i) => {
    if (roles[i] !== "other" || agentFound) return;
    const why = agentEvidence(c.name, c.image);
    if (why !== undefined) {
      roles[i] = "agent";
      evidence[i] = why;
      agentFound = true;
    }
  });
  containers.forEach((c, i) => {
    if (roles[i] === "other" && c.logsThroughFirelens) {
      roles[i] = "app";
      evidence[i] = ["logs through awsfirelens"];
    }
  });
  return { roles, evidence, router };
}
