/**
 * Format detection and the typed view over the raw tree (see model.ts). The text is kept as read, so
 * `serialize` of an unedited document is byte-identical by construction; edits go through `edit.ts`.
 */
import { toCamel, toPascal, USER_MAP_KEYS } from "./casing.js";
import { findExcessiveNesting, MAX_NESTING_DEPTH } from "./depth.js";
import { census, type DuplicateKey, findDuplicateKeys } from "./duplicates.js";
import { TaskDefError } from "./errors.js";
import { unsupportedFormat } from "./formats.js";
import { parseTerraform, terraformFromJson } from "./hcl/index.js";
import { JsonLocator, type Span } from "./locate-json.js";
import type {
  ContainerDefinition,
  ContainerView,
  DeploymentConfiguration,
  DocumentFormat,
  DuplicateKeyView,
  JsonPath,
  ServiceView,
  SourceLocation,
  TaskDefinition,
  TaskDefinitionDocument,
  TaskDefinitionView,
} from "./model.js";
import { getProp, LineIndex, parseJsonTree, parseYamlTree, type RawNode, tooDeep } from "./raw.js";
import { intrinsic } from "./values.js";

export const EXPECTED_DOCUMENT =
  "an ECS task definition (containerDefinitions, JSON or YAML), describe-task-definition output, a containerDefinitions array, or a CloudFormation template with AWS::ECS::TaskDefinition";

const FORMAT_LABELS: Readonly<Record<DocumentFormat, string>> = {
  "ecs-json": "ECS RegisterTaskDefinition JSON",
  "describe-task-definition": "ECS describe-task-definition output (JSON)",
  "container-definitions": "containerDefinitions array (Terraform container_definitions)",
  "cloudformation-json": "CloudFormation template (JSON)",
  "cloudformation-yaml": "CloudFormation template (YAML)",
  "ecs-yaml": "ECS task definition (YAML)",
  "terraform-hcl": "Terraform configuration (HCL)",
  "terraform-json": "Terraform configuration (JSON syntax, .tf.json)",
  "terraform-plan": "Terraform plan or state (terraform show -json)",
};

export function describeFormat(format: DocumentFormat): string {
  return FORMAT_LABELS[format];
}

/** Whether the document is YAML text (edits then go through the YAML editor). */
export function isYamlFormat(format: DocumentFormat): boolean {
  return format === "cloudformation-yaml" || format === "ecs-yaml";
}

export function isTemplateFormat(format: DocumentFormat): boolean {
  return format === "cloudformation-json" || format === "cloudformation-yaml";
}

/** Whether the text is JSON (else YAML): JSON documents start with `{` or `[`. */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfeff || c === 32 || c === 9 || c === 10 || c === 13) continue;
    return c === 123 || c === 91;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Plain data and the camelCase view

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Assign even `__proto__` as an own property (JSON.parse does; plain assignment would not). */
function put(out: Obj, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}

/** YAML raw tree as plain data; short tags become their long JSON form (`{"Fn::Sub": …}`). */
export function plain(node: RawNode): unknown {
  switch (node.type) {
    case "scalar":
      return node.value;
    case "array":
      return node.items.map(plain);
    case "tagged": {
      const out: Obj = {};
      put(out, node.fn, plain(node.argument));
      return out;
    }
    case "object": {
      const out: Obj = {};
      for (const p of node.props) put(out, p.key, plain(p.value));
      return out;
    }
  }
}

/** Single-key `{"Ref": …}` / `{"Fn::…": …}` objects in a template. */
function intrinsicKey(value: Obj): string | undefined {
  let only: string | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (only !== undefined) return undefined;
    only = key;
  }
  return only !== undefined && (only === "Ref" || only.startsWith("Fn::")) ? only : undefined;
}

/** Fields CloudFormation accepts as strings (`"true"`, `"30"`) that the API types as boolean / integer. */
const BOOLEAN_KEYS = new Set([
  "essential",
  "readonlyRootFilesystem",
  "privileged",
  "interactive",
  "pseudoTerminal",
  "disableNetworking",
  "initProcessEnabled",
  "readOnly",
  "enable",
  "rollback",
]);
const INTEGER_KEYS = new Set([
  "cpu",
  "memory",
  "memoryReservation",
  "startTimeout",
  "stopTimeout",
  "interval",
  "timeout",
  "retries",
  "startPeriod",
  "containerPort",
  "hostPort",
  "maximumPercent",
  "minimumHealthyPercent",
  "softLimit",
  "hardLimit",
  "sharedMemorySize",
  "swappiness",
  "maxSwap",
]);
/** Task-level `cpu` / `memory` are strings in the API (and in CloudFormation). */
const TASK_STRING_KEYS = new Set(["cpu", "memory"]);
/**
 * String fields the model reads, which CloudFormation fills from any scalar (`Name: 5` registers the name "5"):
 * the view holds them as the strings ECS will get.
 */
const STRING_KEYS = new Set([
  "name",
  "image",
  "containerName",
  "condition",
  "logDriver",
  "type",
  "value",
  "valueFrom",
  "sourceContainer",
]);

function normaliseScalar(key: string | undefined, value: unknown, taskLevel: boolean): unknown {
  if (key === undefined) return value;
  if (taskLevel && TASK_STRING_KEYS.has(key)) return typeof value === "number" ? String(value) : value;
  if (typeof value === "number" || typeof value === "boolean") {
    return STRING_KEYS.has(key) ? String(value) : value;
  }
  if (typeof value !== "string") return value;
  if (BOOLEAN_KEYS.has(key)) {
    if (value === "true") return true;
    if (value === "false") return false;
  } else if (INTEGER_KEYS.has(key) && /^-?\d+$/.test(value)) {
    return Number(value);
  }
  return value;
}

/**
 * camelCase view of template data. `userMap`: the value's own keys are user data. `taskLevel`: direct
 * fields of the task definition (where cpu/memory are strings).
 */
function templateView(
  value: unknown,
  key: string | undefined,
  userMap: boolean,
  taskLevel: boolean,
): unknown {
  if (Array.isArray(value)) return value.map((item) => templateView(item, key, false, false));
  if (!isObj(value)) return normaliseScalar(key, value, taskLevel);
  const fn = intrinsicKey(value);
  if (fn !== undefined) return intrinsic(fn, value[fn]);
  const out: Obj = {};
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const ck = userMap ? k : toCamel(k);
    put(
      out,
      ck,
      templateView(value[k], userMap ? undefined : ck, !userMap && USER_MAP_KEYS.has(ck), taskLevel),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Detection

interface Built {
  readonly format: DocumentFormat;
  readonly taskDefinitions: TaskDefinitionView[];
  readonly services: ServiceView[];
}

class Builder {
  constructor(
    readonly file: string,
    readonly spans: Spans,
    readonly lines: LazyLines,
    readonly template: boolean,
  ) {}

  fail(path: JsonPath, detail: string, expected: string): never {
    // Shape errors point at the offending value, not at its key.
    const { line, column } = this.lines.position(this.spans.locate(path).valueOffset);
    throw new TaskDefError({
      kind: "not-a-task-definition",
      file: this.file,
      line,
      column,
      detail,
      expected,
    });
  }

  containers(list: readonly unknown[], base: JsonPath): ContainerView[] {
    const out: ContainerView[] = [];
    for (let index = 0; index < list.length; index++) {
      const item = list[index];
      if (!isObj(item)) {
        this.fail(
          [...base, index],
          "expected a container definition (an object)",
          "a container definition object",
        );
      }
      let definition: ContainerDefinition;
      if (this.template) {
        // A container chosen by `Fn::If` is unknown at lint time: skip it, keep the others' indexes.
        if (intrinsicKey(item) !== undefined) continue;
        definition = templateView(item, undefined, false, false) as ContainerDefinition;
      } else {
        definition = item as ContainerDefinition;
      }
      const name = typeof definition.name === "string" ? definition.name : undefined;
      out.push({ name, index, definition, path: [...base, index] });
    }
    return out;
  }

  /** A task definition object (API shape or CloudFormation `Properties`). */
  taskDefinition(node: Obj, path: JsonPath, id: string | undefined): TaskDefinitionView {
    const containersKey = this.template ? "ContainerDefinitions" : "containerDefinitions";
    const list = Object.hasOwn(node, containersKey) ? node[containersKey] : undefined;
    let containers: ContainerView[] = [];
    if (list !== undefined) {
      if (Array.isArray(list)) {
        containers = this.containers(list, [...path, containersKey]);
      } else if (!(this.template && isObj(list) && intrinsicKey(list) !== undefined)) {
        this.fail(
          [...path, containersKey],
          `expected ${containersKey} to be an array`,
          `${containersKey} as an array of container definitions`,
        );
      }
    }
    let task: Obj;
    if (this.template) {
      task = {};
      for (const k in node) {
        if (!Object.hasOwn(node, k) || k === containersKey) continue;
        const ck = toCamel(k);
        put(task, ck, templateView(node[k], ck, USER_MAP_KEYS.has(ck), true));
      }
      task.containerDefinitions = containers.map((c) => c.definition);
    } else {
      // ECS JSON: the parsed object is the view (no copy); every container was checked to be an object.
      task = node;
    }
    const family = typeof task.family === "string" ? task.family : undefined;
    return {
      id: id ?? family ?? "task definition",
      path,
      containersKey,
      taskDefinition: task as TaskDefinition,
      containers,
    };
  }

  build(root: unknown, json: boolean): Built {
    if (Array.isArray(root)) {
      if (root.length === 0) this.fail([], "empty array: no container definitions", EXPECTED_DOCUMENT);
      const containers = this.containers(root, []);
      return {
        format: json ? "container-definitions" : "ecs-yaml",
        services: [],
        taskDefinitions: [
          {
            id: "task definition",
            path: [],
            containersKey: null,
            taskDefinition: { containerDefinitions: root as ContainerDefinition[] },
            containers,
          },
        ],
      };
    }
    if (!isObj(root)) this.fail([], `expected ${EXPECTED_DOCUMENT}`, EXPECTED_DOCUMENT);
    if (this.template) return this.buildTemplate(root.Resources as Obj, json, ssmParameters(root.Parameters));
    if (Object.hasOwn(root, "taskDefinition")) {
      const wrapped = root.taskDefinition;
      if (!isObj(wrapped)) {
        this.fail(["taskDefinition"], "expected taskDefinition to be an object", "a task definition object");
      }
      return {
        format: json ? "describe-task-definition" : "ecs-yaml",
        services: [],
        taskDefinitions: [this.taskDefinition(wrapped, ["taskDefinition"], undefined)],
      };
    }
    if (Object.hasOwn(root, "containerDefinitions")) {
      return {
        format: json ? "ecs-json" : "ecs-yaml",
        services: [],
        taskDefinitions: [this.taskDefinition(root, [], undefined)],
      };
    }
    this.fail([], `expected ${EXPECTED_DOCUMENT}`, EXPECTED_DOCUMENT);
  }

  buildTemplate(resources: Obj, json: boolean, parameters: ReadonlyMap<string, string>): Built {
    const taskDefinitions: TaskDefinitionView[] = [];
    const services: Array<{
      id: string;
      path: JsonPath;
      ref: string | undefined;
      dc: DeploymentConfiguration | undefined;
      serviceConnect: boolean | undefined;
    }> = [];
    for (const key in resources) {
      if (!Object.hasOwn(resources, key)) continue;
      const res = resources[key];
      if (!isObj(res)) continue;
      const type = res.Type;
      if (type !== "AWS::ECS::TaskDefinition" && type !== "AWS::ECS::Service") continue;
      const path: JsonPath = ["Resources", key, "Properties"];
      const props = Object.hasOwn(res, "Properties") ? res.Properties : undefined;
      if (props !== undefined && !isObj(props)) {
        this.fail(path, `expected ${key}.Properties to be an object`, "a Properties object");
      }
      const properties: Obj = props ?? {};
      if (type === "AWS::ECS::TaskDefinition") {
        const td = this.taskDefinition(properties, path, key);
        const metadata = Object.hasOwn(res, "Metadata") ? res.Metadata : undefined;
        taskDefinitions.push({
          ...td,
          ...(parameters.size === 0 ? {} : { ssmParameters: parameters }),
          ...(metadata === undefined ? {} : { metadata }),
        });
      } else {
        const dc = properties.DeploymentConfiguration;
        const sc = properties.ServiceConnectConfiguration;
        const enabled = isObj(sc) ? normaliseScalar("enable", sc.Enabled, false) : undefined;
        services.push({
          id: key,
          path,
          ref: refTarget(properties.TaskDefinition),
          dc:
            dc === undefined
              ? undefined
              : (templateView(dc, "deploymentConfiguration", false, false) as DeploymentConfiguration),
          serviceConnect: typeof enabled === "boolean" ? enabled : undefined,
        });
      }
    }
    if (taskDefinitions.length === 0 && services.length === 0) {
      this.fail(
        ["Resources"],
        "no AWS::ECS::TaskDefinition or AWS::ECS::Service resource in Resources",
        EXPECTED_DOCUMENT,
      );
    }
    const ids = new Set(taskDefinitions.map((t) => t.id));
    return {
      format: json ? "cloudformation-json" : "cloudformation-yaml",
      taskDefinitions,
      services: services.map((s) => ({
        id: s.id,
        path: s.path,
        taskDefinitionRef: s.ref !== undefined && ids.has(s.ref) ? s.ref : undefined,
        deploymentConfiguration: s.dc,
        serviceConnect: s.serviceConnect,
      })),
    };
  }
}

/**
 * Template parameters that CloudFormation fills from SSM Parameter Store (`AWS::SSM::Parameter::Value<String>`),
 * by logical id → the parameter name in their `Default` (how CDK's FireLens router names its image).
 */
function ssmParameters(parameters: unknown): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  if (!isObj(parameters)) return out;
  for (const key in parameters) {
    const p = parameters[key];
    if (isObj(p) && p.Type === "AWS::SSM::Parameter::Value<String>" && typeof p.Default === "string")
      out.set(key, p.Default);
  }
  return out;
}

function refTarget(value: unknown): string | undefined {
  if (!isObj(value) || intrinsicKey(value) !== "Ref") return undefined;
  return typeof value.Ref === "string" ? value.Ref : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The document

/** The span of a path in a YAML raw tree (nearest existing ancestor). */
function locateTree(root: RawNode, path: JsonPath): Span {
  let node: RawNode = root;
  let offset = root.offset;
  let length = root.length;
  let valueOffset = root.offset;
  for (const seg of path) {
    let next: RawNode | undefined;
    let start: number | undefined;
    if (typeof seg === "number" && node.type === "array") {
      next = node.items[seg];
      start = next?.offset;
    } else if (typeof seg === "string" && node.type === "object") {
      const p = getProp(node, seg);
      next = p?.value;
      start = p?.keyOffset;
    }
    if (next === undefined || start === undefined) break;
    node = next;
    offset = start;
    valueOffset = next.offset;
    length = Math.max(0, next.offset + next.length - start);
  }
  return { offset, length, valueOffset };
}

/** JSON.parse's own position for input jsonc-parser accepted (they should agree; this is the fallback). */
function jsonParseFailure(file: string, lines: LineIndex, cause: unknown): TaskDefError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const at = /position (\d+)/.exec(message);
  const { line, column } = lines.position(at?.[1] === undefined ? 0 : Number(at[1]));
  return new TaskDefError({ kind: "syntax", file, line, column, detail: message, cause });
}

/**
 * The largest document `parseDocument` and `loadDocument` read unless told otherwise: 16 MiB. A task definition
 * registers at 64 KiB at most and a CloudFormation template at 1 MB, so anything near the cap is not one, and a
 * cap keeps a stray dump or `/dev/zero` from taking the heap.
 */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export interface ParseOptions {
  /** Refuse a text of more UTF-8 bytes than this (`TaskDefError` kind `too-large`). @default DEFAULT_MAX_BYTES */
  readonly maxBytes?: number;
}

/** A size in words: `16 MiB`, `200.5 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

export function tooLarge(file: string, size: number | undefined, maxBytes: number): TaskDefError {
  return new TaskDefError({
    kind: "too-large",
    file,
    detail: `${size === undefined ? "" : `${formatBytes(size)}, `}larger than the ${formatBytes(maxBytes)} limit for one document (a task definition is at most 64 KiB, a CloudFormation template 1 MB); raise the limit (--max-size) to read it anyway`,
  });
}

function checkSize(text: string, file: string, maxBytes: number): void {
  // UTF-16 length never exceeds the UTF-8 byte count, so only a text near the cap needs counting.
  if (text.length > maxBytes) throw tooLarge(file, Buffer.byteLength(text), maxBytes);
  if (text.length * 3 > maxBytes) {
    const size = Buffer.byteLength(text);
    if (size > maxBytes) throw tooLarge(file, size, maxBytes);
  }
}

/** Spans of raw paths in a document's text. */
interface Spans {
  locate(path: JsonPath): Span;
}

/** A YAML raw tree's spans (the tree holds every offset already). */
class TreeSpans implements Spans {
  constructor(private readonly tree: RawNode) {}

  locate(path: JsonPath): Span {
    return locateTree(this.tree, path);
  }
}

/**
 * Line and column of offsets in a text. A finding asks for a few positions, mostly near the top (a task's first
 * containers): line starts are collected only as far as the furthest offset asked so far. Errors that want a
 * whole `LineIndex` get one built on demand.
 */
class LazyLines {
  private index: LineIndex | undefined;
  /** Offsets of line starts found so far (texts without CR only; others use a whole `LineIndex`). */
  private readonly starts: number[] = [0];
  /** Where the search for the next newline goes on. */
  private scanned = 0;
  /** Whether the text has a CR (then line breaks are the whole `LineIndex`'s business); asked on first use. */
  private crlf: boolean | undefined;

  constructor(private readonly text: string) {}

  get(): LineIndex {
    this.index ??= new LineIndex(this.text);
    return this.index;
  }

  position(offset: number): { line: number; column: number } {
    this.crlf ??= this.text.includes("\r");
    if (this.crlf) return this.get().position(offset);
    const starts = this.starts;
    while (this.scanned >= 0 && (starts[starts.length - 1] as number) <= offset) {
      const nl = this.text.indexOf("\n", this.scanned);
      this.scanned = nl < 0 ? -1 : nl + 1;
      if (nl >= 0) starts.push(nl + 1);
    }
    // The last line start not after `offset` (the same answer as LineIndex.position).
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  }
}

/**
 * Parse a task-definition document (any format of `DocumentFormat`). Every failure is a located `TaskDefError`:
 * a syntax error, a document that is no task definition, a format we do not read, or a limit (size, nesting
 * depth, YAML alias expansion) it goes past.
 */
export function parseDocument(
  text: string,
  file: string,
  options: ParseOptions = {},
): TaskDefinitionDocument {
  return parseDocumentData(text, file, options).doc;
}

/** `parseDocument`, with the plain data it read (JSON.parse's result; YAML with intrinsics in long form). */
export function parseDocumentData(
  text: string,
  file: string,
  options: ParseOptions = {},
): { doc: TaskDefinitionDocument; data: unknown } {
  checkSize(text, file, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const terraform = parseTerraform(text, file);
  if (terraform !== undefined) return { doc: terraform, data: undefined };
  // A `.yaml` file in flow style may start with `{`: the name decides there.
  const json = looksLikeJson(text) && !/\.ya?ml$/i.test(file);
  const lines = new LazyLines(text);
  try {
    return parseKnown(text, file, json, lines);
  } catch (e) {
    if (e instanceof TaskDefError && (e.kind === "syntax" || e.kind === "not-a-task-definition")) {
      const unsupported = unsupportedFormat(text, file, json, e, lines.get());
      if (unsupported !== undefined) throw unsupported;
    }
    throw e;
  }
}

/** JSON.parse, and the located error (depth first, then the syntax error's position) when it refuses the text. */
function parseJson(source: string, file: string, lines: LazyLines): unknown {
  try {
    return JSON.parse(source);
  } catch (cause) {
    // The error-position parser recurses per level: measure the depth first, without recursion.
    const deep = findExcessiveNesting(source, MAX_NESTING_DEPTH);
    if (deep !== undefined) throw tooDeep(file, lines.get(), deep.offset, MAX_NESTING_DEPTH);
    parseJsonTree(source, file, lines.get());
    throw jsonParseFailure(file, lines.get(), cause);
  }
}

function parseKnown(
  text: string,
  file: string,
  json: boolean,
  lines: LazyLines,
): { doc: TaskDefinitionDocument; data: unknown } {
  // A BOM is not JSON; blank it out (same length, so offsets stay true).
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  let data: unknown;
  let spans: Spans;
  let duplicates: DuplicateKey[] = [];
  if (json) {
    data = parseJson(source, file, lines);
    // JSON.parse itself is iterative, but what reads the data after it is not: refuse deep data here.
    const counted = census(source, data, MAX_NESTING_DEPTH);
    if (counted.tooDeep) {
      const deep = findExcessiveNesting(source, MAX_NESTING_DEPTH);
      throw tooDeep(file, lines.get(), deep?.offset ?? 0, MAX_NESTING_DEPTH);
    }
    const terraformJson = terraformFromJson(text, file, data);
    if (terraformJson !== undefined) return { doc: terraformJson, data };
    if (counted.mayHaveDuplicates) duplicates = findDuplicateKeys(source);
    // One locator keeps what it read: a document's lookups (a linted file's findings, fix's notes on 500 services
    // of a template) cost about one pass over the text in all, and only as far into it as they reach.
    spans = new JsonLocator(source, duplicates.length > 0, counted.depth);
  } else {
    const tree = parseYamlTree(source, file, lines.get(), { maxDepth: MAX_NESTING_DEPTH });
    data = plain(tree);
    spans = new TreeSpans(tree);
  }
  const template = isObj(data) && isObj(data.Resources);
  const built = new Builder(file, spans, lines, template).build(data, json);
  const duplicateKeys = duplicates.map((d) => ({
    path: d.path,
    occurrences: d.offsets.map((offset) => {
      const { line, column } = lines.position(offset);
      return { file, line, column, offset, length: 0 };
    }),
  }));
  const doc = new LoadedDocument(file, text, built, duplicateKeys, spans, lines, template ? data : undefined);
  return { doc, data };
}

/**
 * The loaded document. A class rather than an object of closures: loading is hot (`check` loads every file), and
 * its methods then cost nothing until a finding asks where it is.
 */
class LoadedDocument implements TaskDefinitionDocument {
  readonly format: DocumentFormat;
  readonly taskDefinitions: TaskDefinitionView[];
  readonly services: ServiceView[];

  constructor(
    readonly file: string,
    readonly text: string,
    built: Built,
    readonly duplicateKeys: readonly DuplicateKeyView[],
    private readonly spans: Spans,
    private readonly lines: LazyLines,
    /** The template's plain data (raw keys for `rawPath`); `undefined` for other documents. */
    private readonly templateData: unknown,
  ) {
    this.format = built.format;
    this.taskDefinitions = built.taskDefinitions;
    this.services = built.services;
  }

  /** A repeated lookup (rules often report several findings on one node) is answered from what the locator kept. */
  locate(path: JsonPath): SourceLocation {
    const { offset, length } = this.spans.locate(path);
    const { line, column } = this.lines.position(offset);
    return { file: this.file, line, column, offset, length };
  }

  rawPath(td: TaskDefinitionView, viewPath: JsonPath): JsonPath {
    if (this.templateData === undefined) {
      if (td.containersKey === null) {
        return viewPath[0] === "containerDefinitions" ? viewPath.slice(1) : [...viewPath];
      }
      return [...td.path, ...viewPath];
    }
    return templateRawPath(this.templateData, td.path, viewPath);
  }
}

/** A camelCase view path in a template → the keys as the template spells them (PascalCase, user maps as is). */
function templateRawPath(data: unknown, tdPath: JsonPath, viewPath: JsonPath): JsonPath {
  const out: Array<string | number> = [...tdPath];
  let node: unknown = data;
  for (const seg of tdPath) node = step(node, seg);
  let userMap = false;
  for (const seg of viewPath) {
    if (typeof seg === "number") {
      out.push(seg);
      node = Array.isArray(node) ? node[seg] : undefined;
      continue;
    }
    let rawKey: string | undefined;
    if (isObj(node)) {
      for (const k in node) {
        if (Object.hasOwn(node, k) && (userMap ? k === seg : toCamel(k) === seg)) rawKey = k;
      }
    }
    if (rawKey === undefined) {
      rawKey = userMap ? seg : toPascal(seg);
      node = undefined;
    } else {
      node = (node as Obj)[rawKey];
    }
    out.push(rawKey);
    userMap = !userMap && USER_MAP_KEYS.has(seg);
  }
  return out;
}

function step(node: unknown, seg: string | number): unknown {
  if (typeof seg === "number") return Array.isArray(node) ? node[seg] : undefined;
  return isObj(node) && Object.hasOwn(node, seg) ? node[seg] : undefined;
}

export function serialize(doc: TaskDefinitionDocument): string {
  return doc.text;
}
