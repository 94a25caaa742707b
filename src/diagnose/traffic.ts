/**
 * Whether the load balancer could have sent the task requests before it stopped. describe-tasks does not
 * say; what says it is an app process that ran (an exit code of its own, HEALTHY, RUNNING) and a sign of
 * traffic readiness: a target registered while the task lived (describe-services events) or HEALTHY.
 */
import { classifyEvent, iso, serviceNameOf } from "./services.js";
import { formatExit, isDependencyStop } from "./signals.js";
import type { ContainerFacts, EvidenceLine, Service, Task, TrafficWindow } from "./types.js";
import { q } from "./wording.js";

/** The service a task belongs to: the one its `service:<name>` group names, else the only one given. */
export function serviceFor(task: Task, services: readonly Service[]): Service | undefined {
  const group = task.group ?? "";
  const wanted = group.startsWith("service:") ? group.slice("service:".length) : undefined;
  if (wanted !== undefined) {
    const hit = services.find((s) => serviceNameOf(s) === wanted);
    if (hit !== undefined) return hit;
  }
  return services.length === 1 && wanted === undefined ? services[0] : undefined;
}

export interface ServiceEvidence {
  /** A target registration fell in the task's lifetime. */
  readonly registered: boolean;
  /** The task or one of its apps reported HEALTHY. */
  readonly healthy: boolean;
  readonly evidence: readonly EvidenceLine[];
}

/**
 * Service events that speak about this task: those naming it, and target (de)registrations while it
 * lived. Registration events name the target group, not the task, so the time window is all that ties
 * them to it; the evidence line says so.
 */
export function serviceEvidence(
  task: Task,
  taskId: string,
  apps: readonly ContainerFacts[],
  service: Service | undefined,
): ServiceEvidence {
  const evidence: EvidenceLine[] = [];
  // ECS registers the target while the task is ACTIVATING, before it reports RUNNING (the task lifecycle in
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html), so the window opens
  // at creation.
  const from = task.createdAt ?? task.pullStartedAt ?? task.startedAt;
  const until = task.stoppedAt ?? task.executionStoppedAt;
  let registered = false;
  if (service !== undefined) {
    const events = (service.events ?? []).map(classifyEvent);
    events.sort((a, b) => (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0));
    for (const e of events) {
      const inWindow =
        e.at !== undefined &&
        from !== undefined &&
        e.at.getTime() >= from.getTime() - 1000 &&
        (until === undefined || e.at.getTime() <= until.getTime() + 1000);
      if (e.taskIds.includes(taskId)) {
        evidence.push({ subject: "event", text: `${iso(e.at)} ${e.message}` });
      } else if ((e.kind === "registered" || e.kind === "deregistered") && inWindow) {
        if (e.kind === "registered") registered = true;
        evidence.push({
          subject: "event",
          text: `${iso(e.at)} ${e.message} (while this task was up; the event does not name the task)`,
        });
      }
    }
  }
  const healthy = task.healthStatus === "HEALTHY" || apps.some((a) => a.healthStatus === "HEALTHY");
  return { registered, healthy, evidence };
}

/**
 * Why we believe an app process ran, or `undefined`. An exit code that is not the agent's synthesised
 * dependency stop means a process existed and ended; HEALTHY means it answered its health check.
 */
function ranBecause(a: ContainerFacts): string | undefined {
  if (a.exitCode !== undefined && !isDependencyStop(a.exitCode, a.reason)) {
    return `${q(a.name)} exited ${formatExit(a.exitCode)}, so its process had started`;
  }
  if (a.healthStatus === "HEALTHY") return `${q(a.name)} reported HEALTHY`;
  if (a.lastStatus === "RUNNING") return `${q(a.name)} was still RUNNING`;
  return undefined;
}

interface WindowInput {
  readonly task: Task;
  readonly stopped: boolean;
  readonly apps: readonly ContainerFacts[];
  /** The gate failed or held an app back. */
  readonly gateHeld: boolean;
  readonly service: ServiceEvidence;
}

/** The traffic window of a stopped task and the evidence it rests on, in a few words. */
export function trafficWindow(w: WindowInput): { window: TrafficWindow; basis: string } {
  if (!w.stopped) return { window: "not-applicable", basis: "" };
  const ran = w.apps.map(ranBecause).filter((r): r is string => r !== undefined);
  if (ran.length === 0) {
    if (w.gateHeld) return { window: "before", basis: "the apps were held back by the gate and never ran" };
    if (
      w.apps.length > 0 &&
      w.apps.every((a) => a.exitCode === undefined) &&
      w.task.startedAt === undefined
    ) {
      return {
        window: "before",
        basis: "no app container has an exit code and the task never reached RUNNING",
      };
    }
    return { window: "unknown", basis: "no app container shows that its process ran" };
  }
  const why = ran.join("; ");
  if (w.service.registered) {
    return { window: "after", basis: `${why}; a load-balancer target was registered while the task was up` };
  }
  if (w.service.healthy) return { window: "after", basis: `${why}; the task or an app reported HEALTHY` };
  return {
    window: "likely-after",
    basis:
      w.task.startedAt === undefined
        ? `${why}; no service events or health status show it receiving traffic`
        : `${why}; the task reached RUNNING (startedAt ${iso(w.task.startedAt)}); no service events show a target registration`,
  };
}
