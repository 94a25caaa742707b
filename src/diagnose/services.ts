/**
 * What describe-services output says about a deployment. Service event messages are free text; the
 * wording matched here is the one ECS writes into `events[].message` and `deployments[].rolloutStateReason`
 * (API_ServiceEvent, API_Deployment; observed wording in public describe-services output):
 *
 * - `(service S) has started N tasks: (task ID) …`            → started
 * - `(service S) has stopped N running tasks: (task ID) …`    → stopped
 * - `(service S) registered N targets in (target-group ARN)`   → target registered (names no task)
 * - `(service S) deregistered N targets in (target-group ARN)` → target deregistered
 * - `(service S) (deployment ID) deployment failed: tasks failed to start.` → deployment failed
 * - `(service S) rolling back to deployment ID.`               → rollback
 * - `(service S) (task ID) failed container health checks.` / `… failed ELB health checks …` → health
 * - `(service S) has reached a steady state.`                  → steady
 * - rolloutStateReason `ECS deployment circuit breaker: …`      → circuit breaker
 *
 * Matching is case-insensitive and tolerant of the optional `(deployment …)` / `taskSet` parts.
 */
import type {
  Deployment,
  EvidenceLine,
  Prevention,
  Service,
  ServiceDiagnosis,
  ServiceEvent,
} from "./types.js";

export type EventKind =
  | "started"
  | "stopped"
  | "registered"
  | "deregistered"
  | "deployment-failed"
  | "rollback"
  | "health-failed"
  | "steady"
  | "other";

export interface ClassifiedEvent {
  readonly kind: EventKind;
  readonly at: Date | undefined;
  readonly message: string;
  /** Task ids named in the message (`(task abc…)`). */
  readonly taskIds: readonly string[];
}

export function classifyEvent(e: ServiceEvent): ClassifiedEvent {
  const message = e.message ?? "";
  const taskIds = [...message.matchAll(/\(task ([0-9a-z-]+)\)/gi)].map((m) => m[1] ?? "");
  let kind: EventKind = "other";
  if (/rolling back|rolled back|roll(ing)? back to/i.test(message)) kind = "rollback";
  else if (/deployment failed/i.test(message) || /circuit breaker/i.test(message)) kind = "deployment-failed";
  else if (/\bderegistered \d+ targets?\b/i.test(message)) kind = "deregistered";
  else if (/\bregistered \d+ targets?\b/i.test(message)) kind = "registered";
  else if (/has started \d+ tasks?/i.test(message)) kind = "started";
  else if (/has stopped \d+ (running )?tasks?/i.test(message)) kind = "stopped";
  else if (
    /failed (container |ELB |elb |load balancer )?health checks?/i.test(message) ||
    /unhealthy/i.test(message)
  ) {
    kind = "health-failed";
  } else if (/steady state/i.test(message)) kind = "steady";
  return { kind, at: e.createdAt instanceof Date ? e.createdAt : undefined, message, taskIds };
}

export function serviceNameOf(s: Service): string {
  if (s.serviceName !== undefined) return s.serviceName;
  const arn = s.serviceArn ?? "";
  return arn.slice(arn.lastIndexOf("/") + 1) || "(unnamed service)";
}

export function iso(d: Date | undefined): string {
  return d === undefined ? "?" : d.toISOString().replace(".000Z", "Z");
}

function isCircuitBreakerReason(text: string | undefined): boolean {
  return text !== undefined && /circuit breaker/i.test(text);
}

function describeDeployment(d: Deployment): string {
  const parts = [
    d.id ?? "(no id)",
    d.status ?? undefined,
    d.rolloutState === undefined ? undefined : `rolloutState ${d.rolloutState}`,
    d.taskDefinition === undefined ? undefined : `task definition ${shortTaskDefinition(d.taskDefinition)}`,
    d.failedTasks === undefined ? undefined : `${d.failedTasks} failed tasks`,
    d.rolloutStateReason === undefined ? undefined : `reason "${d.rolloutStateReason}"`,
  ].filter((p): p is string => p !== undefined);
  return parts.join(", ");
}

/** `arn:…:task-definition/backend:42` → `backend:42`. */
export function shortTaskDefinition(arn: string): string {
  const i = arn.indexOf("task-definition/");
  return i >= 0 ? arn.slice(i + "task-definition/".length) : arn;
}

const RELEVANT: ReadonlySet<EventKind> = new Set([
  "rollback",
  "deployment-failed",
  "health-failed",
  "started",
  "stopped",
  "registered",
  "deregistered",
]);

/** Newest first, as describe-services prints them; at most `limit`. */
function relevantEvents(s: Service, limit = 12): ClassifiedEvent[] {
  const events = (s.events ?? []).map(classifyEvent).filter((e) => RELEVANT.has(e.kind));
  events.sort((a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0));
  return events.slice(0, limit);
}

export function diagnoseService(s: Service): ServiceDiagnosis {
  const name = serviceNameOf(s);
  const deployments = s.deployments ?? [];
  const events = (s.events ?? []).map(classifyEvent);
  const failedByBreaker = deployments.filter(
    (d) =>
      d.rolloutState === "FAILED" &&
      (isCircuitBreakerReason(d.rolloutStateReason) || d.rolloutStateReason === undefined),
  );
  const rollbackEvents = events.filter((e) => e.kind === "rollback");
  const failedEvents = events.filter((e) => e.kind === "deployment-failed");
  const rollbackInReason = deployments.some(
    (d) => d.rolloutStateReason !== undefined && /roll(ing|ed)? ?back/i.test(d.rolloutStateReason),
  );
  const breaker = s.deploymentConfiguration?.deploymentCircuitBreaker;

  const evidence: EvidenceLine[] = [];
  if (breaker !== undefined) {
    evidence.push({
      subject: "service",
      text: `deploymentCircuitBreaker enable ${String(breaker.enable)}, rollback ${String(breaker.rollback)}`,
    });
  }
  for (const d of deployments) evidence.push({ subject: "deployment", text: describeDeployment(d) });
  for (const e of relevantEvents(s)) evidence.push({ subject: "event", text: `${iso(e.at)} ${e.message}` });

  const prevention: Prevention[] = [];
  const breakerOn = breaker?.enable === true && breaker.rollback === true;
  let kind: ServiceDiagnosis["kind"];
  let summary: string;
  if (rollbackEvents.length > 0 || rollbackInReason) {
    kind = "circuit-breaker-rollback";
    const failed = failedByBreaker[0] ?? deployments.find((d) => d.rolloutState === "FAILED");
    const target = /rolling back to (?:deployment )?([\w/.-]+?)\.?$/i.exec(
      rollbackEvents[0]?.message ?? "",
    )?.[1];
    summary =
      `The deployment circuit breaker rolled service '${name}' back` +
      (failed?.id === undefined ? "" : ` from failed deployment ${failed.id}`) +
      (target === undefined ? "" : ` to ${target}`) +
      ": new tasks kept failing, so ECS stopped launching them and returned to the last completed deployment.";
    prevention.push({
      kind: "rule",
      id: "FLP208",
      why: "the circuit breaker with rollback is what ended this deploy; keep it on every service",
    });
  } else if (failedByBreaker.length > 0 || failedEvents.length > 0) {
    kind = "circuit-breaker-failed";
    const failed = failedByBreaker[0];
    summary =
      `A deployment of service '${name}' failed` +
      (failed?.id === undefined ? "" : ` (${failed.id})`) +
      (failed?.rolloutStateReason === undefined ? "" : `: ${failed.rolloutStateReason.replace(/\.$/, "")}`) +
      "; nothing here shows a rollback, so the service may be left on the failed deployment or stalled.";
    prevention.push({
      kind: "rule",
      id: "FLP208",
      why: "enable the deployment circuit breaker with rollback so a failing deploy returns to the last completed one",
    });
  } else if (deployments.some((d) => d.rolloutState === "IN_PROGRESS")) {
    kind = "in-progress";
    summary = `A deployment of service '${name}' is in progress; no circuit-breaker failure or rollback is recorded.`;
  } else if (
    events.some((e) => e.kind === "steady") ||
    deployments.some((d) => d.rolloutState === "COMPLETED")
  ) {
    kind = "steady";
    summary = `Service '${name}' completed its deployment; no circuit-breaker failure or rollback is recorded.`;
  } else {
    kind = "unknown";
    summary = `Service '${name}': the deployments and events given show no circuit-breaker failure or rollback.`;
  }
  if (!breakerOn && breaker !== undefined && kind !== "circuit-breaker-rollback") {
    if (!prevention.some((p) => p.kind === "rule" && p.id === "FLP208")) {
      prevention.push({
        kind: "rule",
        id: "FLP208",
        why: "this service has no deployment circuit breaker with rollback: a deploy whose tasks keep failing is never rolled back",
      });
    }
  }
  return { serviceName: name, kind, summary, evidence, prevention };
}
