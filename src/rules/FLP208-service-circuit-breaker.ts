/**
 * Passes when every service running a FireLens task with the rolling (`ECS`) deployment controller has a
 * deployment circuit breaker with rollback. Blue/green (`CODE_DEPLOY`) and `EXTERNAL` services are out of scope:
 * the circuit breaker applies to the rolling update only (reference ecs.md §6), so asking for it there is wrong.
 */
import { deploymentControllerOf, ROLLING_CONTROLLER } from "../taskdef/index.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { bool, isObject } from "./util.js";

export const FLP208 = defineRule({
  meta: {
    id: "FLP208",
    title: "Service without deployment circuit breaker rollback",
    severity: "warning",
    family: "deploy-safety",
    rationale:
      "The preflight gate stops a bad task before it takes traffic, but the service keeps launching replacements. The deployment circuit breaker counts tasks that fail to reach RUNNING and, with rollback, returns the service to the last completed deployment instead of retrying forever. It applies to the rolling update (the `ECS` deployment controller) only, so services deployed by CodeDeploy or an external controller are not checked.",
    sources: [SRC.circuitBreaker, SRC.cfnService],
    fixHint:
      "Set DeploymentConfiguration.DeploymentCircuitBreaker to {Enable: true, Rollback: true} (`firelens-preflight fix` does).",
    fixable: "gate",
    messages: {
      missing: "Service '{{service}}' runs '{{taskDefinition}}' without a deployment circuit breaker.",
      disabled: "Service '{{service}}' has its deployment circuit breaker disabled.",
      noRollback:
        "Service '{{service}}' has a deployment circuit breaker without Rollback: a failed deployment stays failed.",
    },
  },
  check(ctx) {
    if (ctx.task.firelensContainers.length === 0) return;
    for (const s of ctx.services) {
      // Asked only when there is something to report (it reads the service's own text). A controller only known
      // at deploy time may be the rolling one: the finding stands.
      const rolling = () => {
        const controller = deploymentControllerOf(ctx.document, s);
        return controller === ROLLING_CONTROLLER || controller === "unknown";
      };
      const dc: unknown = s.deploymentConfiguration;
      const base = [...s.path, "DeploymentConfiguration"];
      const data = { service: s.id, taskDefinition: ctx.taskDefinition.id };
      if (dc !== undefined && !isObject(dc)) continue;
      const cb: unknown = dc?.deploymentCircuitBreaker;
      if (cb === undefined || cb === null) {
        if (rolling()) ctx.report({ messageId: "missing", data, rawPath: dc === undefined ? s.path : base });
        continue;
      }
      if (!isObject(cb)) continue;
      const enable = bool(cb.enable);
      const rollback = bool(cb.rollback);
      if ((enable === false || (enable === true && rollback !== true)) && !rolling()) continue;
      if (enable === false) {
        ctx.report({ messageId: "disabled", data, rawPath: [...base, "DeploymentCircuitBreaker", "Enable"] });
      } else if (enable === true && rollback !== true && (rollback === false || cb.rollback === undefined)) {
        ctx.report({ messageId: "noRollback", data, rawPath: [...base, "DeploymentCircuitBreaker"] });
      }
    }
  },
});
