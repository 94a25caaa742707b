/**
 * `terraform show -json` output (a saved plan, or the state): what Terraform will actually send, after
 * modules, variables and functions are evaluated, so CI can lint definitions that are computed.
 *
 * Fields read (https://developer.hashicorp.com/terraform/internals/json-format):
 * - `format_version` (major 1) and `planned_values` (a plan) or `values` (a state): the values
 *   representation. In `root_module` and, recursively, `child_modules[]`: `resources[]` with `address`,
 *   `mode` (`managed`), `type` and `values`. For `aws_ecs_task_definition`: `values.container_definitions`
 *   (the JSON string the provider sends; null while unknown) and the task-level attributes (`family`,
 *   `cpu`, `memory`, `network_mode`, `requires_compatibilities`, …). For `aws_ecs_service`:
 *   `values.deployment_circuit_breaker[0].enable` / `.rollback`, `deployment_maximum_percent`,
 *   `deployment_minimum_healthy_percent`, and `values.task_definition`.
 * - `configuration.root_module`, recursively `module_calls.<name>.module`: `resources[]` with `address` and
 *   `expressions.task_definition.references` (which task definition a service runs), and
 *   `module_calls.<name>.source` (a module's directory when it is a local path). The configuration holds no
 *   file names or line numbers; with a local source, the `.tf` files of that directory (relative to the
 *   plan file's directory, the root module) are read to find the line of the resource's
 *   `container_definitions`.
 *
 * Findings are located in the plan file, inside the `container_definitions` string; the task definition's
 * id is the resource address (`module.api.aws_ecs_task_definition.this`), and `origin` gives the `.tf`
 * file and line where they are known.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { TaskDefError } from "../errors.js";
import { locateJson, type Span } from "../locate-json.js";
import type {
  ContainerDefinition,
  ContainerView,
  DeploymentConfiguration,
  JsonPath,
  ServiceView,
  SourceLocation,
  TaskDefinition,
  TaskDefinitionDocument,
  TaskDefinitionView,
} from "../model.js";
import { put } from "../put.js";
import { LineIndex } from "../raw.js";
import { isPlainObject } from "./evaluate.js";
import { decodeJsonString, jsonNodes, parseJsonText } from "./json.js";
import { type LNode, leaf, member, unknownValue } from "./located.js";
import { hclParserLoaded } from "./parser.js";
import { readTerraformHcl } from "./terraform.js";
import { makeDocument, registerInternals, SERVICE, TASK_DEFINITION } from "./tf-document.js";

type Obj = Record<string, unknown>;

/** Whether parsed JSON is `terraform show -json` output. */
export function isTerraformShowJson(data: unknown): data is Obj {
  return (
    isPlainObject(data) &&
    typeof data.format_version === "string" &&
    (isPlainObject(data.planned_values) || isPlainObject(data.values) || isPlainObject(data.configuration))
  );
}

interface PlanResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** Module call names from the root (`module.api.module.db` → `["api", "db"]`). */
  readonly modules: readonly string[];
  /** The instance's module address prefix (`module.api[0].`), as the address spells it. */
  readonly prefix: string;
  readonly values: Obj;
  /** Raw JSON path of the resource object in the plan. */
  readonly path: JsonPath;
}

function resourcesOf(module: unknown, path: JsonPath, out: PlanResource[]): void {
  if (!isPlainObject(module)) return;
  const list = Array.isArray(module.resources) ? module.resources : [];
  list.forEach((r: unknown, i: number) => {
    if (!isPlainObject(r) || r.mode !== "managed" || typeof r.address !== "string") return;
    if (r.type !== TASK_DEFINITION && r.type !== SERVICE) return;
    const address = r.address;
    const at = address.lastIndexOf(`${r.type}.`);
    const prefix = at < 0 ? "" : address.slice(0, at);
    const modules = [...prefix.matchAll(/module\.([^.[\]]+)(?:\[[^\]]*\])?\./g)].map((m) => m[1] as string);
    out.push({
      address,
      type: r.type,
      name: typeof r.name === "string" ? r.name : "",
      modules,
      prefix,
      values: isPlainObject(r.values) ? r.values : {},
      path: [...path, "resources", i],
    });
  });
  const children = Array.isArray(module.child_modules) ? module.child_modules : [];
  children.forEach((c: unknown, i: number) => {
    resourcesOf(c, [...path, "child_modules", i], out);
  });
}

/** The configuration of the module reached by `modules` (module call names), with its directory. */
function configModule(
  data: Obj,
  modules: readonly string[],
): { module: Obj; dir: string | undefined } | undefined {
  const config = isPlainObject(data.configuration) ? data.configuration : undefined;
  let module = config !== undefined && isPlainObject(config.root_module) ? config.root_module : undefined;
  let dir: string | undefined = ".";
  for (const name of modules) {
    const calls =
      module !== undefined && isPlainObject(module.module_calls) ? module.module_calls : undefined;
    const call = calls !== undefined && isPlainObject(calls[name]) ? calls[name] : undefined;
    if (call === undefined) return undefined;
    const source =
      typeof call.source === "string"
        ? call.source
        : typeof call.resolved_source === "string"
          ? call.resolved_source
          : undefined;
    dir =
      dir !== undefined && source !== undefined && /^\.\.?\//.test(source) ? join(dir, source) : undefined;
    module = isPlainObject(call.module) ? call.module : undefined;
  }
  return module === undefined ? undefined : { module, dir };
}

function configResource(module: Obj, type: string, name: string): Obj | undefined {
  const list = Array.isArray(module.resources) ? module.resources : [];
  for (const r of list) {
    if (isPlainObject(r) && r.type === type && r.name === name && r.mode !== "data") return r;
  }
  return undefined;
}

/** `aws_ecs_task_definition.x` named in a service's `task_definition` expression. */
function referencedTaskDefinition(resource: Obj | undefined): string | undefined {
  const expressions =
    resource !== undefined && isPlainObject(resource.expressions) ? resource.expressions : undefined;
  const td =
    expressions !== undefined && isPlainObject(expressions.task_definition)
      ? expressions.task_definition
      : undefined;
  const refs = td !== undefined && Array.isArray(td.references) ? td.references : [];
  for (const r of refs) {
    const m = typeof r === "string" ? /^aws_ecs_task_definition\.([^.[\]]+)/.exec(r) : null;
    if (m !== null) return `${TASK_DEFINITION}.${m[1]}`;
  }
  return undefined;
}

/** Where a module's `.tf` files write a resource's `container_definitions` (needs the HCL parser). */
function findOrigin(planFile: string, dir: string | undefined, name: string): SourceLocation | undefined {
  if (dir === undefined || planFile === "<stdin>" || !hclParserLoaded()) return undefined;
  const moduleDir = join(dirname(planFile), dir);
  let files: string[];
  try {
    files = readdirSync(moduleDir)
      .filter((f) => f.endsWith(".tf"))
      .sort();
  } catch {
    return undefined;
  }
  for (const f of files) {
    const path = join(moduleDir, f);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    if (!text.includes(`"${name}"`)) continue;
    try {
      const { doc } = readTerraformHcl(text, path, { readInclude: () => "[]" });
      const td = doc.taskDefinitions.find((t) => t.id === `${TASK_DEFINITION}.${name}`);
      if (td === undefined) continue;
      const loc = doc.locate([...td.path, "container_definitions"]);
      return { ...loc, file: relative(process.cwd(), path) || path };
    } catch {
      // A module file we cannot read is no reason to fail the plan: the origin is just not known.
    }
  }
  return undefined;
}

/** The plan text being read, and the parsed plan for its configuration. */
interface PlanSource {
  readonly text: string;
  readonly file: string;
  readonly lines: LineIndex;
  readonly data: Obj;
}

/** A service as read, before it is paired with a task definition of the plan. */
interface ServiceInput {
  readonly r: PlanResource;
  readonly dc: DeploymentConfiguration | undefined;
  readonly ref: string | undefined;
}

/** A `terraform show -json` document. */
export function readTerraformPlan(text: string, file: string, data: Obj): TaskDefinitionDocument {
  const src: PlanSource = { text, file, lines: new LineIndex(text), data };
  checkFormatVersion(file, data);
  const root = isPlainObject(data.planned_values) ? "planned_values" : "values";
  const resources: PlanResource[] = [];
  resourcesOf(
    isPlainObject(data[root]) ? (data[root] as Obj).root_module : undefined,
    [root, "root_module"],
    resources,
  );
  const props = new Map<string, LNode>();
  const taskDefinitions: TaskDefinitionView[] = [];
  const unreadable = new Map<string, string>();
  const serviceInputs: ServiceInput[] = [];
  for (const r of resources) {
    if (r.type === TASK_DEFINITION) taskDefinitions.push(readTaskDefinition(src, r, props, unreadable));
    else serviceInputs.push(readService(src, r, props));
  }
  if (taskDefinitions.length === 0 && serviceInputs.length === 0) {
    throw new TaskDefError({
      kind: "not-a-task-definition",
      file,
      line: 1,
      column: 1,
      detail: `no ${TASK_DEFINITION} or ${SERVICE} resource in this terraform show -json output`,
      expected: `a plan or state with resource "${TASK_DEFINITION}"`,
    });
  }
  const services = serviceInputs.map((s) => pairService(s, taskDefinitions));
  const rootNode = leaf(null, 0, text.length, { props });
  const doc = makeDocument(text, file, "terraform-plan", taskDefinitions, services, rootNode, src.lines);
  registerInternals(doc, {
    root: rootNode,
    text,
    syntax: { type: "json", start: 0, end: 0, named: true, kids: [] },
    blocks: new Map(),
    unreadable,
  });
  return doc;
}

function checkFormatVersion(file: string, data: Obj): void {
  const major = /^(\d+)\./.exec(String(data.format_version))?.[1];
  if (major !== "1") {
    throw new TaskDefError({
      kind: "not-a-task-definition",
      file,
      line: 1,
      column: 1,
      detail: `terraform show -json format_version ${String(data.format_version)} is not supported (1.x is)`,
    });
  }
}

/** A task definition; its located node goes into `props` under its address. */
function readTaskDefinition(
  src: PlanSource,
  r: PlanResource,
  props: Map<string, LNode>,
  unreadable: Map<string, string>,
): TaskDefinitionView {
  const whole = locateJson(src.text, r.path);
  const cfg = configModule(src.data, r.modules);
  const tdProps = new Map<string, LNode>();
  const task: Obj = {};
  for (const [k, v] of Object.entries(r.values)) {
    if (k === "container_definitions") continue;
    const s = locateJson(src.text, [...r.path, "values", k]);
    tdProps.set(k, leaf(v, s.offset, s.length));
    put(
      task,
      k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
      v,
    );
  }
  const cdPath = [...r.path, "values", "container_definitions"];
  const list = containerList(src, r, cdPath, whole, unreadable);
  tdProps.set("container_definitions", member(list, locateJson(src.text, cdPath).offset));
  const containers = containerViews(list, r.address);
  put(
    task,
    "containerDefinitions",
    containers.map((c) => c.definition),
  );
  props.set(r.address, leaf(null, whole.offset, whole.length, { props: tdProps }));
  const origin = findOrigin(src.file, cfg?.dir, r.name);
  return {
    id: r.address,
    path: [r.address],
    containersKey: "container_definitions",
    taskDefinition: task as TaskDefinition,
    containers,
    ...(origin === undefined ? {} : { origin }),
  };
}

/** The JSON string the provider sends, located inside it; `null` (known after apply) is unknown. */
function containerList(
  src: PlanSource,
  r: PlanResource,
  cdPath: JsonPath,
  whole: Span,
  unreadable: Map<string, string>,
): LNode {
  const raw = r.values.container_definitions;
  if (typeof raw !== "string") {
    unreadable.set(r.address, "its container_definitions is not known until apply");
    return leaf(unknownValue("(known after apply)"), whole.offset, whole.length);
  }
  const s = locateJson(src.text, cdPath);
  const { value, offsets } = decodeJsonString(src.text, s.valueOffset);
  const tree = parseJsonText(value, (line, column, detail) => {
    const at = src.lines.position(s.valueOffset);
    return new TaskDefError({
      kind: "syntax",
      file: src.file,
      ...at,
      detail: `${r.address}: container_definitions is not JSON (${line ?? 1}:${column ?? 1} in the string): ${detail}`,
    });
  });
  return jsonNodes(
    tree,
    (i) => offsets[Math.min(i, offsets.length - 1)] ?? s.valueOffset,
    { offset: s.offset, length: s.length },
    "a plan shows what Terraform will send; fix the configuration that writes it",
  );
}

/** The containers of the list; what is not an object is left out, keeping the others' indexes. */
function containerViews(list: LNode, address: string): ContainerView[] {
  const containers: ContainerView[] = [];
  (list.items ?? []).forEach((item, index) => {
    if (!isPlainObject(item.value)) return;
    const definition = item.value as ContainerDefinition;
    containers.push({
      name: typeof definition.name === "string" ? definition.name : undefined,
      index,
      definition,
      path: [address, "container_definitions", index],
    });
  });
  return containers;
}

/** A service; its located node goes into `props` under its address. */
function readService(src: PlanSource, r: PlanResource, props: Map<string, LNode>): ServiceInput {
  const whole = locateJson(src.text, r.path);
  const cfg = configModule(src.data, r.modules);
  const dc: Obj = {};
  let any = false;
  const sProps = new Map<string, LNode>();
  const dcProps = new Map<string, LNode>();
  const cbList = r.values.deployment_circuit_breaker;
  // The breaker is a list of one block in the values representation.
  const cb = Array.isArray(cbList) ? cbList[0] : cbList;
  if (isPlainObject(cb)) {
    const cbPath = [...r.path, "values", "deployment_circuit_breaker", ...(Array.isArray(cbList) ? [0] : [])];
    const { node, view } = circuitBreaker(src, cb, cbPath);
    dcProps.set("DeploymentCircuitBreaker", node);
    put(dc, "deploymentCircuitBreaker", view);
    any = true;
  }
  for (const [k, key] of [
    ["deployment_maximum_percent", "maximumPercent"],
    ["deployment_minimum_healthy_percent", "minimumHealthyPercent"],
  ] as const) {
    if (typeof r.values[k] === "number") {
      put(dc, key, r.values[k]);
      any = true;
    }
  }
  sProps.set("DeploymentConfiguration", leaf(dc, whole.offset, whole.length, { props: dcProps }));
  props.set(r.address, leaf(null, whole.offset, whole.length, { props: sProps }));
  const local = referencedTaskDefinition(
    cfg === undefined ? undefined : configResource(cfg.module, SERVICE, r.name),
  );
  return {
    r,
    dc: any ? (dc as DeploymentConfiguration) : undefined,
    ref: local === undefined ? undefined : r.prefix + local,
  };
}

/** The breaker's located node and its view; each key under the CloudFormation spelling too (`Enable`). */
function circuitBreaker(src: PlanSource, cb: Obj, cbPath: JsonPath): { node: LNode; view: Obj } {
  const cbProps = new Map<string, LNode>();
  const view: Obj = {};
  for (const k of ["enable", "rollback"]) {
    if (!(k in cb)) continue;
    const s = locateJson(src.text, [...cbPath, k]);
    const n = leaf(cb[k], s.offset, s.length);
    cbProps.set(k, n);
    cbProps.set(k.charAt(0).toUpperCase() + k.slice(1), n);
    put(view, k, cb[k]);
  }
  const s = locateJson(src.text, cbPath);
  return { node: leaf(view, s.offset, s.length, { props: cbProps }), view };
}

/** The service's task definition among the plan's: by its configuration's reference, else by family. */
function pairService(
  { r, dc, ref }: ServiceInput,
  taskDefinitions: readonly TaskDefinitionView[],
): ServiceView {
  // Without a configuration block, a service whose task_definition is a family of this plan is paired by it.
  const byFamily =
    ref === undefined && typeof r.values.task_definition === "string"
      ? taskDefinitions.find((t) => t.taskDefinition.family === r.values.task_definition)?.id
      : undefined;
  const target = ref ?? byFamily;
  const match =
    target === undefined
      ? undefined
      : taskDefinitions.find((t) => t.id === target || t.id.startsWith(`${target}[`))?.id;
  const scList = r.values.service_connect_configuration;
  const sc = Array.isArray(scList) ? scList[0] : scList;
  return {
    id: r.address,
    path: [r.address],
    taskDefinitionRef: match,
    deploymentConfiguration: dc,
    serviceConnect: isPlainObject(sc) && typeof sc.enabled === "boolean" ? sc.enabled : undefined,
  };
}
