/**
 * `fix`: put the preflight gate (DESIGN.md, "The gate") into a task-definition document, changing only what
 * it must. `planGate` decides, `applyGate` writes through the lossless editor. Running it on its own output
 * changes nothing, because every decision reads the state the previous run left behind.
 */
import { hasCustomConfig } from "../rules/conditions.js";
import { compareVersions, formatVersion, type Version } from "../rules/data/router-versions.js";
import { routerImage } from "../rules/image.js";
import {
  analyze,
  arr,
  dependenciesOf,
  environmentOf,
  firelensTypeOf,
  isDatadogAgent,
  isObject,
  isPreflight,
  num,
  option,
  optionsOf,
  str,
  usesAwsFirelens,
} from "../rules/util.js";
import { parseDocument } from "../taskdef/document.js";
import { DocumentEditor, inDocumentCasing } from "../taskdef/edit.js";
import { TaskDefError } from "../taskdef/errors.js";
import type {
  ContainerView,
  JsonPath,
  ServiceView,
  TaskDefinitionDocument,
  TaskDefinitionView,
} from "../taskdef/model.js";
import { isIntrinsic } from "../taskdef/values.js";
import { FixError } from "./errors.js";
import { FARGATE_CPUS, fargateMemoryFor, parseTaskCpu, parseTaskMemory } from "./fargate.js";
import {
  DEFAULT_MONITOR,
  DEFAULT_PREFLIGHT_NAME,
  gatedDependency,
  PREFLIGHT_ENV,
  type PreflightContainerDefinition,
  PreflightContainerError,
  type PreflightRequire,
  preflightContainer,
} from "./preflight-container.js";

/** Config file in aws-for-fluent-bit images that turns on the HTTP monitoring server on :2020. */
export const MONITORING_CONFIG = "/fluent-bit/configs/output-metrics-healthcheck.conf";
/** First aws-for-fluent-bit release shipping that file (DESIGN.md, "The gate"). */
export const MONITORING_SINCE: Version = [2, 29, 1];
/**
 * The uptime healthCheck of the aws-samples health-check example: `/api/v1/uptime` never crashes a router
 * (unlike `/api/v1/health` before 1.8.7, fluent-bit#3983).
 */
export const ROUTER_HEALTH_CHECK = {
  command: ["CMD-SHELL", "curl -f http://127.0.0.1:2020/api/v1/uptime || exit 1"],
  interval: 10,
  timeout: 5,
  retries: 2,
  startPeriod: 30,
} as const;

export interface GateOptions {
  /** Image of the probe; needed when a preflight container is added, unless the file already names one. */
  readonly probeImage?: string;
  /** Name of the preflight container. @default "log-router-preflight" */
  readonly name?: string;
  /** Containers to gate, instead of every essential app logging through awsfirelens. */
  readonly gate?: readonly string[];
  /** Lowest verification level the probe accepts. @default "auto" */
  readonly require?: PreflightRequire;
  /** Probe deadline (`FIRELENS_PREFLIGHT_DEADLINE`, e.g. `60s`). @default "60s" */
  readonly timeout?: string;
  /** Records per gated container. @default 3 */
  readonly records?: number;
  /** Point an eligible router at the monitoring config and give it an uptime healthCheck. @default false */
  readonly routerMonitoring?: boolean;
  /** Turn on deployment circuit breaker rollback on template services running a gated task. @default true */
  readonly circuitBreaker?: boolean;
  /**
   * Send the probe's own output somewhere other than the router: `awslogs:<group>` or
   * `awslogs:<group>:<region>` (the region defaults to one an awslogs container of the task already uses).
   * A probe that logs through the router it checks loses its verdict when that router crashes; CloudWatch
   * Logs keeps the reason of a failed gate (reference/ecs.md §4). @default the first gated container's awsfirelens configuration
   */
  readonly probeLogs?: string;
}

/** `awslogs:<group>[:<region>]` → the probe's logConfiguration, or a FixError saying what is missing. */
function probeLogConfiguration(
  spec: string,
  td: TaskDefinitionView,
  file: string,
  containerName: string,
): Record<string, unknown> {
  const match = /^awslogs:([^:]+)(?::([a-z]{2}(?:-[a-z]+)+-\d))?$/.exec(spec.trim());
  if (!match) {
    throw new FixError(
      "bad-option",
      file,
      `{option} must be awslogs:<log group> or awslogs:<log group>:<region> (got "${spec}"). Nothing was written.`,
      "probeLogs",
    );
  }
  const group = match[1] as string;
  let region: unknown = match[2];
  if (region === undefined) {
    for (const c of td.containers) {
      const lc = c.definition.logConfiguration;
      const candidate = lc?.logDriver === "awslogs" ? lc.options?.["awslogs-region"] : undefined;
      if (candidate !== undefined) {
        region = candidate;
        break;
      }
    }
  }
  if (region === undefined) {
    throw new FixError(
      "bad-option",
      file,
      `${td.id}: {option} ${spec}: no container of the task logs with awslogs, so the region is unknown; write awslogs:${group}:<region>. Nothing was written.`,
      "probeLogs",
    );
  }
  return {
    logDriver: "awslogs",
    options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": containerName },
  };
}

export type ChangeKind =
  | "add-preflight"
  | "gate-container"
  | "gate-condition"
  | "preflight-coverage"
  | "router-monitoring"
  | "router-health-check"
  | "circuit-breaker";

export interface GateChange {
  readonly kind: ChangeKind;
  /** Task definition or service id. */
  readonly target: string;
  readonly container?: string;
  /** Raw path of the edited node (as spelled in the file). */
  readonly path: JsonPath;
  /** What changes and why, one line. */
  readonly description: string;
}

export type TaskGateStatus = "gated" | "already-gated" | "no-router" | "several-routers" | "nothing-to-gate";

export interface TaskGatePlan {
  readonly taskDefinition: string;
  readonly status: TaskGateStatus;
  /** One line: what is done, or why nothing. */
  readonly reason: string;
  readonly router?: string;
  readonly agent?: string;
  readonly preflight?: string;
  readonly gated: readonly string[];
  /** The container added, camelCase, when one is. */
  readonly added?: PreflightContainerDefinition;
}

/** One raw edit, value already in the document's casing. */
export interface GateEdit {
  readonly op: "set" | "append";
  readonly path: JsonPath;
  readonly value: unknown;
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

// ---------------------------------------------------------------------------------------------------------

interface Ctx {
  readonly doc: TaskDefinitionDocument;
  readonly options: GateOptions;
  readonly changes: GateChange[];
  readonly edits: GateEdit[];
  readonly notes: string[];
}

function q(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

function edit(ctx: Ctx, op: GateEdit["op"], path: JsonPath, camelValue: unknown): void {
  ctx.edits.push({ op, path, value: inDocumentCasing(ctx.doc.format, camelValue) });
}

function viewEdit(
  ctx: Ctx,
  td: TaskDefinitionView,
  op: GateEdit["op"],
  viewPath: JsonPath,
  value: unknown,
): JsonPath {
  const path = ctx.doc.rawPath(td, viewPath);
  edit(ctx, op, path, value);
  return path;
}

/** Make `c` wait for the preflight with SUCCESS, keeping its other dependencies. */
function gateContainer(ctx: Ctx, td: TaskDefinitionView, c: ContainerView, preflight: string): void {
  const name = c.name as string;
  const raw: unknown = c.definition.dependsOn;
  const base = ["containerDefinitions", c.index, "dependsOn"];
  const existing = dependenciesOf(c.definition).find((d) => d.containerName === preflight);
  if (existing !== undefined) {
    if (existing.condition === "SUCCESS") return;
    const path = viewEdit(ctx, td, "set", [...base, existing.index, "condition"], "SUCCESS");
    ctx.changes.push({
      kind: "gate-condition",
      target: td.id,
      container: name,
      path,
      description: `'${name}' waited for '${preflight}' with ${existing.condition ?? "no condition"}; it now waits for SUCCESS, so a failed probe holds it back`,
    });
    return;
  }
  let path: JsonPath;
  if (raw === undefined || raw === null) {
    path = viewEdit(ctx, td, "set", base, [gatedDependency(preflight)]);
  } else if (Array.isArray(raw)) {
    path = viewEdit(ctx, td, "append", base, gatedDependency(preflight));
  } else {
    throw new FixError(
      "unsupported",
      ctx.doc.file,
      `${td.id}: container '${name}' has a dependsOn that is not a list (an intrinsic?); add {containerName: '${preflight}', condition: SUCCESS} by hand`,
    );
  }
  ctx.changes.push({
    kind: "gate-container",
    target: td.id,
    container: name,
    path,
    description: `'${name}' now starts only after '${preflight}' exits 0 (dependsOn SUCCESS); its other dependencies are kept`,
  });
}

/** The probe image already used by a preflight somewhere in the document. */
function imageInDocument(doc: TaskDefinitionDocument): string | undefined {
  for (const td of doc.taskDefinitions) {
    for (const c of td.containers) {
      const image = str(c.definition.image as unknown);
      if (isPreflight(c) && image !== undefined) return image;
    }
  }
  return undefined;
}

function sumOf(
  containers: readonly ContainerView[],
  pick: (c: ContainerView) => unknown,
): number | undefined {
  let total = 0;
  for (const c of containers) {
    const v = pick(c);
    if (v === undefined || v === null) continue;
    const n = num(v);
    if (n === undefined) return undefined;
    total += n;
  }
  return total;
}

/** Refuse when the task's cpu/memory cannot also hold the preflight. */
function checkBudget(ctx: Ctx, td: TaskDefinitionView, added: PreflightContainerDefinition): void {
  const task = td.taskDefinition;
  const compat = arr(task.requiresCompatibilities as unknown).map((v) => str(v));
  const fargate = compat.includes("FARGATE");
  const taskCpu = parseTaskCpu(task.cpu as unknown);
  const taskMem = parseTaskMemory(task.memory as unknown);
  const where = `task definition '${td.id}'`;
  if (taskMem !== undefined) {
    const used = sumOf(td.containers, (c) => c.definition.memory ?? c.definition.memoryReservation);
    if (used === undefined) {
      ctx.notes.push(
        `${td.id}: a container's memory is not known until deploy time; check that the task memory holds ${added.memoryReservation} MiB more for '${added.name}'`,
      );
    } else if (used + added.memoryReservation > taskMem) {
      const need = used + added.memoryReservation;
      const cpu = taskCpu ?? 0;
      const next = fargate ? fargateMemoryFor(cpu, need) : undefined;
      const advice = !fargate
        ? `raise the task memory to at least ${need} MiB`
        : next !== undefined
          ? `raise the task memory to ${next} MiB (a valid Fargate size for cpu ${cpu})`
          : `raise the task cpu and memory to a larger Fargate size (cpu ${cpu} cannot have ${need} MiB)`;
      throw new FixError(
        "budget",
        ctx.doc.file,
        `${where}: the containers reserve ${used} MiB of the task's ${taskMem} MiB and the preflight needs ${added.memoryReservation} MiB more (${need} > ${taskMem}); ${advice}, or lower another container's memory reservation. Nothing was written.`,
      );
    }
  }
  if (taskCpu !== undefined) {
    const used = sumOf(td.containers, (c) => c.definition.cpu);
    if (used !== undefined && used + added.cpu > taskCpu) {
      const need = used + added.cpu;
      const bigger = FARGATE_CPUS.find((c) => c >= need);
      const advice =
        fargate && bigger !== undefined
          ? `raise the task cpu to ${bigger} (with a memory size valid for it)`
          : `raise the task cpu to at least ${need}`;
      throw new FixError(
        "budget",
        ctx.doc.file,
        `${where}: the containers reserve ${used} of the task's ${taskCpu} CPU units and the preflight needs ${added.cpu} more (${need} > ${taskCpu}); ${advice}, or lower another container's cpu. Nothing was written.`,
      );
    }
  }
}

interface Monitoring {
  readonly monitor: string;
  /** The router will have a healthCheck (already, or added now). */
  readonly healthCheck: boolean;
}

function planMonitoring(ctx: Ctx, td: TaskDefinitionView, router: ContainerView): Monitoring {
  const name = router.name as string;
  const def = router.definition;
  const hasHealthCheck = isObject(def.healthCheck as unknown);
  const custom = hasCustomConfig(router);
  const configValue = str(
    option(optionsOf(def.firelensConfiguration as unknown), "config-file-value")?.value,
  );
  if (configValue === MONITORING_CONFIG) return { monitor: DEFAULT_MONITOR, healthCheck: hasHealthCheck };
  const img = routerImage(def.image as unknown, firelensTypeOf(def));
  const eligible =
    img.kind === "aws-for-fluent-bit" &&
    img.aws !== undefined &&
    compareVersions(img.aws, MONITORING_SINCE) >= 0;
  const why = custom
    ? "it loads its own config file"
    : img.kind !== "aws-for-fluent-bit"
      ? "its image is not aws-for-fluent-bit"
      : img.aws === undefined
        ? `its aws-for-fluent-bit version is unknown (${img.unknownReason ?? "unreadable tag"})`
        : `aws-for-fluent-bit ${formatVersion(img.aws)} is older than ${formatVersion(MONITORING_SINCE)}`;
  if (custom) {
    // A custom config may or may not run the HTTP server; the probe's `auto` finds out at run time.
    ctx.notes.push(
      `${td.id}: router '${name}' loads its own config; the probe verifies 'flushed' only if that config enables the HTTP monitoring server on 127.0.0.1:2020, else 'accepted'`,
    );
    return { monitor: DEFAULT_MONITOR, healthCheck: hasHealthCheck };
  }
  if (ctx.options.routerMonitoring === true && eligible) {
    const base = ["containerDefinitions", router.index, "firelensConfiguration"];
    const fc: unknown = def.firelensConfiguration;
    const opts: unknown = isObject(fc) ? fc.options : undefined;
    let path: JsonPath;
    if (isObject(opts)) {
      viewEdit(ctx, td, "set", [...base, "options", "config-file-type"], "file");
      path = viewEdit(ctx, td, "set", [...base, "options", "config-file-value"], MONITORING_CONFIG);
    } else if (opts === undefined || opts === null) {
      path = viewEdit(ctx, td, "set", [...base, "options"], {
        "config-file-type": "file",
        "config-file-value": MONITORING_CONFIG,
      });
    } else {
      throw new FixError(
        "unsupported",
        ctx.doc.file,
        `${td.id}: router '${name}' has firelensConfiguration options that are not a map`,
      );
    }
    ctx.changes.push({
      kind: "router-monitoring",
      target: td.id,
      container: name,
      path,
      description: `router '${name}' loads ${MONITORING_CONFIG}, which starts the monitoring server on 127.0.0.1:2020, so the probe can verify 'flushed'`,
    });
    if (!hasHealthCheck) {
      const hc = viewEdit(
        ctx,
        td,
        "set",
        ["containerDefinitions", router.index, "healthCheck"],
        ROUTER_HEALTH_CHECK,
      );
      ctx.changes.push({
        kind: "router-health-check",
        target: td.id,
        container: name,
        path: hc,
        description: `router '${name}' gets a healthCheck on /api/v1/uptime, so the preflight waits for it to be HEALTHY`,
      });
    }
    return { monitor: DEFAULT_MONITOR, healthCheck: true };
  }
  ctx.notes.push(
    ctx.options.routerMonitoring === true
      ? `${td.id}: router '${name}' has no monitoring server and cannot get one (${why}); the probe will be limited to 'accepted'`
      : eligible
        ? `${td.id}: router '${name}' has no monitoring server; the probe will be limited to 'accepted' (--router-monitoring adds it)`
        : `${td.id}: router '${name}' has no monitoring server (${why}); the probe will be limited to 'accepted'`,
  );
  return { monitor: "off", healthCheck: hasHealthCheck };
}

function planTask(ctx: Ctx, td: TaskDefinitionView, image: string | undefined): TaskGatePlan {
  const a = analyze(td);
  const id = td.id;
  if (a.routers.length === 0) {
    return {
      taskDefinition: id,
      status: "no-router",
      reason: `${id}: no FireLens router (no container has firelensConfiguration)`,
      gated: [],
    };
  }
  const router = a.router;
  if (router === undefined || router.name === undefined) {
    return {
      taskDefinition: id,
      status: "several-routers",
      reason:
        a.routers.length > 1
          ? `${id}: ${a.routers.length} containers have firelensConfiguration; ECS allows one, fix that first`
          : `${id}: the FireLens router has no literal name`,
      gated: [],
    };
  }
  const agent = a.containers.find((c) => c !== router && c.name !== undefined && isDatadogAgent(c));
  const requested = ctx.options.gate;
  const candidates =
    requested === undefined
      ? a.apps
      : requested.map((n) => a.byName.get(n)).filter((c): c is ContainerView => c !== undefined);
  const unnamed = candidates.filter((c) => c.name === undefined);
  if (unnamed.length > 0)
    ctx.notes.push(`${id}: ${unnamed.length} container(s) without a literal name cannot be gated`);
  const gated = candidates.filter((c) => c.name !== undefined);
  if (gated.length === 0) {
    return {
      taskDefinition: id,
      status: "nothing-to-gate",
      reason:
        requested === undefined
          ? `${id}: no essential app logs through awsfirelens`
          : `${id}: none of the containers to gate (${q(requested)}) is in this task definition`,
      router: router.name,
      gated: [],
    };
  }
  const gatedNames = gated.map((c) => c.name as string);
  const wanted = ctx.options.name ?? DEFAULT_PREFLIGHT_NAME;
  const named = a.byName.get(wanted);
  if (named !== undefined && !isPreflight(named)) {
    throw new FixError(
      "bad-option",
      ctx.doc.file,
      `${id}: a container named '${wanted}' exists and is no preflight; choose another {option}`,
      "name",
    );
  }
  const existing =
    named ??
    // Only an explicit, non-default --name insists on its own container; otherwise any preflight already
    // in the task (found by its FIRELENS_PREFLIGHT_* environment) is the gate to complete.
    (wanted === DEFAULT_PREFLIGHT_NAME ? a.preflights.find((p) => p.name !== undefined) : undefined);
  const before = ctx.changes.length;

  if (existing !== undefined) {
    const pname = existing.name as string;
    for (const c of gated) gateContainer(ctx, td, c, pname);
    coverPreflight(ctx, td, existing, gatedNames);
    const changed = ctx.changes.length > before;
    return {
      taskDefinition: id,
      status: changed ? "gated" : "already-gated",
      reason: changed
        ? `${id}: completed the gate '${pname}' for ${q(gatedNames)}`
        : `${id}: already gated (${q(gatedNames)} wait for '${pname}' with SUCCESS)`,
      router: router.name,
      ...(agent?.name === undefined ? {} : { agent: agent.name }),
      preflight: pname,
      gated: gatedNames,
    };
  }

  if (image === undefined) {
    throw new FixError(
      "missing-probe-image",
      ctx.doc.file,
      `${id}: a preflight container must be added and no probe image is known; pass {option} (the image built from this package's Dockerfile). Nothing was written.`,
      "probeImage",
    );
  }
  const monitoring = planMonitoring(ctx, td, router);
  const source = gated.find((c) => usesAwsFirelens(c.definition));
  if (source === undefined && ctx.options.probeLogs === undefined) {
    ctx.notes.push(
      `${id}: no gated container logs through awsfirelens, so the preflight gets no logConfiguration and its output is not routed`,
    );
  }
  let added: PreflightContainerDefinition;
  try {
    added = preflightContainer({
      gated: gatedNames,
      routerName: router.name,
      routerHasHealthCheck: monitoring.healthCheck,
      ...(agent?.name === undefined ? {} : { agentName: agent.name }),
      image,
      name: wanted,
      monitor: monitoring.monitor,
      ...(ctx.options.require === undefined ? {} : { require: ctx.options.require }),
      ...(ctx.options.timeout === undefined ? {} : { deadline: ctx.options.timeout }),
      ...(ctx.options.records === undefined ? {} : { records: ctx.options.records }),
      ...(ctx.options.probeLogs !== undefined
        ? { logConfiguration: probeLogConfiguration(ctx.options.probeLogs, td, ctx.doc.file, wanted) }
        : source === undefined
          ? {}
          : { logConfiguration: source.definition.logConfiguration }),
    });
  } catch (e) {
    if (e instanceof PreflightContainerError)
      throw new FixError("bad-option", ctx.doc.file, `${id}: ${e.message}`);
    throw e;
  }
  checkBudget(ctx, td, added);
  for (const c of gated) gateContainer(ctx, td, c, wanted);
  const path = viewEdit(ctx, td, "append", ["containerDefinitions"], added);
  ctx.changes.push({
    kind: "add-preflight",
    target: id,
    container: wanted,
    path: [...path, td.containers.length],
    description: `added non-essential '${wanted}' (probe ${image}), after '${router.name}' ${monitoring.healthCheck ? "HEALTHY" : "START"}${agent?.name === undefined ? "" : ` and '${agent.name}' START`}; it sends records tagged for ${q(gatedNames)}`,
  });
  return {
    taskDefinition: id,
    status: "gated",
    reason: `${id}: gated ${q(gatedNames)} on '${wanted}'`,
    router: router.name,
    ...(agent?.name === undefined ? {} : { agent: agent.name }),
    preflight: wanted,
    gated: gatedNames,
    added,
  };
}

/** An existing preflight must send records for every container it gates (FLP206). */
function coverPreflight(
  ctx: Ctx,
  td: TaskDefinitionView,
  preflight: ContainerView,
  gated: readonly string[],
): void {
  const env = environmentOf(preflight.definition);
  const entry = env.get(PREFLIGHT_ENV.containers);
  const tags = env.get("FIRELENS_PREFLIGHT_TAGS");
  const covered = (n: string) =>
    (entry?.value ?? "")
      .split(",")
      .map((s) => s.trim())
      .includes(n) || (tags?.value ?? "").split(",").some((t) => t.trim().startsWith(`${n}-firelens`));
  if ((entry !== undefined && entry.value === undefined) || (tags !== undefined && tags.value === undefined))
    return;
  const missing = gated.filter((n) => !covered(n));
  if (missing.length === 0) return;
  const name = preflight.name as string;
  const base = ["containerDefinitions", preflight.index, "environment"];
  let path: JsonPath;
  if (entry !== undefined) {
    const current = (entry.value ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    path = viewEdit(ctx, td, "set", [...base, entry.index, "value"], [...current, ...missing].join(","));
  } else {
    const value = { name: PREFLIGHT_ENV.containers, value: missing.join(",") };
    const list: unknown = preflight.definition.environment;
    if (list === undefined || list === null) path = viewEdit(ctx, td, "set", base, [value]);
    else if (Array.isArray(list)) path = viewEdit(ctx, td, "append", base, value);
    else return;
  }
  ctx.changes.push({
    kind: "preflight-coverage",
    target: td.id,
    container: name,
    path,
    description: `'${name}' now also sends records through the outputs of ${q(missing)}`,
  });
}

function planService(ctx: Ctx, s: ServiceView): void {
  const dc: unknown = s.deploymentConfiguration;
  const on = { enable: true, rollback: true };
  const describe = `service '${s.id}' gets deployment circuit breaker rollback, so a deployment whose tasks the gate stops rolls back instead of retrying forever`;
  const push = (path: JsonPath) =>
    ctx.changes.push({ kind: "circuit-breaker", target: s.id, path, description: describe });
  if (dc === null) {
    // `DeploymentConfiguration:` written with no value.
    const path = [...s.path, "DeploymentConfiguration"];
    edit(ctx, "set", path, { deploymentCircuitBreaker: on });
    push(path);
    return;
  }
  if (dc === undefined) {
    const props = ctx.doc.locate(s.path);
    const parent = ctx.doc.locate(s.path.slice(0, -1));
    if (props.offset === parent.offset) {
      const path = s.path;
      edit(ctx, "set", path, { deploymentConfiguration: { deploymentCircuitBreaker: on } });
      push(path);
      return;
    }
    const path = [...s.path, "DeploymentConfiguration"];
    edit(ctx, "set", path, { deploymentCircuitBreaker: on });
    push(path);
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
    edit(ctx, "set", base, on);
    push(base);
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
    if (isIntrinsic(v)) {
      ctx.notes.push(
        `service '${s.id}': DeploymentCircuitBreaker.${key === "enable" ? "Enable" : "Rollback"} is an intrinsic; left as is`,
      );
      continue;
    }
    const path = [...base, key === "enable" ? "Enable" : "Rollback"];
    edit(ctx, "set", path, true);
    push(path);
  }
}

/** What `applyGate` would do, and why; throws `FixError` on a refusal. Pure: the document is not touched. */
export function planGate(doc: TaskDefinitionDocument, options: GateOptions = {}): GatePlan {
  const ctx: Ctx = { doc, options, changes: [], edits: [], notes: [] };
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
  if (options.probeImage !== undefined && options.probeImage.trim() === "") {
    throw new FixError("bad-option", doc.file, "{option} is empty", "probeImage");
  }
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
  const editor = new DocumentEditor(doc);
  for (const e of plan.edits) {
    try {
      if (e.op === "set") editor.set(e.path, e.value);
      else editor.append(e.path, e.value);
    } catch (cause) {
      // E.g. a YAML alias in the way: the node to change is shared, so we will not rewrite it.
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new FixError(
        "unsupported",
        doc.file,
        `cannot edit ${JSON.stringify(e.path)} (${why}); nothing was written`,
      );
    }
  }
  try {
    editor.document();
  } catch (e) {
    // Our own edit broke the document: a bug, never something to write out.
    if (e instanceof TaskDefError)
      throw new Error(`fix produced an unreadable document: ${e.message}`, { cause: e });
    throw e;
  }
  return {
    text: editor.text,
    changed: editor.text !== doc.text,
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
