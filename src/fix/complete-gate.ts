/**
 * Completing a gate already in the task: it must be non-essential, wait for the router only as every branch
 * allows, and send records for every container that waits for it, through the setting the probe actually reads.
 */
import {
  type ContainerReading,
  containersSetting,
  type GatedName,
  gateTargets,
  readBranches,
  routerHealthCheckInEveryBranch,
} from "../model/index.js";
import { PROBE_SETTINGS, splitList, targetsCover } from "../probe/contract.js";
import type { JsonPath } from "../taskdef/model.js";
import { gatedNameOf, q, refuse, routerNotEssential, type TaskScope, viewEdit } from "./context.js";

/**
 * An existing gate must itself be a gate: non-essential (an essential one stops the task when it exits 0, and ECS
 * rejects SUCCESS on it: FLP104, FLP204).
 */
export function completeGate(scope: TaskScope, gate: ContainerReading): void {
  const { ctx, td } = scope;
  const base = ["containerDefinitions", gate.index];
  // A HEALTHY wait on a router whose health check exists only in some branches never ends in the others; nor
  // does one on a router that is not essential and stops before it is healthy (FLP112: the task hangs).
  const router = scope.task.router;
  const healthy = gate.dependsOn.find((d) => d.target === router?.name && d.condition === "HEALTHY");
  const why =
    router === undefined || healthy === undefined
      ? undefined
      : !routerHealthCheckInEveryBranch(td)
        ? "its healthCheck exists only in some branches (a condition, or a deploy-time value), and a HEALTHY wait on a router without one never ends"
        : router.essential !== true
          ? `${routerNotEssential(router, "it")}: if it stops before it is healthy, the task goes on and a HEALTHY wait on it never ends, so the gate and the apps never start and the task hangs before RUNNING (FLP112)`
          : undefined;
  if (router !== undefined && healthy !== undefined && why !== undefined) {
    const path = viewEdit(scope, "set", [...base, "dependsOn", healthy.index, "condition"], "START");
    ctx.changes.push({
      kind: "gate-condition",
      target: td.id,
      container: gate.label,
      path,
      description: `'${gate.label}' now waits for router '${router.label}' to START, not to be HEALTHY: ${why}`,
    });
  }
  if (gate.essential !== false) {
    // A value only known at deploy time is replaced too: a gate that may be essential is not a gate.
    const was = gate.essential === undefined ? "only known at deploy time" : "true";
    const path = viewEdit(scope, "set", [...base, "essential"], false);
    ctx.changes.push({
      kind: "gate-essential",
      target: td.id,
      container: gate.label,
      path,
      description: `'${gate.label}' is now non-essential (it was ${was}): its exit, pass or fail, must not stop the task by itself`,
    });
  }
}

/**
 * An existing gate must send records for every container it gates (FLP206). Its targets are read as the probe
 * reads them (the model's `gateTargets`, the contract's parser: the last `--containers` flag wins over the
 * variable), and the missing names go where the list that counts is written.
 */
export function coverGate(scope: TaskScope, gate: ContainerReading, gated: readonly GatedName[]): void {
  const { ctx, td } = scope;
  const { targets, containers: source } = gateTargets(gate);
  // A list only known at deploy time cannot be checked, nor safely extended.
  if (targets.unknown) {
    ctx.notes.push(
      `${td.id}: the targets of '${gate.label}' are only known at deploy time; make sure they cover ${q(gated.map(labelOf))}`,
    );
    return;
  }
  const covered = (n: GatedName) => typeof n === "string" && targetsCover(targets, n);
  const missing = gated.filter((n) => !covered(n));
  if (missing.length === 0) return;
  const listed = splitList(source.value ?? "");
  const all: GatedName[] = [...listed, ...missing];
  let path: JsonPath;
  if (source.kind === "flag") {
    // A deploy-time name cannot go into a flag's text; the variable would be ignored (flags win), so say so.
    if (!all.every((n): n is string => typeof n === "string")) {
      refuse(
        scope,
        `'${gate.label}' takes its containers from the ${source.field} flag --${PROBE_SETTINGS.containers.flag}, and ${q(missing.map(labelOf))} is only named at deploy time; add it to that flag by hand`,
      );
    }
    const list = all.join(",");
    const value = source.inline ? `--${PROBE_SETTINGS.containers.flag}=${list}` : list;
    path = viewEdit(scope, "set", ["containerDefinitions", gate.index, source.field, source.index], value);
  } else {
    const value = containersSetting(all);
    const base = ["containerDefinitions", gate.index, "environment"];
    if (source.index !== undefined) {
      path = viewEdit(scope, "set", [...base, source.index, "value"], value);
    } else {
      const item = { name: PROBE_SETTINGS.containers.env, value };
      const list: unknown = gate.definition.environment;
      if (list === undefined || list === null) path = viewEdit(scope, "set", base, [item]);
      else if (Array.isArray(list)) path = viewEdit(scope, "append", base, item);
      else {
        refuse(
          scope,
          `'${gate.label}' has an environment that is not a list; add ${PROBE_SETTINGS.containers.env}=${q(missing.map(labelOf))} by hand`,
        );
      }
    }
  }
  ctx.changes.push({
    kind: "preflight-coverage",
    target: td.id,
    container: gate.label,
    path,
    description: `'${gate.label}' now also sends records through the outputs of ${q(missing.map(labelOf))}${source.kind === "flag" ? ` (its --${PROBE_SETTINGS.containers.flag} flag, which the probe reads before the variable)` : ""}`,
  });
}

/**
 * The names a gate must send records for: the containers being gated now, and every named container that logs
 * through awsfirelens and already waits for the gate with SUCCESS (what FLP206 checks), essential or not.
 */
export function withWaiters(
  scope: TaskScope,
  gate: ContainerReading,
  gated: readonly ContainerReading[],
): GatedName[] {
  const names = gated.map((c) => gatedNameOf(c) as GatedName);
  // Whether each container logs through awsfirelens, branch by branch (a log driver chosen by a condition).
  const branches = readBranches(scope.td).map((b) => b.task);
  const firelensIn = (name: string) =>
    branches.filter((t) => t.byName.get(name)?.logsThroughFirelens === true).length;
  for (const c of scope.task.containers) {
    if (c === gate || c.name === undefined || names.includes(c.name)) continue;
    if (!c.dependsOn.some((d) => d.target === gate.name && d.condition === "SUCCESS")) continue;
    const n = firelensIn(c.name);
    if (n === 0) continue;
    if (n < branches.length) {
      // Records for a container whose output exists in some branches only would go unflushed in the others,
      // and the probe would fail a healthy router there: the target list would need a condition of its own.
      refuse(
        scope,
        `'${c.label}' waits for '${gate.label}' and logs through awsfirelens only in some branches (its log driver is chosen by a condition), so the probe's target list would have to follow that condition; add it to ${PROBE_SETTINGS.containers.env} under the same condition by hand`,
      );
    }
    names.push(c.name);
  }
  return names;
}

function labelOf(n: GatedName): string {
  return typeof n === "string" ? n : `(deploy-time name ${n.fn})`;
}
