/**
 * Whether the probe can verify `flushed` on this router (its monitoring server on :2020), and, with
 * `routerMonitoring`, turning that server on where the image ships aws-for-fluent-bit's monitoring config.
 */
import {
  type ContainerReading,
  compareVersions,
  firelensTypeOf,
  formatVersion,
  isObject,
  loadsCustomConfig,
  loadsMonitoringConfig,
  type RouterImage,
  routerHealthCheckInEveryBranch,
  routerImage,
} from "../model/index.js";
import {
  DEFAULT_MONITOR_URL,
  MONITOR_OFF,
  ROUTER_HEALTH_CHECK,
  ROUTER_MONITORING_CONFIG,
  ROUTER_MONITORING_SINCE,
} from "../probe/contract.js";
import type { JsonPath } from "../taskdef/model.js";
import { type TaskScope, viewEdit } from "./context.js";
import { FixError } from "./errors.js";

export interface Monitoring {
  /** The probe's monitor setting: the server's URL, or "off". */
  readonly monitor: string;
  /** The router will have a healthCheck (already, or added now). */
  readonly healthCheck: boolean;
}

function eligible(img: RouterImage): boolean {
  return (
    img.kind === "aws-for-fluent-bit" &&
    img.aws !== undefined &&
    compareVersions(img.aws, ROUTER_MONITORING_SINCE) >= 0
  );
}

function whyNot(img: RouterImage): string {
  if (img.kind !== "aws-for-fluent-bit") {
    return img.ref === undefined
      ? `its image is only known at deploy time (${img.unknownReason ?? "unreadable"})`
      : "its image is not aws-for-fluent-bit";
  }
  return img.aws === undefined
    ? `its aws-for-fluent-bit version is unknown (${img.unknownReason ?? "unreadable tag"})`
    : `aws-for-fluent-bit ${formatVersion(img.aws)} is older than ${formatVersion(ROUTER_MONITORING_SINCE)}`;
}

function turnOn(scope: TaskScope, router: ContainerReading, hasHealthCheck: boolean): Monitoring {
  const name = router.label;
  const base = ["containerDefinitions", router.index, "firelensConfiguration"];
  const fc: unknown = router.definition.firelensConfiguration;
  const opts: unknown = isObject(fc) ? fc.options : undefined;
  let path: JsonPath;
  if (isObject(opts)) {
    viewEdit(scope, "set", [...base, "options", "config-file-type"], "file");
    path = viewEdit(scope, "set", [...base, "options", "config-file-value"], ROUTER_MONITORING_CONFIG);
  } else if (opts === undefined || opts === null) {
    path = viewEdit(scope, "set", [...base, "options"], {
      "config-file-type": "file",
      "config-file-value": ROUTER_MONITORING_CONFIG,
    });
  } else {
    throw new FixError(
      "unsupported",
      scope.ctx.doc.file,
      `${scope.td.id}: router '${name}' has firelensConfiguration options that are not a map`,
    );
  }
  scope.ctx.changes.push({
    kind: "router-monitoring",
    target: scope.td.id,
    container: name,
    path,
    description: `router '${name}' loads ${ROUTER_MONITORING_CONFIG}, which starts the monitoring server on 127.0.0.1:2020, so the probe can verify 'flushed'`,
  });
  if (router.hasHealthCheck && !hasHealthCheck) {
    // A conditional health check is the owner's: left as written, and the gate waits START.
    return { monitor: DEFAULT_MONITOR_URL, healthCheck: false };
  }
  if (!hasHealthCheck) {
    const hc = viewEdit(
      scope,
      "set",
      ["containerDefinitions", router.index, "healthCheck"],
      ROUTER_HEALTH_CHECK,
    );
    scope.ctx.changes.push({
      kind: "router-health-check",
      target: scope.td.id,
      container: name,
      path: hc,
      description:
        router.essential === true
          ? `router '${name}' gets a healthCheck on /api/v1/uptime, so the preflight waits for it to be HEALTHY`
          : `router '${name}' gets a healthCheck on /api/v1/uptime (the preflight still waits for it to START: it is not essential)`,
    });
  }
  return { monitor: DEFAULT_MONITOR_URL, healthCheck: true };
}

/**
 * Whether the gate may wait for the router HEALTHY: only when the router has a health check in every branch of
 * the task (the model's `routerHealthCheckInEveryBranch`). A health check chosen by a condition
 * (`!If [Cond, {...}, !Ref AWS::NoValue]`) or only known at deploy time may be absent when the task runs, and a
 * HEALTHY wait on a container without a health check never ends: the gate and every app it holds would never
 * start. The gate then waits START, which holds in every branch, and `fix` says why.
 */
function healthCheckInEveryBranch(scope: TaskScope, router: ContainerReading): boolean {
  if (!router.hasHealthCheck) return false;
  if (routerHealthCheckInEveryBranch(scope.td)) return true;
  scope.ctx.notes.push(
    `${scope.td.id}: router '${router.label}' has a healthCheck only in some branches (it is chosen by a condition, or only known at deploy time), so the preflight waits for it to START, not to be HEALTHY: a HEALTHY wait on a router without a health check never ends, and the gate and the apps would never start`,
  );
  return false;
}

export function planMonitoring(scope: TaskScope, router: ContainerReading): Monitoring {
  const { ctx, td } = scope;
  const name = router.label;
  const def = router.definition;
  const hasHealthCheck = healthCheckInEveryBranch(scope, router);
  if (loadsMonitoringConfig(def)) return { monitor: DEFAULT_MONITOR_URL, healthCheck: hasHealthCheck };
  if (loadsCustomConfig(def)) {
    // A custom config may or may not run the HTTP server; the probe's `auto` finds out at run time.
    ctx.notes.push(
      `${td.id}: router '${name}' loads its own config; the probe verifies 'flushed' only if that config enables the HTTP monitoring server on 127.0.0.1:2020, else 'accepted'`,
    );
    return { monitor: DEFAULT_MONITOR_URL, healthCheck: hasHealthCheck };
  }
  const img = routerImage(router.imageText, firelensTypeOf(def));
  if (ctx.options.routerMonitoring === true && eligible(img)) return turnOn(scope, router, hasHealthCheck);
  ctx.notes.push(
    ctx.options.routerMonitoring === true
      ? `${td.id}: router '${name}' has no monitoring server and cannot get one (${whyNot(img)}); the probe will be limited to 'accepted'`
      : eligible(img)
        ? `${td.id}: router '${name}' has no monitoring server; the probe will be limited to 'accepted' (--router-monitoring adds it)`
        : `${td.id}: router '${name}' has no monitoring server (${whyNot(img)}); the probe will be limited to 'accepted'`,
  );
  return { monitor: MONITOR_OFF, healthCheck: hasHealthCheck };
}
