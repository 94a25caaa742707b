/** Reading a task definition view into the one `TaskReading` every part uses. */
import { isIntrinsic } from "../taskdef/index.js";
import type { ContainerView, JsonPath, TaskDefinitionView } from "../taskdef/model.js";
import { buildEdges } from "./edges.js";
import { assignRoles } from "./roles.js";
import type { ContainerReading, Dependency, DeployTimeValue, ReadOptions, TaskReading } from "./types.js";
import {
  arr,
  deployTime,
  environmentOf,
  essentialValue,
  isObject,
  markPlaceholders,
  PLACEHOLDER_MARK,
  str,
  textValue,
} from "./values.js";

/**
 * The image reference as text, placeholders marked `${…}`, when enough of it is literal: a string, or a
 * CloudFormation `Fn::Sub` / `Fn::Join` whose literal parts still tell the repository and tag.
 */
export function imageTextOf(image: unknown, ssmParameters?: ReadonlyMap<string, string>): string | undefined {
  if (typeof image === "string") return markPlaceholders(image);
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

function readDependencies(raw: unknown): Dependency[] {
  const out: Dependency[] = [];
  const list = arr(raw);
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
    const name = textValue(d.containerName);
    const condition = str(d.condition);
    out.push({
      index: i,
      target: name.known ? name.text : undefined,
      targetValue: d.containerName,
      condition,
      targetUnknown: deployTime(d.containerName),
      conditionUnknown: condition === undefined && deployTime(d.condition),
      malformed: false,
    });
  }
  return out;
}

function readContainer(
  view: ContainerView,
  ssmParameters: ReadonlyMap<string, string> | undefined,
): Omit<ContainerReading, "role" | "evidence"> {
  const def = view.definition;
  const name = textValue(def.name as unknown);
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
    label: name.known ? name.text : `#${view.index}`,
    essential: essentialValue(def.essential as unknown),
    logsThroughFirelens: driver?.toLowerCase() === "awsfirelens",
    hasFirelensConfiguration: fc !== undefined && fc !== null,
    // A health check only known at deploy time is taken to exist, so a HEALTHY wait on it is not called unmeetable.
    hasHealthCheck: isObject(hc) || isIntrinsic(hc),
    imageText: imageTextOf(def.image as unknown, ssmParameters),
    dependsOn: readDependencies(def.dependsOn as unknown),
    environment: environmentOf(def.environment as unknown),
  };
}

function deployTimeValues(containers: readonly ContainerReading[]): DeployTimeValue[] {
  const out: DeployTimeValue[] = [];
  const at = (c: ContainerReading, ...rest: Array<string | number>): JsonPath => [
    "containerDefinitions",
    c.index,
    ...rest,
  ];
  for (const c of containers) {
    if (c.nameUnknown) out.push({ path: at(c, "name"), what: `the name of container ${c.label}` });
    if (c.essential === undefined && deployTime(c.definition.essential as unknown)) {
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

function readTaskUncached(td: TaskDefinitionView, options: ReadOptions): TaskReading {
  const partial = td.containers.map((c) => readContainer(c, td.ssmParameters));
  const {
    roles,
    evidence,
    router: routerIndex,
  } = assignRoles(
    partial.map((c) => ({
      name: c.name,
      image: c.imageText,
      hasFirelensConfiguration: c.hasFirelensConfiguration,
      logsThroughFirelens: c.logsThroughFirelens,
      environmentNames: c.environment.keys(),
      args: [...arr(c.definition.entryPoint as unknown), ...arr(c.definition.command as unknown)],
      dependsOn: c.dependsOn,
    })),
  );
  const containers: ContainerReading[] = partial.map((c, i) => ({
    ...c,
    role: roles[i] ?? "other",
    evidence: evidence[i] ?? [],
  }));
  const byName = new Map<string, ContainerReading>();
  for (const c of containers) if (c.name !== undefined && !byName.has(c.name)) byName.set(c.name, c);
  const router = routerIndex >= 0 ? containers[routerIndex] : undefined;
  const graph = buildEdges(containers, router, options.serviceConnect === true);
  return {
    taskDefinition: td,
    containers,
    byName,
    firelensContainers: containers.filter((c) => c.hasFirelensConfiguration),
    router,
    agent: containers.find((c) => c.role === "agent"),
    gates: containers.filter((c) => c.role === "gate"),
    apps: containers.filter((c) => c.role === "app"),
    firelensUsers: containers.filter((c) => c.logsThroughFirelens),
    ungatedApps: ungated(containers, byName),
    appsOfUnknownEssential: containers.filter((c) => c.role === "app" && c.essential === undefined),
    nodes: graph.nodes,
    edges: graph.edges,
    firelensEdges: graph.firelensEdges,
    refusal: graph.refusal,
    cycles: graph.cycles,
    deployTime: deployTimeValues(containers),
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
