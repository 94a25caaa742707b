/** Deployment circuit breaker with rollback on the services that run a gated task (templates). */
import { isObject } from "../model/index.js";
import { deploymentControllerOf, isIntrinsic, ROLLING_CONTROLLER } from "../taskdef/index.js";
import type { JsonPath, ServiceView } from "../taskdef/model.js";
import { edit, type FixContext } from "./context.js";

const ON = { enable: true, rollback: true };

/** Where to write a whole `DeploymentConfiguration` when the service has none. */
function configurationPath(ctx: FixContext, s: ServiceView): { path: JsonPath; value: unknown } {
  const props = ctx.doc.locate(s.path);
  const parent = ctx.doc.locate(s.path.slice(0, -1));
  // A service without Properties at all: its raw path then locates to the resource itself.
  if (props.offset === parent.offset) {
    return { path: s.path, value: { deploymentConfiguration: { deploymentCircuitBreaker: ON } } };
  }
  return { path: [...s.path, "DeploymentConfiguration"], value: { deploymentCircuitBreaker: ON } };
}

export function planService(ctx: FixContext, s: ServiceView): void {
  // The circuit breaker applies to the rolling update only (reference ecs.md §6): a CODE_DEPLOY or EXTERNAL
  // service keeps its own rollback, and one whose controller is only known at deploy time is left to its owner.
  const controller = deploymentControllerOf(ctx.doc, s);
  if (controller !== ROLLING_CONTROLLER) {
    ctx.notes.push(
      controller === "unknown"
        ? `service '${s.id}': its deployment controller is only known at deploy time; if it is the rolling ECS one, turn on DeploymentCircuitBreaker {Enable: true, Rollback: true} by hand`
        : `service '${s.id}': deployment controller ${controller}; the circuit breaker applies to the rolling ECS controller only, so it is left alone`,
    );
    return;
  }
  const describe = `service '${s.id}' gets deployment circuit breaker rollback, so a deployment whose tasks the gate stops rolls back instead of retrying forever`;
  const set = (path: JsonPath, value: unknown) => {
    edit(ctx, "set", path, value);
    ctx.changes.push({ kind: "circuit-breaker", target: s.id, path, description: describe });
  };
  const dc: unknown = s.deploymentConfiguration;
  if (dc === null) {
    // `DeploymentConfiguration:` written with no value.
    set([...s.path, "DeploymentConfiguration"], { deploymentCircuitBreaker: ON });
    return;
  }
  if (dc === undefined) {
    const { path, value } = configurationPath(ctx, s);
    set(path, value);
    return;
  }
  if (!isObject(dc)) {
    ctx.notes.push(
      `service '${s.id}': DeploymentConfiguration is an intrinsic; turn on DeploymentCircuitBreaker {Enable: true, Rollback: true} by hand`,
    );
    return;
  }
  const cb: unknown = dc.deploymentCircuitBreaker;
  const base = [...s.path, "DeploymentConfiguration", "DeploymentCircuitBreaker"];
  if (cb === undefined || cb === null) {
    set(base, ON);
    return;
  }
  if (!isObject(cb)) {
    ctx.notes.push(
      `service '${s.id}': DeploymentCircuitBreaker is an intrinsic; make sure it enables rollback`,
    );
    return;
  }
  for (const key of ["enable", "rollback"] as const) {
    const v: unknown = cb[key];
    if (v === true) continue;
    const field = key === "enable" ? "Enable" : "Rollback";
    if (isIntrinsic(v)) {
      ctx.notes.push(`service '${s.id}': DeploymentCircuitBreaker.${field} is an intrinsic; left as is`);
      continue;
    }
    set([...base, field], true);
  }
}
