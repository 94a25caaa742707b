/** Reading a task definition view into the one `TaskReading` every part uses. */
import { isIntrinsic } from "../taskdef/index.js";
import type { ContainerView, JsonPath, TaskDefinitionView, UnknownContainerView } from "../taskdef/model.js";
import { buildEdges } from "./edges.js";
import { assignRoles, type RoleInput } from "./roles.js";
import type {
  ContainerReading,
  Dependency,
  DeployTimeValue,
  Evidence,
  ReadOptions,
  TaskReading,
} from "./types.js";
import {
  arr,
  deployTime,
  environmentOf,
  essentialValue,
  isObject,
  markPlaceholders,
  PLACEHOLDER_MARK,
  str,
  type TextValue,
  textValue,
} from "./values.js";

/**
 * The image reference as text, placeholders marked `${…}`, when enough of it is literal: a string, or a
 * CloudFormation `Fn::Sub` / `Fn::Join` whose literal parts still tell the repository and tag.
 */
export function imageTextOf(image: unknown, ssmParameters?: ReadonlyMap<string, string>): string | undefined {
  if (typeof image === "string") return plainText(image) ? image : markPlaceholders(image);
  if (!isIntrinsic(image)) return undefined;
  if (image.fn === "Ref" && typeof image.argument === "string")
    return ssmImage(ssmParameters?.get(image.argument));
  if (image.fn === "Fn::Sub") {
    const arg = image.argument;
    const template =
      typeof arg === "string" ? arg : Array.isArray(arg) && typeof arg[0] === "string" ? arg[0] : undefined;
    return template === undefined ? undefined : markPlaceholders(template);
  }
  if (image.fn === "Fn::Join" && Array.isArray(image.argument)) {
    const [sep, parts] = image.argument as [unknown, unknown];
    if (typeof sep !== "string" || !Array.isArray(parts)) return undefined;
    return parts.map((p) => (typeof p === "string" ? markPlaceholders(p) : PLACEHOLDER_MARK)).join(sep);
  }
  return undefined;
}

/**
 * AWS publishes the aws-for-fluent-bit image of each region in SSM (`/aws/service/aws-for-fluent-bit/<tag>`);
 * CDK's FireLens router names its image that way. The repository and tag are known; the registry is regional.
 */
function ssmImage(parameter: string | undefined): string | undefined {
  const m = parameter === undefined ? null : /^\/aws\/service\/aws-for-fluent-bit\/(.+)$/.exec(parameter);
  return m === null ? undefined : `${PLACEHOLDER_MARK}/aws-for-fluent-bit:${m[1]}`;
}

/**
 * Placeholders all start with `$`, `{` or `<`: a string without them is known as written, and skipping the
 * placeholder scan for it keeps reading cheap (names and dependsOn targets are read for every container).
 */
function plainText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 36 || c === 123 || c === 60) return false;
  }
  return true;
}

/** `textValue`, without the placeholder scan for a string that cannot hold one. */
function readText(value: unknown): TextValue {
  return typeof value === "string" && plainText(value) ? { known: true, text: value } : textValue(value);
}

/** `deployTime`, without the placeholder scan for a string that cannot hold one. */
function readDeployTime(value: unknown): boolean {
  if (value === undefined || (typeof value === "string" && plainText(value))) return false;
  return deployTime(value);
}

function readDependencies(raw: unknown): Dependency[] {
  if (!Array.isArray(raw)) return [];
  const list: readonly unknown[] = raw;
  const out: Dependency[] = [];
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    if (!isObject(d)) {
      out.push({
        index: i,
        target: undefined,
        targetValue: undefined,
        condition: undefined,
        targetUnknown: isIntrinsic(d),
        conditionUnknown: isIntrinsic(d),
        malformed: !isIntrinsic(d),
      });
      continue;
    }
    const name = readText(d.containerName);
    const condition = str(d.condition);
    out.push({
      index: i,
      target: name.known ? name.text : undefined,
      targetValue: d.containerName,
      condition,
      targetUnknown: readDeployTime(d.containerName),
      conditionUnknown: condition === undefined && readDeployTime(d.condition),
      malformed: false,
    });
  }
  return out;
}

/** A container reading still open for its role, which is decided over all containers at once. */
type Reading = { -readonly [K in keyof ContainerReading]: ContainerReading[K] };

const NO_EVIDENCE: Evidence = Object.freeze([]);
const NO_UNKNOWN: readonly UnknownContainerView[] = Object.freeze([]);

/**
 * Where the container is written in its list: its index, except in a branch's view (model/branches.ts), which
 * numbers containers densely and keeps the written position as the last step of the path.
 */
function writtenIndex(view: ContainerView): number {
  const last = view.path[view.path.length - 1];
  return typeof last === "number" ? last : view.index;
}

function readContainer(view: ContainerView, ssmParameters: ReadonlyMap<string, string> | undefined): Reading {
  const def = view.definition;
  const name = readText(def.name as unknown);
  const lc: unknown = def.logConfiguration;
  const driver = isObject(lc) ? str(lc.logDriver) : undefined;
  const fc: unknown = def.firelensConfiguration;
  const hc: unknown = def.healthCheck;
  return {
    index: view.index,
    view,
    definition: def,
    name: name.known ? name.text : undefined,
    nameValue: def.name as unknown,
    nameUnknown: !name.known && (name.why === "intrinsic" || name.why === "placeholder"),
    label: name.known ? name.text : `#${writtenIndex(view)}`,
    essential: essentialValue(def.essential as unknown),
    // Set once every container is read (assignRoles); the object keeps one shape from the start.
    role: "other",
    evidence: NO_EVIDENCE,
    logsThroughFirelens: driver?.toLowerCase() === "awsfirelens",
    hasFirelensConfiguration: fc !== undefined && fc !== null,
    // A health check only known at deploy time is taken to exist, so a HEALTHY wait on it is not called unmeetable.
    hasHealthCheck: isObject(hc) || isIntrinsic(hc),
    imageText: imageTextOf(def.image as unknown, ssmParameters),
    dependsOn: readDependencies(def.dependsOn as unknown),
    environment: environmentOf(def.environment as unknown),
  };
}

function at(c: ContainerReading, ...rest: Array<string | number>): JsonPath {
  return ["containerDefinitions", c.index, ...rest];
}

function deployTimeValues(containers: readonly ContainerReading[]): DeployTimeValue[] {
  const out: DeployTimeValue[] = [];
  for (const c of containers) {
    if (c.nameUnknown) out.push({ path: at(c, "name"), what: `the name of container ${c.label}` });
    if (c.essential === undefined && readDeployTime(c.definition.essential as unknown)) {
      out.push({ path: at(c, "essential"), what: `whether '${c.label}' is essential` });
    }
    if (c.imageText === undefined || c.imageText.includes(PLACEHOLDER_MARK)) {
      if (c.definition.image !== undefined)
        out.push({ path: at(c, "image"), what: `the image of '${c.label}'` });
    }
    for (const d of c.dependsOn) {
      if (d.targetUnknown)
        out.push({ path: at(c, "dependsOn", d.index), what: `a container '${c.label}' waits for` });
      else if (d.conditionUnknown) {
        out.push({
          path: at(c, "dependsOn", d.index, "condition"),
          what: `how '${c.label}' waits for '${d.target}'`,
        });
      }
    }
  }
  return out;
}

/**
 * Essential apps not held back by a non-essential gate: an app is held back when it, or a container it waits for
 * (transitively, along literal `dependsOn`), waits for such a gate with SUCCESS. Linear: one reverse walk from the
 * containers that wait on a gate directly.
 */
function ungated(containers: readonly ContainerReading[], byName: ReadonlyMap<string, ContainerReading>) {
  const openGates = new Set(
    containers
      .filter((c) => c.role === "gate" && c.essential === false && c.name !== undefined)
      .map((c) => c.name),
  );
  const waitersOf: number[][] = containers.map(() => []);
  const held = new Uint8Array(containers.length);
  const queue: number[] = [];
  for (const c of containers) {
    for (const d of c.dependsOn) {
      if (d.target === undefined) continue;
      if (d.condition === "SUCCESS" && openGates.has(d.target) && held[c.index] === 0) {
        held[c.index] = 1;
        queue.push(c.index);
      }
      const target = byName.get(d.target);
      if (target !== undefined) waitersOf[target.index]?.push(c.index);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    for (const w of waitersOf[queue[head] as number] ?? []) {
      if (held[w] === 0) {
        held[w] = 1;
        queue.push(w);
      }
    }
  }
  return containers.filter((c) => c.role === "app" && c.essential === true && held[c.index] === 0);
}

function roleInput(c: ContainerReading): RoleInput {
  const entryPoint: unknown = c.definition.entryPoint;
  const command: unknown = c.definition.command;
  return {
    name: c.name,
    image: c.imageText,
    hasFirelensConfiguration: c.hasFirelensConfiguration,
    logsThroughFirelens: c.logsThroughFirelens,
    environmentNames: c.environment.keys(),
    args:
      Array.isArray(entryPoint) && Array.isArray(command)
        ? [...entryPoint, ...command]
        : Array.isArray(entryPoint)
          ? entryPoint
          : arr(command),
    dependsOn: c.dependsOn,
  };
}

function readTaskUncached(td: TaskDefinitionView, options: ReadOptions): TaskReading {
  const views = td.containers;
  const containers: Reading[] = new Array(views.length);
  for (let i = 0; i < views.length; i++)
    containers[i] = readContainer(views[i] as ContainerView, td.ssmParameters);
  const { roles, evidence, router: routerIndex } = assignRoles(containers.map(roleInput));
  const byName = new Map<string, ContainerReading>();
  const firelensContainers: ContainerReading[] = [];
  const gates: ContainerReading[] = [];
  const apps: ContainerReading[] = [];
  const firelensUsers: ContainerReading[] = [];
  const appsOfUnknownEssential: ContainerReading[] = [];
  let agent: ContainerReading | undefined;
  // One pass sorts the containers into every list the reading offers, each in container order.
  for (let i = 0; i < containers.length; i++) {
    const c = containers[i] as Reading;
    const role = roles[i] ?? "other";
    c.role = role;
    c.evidence = evidence[i] ?? [];
    if (c.name !== undefined && !byName.has(c.name)) byName.set(c.name, c);
    if (c.hasFirelensConfiguration) firelensContainers.push(c);
    if (c.logsThroughFirelens) firelensUsers.push(c);
    if (role === "gate") gates.push(c);
    else if (role === "agent") agent ??= c;
    else if (role === "app") {
      apps.push(c);
      if (c.essential === undefined) appsOfUnknownEssential.push(c);
    }
  }
  const router = routerIndex >= 0 ? containers[routerIndex] : undefined;
  const graph = buildEdges(containers, router, options.serviceConnect === true);
  return {
    taskDefinition: td,
    containers,
    byName,
    firelensContainers,
    router,
    agent,
    gates,
    apps,
    firelensUsers,
    ungatedApps: ungated(containers, byName),
    appsOfUnknownEssential,
    nodes: graph.nodes,
    edges: graph.edges,
    firelensEdges: graph.firelensEdges,
    refusal: graph.refusal,
    refusals: graph.refusals,
    cycles: graph.cycles,
    deployTime: deployTimeValues(containers),
    unknownContainers: td.unknownContainers ?? NO_UNKNOWN,
  };
}

/**
 * Lint runs every rule on one task definition before the next, so a one-entry cache serves all but the first
 * rule. (A WeakMap did the same job at several times the cost: fresh keys per document are ephemerons the
 * collector has to trace.)
 */
let lastView: TaskDefinitionView | undefined;
let lastServiceConnect = false;
let lastReading: TaskReading | undefined;

/** Read a task definition view. Pure; repeated calls with the same view return the same reading. */
export function readTask(td: TaskDefinitionView, options: ReadOptions = {}): TaskReading {
  const serviceConnect = options.serviceConnect === true;
  if (td === lastView && serviceConnect === lastServiceConnect && lastReading !== undefined)
    return lastReading;
  const reading = readTaskUncached(td, options);
  lastView = td;
  lastServiceConnect = serviceConnect;
  lastReading = reading;
  return reading;
}
