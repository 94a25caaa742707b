/**
 * Everything the cases read about one task, computed once: who is who, who exited first, whether the gate
 * held the apps back, and the traffic window. The cases (`cases/`) only read this object; none of them
 * looks at the raw task again for something another case has already derived.
 */
import type { TaskDefinitionView } from "../taskdef/model.js";
import { reasonLabel } from "./evidence.js";
import { DEPENDENCY_STOP_RANK, initiatorRank, initiators, isVictim, OWN_FAILURE_RANK } from "./initiators.js";
import { containerFacts, familyOfArn } from "./roles.js";
import { formatExit, isDependencyStop } from "./signals.js";
import { type ServiceEvidence, serviceEvidence, serviceFor, trafficWindow } from "./traffic.js";
import type { ContainerFacts, DiagnoseOptions, EvidenceLine, Task, TrafficWindow } from "./types.js";
import { names, q } from "./wording.js";

export interface TaskFacts {
  readonly task: Task;
  /** Last part of the ARN. */
  readonly taskId: string;
  /** The task definition the task ran, when one was given. */
  readonly td: TaskDefinitionView | undefined;
  readonly containers: readonly ContainerFacts[];
  /** Caveats about how roles were read. */
  readonly roleNotes: readonly string[];
  readonly router: ContainerFacts | undefined;
  readonly preflights: readonly ContainerFacts[];
  readonly apps: readonly ContainerFacts[];
  /** Containers the agent refused to start (exit 143, `CannotStartContainerError`). */
  readonly heldBack: readonly ContainerFacts[];
  /** A preflight that exited non-zero. */
  readonly gateFailed: ContainerFacts | undefined;
  /** The gate failed or held an app back. */
  readonly gateHeld: boolean;
  readonly stopped: boolean;
  readonly service: ServiceEvidence;
  readonly window: TrafficWindow;
  /** Why `window` is what it is (empty when not applicable). */
  readonly windowBasis: string;
  /** Containers that exited on their own, most telling first. */
  readonly initiators: readonly ContainerFacts[];
  /** The container whose exit started the chain: the first initiator. */
  readonly culprit: ContainerFacts | undefined;
  /** Other containers that failed on their own; a clean exit may be a graceful shutdown, so it is left out. */
  readonly others: readonly ContainerFacts[];
  /** The `chain` evidence line (who exited first, who was held back, who was stopped), when stopped. */
  readonly chain: readonly EvidenceLine[];
}

export function taskIdOf(task: Task): string {
  const arn = task.taskArn ?? "";
  const id = arn.slice(arn.lastIndexOf("/") + 1);
  return id === "" ? "(task without ARN)" : id;
}

/**
 * The task definition a task ran, among those given: the one whose family matches the task's
 * `taskDefinitionArn`, else the first. A template's logical id stands in when it has no literal family.
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

function chainLine(
  culprit: ContainerFacts,
  containers: readonly ContainerFacts[],
  heldBack: readonly ContainerFacts[],
): EvidenceLine {
  const ownFailure = initiatorRank(culprit) <= OWN_FAILURE_RANK;
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
  return { subject: "chain", text };
}

export function taskFacts(task: Task, options: DiagnoseOptions = {}): TaskFacts {
  const td = taskDefinitionFor(task, options.taskDefinition);
  const roles = containerFacts(task, td);
  const containers = roles.containers;
  const taskId = taskIdOf(task);
  const apps = containers.filter((c) => c.role === "app");
  const preflights = containers.filter((c) => c.role === "preflight");
  const heldBack = containers.filter((c) => isDependencyStop(c.exitCode, c.reason));
  const gateFailed = preflights.find((p) => p.exitCode !== undefined && p.exitCode !== 0);
  const gateHeld = gateFailed !== undefined || heldBack.length > 0;
  const stopped =
    task.lastStatus === "STOPPED" || task.stoppedAt !== undefined || task.stopCode !== undefined;
  const service = serviceEvidence(task, taskId, apps, serviceFor(task, options.services ?? []));
  const window = trafficWindow({ task, stopped, apps, gateHeld, service });
  const first = initiators(containers);
  const culprit = first[0];
  const others = first.slice(1).filter((c) => {
    const rank = initiatorRank(c);
    return rank <= OWN_FAILURE_RANK && rank !== DEPENDENCY_STOP_RANK && c.role !== "preflight";
  });
  return Object.freeze({
    task,
    taskId,
    td,
    containers,
    roleNotes: roles.notes,
    router: containers.find((c) => c.role === "router"),
    preflights,
    apps,
    heldBack,
    gateFailed,
    gateHeld,
    stopped,
    service,
    window: window.window,
    windowBasis: window.basis,
    initiators: first,
    culprit,
    others,
    chain: stopped && culprit !== undefined ? [chainLine(culprit, containers, heldBack)] : [],
  });
}
