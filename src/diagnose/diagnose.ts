/**
 * Naming the chain that stopped a task, from what describe-tasks (and optionally describe-services and
 * the task definition) show. The facts it rests on are in reference/ecs.md: an essential container's exit
 * stops the task (`EssentialContainerExited`, "Essential container in task exited"); the agent stops the
 * other containers with SIGTERM (143) and SIGKILL after stopTimeout (137); an unresolvable SUCCESS
 * dependency stops the dependent with exit 143 and `CannotStartContainerError`; Fluent Bit crashes end in
 * 139 (SIGSEGV) or 134 (SIGABRT).
 *
 * describe-tasks gives no per-container stop times, so "which container exited first" is read from exit
 * codes and reasons: the one that exited on its own (crash, OOM, non-zero, or a clean exit) is the
 * culprit, the ones with 143/137 were stopped by the agent afterwards.
 */
import type { ContainerDefinition, TaskDefinitionView } from "../taskdef/model.js";
import { containerFacts, familyOfArn } from "./roles.js";
import { classifyEvent, diagnoseService, iso, serviceNameOf, shortTaskDefinition } from "./services.js";
import {
  formatExit,
  isCrashSignature,
  isDependencyStop,
  isOutOfMemory,
  isStartFailure,
  preflightExitMeaning,
  probeReasonOf,
} from "./signals.js";
import type {
  ContainerFacts,
  Diagnosis,
  DiagnosisKind,
  EvidenceLine,
  Failure,
  Prevention,
  Service,
  Task,
  TaskDiagnosis,
  TrafficWindow,
} from "./types.js";

export interface DiagnoseOptions {
  /** describe-services output for the tasks' services: events (target registration, rollbacks) and deployments. */
  readonly services?: readonly Service[];
  /**
   * The task definition the tasks ran, from the project's loader (`parseDocument(...).taskDefinitions`):
   * roles and `essential` come from it. Given several (a template), each task gets the one whose family
   * matches its `taskDefinitionArn`.
   */
  readonly taskDefinition?: TaskDefinitionView | readonly TaskDefinitionView[];
  /** describe-tasks `failures` (tasks ECS could not describe), reported as they are. */
  readonly failures?: readonly Failure[];
}

const FIX_COMMAND = "firelens-preflight fix <task-definition>";

/**
 * The task definition a task ran, among those given: the one whose family matches the task's
 * `taskDefinitionArn`, else the only one. A template's logical id stands in when it has no literal family.
 */
export function taskDefinitionFor(
  task: Task,
  given: TaskDefinitionView | readonly TaskDefinitionView[] | undefined,
): TaskDefinitionView | undefined {
  if (given === undefined) return undefined;
  const list: readonly TaskDefinitionView[] = isViewList(given) ? given : [given];
  if (list.length <= 1) return list[0];
  const family = familyOfArn(task.taskDefinitionArn);
  const match = list.find((td) => {
    const f: unknown = td.taskDefinition.family;
    return family !== undefined && (f === family || td.id === family);
  });
  return match ?? list[0];
}

function isViewList(
  given: TaskDefinitionView | readonly TaskDefinitionView[],
): given is readonly TaskDefinitionView[] {
  return Array.isArray(given);
}

export function taskIdOf(task: Task): string {
  const arn = task.taskArn ?? "";
  const id = arn.slice(arn.lastIndexOf("/") + 1);
  return id === "" ? "(task without ARN)" : id;
}

/** `139 (SIGSEGV, a crash signature)`, `1 (not a crash signature)`. */
function withNote(exitCode: number, note: string): string {
  const text = formatExit(exitCode);
  return text.endsWith(")") ? `${text.slice(0, -1)}, ${note})` : `${text} (${note})`;
}

/** `OutOfMemoryError` from `OutOfMemoryError: Container killed…`; `probe result` for the probe's JSON line. */
function reasonLabel(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  const name = /^\s*([A-Z][A-Za-z]*(?:Error|Exception))\b/.exec(reason)?.[1];
  if (name !== undefined) return name;
  return reason.trim().startsWith("{") ? "probe result in reason" : undefined;
}

function q(name: string): string {
  return `'${name}'`;
}

function names(list: readonly ContainerFacts[]): string {
  const quoted = list.map((c) => q(c.name));
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

function roleLabel(c: ContainerFacts): string {
  const role =
    c.role === "router"
      ? "log router"
      : c.role === "preflight"
        ? "preflight gate"
        : c.role === "agent"
          ? "agent"
          : c.role === "app"
            ? "app"
            : "container";
  const essential = c.essential === undefined ? "essential?" : c.essential ? "essential" : "non-essential";
  return `${role}, ${essential}${c.roleSource === "inferred" ? ", inferred" : ""}`;
}

function containerLine(c: ContainerFacts): EvidenceLine {
  const parts = [`[${roleLabel(c)}]`, `lastStatus ${c.lastStatus ?? "?"}`];
  parts.push(c.exitCode === undefined ? "no exit code" : `exit ${formatExit(c.exitCode)}`);
  if (c.reason !== undefined) parts.push(`reason "${c.reason}"`);
  if (c.healthStatus !== undefined && c.healthStatus !== "UNKNOWN") parts.push(`health ${c.healthStatus}`);
  if (c.image !== undefined) parts.push(`image ${c.image}`);
  return { subject: c.name, text: parts.join(", ") };
}

function taskLines(task: Task): EvidenceLine[] {
  const lines: EvidenceLine[] = [];
  const status = [`lastStatus ${task.lastStatus ?? "?"}`];
  if (task.desiredStatus !== undefined) status.push(`desiredStatus ${task.desiredStatus}`);
  if (task.stopCode !== undefined) status.push(`stopCode ${task.stopCode}`);
  if (task.stoppedReason !== undefined) status.push(`stoppedReason "${task.stoppedReason}"`);
  if (task.healthStatus !== undefined) status.push(`health ${task.healthStatus}`);
  lines.push({ subject: "task", text: status.join(", ") });
  const times: string[] = [];
  const stamp = (label: string, d: Date | undefined): void => {
    if (d !== undefined) times.push(`${label} ${iso(d)}`);
  };
  stamp("createdAt", task.createdAt);
  stamp("pullStartedAt", task.pullStartedAt);
  stamp("startedAt", task.startedAt);
  stamp("stoppingAt", task.stoppingAt);
  stamp("executionStoppedAt", task.executionStoppedAt);
  stamp("stoppedAt", task.stoppedAt);
  if (times.length > 0) lines.push({ subject: "task", text: times.join(", ") });
  const meta: string[] = [];
  if (task.taskDefinitionArn !== undefined)
    meta.push(`task definition ${shortTaskDefinition(task.taskDefinitionArn)}`);
  if (task.group !== undefined) meta.push(`group ${task.group}`);
  if (task.launchType !== undefined) meta.push(`launchType ${task.launchType}`);
  if (task.platformVersion !== undefined) meta.push(`platformVersion ${task.platformVersion}`);
  if (meta.length > 0) lines.push({ subject: "task", text: meta.join(", ") });
  return lines;
}

function serviceFor(task: Task, services: readonly Service[]): Service | undefined {
  const group = task.group ?? "";
  const wanted = group.startsWith("service:") ? group.slice("service:".length) : undefined;
  if (wanted !== undefined) {
    const hit = services.find((s) => serviceNameOf(s) === wanted);
    if (hit !== undefined) return hit;
  }
  return services.length === 1 && wanted === undefined ? services[0] : undefined;
}

interface TrafficFacts {
  readonly registered: boolean;
  readonly healthy: boolean;
  readonly evidence: EvidenceLine[];
}

/**
 * Service events that speak about this task: those naming it, and target (de)registrations while it
 * lived. Registration events name the target group, not the task, so the time window is all that ties
 * them to it; the evidence line says so.
 */
function trafficFacts(
  task: Task,
  apps: readonly ContainerFacts[],
  service: Service | undefined,
): TrafficFacts {
  const evidence: EvidenceLine[] = [];
  const id = taskIdOf(task);
  // ECS registers the target while the task is ACTIVATING, before it reports RUNNING (reference/ecs.md §6),
  // so the window opens at creation.
  const from = task.createdAt ?? task.pullStartedAt ?? task.startedAt;
  const until = task.stoppedAt ?? task.executionStoppedAt;
  let registered = false;
  if (service !== undefined) {
    const events = (service.events ?? []).map(classifyEvent);
    events.sort((a, b) => (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0));
    for (const e of events) {
      const names = e.taskIds.includes(id);
      const inWindow =
        e.at !== undefined &&
        from !== undefined &&
        e.at.getTime() >= from.getTime() - 1000 &&
        (until === undefined || e.at.getTime() <= until.getTime() + 1000);
      if (names) {
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

function isVictim(c: ContainerFacts): boolean {
  // 143: SIGTERM from the agent stopping the task; 137: SIGKILL after stopTimeout. Neither started the chain.
  return (
    (c.exitCode === 143 || c.exitCode === 137) &&
    !isOutOfMemory(c.reason) &&
    !isDependencyStop(c.exitCode, c.reason)
  );
}

/**
 * How strongly a container's own exit looks like the start of the chain: 0 crash signature, 1 OOM,
 * 2 failed preflight, 3 agent dependency stop, 4 other non-zero exit; 5 an essential preflight's exit 0;
 * 6 a clean exit of another essential container (it stops the task too, but a graceful shutdown after
 * SIGTERM looks the same); 99 a victim.
 */
function initiatorRank(c: ContainerFacts): number {
  if (isCrashSignature(c.exitCode)) return 0;
  if (isOutOfMemory(c.reason)) return 1;
  if (c.role === "preflight" && c.exitCode !== undefined && c.exitCode !== 0) return 2;
  if (isDependencyStop(c.exitCode, c.reason)) return 3;
  if (c.exitCode !== undefined && c.exitCode !== 0 && !isVictim(c)) return 4;
  // An essential preflight's exit 0 is expected of it and still stops the task: more telling than a
  // clean exit of anything else.
  if (c.exitCode === 0 && c.role === "preflight" && c.essential === true) return 5;
  if (c.exitCode === 0 && c.role !== "preflight" && c.essential !== false) return 6;
  return 99;
}

/** Containers that exited on their own, most telling first. */
function initiators(containers: readonly ContainerFacts[]): ContainerFacts[] {
  return containers
    .map((c) => ({ c, r: initiatorRank(c) }))
    .filter((x) => x.r < 99)
    .sort((a, b) => a.r - b.r)
    .map((x) => x.c);
}

function trafficPhrase(window: TrafficWindow): string {
  switch (window) {
    case "after":
      return "after it could take traffic, so requests routed to it while it drained could fail with 502";
    case "likely-after":
      return "probably after it could take traffic (the app was running; nothing given shows the load balancer routing to it)";
    case "before":
      return "before the app ever ran, so no request reached it";
    default:
      return "(whether it had taken traffic cannot be told from this evidence)";
  }
}

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
function crashTriggerRules(td: TaskDefinitionView | undefined, routerName: string): Prevention[] {
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

interface Verdict {
  kind: DiagnosisKind;
  summary: string;
  traffic: TrafficWindow;
  trafficBasis: string;
  culprit: string | undefined;
  prevention: Prevention[];
  chain: EvidenceLine[];
  notes: string[];
}

function essentialWording(c: ContainerFacts, task: Task, others: readonly ContainerFacts[]): string {
  if (c.essential === true) return "being essential";
  if (c.essential === undefined) {
    const stoppedByEssential = task.stopCode === "EssentialContainerExited";
    return stoppedByEssential && others.length === 0
      ? "being essential (inferred: the task stopped with EssentialContainerExited and no other container exited on its own)"
      : "probably essential";
  }
  return "although not essential";
}

export function diagnoseTask(task: Task, options: DiagnoseOptions = {}): TaskDiagnosis {
  const td = taskDefinitionFor(task, options.taskDefinition);
  const roles = containerFacts(task, td);
  const containers = roles.containers;
  const service = serviceFor(task, options.services ?? []);
  const router = containers.find((c) => c.role === "router");
  const preflights = containers.filter((c) => c.role === "preflight");
  const apps = containers.filter((c) => c.role === "app");
  const heldBack = containers.filter((c) => isDependencyStop(c.exitCode, c.reason));
  const stopped =
    task.lastStatus === "STOPPED" || task.stoppedAt !== undefined || task.stopCode !== undefined;
  const traffic = trafficFacts(task, apps, service);

  // Did an app process run? An exit code that is not the agent's synthesised dependency stop means a
  // process existed and ended; HEALTHY means it answered its health check.
  const ranBecause = (a: ContainerFacts): string | undefined => {
    if (a.exitCode !== undefined && !isDependencyStop(a.exitCode, a.reason)) {
      return `${q(a.name)} exited ${formatExit(a.exitCode)}, so its process had started`;
    }
    if (a.healthStatus === "HEALTHY") return `${q(a.name)} reported HEALTHY`;
    if (a.lastStatus === "RUNNING") return `${q(a.name)} was still RUNNING`;
    return undefined;
  };
  const ranApps = apps.filter((a) => ranBecause(a) !== undefined);
  const appRan = ranApps.length > 0;
  const gateFailed = preflights.find((p) => p.exitCode !== undefined && p.exitCode !== 0);
  const window = ((): { window: TrafficWindow; basis: string } => {
    if (!stopped) return { window: "not-applicable", basis: "" };
    if (!appRan) {
      if (heldBack.length > 0 || gateFailed !== undefined) {
        return { window: "before", basis: "the apps were held back by the gate and never ran" };
      }
      if (apps.length > 0 && apps.every((a) => a.exitCode === undefined) && task.startedAt === undefined) {
        return {
          window: "before",
          basis: "no app container has an exit code and the task never reached RUNNING",
        };
      }
      return { window: "unknown", basis: "no app container shows that its process ran" };
    }
    const ran = ranApps.map(ranBecause).join("; ");
    if (traffic.registered) {
      return {
        window: "after",
        basis: `${ran}; a load-balancer target was registered while the task was up`,
      };
    }
    if (traffic.healthy) return { window: "after", basis: `${ran}; the task or an app reported HEALTHY` };
    return {
      window: "likely-after",
      basis:
        task.startedAt === undefined
          ? `${ran}; no service events or health status show it receiving traffic`
          : `${ran}; the task reached RUNNING (startedAt ${iso(task.startedAt)}); no service events show a target registration`,
    };
  })();

  const first = initiators(containers);
  const culprit = first[0];
  const chain: EvidenceLine[] = [];
  if (stopped && culprit !== undefined) {
    const ownFailure = initiatorRank(culprit) <= 4;
    const victims = containers.filter(
      (c) => c !== culprit && (isVictim(c) || (ownFailure && c.exitCode === 0 && c.role !== "preflight")),
    );
    const label = reasonLabel(culprit.reason);
    const exit =
      culprit.exitCode === undefined ? "without an exit code" : `with ${formatExit(culprit.exitCode)}`;
    let text = `${q(culprit.name)} exited first ${exit}${label === undefined ? "" : `, ${label}`}`;
    const neverStarted = heldBack.filter((c) => c !== culprit);
    if (neverStarted.length > 0) {
      text += `; ${names(neverStarted)} never started (exit 143, CannotStartContainerError)`;
    }
    if (victims.length > 0) {
      text += `; ${names(victims)} then exited ${[...new Set(victims.map((v) => v.exitCode))].join("/")}: stopped by ECS as the task stopped`;
    }
    chain.push({ subject: "chain", text });
  }

  const v = classify();
  const evidence: EvidenceLine[] = [
    ...taskLines(task),
    ...containers.map(containerLine),
    ...v.chain,
    ...traffic.evidence,
  ];
  if (v.trafficBasis !== "") evidence.push({ subject: "traffic", text: `${v.traffic}: ${v.trafficBasis}` });
  return {
    taskArn: task.taskArn,
    taskId: taskIdOf(task),
    taskDefinitionArn: task.taskDefinitionArn,
    group: task.group,
    lastStatus: task.lastStatus,
    kind: v.kind,
    summary: v.summary,
    traffic: v.traffic,
    trafficBasis: v.trafficBasis,
    culprit: v.culprit,
    evidence,
    prevention: v.prevention,
    notes: [...roles.notes, ...v.notes],
    containers,
  };

  function verdict(kind: DiagnosisKind, summary: string, extra: Partial<Verdict> = {}): Verdict {
    return {
      kind,
      summary,
      traffic: window.window,
      trafficBasis: window.basis,
      culprit: culprit?.name,
      prevention: [],
      chain,
      notes: [],
      ...extra,
    };
  }

  function classify(): Verdict {
    if (!stopped) return running();
    // Other containers that failed on their own; a clean exit (rank 5, 6) may be a graceful shutdown.
    const others = first.slice(1).filter((c) => {
      const rank = initiatorRank(c);
      return rank <= 4 && rank !== 3 && c.role !== "preflight";
    });

    // 1. The router crashed.
    if (router !== undefined && isCrashSignature(router.exitCode) && culprit === router) {
      const prevention: Prevention[] = [];
      if (router.essential === false) {
        return verdict(
          "router-crash",
          `The log router ${q(router.name)} crashed (exit ${withNote(router.exitCode ?? 0, "a crash signature")}) but is not essential, so it did not stop the task: logs sent through it after the crash are lost.`,
          {
            prevention: [
              {
                kind: "rule",
                id: "FLP202",
                why: `the router image (${router.image ?? "unknown"}) may have known crash bugs`,
              },
              ...crashTriggerRules(td, router.name),
            ],
          },
        );
      }
      const gated = window.window === "before" || gateFailed !== undefined || heldBack.length > 0;
      if (!gated) {
        prevention.push({
          kind: "rule",
          id: "FLP201",
          why: "gate the apps on a verified preflight, so a router that crashes on the first flush stops the task before it takes traffic",
        });
        prevention.push({
          kind: "fix",
          command: FIX_COMMAND,
          why: "adds the non-essential 'log-router-preflight' gate and makes the apps wait for its SUCCESS",
        });
      }
      prevention.push({
        kind: "rule",
        id: "FLP202",
        why: `router versions with known crash bugs (this one ran ${router.image ?? "an unknown image"})`,
      });
      prevention.push(...crashTriggerRules(td, router.name));
      const gateNote =
        gateFailed !== undefined
          ? `; the gate ${q(gateFailed.name)} had failed (exit ${formatExit(gateFailed.exitCode ?? 0)}) and held the apps back`
          : "";
      return verdict(
        "router-crash",
        `The log router crashed and stopped the task: ${q(router.name)} exited ${withNote(router.exitCode ?? 0, "a crash signature")} and, ${essentialWording(router, task, others)}, took the task down ${trafficPhrase(window.window)}${gateNote}.`,
        { prevention },
      );
    }

    // 2. Out of memory.
    if (culprit !== undefined && isOutOfMemory(culprit.reason)) {
      const stoppedIt =
        culprit.essential === false
          ? "; it is not essential, so the task did not stop because of it"
          : ` and, ${essentialWording(culprit, task, others)}, stopped the task ${trafficPhrase(window.window)}`;
      const prevention: Prevention[] = [
        {
          kind: "advice",
          why: `raise the memory limit of ${q(culprit.name)} (container \`memory\`, or the task's memory) or lower its usage${culprit.role === "router" ? "; for the router, bound Fluent Bit's buffers (Mem_Buf_Limit) as in the FireLens oomkill-prevention example" : ""}`,
        },
      ];
      if (culprit.role === "router" && !(gateFailed !== undefined || heldBack.length > 0)) {
        prevention.push({
          kind: "rule",
          id: "FLP201",
          why: "gate the apps so a router that dies early stops the task before traffic",
        });
      }
      return verdict(
        "out-of-memory",
        `${q(culprit.name)} ran out of memory: it was killed (${culprit.exitCode === undefined ? "no exit code" : `exit ${formatExit(culprit.exitCode)}`}, OutOfMemoryError)${stoppedIt}.`,
        { prevention },
      );
    }

    // 3. The gate failed (on purpose), holding the apps back.
    if (
      gateFailed !== undefined &&
      (culprit === gateFailed || heldBack.length > 0 || culprit === undefined)
    ) {
      const code = gateFailed.exitCode ?? 1;
      const probe = probeReasonOf(gateFailed.reason);
      const meaning = preflightExitMeaning(code);
      const held = heldBack.length > 0 ? heldBack : apps.filter((a) => a.exitCode === undefined);
      const heldText =
        held.length > 0
          ? `, so the agent never started ${names(held)}${heldBack.length > 0 ? " (exit 143, CannotStartContainerError)" : ""}`
          : "";
      const lead =
        code === 1 || code === 3
          ? "The gate failed the task on purpose"
          : code === 2
            ? "The gate stopped the task because the probe is misconfigured"
            : "The gate failed the task";
      const prevention: Prevention[] = [];
      if (code === 2) {
        prevention.push({
          kind: "advice",
          why: "check the preflight's FIRELENS_PREFLIGHT_* settings; exit 2 means the probe refused its configuration",
        });
      } else {
        prevention.push({
          kind: "advice",
          why: "the gate did its job: the router or its output path was not healthy; find out why from the probe's result line",
        });
        if (router !== undefined) {
          prevention.push({
            kind: "rule",
            id: "FLP202",
            why: `router versions with known first-flush crash bugs (this task ran ${router.image ?? "an unknown image"})`,
          });
          prevention.push(...crashTriggerRules(td, router.name));
        }
      }
      if (probe === undefined) {
        prevention.push({
          kind: "fix",
          command: "firelens-preflight fix --probe-logs awslogs:<group> <task-definition>",
          why: "sends the probe's own output to CloudWatch Logs, so the reason for a failed gate survives a router crash",
        });
      }
      const reasonText =
        probe === undefined
          ? ""
          : ` with "${probe.reason}"${probe.level === undefined ? "" : ` (level reached: ${probe.level})`}`;
      const routerCrashed =
        router !== undefined && isCrashSignature(router.exitCode)
          ? `; the router ${q(router.name)} exited ${withNote(router.exitCode ?? 0, "a crash signature")} during the check`
          : "";
      return verdict(
        "gate-failed",
        `${lead}: the preflight ${q(gateFailed.name)} exited ${formatExit(code)} (${meaning})${reasonText}${heldText}, and the task stopped ${trafficPhrase(window.window)}${routerCrashed}.`,
        { prevention, culprit: gateFailed.name },
      );
    }

    // 4. Held back by the gate with no failed preflight in view (it may be in another container list or
    // the dependency was another container).
    if (
      heldBack.length > 0 &&
      (culprit === undefined || isDependencyStop(culprit.exitCode, culprit.reason))
    ) {
      return verdict(
        "held-back",
        `${names(heldBack)} ${heldBack.length > 1 ? "were" : "was"} held back by the gate, as designed: the agent stopped ${heldBack.length > 1 ? "them" : "it"} with exit 143 and CannotStartContainerError because a container ${heldBack.length > 1 ? "they depend" : "it depends"} on did not succeed, so the task stopped ${trafficPhrase("before")}.`,
        {
          traffic: "before",
          trafficBasis: "the agent refused to start the held-back containers",
          culprit: heldBack[0]?.name,
          prevention: [
            {
              kind: "advice",
              why: "look at the dependency named in the reason: its exit code says why it did not succeed",
            },
            {
              kind: "rule",
              id: "FLP208",
              why: "with the circuit breaker on, a deploy whose tasks keep failing the gate rolls back",
            },
          ],
        },
      );
    }

    // 5. The router exited without a crash signature.
    if (router !== undefined && culprit === router && router.exitCode !== undefined) {
      const gated = window.window === "before";
      return verdict(
        "router-exited",
        `The log router ${q(router.name)} exited ${withNote(router.exitCode, "not a crash signature")} and, ${essentialWording(router, task, others)}, stopped the task ${trafficPhrase(window.window)}.`,
        {
          prevention: gated
            ? [
                {
                  kind: "advice",
                  why: "check the router's own logs (awslogs) for a configuration or output error",
                },
              ]
            : [
                {
                  kind: "rule",
                  id: "FLP201",
                  why: "gate the apps on a verified preflight so a router that dies early stops the task before traffic",
                },
                { kind: "fix", command: FIX_COMMAND, why: "adds the verifying preflight gate" },
              ],
        },
      );
    }

    // 6. The task never started.
    if (
      task.stopCode === "TaskFailedToStart" ||
      containers.some((c) => isStartFailure(c.reason)) ||
      (task.stoppedReason !== undefined && isStartFailure(task.stoppedReason))
    ) {
      const why =
        containers.find((c) => isStartFailure(c.reason))?.reason ??
        task.stoppedReason ??
        "no reason recorded";
      return verdict("failed-to-start", `The task failed to start: ${why.replace(/\.$/, "")}.`, {
        traffic: "before",
        trafficBasis: "the task never started",
        prevention: [{ kind: "advice", why: "fix the image, secret or network access named in the reason" }],
      });
    }

    // 7. The preflight is essential and its normal exit stopped the task.
    const essentialGate = preflights.find((p) => p.exitCode === 0 && p.essential === true);
    if (essentialGate !== undefined && (culprit === undefined || culprit === essentialGate)) {
      return verdict(
        "essential-exited",
        `The preflight ${q(essentialGate.name)} is essential, so its normal exit (0) stopped the task ${trafficPhrase(window.window)}.`,
        {
          culprit: essentialGate.name,
          prevention: [
            {
              kind: "rule",
              id: "FLP204",
              why: "a preflight must be non-essential: its exit stops the task otherwise",
            },
            { kind: "fix", command: FIX_COMMAND, why: "writes the gate as a non-essential container" },
          ],
        },
      );
    }

    // 8. Some other essential container exited.
    if (
      culprit !== undefined &&
      (task.stopCode === "EssentialContainerExited" || culprit.essential === true)
    ) {
      const crash = isCrashSignature(culprit.exitCode);
      const how =
        culprit.exitCode === undefined
          ? "stopped"
          : crash
            ? `crashed (exit ${formatExit(culprit.exitCode)})`
            : `exited ${formatExit(culprit.exitCode)}`;
      return verdict(
        "essential-exited",
        `${q(culprit.name)} ${how} and, ${essentialWording(culprit, task, others)}, stopped the task ${trafficPhrase(window.window)}.`,
        { prevention: [{ kind: "advice", why: `read ${q(culprit.name)}'s logs for why it exited` }] },
      );
    }
    if (task.stopCode === "EssentialContainerExited") {
      return verdict(
        "essential-exited",
        `An essential container exited and stopped the task, but every container exited 143/137 or has no exit code, so the evidence does not say which one went first.`,
        { culprit: undefined },
      );
    }

    // 9. Stopped from outside.
    if (task.stopCode !== undefined) {
      const reason = task.stoppedReason ?? "no reason recorded";
      const health = /health ?check/i.test(reason);
      const who: Record<string, string> = {
        ServiceSchedulerInitiated: "the service scheduler",
        UserInitiated: "a user (StopTask)",
        SpotInterruption: "a Spot interruption",
        TerminationNotice: "a termination notice",
        InfrastructureHealth: "ECS, for infrastructure health",
      };
      return verdict(
        "stopped-externally",
        health
          ? `The service stopped the task because it failed health checks: ${reason.replace(/\.$/, "")}.`
          : `The task was stopped by ${who[task.stopCode] ?? task.stopCode}: ${reason.replace(/\.$/, "")}.`,
        {
          culprit: undefined,
          prevention: health
            ? [
                {
                  kind: "advice",
                  why: "check the health check path, grace period and the app's startup time",
                },
              ]
            : [],
        },
      );
    }
    return verdict(
      "unknown",
      `The task stopped${task.stoppedReason === undefined ? "" : ` ("${task.stoppedReason}")`} and the evidence does not match a known chain.`,
    );
  }

  function running(): Verdict {
    const health = task.healthStatus ?? "UNKNOWN";
    const gatePassed = preflights.find((p) => p.exitCode === 0);
    const problems = containers.filter(
      (c) => c.exitCode !== undefined && c.exitCode !== 0 && c.role !== "preflight" && c.essential !== true,
    );
    const state = `${task.lastStatus ?? "in an unknown state"}${health === "UNKNOWN" ? "" : ` and ${health}`}`;
    const gate = gatePassed === undefined ? "" : `the gate ${q(gatePassed.name)} passed (exit 0) and `;
    const rest =
      problems.length > 0
        ? `${names(problems)} exited ${problems.map((p) => formatExit(p.exitCode ?? 0)).join("/")} without stopping it${problems.some((p) => p.role === "router") ? ": the router is down and logs sent through it are lost" : ""}`
        : "no container has failed";
    const summary = `The task is ${state}; ${gate}${rest}.`;
    const prevention: Prevention[] = [];
    if (router !== undefined && problems.includes(router) && isCrashSignature(router.exitCode)) {
      prevention.push({
        kind: "rule",
        id: "FLP202",
        why: `router versions with known crash bugs (this one ran ${router.image ?? "an unknown image"})`,
      });
    }
    if (router !== undefined && preflights.length === 0 && router.essential !== false) {
      prevention.push({
        kind: "rule",
        id: "FLP201",
        why: "this task has no preflight gate: a router crash on a later deploy's first flush would stop it after it took traffic",
      });
    }
    return {
      kind: "running",
      summary,
      traffic: "not-applicable",
      trafficBasis: "",
      culprit: undefined,
      prevention,
      chain: [],
      notes: [],
    };
  }
}

/** Diagnose every task, and every service given (circuit-breaker rollbacks). */
export function diagnose(tasks: readonly Task[], options: DiagnoseOptions = {}): Diagnosis {
  const results = tasks.map((t) => diagnoseTask(t, options));
  const services = (options.services ?? []).map(diagnoseService);
  return {
    tasks: results,
    services,
    failures: (options.failures ?? []).map(
      (f) =>
        `${f.arn ?? "(no arn)"}: ${f.reason ?? "unknown reason"}${f.detail === undefined ? "" : ` (${f.detail})`}`,
    ),
    roleSource:
      results.length > 0 &&
      results.every((r) => r.containers.every((c) => c.roleSource === "task-definition"))
        ? "task-definition"
        : "inferred",
  };
}
