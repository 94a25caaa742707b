/**
 * `fix`: put the preflight gate into a task-definition document, changing only what it must. `planGate` decides
 * from the task reading (the model part), `applyGate` writes through the lossless editor. Running it on its own
 * output changes nothing, because every decision reads the state the previous run left behind.
 */
import {
  type ContainerReading,
  type GateContainerDefinition,
  GateContainerError,
  type GatedName,
  gateContainer,
  gatedDependency,
  hasPlaceholder,
  readTask,
  str,
} from "../model/index.js";
import { CONTAINER_NAME_PATTERN, durationProblem, PREFLIGHT_CONTAINER_NAME } from "../probe/contract.js";
import { DocumentEditor, isIntrinsic, parseDocument } from "../taskdef/index.js";
import type { JsonPath, TaskDefinitionDocument, TaskDefinitionView } from "../taskdef/model.js";
import { checkBudget } from "./budget.js";
import { completeGate, coverGate, withWaiters } from "./complete-gate.js";
import {
  type FixContext,
  type GateChange,
  type GateEdit,
  gatedNameOf,
  q,
  refuse,
  routerNotEssential,
  type TaskScope,
  viewEdit,
} from "./context.js";
import { FixError } from "./errors.js";
import { checkTerraformFixable } from "./hcl-gate.js";
import { copyableLogConfiguration, probeLogConfiguration } from "./log-config.js";
import { planMonitoring } from "./monitoring.js";
import type { GateOptions } from "./options.js";
import { planService } from "./service.js";

export type TaskGateStatus =
  | "gated"
  | "already-gated"
  | "no-router"
  | "several-routers"
  | "nothing-to-gate"
  /** The router is non-essential (the owner chose to lose logs rather than stop serving): left alone. */
  | "router-not-essential";

export interface TaskGatePlan {
  readonly taskDefinition: string;
  readonly status: TaskGateStatus;
  /** One line: what is done, or why nothing. */
  readonly reason: string;
  readonly router?: string;
  readonly agent?: string;
  readonly preflight?: string;
  /** Gated containers: names, or the label `#index` of one named only at deploy time. */
  readonly gated: readonly string[];
  /** The container added, camelCase, when one is. */
  readonly added?: GateContainerDefinition;
}

export interface GatePlan {
  readonly file: string;
  readonly tasks: readonly TaskGatePlan[];
  readonly changes: readonly GateChange[];
  readonly edits: readonly GateEdit[];
  /** Things the user should know that do not change the document (probe limits, skipped services). */
  readonly notes: readonly string[];
  /** Why nothing changes, one line; `undefined` when something does. */
  readonly reason: string | undefined;
}

export interface GateResult {
  /** The new text; the input text, byte-identical, when nothing changes. */
  readonly text: string;
  readonly changed: boolean;
  readonly changes: readonly GateChange[];
  readonly notes: readonly string[];
  readonly reason: string | undefined;
  readonly plan: GatePlan;
}

/** A deploy-time value as the user wrote it, for messages. */
function deployTimeText(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (isIntrinsic(value)) return value.fn;
  return "not a literal";
}

/**
 * `fix` never answers "nothing to change" while FLP201 stands (an essential router, apps that do not wait for a
 * verified preflight): when it cannot gate such a task it refuses, with the reason, instead of exiting 0.
 */
function refuseIfUngated(scope: TaskScope, why: string, wayForward: string): void {
  const { task } = scope;
  if (task.router?.essential !== true || task.ungatedApps.length === 0) return;
  throw new FixError(
    "unsupported",
    scope.ctx.doc.file,
    `${why.startsWith(`${scope.td.id}: `) ? why : `${scope.td.id}: ${why}`}; ${q(task.ungatedApps.map((c) => c.label))} would still start before the log path is verified (FLP201), and fix cannot gate this task: ${wayForward}. Nothing was written.`,
  );
}

/** Make `c` wait for the gate with SUCCESS, keeping its other dependencies. */
function gateDependent(scope: TaskScope, c: ContainerReading, gate: string): void {
  const { ctx, td } = scope;
  const base = ["containerDefinitions", c.index, "dependsOn"];
  const existing = c.dependsOn.find((d) => d.target === gate);
  if (existing !== undefined) {
    if (existing.condition === "SUCCESS") return;
    const path = viewEdit(scope, "set", [...base, existing.index, "condition"], "SUCCESS");
    ctx.changes.push({
      kind: "gate-condition",
      target: td.id,
      container: c.label,
      path,
      description: `'${c.label}' waited for '${gate}' with ${existing.condition ?? "no condition"}; it now waits for SUCCESS, so a failed probe holds it back`,
    });
    return;
  }
  const raw: unknown = c.definition.dependsOn;
  let path: JsonPath;
  if (raw === undefined || raw === null) {
    path = viewEdit(scope, "set", base, [gatedDependency(gate)]);
  } else if (Array.isArray(raw)) {
    path = viewEdit(scope, "append", base, gatedDependency(gate));
  } else {
    refuse(
      scope,
      `container '${c.label}' has a dependsOn that is not a list (a condition or intrinsic?); add {containerName: '${gate}', condition: SUCCESS} to each of its variants by hand`,
    );
  }
  ctx.changes.push({
    kind: "gate-container",
    target: td.id,
    container: c.label,
    path,
    description: `'${c.label}' now starts only after '${gate}' exits 0 (dependsOn SUCCESS); its other dependencies are kept`,
  });
}

/** Refuse containers an edit could not keep idempotent or ECS would reject anyway. */
function checkEditable(scope: TaskScope, containers: readonly ContainerReading[]): void {
  for (const c of containers) {
    if (c.dependsOn.some((d) => d.malformed)) {
      refuse(
        scope,
        `container '${c.label}' has dependsOn entries that are not {containerName, condition} objects, which ECS rejects; correct them first`,
      );
    }
    if (c.name !== undefined && !hasPlaceholder(c.name) && !CONTAINER_NAME_PATTERN.test(c.name)) {
      refuse(
        scope,
        `container name ${JSON.stringify(c.name)} is not an ECS container name (1-255 letters, digits, - and _); correct it first`,
      );
    }
  }
}

/** The probe image already used by a gate somewhere in the document. */
function imageInDocument(doc: TaskDefinitionDocument): string | undefined {
  for (const td of doc.taskDefinitions) {
    for (const c of readTask(td).gates) {
      const image = str(c.definition.image as unknown);
      if (image !== undefined) return image;
    }
  }
  return undefined;
}

/** The containers to gate: the essential apps, or the ones `gate` names. */
function candidates(scope: TaskScope): ContainerReading[] {
  const { ctx, td, task } = scope;
  const requested = ctx.options.gate;
  if (requested !== undefined) {
    return requested.map((n) => task.byName.get(n)).filter((c): c is ContainerReading => c !== undefined);
  }
  for (const c of task.appsOfUnknownEssential) {
    ctx.notes.push(
      `${td.id}: whether '${c.label}' is essential is only known at deploy time; it is not gated (name it with --gate to gate it)`,
    );
  }
  return task.apps.filter((c) => c.essential === true);
}

/**
 * Whether the added gate may wait for the router HEALTHY: only when the router has a health check in every branch
 * and is essential. A router that is not essential (or only maybe, at deploy time) can crash before it is healthy
 * without stopping the task, and a HEALTHY wait on a container that stopped is blocked for good (the model's
 * dependencyVerdict, amazon-ecs-agent graph.go; FLP112): the gate and every app it holds would never start and the
 * task would hang before RUNNING. START holds whatever the router does next, and the probe still fails the task
 * when the router dies.
 */
function gateMayWaitHealthy(scope: TaskScope, router: ContainerReading, hasHealthCheck: boolean): boolean {
  if (!hasHealthCheck || router.essential === true) return hasHealthCheck;
  scope.ctx.notes.push(
    `${scope.td.id}: ${routerNotEssential(router)}, so the preflight waits for it to START, not to be HEALTHY: a router that stops before it is healthy does not stop the task, and a HEALTHY wait on it would never end (the gate and the apps would never start, and the task would hang before RUNNING: FLP112)`,
  );
  return false;
}

function planAddedGate(
  scope: TaskScope,
  router: ContainerReading & { name: string },
  gated: readonly ContainerReading[],
  image: string,
): GateContainerDefinition {
  const { ctx, td, task } = scope;
  const wanted = ctx.options.name ?? PREFLIGHT_CONTAINER_NAME;
  const monitoring = planMonitoring(scope, router);
  let logConfiguration: unknown;
  if (ctx.options.probeLogs !== undefined) {
    logConfiguration = probeLogConfiguration(ctx.options.probeLogs, td, ctx.doc.file, wanted);
  } else {
    const source = gated.find((c) => c.logsThroughFirelens);
    if (source === undefined) {
      ctx.notes.push(
        `${td.id}: no gated container logs through awsfirelens, so the preflight gets no logConfiguration and its output is not routed`,
      );
    } else {
      const copied = copyableLogConfiguration(source.definition.logConfiguration as unknown);
      if (copied.plainSecrets.length > 0) {
        refuse(
          scope,
          `the preflight would copy '${source.label}''s logConfiguration, whose options hold ${q(copied.plainSecrets)} in plain text (FLP301); copying would put the secret in a second place, and leaving it out would make the preflight's own output fail and the probe with it. Move ${copied.plainSecrets.length === 1 ? "it" : "them"} to logConfiguration.secretOptions (valueFrom a Secrets Manager or SSM parameter), which the preflight copies, or send the probe's output elsewhere with --probe-logs awslogs:<group>`,
        );
      }
      logConfiguration = copied.value;
      if (copied.dropped.length > 0) {
        ctx.notes.push(
          `${td.id}: the preflight's logConfiguration copies '${source.label}''s without what ECS would reject: ${copied.dropped.join("; ")}`,
        );
      }
    }
  }
  const agent = task.agent?.name;
  try {
    return gateContainer({
      gated: gated.map((c) => gatedNameOf(c) as GatedName),
      routerName: router.name,
      routerHasHealthCheck: gateMayWaitHealthy(scope, router, monitoring.healthCheck),
      ...(agent === undefined ? {} : { agentName: agent }),
      image,
      name: wanted,
      monitor: monitoring.monitor,
      ...(ctx.options.require === undefined ? {} : { require: ctx.options.require }),
      ...(ctx.options.timeout === undefined ? {} : { deadline: ctx.options.timeout }),
      ...(ctx.options.records === undefined ? {} : { records: ctx.options.records }),
      ...(logConfiguration === undefined ? {} : { logConfiguration }),
    });
  } catch (e) {
    if (e instanceof GateContainerError)
      throw new FixError("bad-option", ctx.doc.file, `${td.id}: ${e.message}`);
    throw e;
  }
}

function planTask(ctx: FixContext, td: TaskDefinitionView, image: string | undefined): TaskGatePlan {
  const services = ctx.doc.services.filter((s) => s.taskDefinitionRef === td.id);
  const task = readTask(td, { serviceConnect: services.some((s) => s.serviceConnect === true) });
  const scope: TaskScope = { ctx, td, task };
  const id = td.id;
  const router = task.router;
  if (router === undefined) {
    return {
      taskDefinition: id,
      status: "no-router",
      reason: `${id}: no FireLens router (no container has firelensConfiguration)`,
      gated: [],
    };
  }
  if (task.firelensContainers.length > 1 || router.name === undefined) {
    const reason =
      task.firelensContainers.length > 1
        ? `${id}: ${task.firelensContainers.length} containers have firelensConfiguration; ECS allows one, fix that first`
        : `${id}: the FireLens router's name is only known at deploy time (${deployTimeText(router.nameValue)}), and the gate must name it`;
    refuseIfUngated(
      scope,
      reason,
      task.firelensContainers.length > 1
        ? "keep one container with firelensConfiguration, then run fix again"
        : "write the router's name literally (the gate names it in its dependsOn), or add the gate by hand",
    );
    return { taskDefinition: id, status: "several-routers", reason, gated: [] };
  }
  if (router.essential === false && ctx.options.gateNonEssentialRouter !== true) {
    // The owner chose "lose logs, keep serving": a router crash does not stop the task, so there is nothing for
    // the gate to prevent (FLP201 is silent), and gating would hold every app back on a router they chose to
    // run without. Only an explicit request gates it.
    return {
      taskDefinition: id,
      status: "router-not-essential",
      reason: `${id}: router '${router.name}' is non-essential (a router crash loses logs but does not stop the task), so the task is left ungated; pass --gate-non-essential-router (config fix.gateNonEssentialRouter) to gate it anyway`,
      router: router.name,
      gated: [],
    };
  }
  const named = router as ContainerReading & { name: string };
  const found = candidates(scope);
  const unnamed = found.filter((c) => gatedNameOf(c) === undefined);
  if (unnamed.length > 0) {
    ctx.notes.push(
      `${id}: ${q(unnamed.map((c) => c.label))} ha${unnamed.length === 1 ? "s" : "ve"} no name, so cannot be gated`,
    );
  }
  const gated = found.filter((c) => gatedNameOf(c) !== undefined);
  const agent = task.agent?.name;
  const base = { taskDefinition: id, router: named.name, ...(agent === undefined ? {} : { agent }) };
  if (gated.length === 0) return planNothingToGate(scope, base);
  checkEditable(scope, gated);
  const gatedLabels = gated.map((c) => c.label);
  const wanted = ctx.options.name ?? PREFLIGHT_CONTAINER_NAME;
  const namedGate = task.byName.get(wanted);
  if (namedGate !== undefined && namedGate.role !== "gate") {
    throw new FixError(
      "bad-option",
      ctx.doc.file,
      `${id}: a container named '${wanted}' exists and is no preflight; choose another {option}`,
      "name",
    );
  }
  // Only an explicit, non-default name insists on its own container; otherwise any gate already in the task is
  // the one to complete.
  const existing =
    namedGate ??
    (wanted === PREFLIGHT_CONTAINER_NAME ? task.gates.find((p) => p.name !== undefined) : undefined);
  const before = ctx.changes.length;
  if (existing?.name !== undefined) {
    const gateName = existing.name;
    checkEditable(scope, [existing]);
    completeGate(scope, existing);
    for (const c of gated) gateDependent(scope, c, gateName);
    coverGate(scope, existing, withWaiters(scope, existing, gated));
    const changed = ctx.changes.length > before;
    return {
      ...base,
      status: changed ? "gated" : "already-gated",
      reason: changed
        ? `${id}: completed the gate '${gateName}' for ${q(gatedLabels)}`
        : `${id}: already gated (${q(gatedLabels)} wait for '${gateName}' with SUCCESS)`,
      preflight: gateName,
      gated: gatedLabels,
    };
  }
  return planNewGate(scope, named, gated, image, base);
}

/** What every plan for a task with a named router carries, whatever its status. */
type PlanBase = Pick<TaskGatePlan, "taskDefinition" | "router" | "agent">;

/**
 * No container to gate: refuse where an ungated task is not allowed, else still cover a gate already in the
 * task (it sends records for whatever waits on it). Kept apart so planTask reads as the main path.
 */
function planNothingToGate(scope: TaskScope, base: PlanBase): TaskGatePlan {
  const { ctx, task } = scope;
  const id = base.taskDefinition;
  const requested = ctx.options.gate;
  const reason =
    requested === undefined
      ? `${id}: no essential app logs through awsfirelens`
      : `${id}: none of the containers to gate (${q(requested)}) is in this task definition`;
  if (requested === undefined)
    refuseIfUngated(scope, reason, "give the apps literal names, or add the gate by hand");
  // A gate already in the task still sends records for whatever waits on it (FLP206), essential or not.
  const gate = task.gates.find((p) => p.name !== undefined);
  if (gate !== undefined && requested === undefined) {
    const before = ctx.changes.length;
    coverGate(scope, gate, withWaiters(scope, gate, []));
    if (ctx.changes.length > before) {
      return {
        ...base,
        status: "gated",
        reason: `${id}: the gate '${gate.label}' now sends records for every container that waits for it`,
        preflight: gate.label,
        gated: [],
      };
    }
  }
  return { ...base, status: "nothing-to-gate", reason, gated: [] };
}

/**
 * No gate in the task to complete: add one from the probe image, gate the apps on it and record the change.
 * Split from planTask because this is the only path that needs an image and writes a new container.
 */
function planNewGate(
  scope: TaskScope,
  named: ContainerReading & { name: string },
  gated: ContainerReading[],
  image: string | undefined,
  base: PlanBase,
): TaskGatePlan {
  const { ctx, td } = scope;
  const id = base.taskDefinition;
  const gatedLabels = gated.map((c) => c.label);
  if (image === undefined) {
    throw new FixError(
      "missing-probe-image",
      ctx.doc.file,
      `${id}: a preflight container must be added and no probe image is known; pass {option} (the image built from this package's Dockerfile). Nothing was written.`,
      "probeImage",
    );
  }
  const added = planAddedGate(scope, named, gated, image);
  checkBudget(ctx, td, added);
  for (const c of gated) gateDependent(scope, c, added.name);
  const path = viewEdit(scope, "append", ["containerDefinitions"], added);
  const waits = added.dependsOn.map((d) => `'${String(d.containerName)}' ${d.condition}`).join(" and ");
  ctx.changes.push({
    kind: "add-preflight",
    target: id,
    container: added.name,
    path: [...path, td.containers.length],
    description: `added non-essential '${added.name}' (probe ${image}), after ${waits}; it sends records tagged for ${q(gatedLabels)}`,
  });
  return {
    ...base,
    status: "gated",
    reason: `${id}: gated ${q(gatedLabels)} on '${added.name}'`,
    preflight: added.name,
    gated: gatedLabels,
    added,
  };
}

function checkOptions(doc: TaskDefinitionDocument, options: GateOptions): void {
  if (options.gate !== undefined) {
    const known = new Set(doc.taskDefinitions.flatMap((td) => td.containers.map((c) => c.name)));
    const unknown = options.gate.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new FixError(
        "bad-option",
        doc.file,
        `{option} names ${q(unknown)}, which no task definition in the file has`,
        "gate",
      );
    }
  }
  // The probe's own grammar and range: a deadline it refuses would make it exit 2 in every task it gates.
  const timeoutProblem =
    options.timeout === undefined ? undefined : durationProblem("deadline", options.timeout);
  if (timeoutProblem !== undefined) {
    throw new FixError(
      "bad-option",
      doc.file,
      `{option}: ${timeoutProblem}; the probe would exit 2 (bad configuration) in every task and the apps it gates would never start. Nothing was written.`,
      "timeout",
    );
  }
  if (options.probeImage !== undefined && options.probeImage.trim() === "") {
    throw new FixError("bad-option", doc.file, "{option} is empty", "probeImage");
  }
}

/** What `applyGate` would do, and why; throws `FixError` on a refusal. Pure: the document is not touched. */
export function planGate(doc: TaskDefinitionDocument, options: GateOptions = {}): GatePlan {
  checkTerraformFixable(doc);
  checkOptions(doc, options);
  const ctx: FixContext = { doc, options, changes: [], edits: [], notes: [] };
  const image = options.probeImage ?? imageInDocument(doc);
  const tasks = doc.taskDefinitions.map((td) => planTask(ctx, td, image));
  if (options.circuitBreaker !== false) {
    const gated = new Set(
      tasks.filter((t) => t.status === "gated" || t.status === "already-gated").map((t) => t.taskDefinition),
    );
    for (const s of doc.services) {
      if (s.taskDefinitionRef !== undefined && gated.has(s.taskDefinitionRef)) planService(ctx, s);
    }
  }
  const reason =
    ctx.edits.length > 0
      ? undefined
      : tasks.length === 0
        ? "no task definition in the document"
        : tasks.every((t) => t.status === "already-gated")
          ? "already gated"
          : tasks.map((t) => t.reason).join("; ");
  return { file: doc.file, tasks, changes: ctx.changes, edits: ctx.edits, notes: ctx.notes, reason };
}

/** Apply the gate; the text is the input, byte-identical, when nothing needs to change. */
export function applyGate(doc: TaskDefinitionDocument, options: GateOptions = {}): GateResult {
  const plan = planGate(doc, options);
  if (plan.edits.length === 0) {
    return { text: doc.text, changed: false, changes: [], notes: plan.notes, reason: plan.reason, plan };
  }
  // Every edit of the plan from one reading of the text, in one pass; then one re-read checks the result.
  const editor = new DocumentEditor(doc).apply(plan.edits);
  let text: string;
  try {
    text = editor.text;
  } catch (cause) {
    // E.g. a YAML alias in the way: the node to change is shared, so we will not rewrite it.
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new FixError("unsupported", doc.file, `cannot edit the document (${why}); nothing was written`);
  }
  try {
    editor.document();
  } catch (e) {
    // Our own edit broke the document, or a value did not land: a bug, never something to write out.
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`fix produced a wrong document: ${why}`, { cause: e });
  }
  return {
    text,
    changed: text !== doc.text,
    changes: plan.changes,
    notes: plan.notes,
    reason: plan.reason,
    plan,
  };
}

/** `applyGate` over text: parse (throws `TaskDefError` on bad input), then gate. */
export function fixText(text: string, file: string, options: GateOptions = {}): GateResult {
  return applyGate(parseDocument(text, file), options);
}
