/**
 * `.tf.json`: Terraform's JSON syntax (https://developer.hashicorp.com/terraform/language/syntax/json).
 * `resource.<type>.<name>` objects; strings are templates, so `"${jsonencode([ … ])}"` holds an HCL
 * expression and `"[{\"name\": …}]"` JSON text. Both are read with positions inside the JSON string.
 */
import { TaskDefError } from "../errors.js";
import { locateJson, type Span } from "../locate-json.js";
import type {
  ContainerDefinition,
  ContainerView,
  DeploymentConfiguration,
  JsonPath,
  ServiceView,
  TaskDefinition,
  TaskDefinitionDocument,
  TaskDefinitionView,
} from "../model.js";
import { put } from "../put.js";
import { LineIndex } from "../raw.js";
import { isIntrinsic } from "../values.js";
import { evaluate, isPlainObject, kids, newEnv } from "./evaluate.js";
import { decodeJsonString, jsonNodes, parseJsonText, templateToJson } from "./json.js";
import { type LNode, leaf, member, unknownValue } from "./located.js";
import { firstSyntaxError, parseHclSyntax } from "./parser.js";
import { makeDocument, registerInternals, SERVICE, TASK_DEFINITION } from "./tf-document.js";

type Obj = Record<string, unknown>;

const FIXED = "it is written in a .tf.json string; edit it by hand";

/** A JSON value of the JSON syntax: strings with `${` are templates, unknown here. */
function jsonValue(v: unknown): unknown {
  if (typeof v === "string") return v.includes("${") ? unknownValue(v) : v.replace(/\$\$\{/g, "${");
  if (Array.isArray(v)) return v.map(jsonValue);
  if (isPlainObject(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) put(out, k, jsonValue(x));
    return out;
  }
  return v;
}

/** The whole string is one `${ … }` interpolation. */
function soleInterpolation(s: string): string | undefined {
  if (!s.startsWith("${") || !s.endsWith("}")) return undefined;
  let depth = 0;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i === s.length - 1 ? s.slice(2, -1) : undefined;
  }
  return undefined;
}

/** Shift a located tree from `(offset) → document offset`, dropping edit handles. */
function remap(node: LNode, m: (i: number) => number): LNode {
  const offset = m(node.offset);
  const end = node.length === 0 ? offset : m(node.offset + node.length - 1) + 1;
  const out: LNode = {
    value: node.value,
    offset,
    length: Math.max(0, end - offset),
    valueOffset: m(node.valueOffset),
    fixed: FIXED,
    ...(node.props === undefined
      ? {}
      : { props: new Map([...node.props].map(([k, v]) => [k, remap(v, m)])) }),
    ...(node.items === undefined ? {} : { items: node.items.map((i) => remap(i, m)) }),
  };
  return out;
}

/** The `.tf.json` text being read: errors are located through JSON paths into it. */
interface JsonSource {
  readonly text: string;
  readonly file: string;
  readonly lines: LineIndex;
}

function failAt(
  src: JsonSource,
  path: JsonPath,
  detail: string,
  kind: "syntax" | "not-a-task-definition" = "syntax",
): never {
  const { line, column } = src.lines.position(locateJson(src.text, path).valueOffset);
  throw new TaskDefError({ kind, file: src.file, line, column, detail });
}

/** One `resource.<type>.<name>` object of a type this reader knows. */
interface ResourceBlock {
  readonly type: string;
  readonly name: string;
  readonly body: Obj;
  /** Its JSON path in the document (with the index when `resource` is an array). */
  readonly path: JsonPath;
}

/** `resource` may be one object or an array of them; blocks keep the path they are written at. */
function resourceBlocks(data: unknown): ResourceBlock[] {
  const blocks: ResourceBlock[] = [];
  const resource = isPlainObject(data) ? data.resource : undefined;
  const groups: Array<[unknown, JsonPath]> = Array.isArray(resource)
    ? resource.map((r, i) => [r, ["resource", i]])
    : [[resource, ["resource"]]];
  for (const [group, base] of groups) {
    if (!isPlainObject(group)) continue;
    for (const type of [TASK_DEFINITION, SERVICE]) {
      const named = group[type];
      if (!isPlainObject(named)) continue;
      for (const [name, body] of Object.entries(named)) {
        if (isPlainObject(body)) blocks.push({ type, name, body, path: [...base, type, name] });
      }
    }
  }
  return blocks;
}

/** A service as read, before its task definition reference is checked against the file's ids. */
interface ServiceInput {
  readonly id: string;
  readonly path: JsonPath;
  readonly dc: DeploymentConfiguration | undefined;
  readonly ref: string | undefined;
  readonly serviceConnect: boolean | undefined;
}

/** Everything the blocks add up to: the model's views and the located nodes by type and name. */
interface ReadBlocks {
  readonly taskDefinitions: TaskDefinitionView[];
  readonly serviceInputs: ServiceInput[];
  readonly byType: Map<string, Map<string, LNode>>;
  readonly unreadable: Map<string, string>;
}

export function readTerraformJson(text: string, file: string, data: unknown): TaskDefinitionDocument {
  const src: JsonSource = { text, file, lines: new LineIndex(text) };
  const blocks = resourceBlocks(data);
  if (blocks.length === 0) {
    throw new TaskDefError({
      kind: "not-a-task-definition",
      file,
      line: 1,
      column: 1,
      detail: `no resource "${TASK_DEFINITION}" or "${SERVICE}" in this .tf.json`,
      expected: `a Terraform file with resource "${TASK_DEFINITION}"`,
    });
  }
  const read: ReadBlocks = {
    taskDefinitions: [],
    serviceInputs: [],
    byType: new Map(),
    unreadable: new Map(),
  };
  for (const b of blocks) readBlock(src, b, read);
  const ids = new Set(read.taskDefinitions.map((t) => t.id));
  const services: ServiceView[] = read.serviceInputs.map((s) => ({
    id: s.id,
    path: s.path,
    deploymentConfiguration: s.dc,
    serviceConnect: s.serviceConnect,
    taskDefinitionRef: s.ref !== undefined && ids.has(s.ref) ? s.ref : undefined,
  }));
  const root = locatedRoot(src, read.byType);
  const doc = makeDocument(text, file, "terraform-json", read.taskDefinitions, services, root, src.lines);
  registerInternals(doc, {
    root,
    text,
    syntax: { type: "json", start: 0, end: 0, named: true, kids: [] },
    blocks: new Map(),
    unreadable: read.unreadable,
  });
  return doc;
}

/** One resource block into `read`, its located node under its type and name. */
function readBlock(src: JsonSource, b: ResourceBlock, read: ReadBlocks): void {
  const whole = locateJson(src.text, b.path);
  const props = new Map<string, LNode>();
  if (b.type === TASK_DEFINITION) {
    read.taskDefinitions.push(readTaskDefinition(src, b, props, read.unreadable));
  } else {
    read.serviceInputs.push(readService(src, b, props, whole));
  }
  let named = read.byType.get(b.type);
  if (named === undefined) {
    named = new Map();
    read.byType.set(b.type, named);
  }
  named.set(b.name, leaf(null, whole.offset, whole.length, { props }));
}

/** The tree `resource.<type>.<name>` as Terraform's JSON syntax paths it, whatever `resource`'s shape. */
function locatedRoot(src: JsonSource, byType: ReadonlyMap<string, Map<string, LNode>>): LNode {
  const resourceSpan = locateJson(src.text, ["resource"]);
  const types = new Map(
    [...byType].map(([t, named]) => [
      t,
      leaf(null, resourceSpan.offset, resourceSpan.length, { props: named }),
    ]),
  );
  return leaf(null, 0, src.text.length, {
    props: new Map([["resource", leaf(null, resourceSpan.offset, resourceSpan.length, { props: types })]]),
  });
}

/** Raw paths are Terraform's JSON syntax (`resource.<type>.<name>`), not the array index it may sit at. */
function rawPathOf(b: ResourceBlock): JsonPath {
  return ["resource", b.type, b.name];
}

function readTaskDefinition(
  src: JsonSource,
  b: ResourceBlock,
  props: Map<string, LNode>,
  unreadable: Map<string, string>,
): TaskDefinitionView {
  const rawPath = rawPathOf(b);
  const id = `${b.type}.${b.name}`;
  const task: Obj = {};
  let list: LNode | undefined;
  for (const [k, v] of Object.entries(b.body)) {
    const s = locateJson(src.text, [...b.path, k]);
    if (k !== "container_definitions") {
      props.set(k, leaf(jsonValue(v), s.offset, s.length));
      put(
        task,
        k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
        jsonValue(v),
      );
      continue;
    }
    if (typeof v !== "string") failAt(src, [...b.path, k], "expected container_definitions to be a string");
    list = readContainerList(src, [...b.path, k], s, id);
    props.set(k, member(list, s.offset));
  }
  let containers: ContainerView[] = [];
  if (list === undefined || isIntrinsic(list.value)) {
    unreadable.set(id, "its container_definitions is not a literal list");
  } else {
    containers = containerViews(src, list, [...rawPath, "container_definitions"]);
  }
  put(
    task,
    "containerDefinitions",
    containers.map((c) => c.definition),
  );
  return {
    id,
    path: rawPath,
    containersKey: "container_definitions",
    taskDefinition: task as TaskDefinition,
    containers,
  };
}

/** The containers of a literal list; an unknown item is skipped, keeping the others' indexes. */
function containerViews(src: JsonSource, list: LNode, base: JsonPath): ContainerView[] {
  const containers: ContainerView[] = [];
  (list.items ?? []).forEach((item, index) => {
    if (isIntrinsic(item.value)) return;
    if (!isPlainObject(item.value)) {
      const { line, column } = src.lines.position(item.offset);
      throw new TaskDefError({
        kind: "not-a-task-definition",
        file: src.file,
        line,
        column,
        detail: "expected a container definition (an object)",
      });
    }
    const definition = item.value as ContainerDefinition;
    containers.push({
      name: typeof definition.name === "string" ? definition.name : undefined,
      index,
      definition,
      path: [...base, index],
    });
  });
  return containers;
}

/** `container_definitions`'s string: one `${ … }` expression, plain JSON text, or a JSON template. */
function readContainerList(src: JsonSource, path: JsonPath, s: Span, id: string): LNode {
  const { value, offsets } = decodeJsonString(src.text, s.valueOffset);
  const at = (i: number) => offsets[Math.min(Math.max(i, 0), offsets.length - 1)] ?? s.valueOffset;
  const expr = soleInterpolation(value);
  if (expr !== undefined) return expressionList(src, path, s, value, expr, at);
  if (!value.includes("${")) {
    const tree = parseJsonText(
      value,
      (line, column, detail) =>
        new TaskDefError({
          kind: "syntax",
          file: src.file,
          ...src.lines.position(s.valueOffset),
          detail: `${id}: container_definitions is not JSON (${line ?? 1}:${column ?? 1} in the string): ${detail}`,
        }),
    );
    return jsonNodes(tree, at, { offset: s.offset, length: s.length }, FIXED);
  }
  const tj = templateToJson(value, () => undefined);
  if (tj.directive !== undefined)
    failAt(
      src,
      path,
      `${id}: container_definitions uses %{ } directives, so it is not JSON until Terraform renders it; lint terraform show -json of a plan instead`,
    );
  const tree = parseJsonText(
    tj.json,
    (line, column, detail) =>
      new TaskDefError({
        kind: "syntax",
        file: src.file,
        ...src.lines.position(s.valueOffset),
        detail: `${id}: container_definitions is not JSON (${line ?? 1}:${column ?? 1}): ${detail}`,
      }),
  );
  return jsonNodes(tree, undefined, { offset: s.offset, length: s.length }, FIXED, tj.unknowns);
}

/**
 * `"${jsonencode([ … ])}"`: the HCL expression is parsed on its own and its positions are mapped back
 * through the string's escapes (`at`: string index → document offset). Anything else is unknown.
 */
function expressionList(
  src: JsonSource,
  path: JsonPath,
  s: Span,
  value: string,
  expr: string,
  at: (i: number) => number,
): LNode {
  const prefix = "x = ";
  const synthetic = `${prefix}${expr}\n`;
  const syntax = parseHclSyntax(synthetic);
  const bad = firstSyntaxError(syntax);
  if (bad !== undefined) failAt(src, path, "invalid HCL in the container_definitions expression");
  const attr = kids(kids(syntax)[0] ?? syntax).find((n) => n.type === "attribute");
  const e = attr === undefined ? undefined : kids(attr)[2];
  let node: LNode = leaf(unknownValue(value), s.offset, s.length);
  const call = e === undefined ? undefined : kids(e)[0];
  const env = newEnv(synthetic, new Map());
  if (call?.type === "function_call" && synthetic.slice(call.start, call.start + 10) === "jsonencode") {
    const args = kids(call).find((n) => n.type === "function_arguments");
    const arg = args === undefined ? undefined : kids(args).find((n) => n.type === "expression");
    // `${` and the prefix shift the synthetic text's offsets against the string's.
    if (arg !== undefined) node = remap(evaluate(env, arg, false), (i) => at(i - prefix.length + 2));
  }
  return node;
}

function readService(
  src: JsonSource,
  b: ResourceBlock,
  props: Map<string, LNode>,
  whole: Span,
): ServiceInput {
  const ref =
    typeof b.body.task_definition === "string"
      ? /aws_ecs_task_definition\.([A-Za-z0-9_-]+)/.exec(b.body.task_definition)?.[1]
      : undefined;
  const dcProps = new Map<string, LNode>();
  const dc: Obj = {};
  let any = false;
  const cbRaw = b.body.deployment_circuit_breaker;
  // Terraform's JSON syntax writes a nested block as an object or as a list of them.
  const cb = Array.isArray(cbRaw) ? cbRaw[0] : cbRaw;
  if (isPlainObject(cb)) {
    const cbPath = [...b.path, "deployment_circuit_breaker", ...(Array.isArray(cbRaw) ? [0] : [])];
    const { node, view } = circuitBreaker(src, cb, cbPath);
    dcProps.set("DeploymentCircuitBreaker", node);
    put(dc, "deploymentCircuitBreaker", view);
    any = true;
  }
  props.set("DeploymentConfiguration", leaf(dc, whole.offset, whole.length, { props: dcProps }));
  const scRaw = b.body.service_connect_configuration;
  const sc = Array.isArray(scRaw) ? scRaw[0] : scRaw;
  return {
    id: `${b.type}.${b.name}`,
    path: rawPathOf(b),
    serviceConnect: isPlainObject(sc) && typeof sc.enabled === "boolean" ? sc.enabled : undefined,
    dc: any ? (dc as DeploymentConfiguration) : undefined,
    ref: ref === undefined ? undefined : `${TASK_DEFINITION}.${ref}`,
  };
}

/** The breaker's located node and its view; each key under the CloudFormation spelling too (`Enable`). */
function circuitBreaker(src: JsonSource, cb: Obj, cbPath: JsonPath): { node: LNode; view: Obj } {
  const cbProps = new Map<string, LNode>();
  const view: Obj = {};
  for (const [k, v] of Object.entries(cb)) {
    const s = locateJson(src.text, [...cbPath, k]);
    const n = leaf(jsonValue(v), s.offset, s.length);
    cbProps.set(k, n);
    cbProps.set(k.charAt(0).toUpperCase() + k.slice(1), n);
    put(view, k, jsonValue(v));
  }
  const s = locateJson(src.text, cbPath);
  return { node: leaf(view, s.offset, s.length, { props: cbProps }), view };
}
