/**
 * Format detection and the typed view over the raw tree (see model.ts). The text is kept as read, so
 * `serialize` of an unedited document is byte-identical by construction; edits go through `edit.ts`.
 */
import { toCamel, toPascal, USER_MAP_KEYS } from "./casing.js";
import { TaskDefError } from "./errors.js";
import type {
  ContainerDefinition,
  ContainerView,
  DeploymentConfiguration,
  DocumentFormat,
  JsonPath,
  ServiceView,
  SourceLocation,
  TaskDefinition,
  TaskDefinitionDocument,
  TaskDefinitionView,
} from "./model.js";
import {
  getProp,
  LineIndex,
  parseJsonTree,
  parseYamlTree,
  type RawArray,
  type RawNode,
  type RawObject,
} from "./raw.js";
import { intrinsic } from "./values.js";

export const EXPECTED_DOCUMENT =
  "an ECS task definition (containerDefinitions), describe-task-definition output, a containerDefinitions array, or a CloudFormation template with AWS::ECS::TaskDefinition";

const FORMAT_LABELS: Readonly<Record<DocumentFormat, string>> = {
  "ecs-json": "ECS RegisterTaskDefinition JSON",
  "describe-task-definition": "ECS describe-task-definition output (JSON)",
  "container-definitions": "containerDefinitions array (Terraform container_definitions)",
  "cloudformation-json": "CloudFormation template (JSON)",
  "cloudformation-yaml": "CloudFormation template (YAML)",
};

export function describeFormat(format: DocumentFormat): string {
  return FORMAT_LABELS[format];
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
// Plain values and the camelCase view

/** Raw node as plain data; YAML short tags become their long JSON form (`{"Fn::Sub": …}`). */
export function plain(node: RawNode): unknown {
  switch (node.type) {
    case "scalar":
      return node.value;
    case "array":
      return node.items.map(plain);
    case "tagged":
      return { [node.fn]: plain(node.argument) };
    case "object": {
      const out: Record<string, unknown> = {};
      for (const p of node.props) out[p.key] = plain(p.value);
      return out;
    }
  }
}

/** Single-key `{"Ref": …}` / `{"Fn::…": …}` objects in a template. */
function jsonIntrinsicKey(node: RawObject): string | undefined {
  if (node.props.length !== 1) return undefined;
  const key = node.props[0]?.key;
  if (key === undefined) return undefined;
  return key === "Ref" || key.startsWith("Fn::") ? key : undefined;
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

function normaliseScalar(key: string | undefined, value: unknown, taskLevel: boolean): unknown {
  if (key === undefined) return value;
  if (taskLevel && TASK_STRING_KEYS.has(key)) return typeof value === "number" ? String(value) : value;
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
 * camelCase view of a template node. `userMap`: the node's own keys are user data. `taskLevel`: direct
 * fields of the task definition (where cpu/memory are strings).
 */
function templateView(node: RawNode, key: string | undefined, userMap: boolean, taskLevel: boolean): unknown {
  switch (node.type) {
    case "scalar":
      return normaliseScalar(key, node.value, taskLevel);
    case "tagged":
      return intrinsic(node.fn, plain(node.argument));
    case "array":
      return node.items.map((item) => templateView(item, key, false, false));
    case "object": {
      const fn = jsonIntrinsicKey(node);
      if (fn !== undefined) return intrinsic(fn, plain(node.props[0]?.value ?? nullNode(node)));
      const out: Record<string, unknown> = {};
      for (const p of node.props) {
        const k = userMap ? p.key : toCamel(p.key);
        out[k] = templateView(p.value, userMap ? undefined : k, !userMap && USER_MAP_KEYS.has(k), taskLevel);
      }
      return out;
    }
  }
}

function nullNode(at: RawNode): RawNode {
  return { type: "scalar", offset: at.offset, length: 0, value: null };
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
    readonly lines: LineIndex,
    readonly template: boolean,
  ) {}

  fail(node: RawNode, detail: string, expected: string): never {
    const { line, column } = this.lines.position(node.offset);
    throw new TaskDefError({
      kind: "not-a-task-definition",
      file: this.file,
      line,
      column,
      detail,
      expected,
    });
  }

  view(node: RawNode, taskLevel: boolean): unknown {
    return this.template ? templateView(node, undefined, false, taskLevel) : plain(node);
  }

  containers(list: RawArray, base: JsonPath): ContainerView[] {
    const out: ContainerView[] = [];
    list.items.forEach((item, index) => {
      if (item.type !== "object" || (this.template && jsonIntrinsicKey(item) !== undefined)) {
        // A container chosen by `Fn::If` is unknown at lint time; anything else is not a container.
        if (this.template && (item.type === "tagged" || item.type === "object")) return;
        this.fail(item, "expected a container definition (an object)", "a container definition object");
      }
      const definition = this.view(item, false) as ContainerDefinition;
      const name = typeof definition.name === "string" ? definition.name : undefined;
      out.push({ name, index, definition, path: [...base, index] });
    });
    return out;
  }

  /** A task definition object (API shape or CloudFormation `Properties`). */
  taskDefinition(node: RawObject, path: JsonPath, id: string | undefined): TaskDefinitionView {
    const containersKey = this.template ? "ContainerDefinitions" : "containerDefinitions";
    const list = getProp(node, containersKey)?.value;
    let containers: ContainerView[] = [];
    if (list !== undefined) {
      if (list.type === "array") {
        containers = this.containers(list, [...path, containersKey]);
      } else if (
        !(this.template && (list.type === "tagged" || (list.type === "object" && jsonIntrinsicKey(list))))
      ) {
        this.fail(
          list,
          `expected ${containersKey} to be an array`,
          `${containersKey} as an array of container definitions`,
        );
      }
    }
    const task: Record<string, unknown> = {};
    for (const p of node.props) {
      if (p.key === containersKey) continue;
      if (this.template) {
        const k = toCamel(p.key);
        task[k] = templateView(p.value, k, USER_MAP_KEYS.has(k), true);
      } else {
        task[p.key] = plain(p.value);
      }
    }
    task.containerDefinitions = containers.map((c) => c.definition);
    const family = typeof task.family === "string" ? task.family : undefined;
    return {
      id: id ?? family ?? "task definition",
      path,
      containersKey,
      taskDefinition: task as TaskDefinition,
      containers,
    };
  }

  build(root: RawNode, json: boolean): Built {
    if (root.type === "array" && json) {
      if (root.items.length === 0) {
        this.fail(root, "empty array: no container definitions", EXPECTED_DOCUMENT);
      }
      const containers = this.containers(root, []);
      return {
        format: "container-definitions",
        services: [],
        taskDefinitions: [
          {
            id: "task definition",
            path: [],
            containersKey: null,
            taskDefinition: { containerDefinitions: containers.map((c) => c.definition) },
            containers,
          },
        ],
      };
    }
    if (root.type !== "object") {
      this.fail(root, `expected ${EXPECTED_DOCUMENT}`, EXPECTED_DOCUMENT);
    }
    const resources = getProp(root, "Resources")?.value;
    if (resources !== undefined && resources.type === "object") {
      return this.buildTemplate(resources, json);
    }
    if (json) {
      const wrapped = getProp(root, "taskDefinition")?.value;
      if (wrapped !== undefined) {
        if (wrapped.type !== "object") {
          this.fail(wrapped, "expected taskDefinition to be an object", "a task definition object");
        }
        return {
          format: "describe-task-definition",
          services: [],
          taskDefinitions: [this.taskDefinition(wrapped, ["taskDefinition"], undefined)],
        };
      }
      if (getProp(root, "containerDefinitions") !== undefined) {
        return {
          format: "ecs-json",
          services: [],
          taskDefinitions: [this.taskDefinition(root, [], undefined)],
        };
      }
    }
    this.fail(
      root,
      json
        ? `expected ${EXPECTED_DOCUMENT}`
        : "expected a CloudFormation template with AWS::ECS::TaskDefinition (YAML is read as CloudFormation)",
      EXPECTED_DOCUMENT,
    );
  }

  buildTemplate(resources: RawObject, json: boolean): Built {
    const taskDefinitions: TaskDefinitionView[] = [];
    const services: Array<{
      id: string;
      path: JsonPath;
      ref: string | undefined;
      dc: DeploymentConfiguration | undefined;
    }> = [];
    for (const res of resources.props) {
      if (res.value.type !== "object") continue;
      const typeNode = getProp(res.value, "Type")?.value;
      const type = typeNode?.type === "scalar" ? typeNode.value : undefined;
      if (type !== "AWS::ECS::TaskDefinition" && type !== "AWS::ECS::Service") continue;
      const path: JsonPath = ["Resources", res.key, "Properties"];
      const props = getProp(res.value, "Properties")?.value;
      if (props !== undefined && props.type !== "object") {
        this.fail(props, `expected ${res.key}.Properties to be an object`, "a Properties object");
      }
      const properties: RawObject = props ?? {
        type: "object",
        offset: res.value.offset,
        length: 0,
        props: [],
      };
      if (type === "AWS::ECS::TaskDefinition") {
        taskDefinitions.push(this.taskDefinition(properties, path, res.key));
      } else {
        const td = getProp(properties, "TaskDefinition")?.value;
        const dcNode = getProp(properties, "DeploymentConfiguration")?.value;
        services.push({
          id: res.key,
          path,
          ref: td === undefined ? undefined : refTarget(td),
          dc:
            dcNode === undefined
              ? undefined
              : (templateView(dcNode, "deploymentConfiguration", false, false) as DeploymentConfiguration),
        });
      }
    }
    if (taskDefinitions.length === 0 && services.length === 0) {
      this.fail(
        resources,
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
      })),
    };
  }
}

function refTarget(node: RawNode): string | undefined {
  if (node.type === "tagged" && node.fn === "Ref" && node.argument.type === "scalar") {
    return typeof node.argument.value === "string" ? node.argument.value : undefined;
  }
  if (node.type === "object" && node.props.length === 1 && node.props[0]?.key === "Ref") {
    const v = node.props[0].value;
    return v.type === "scalar" && typeof v.value === "string" ? v.value : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The document

/** Internal access to the raw tree for `edit.ts` and `fix/`. */
export interface ParsedDocument extends TaskDefinitionDocument {
  readonly root: RawNode;
}

export function parseDocument(text: string, file: string): TaskDefinitionDocument {
  return parseDocumentInternal(text, file);
}

export function parseDocumentInternal(text: string, file: string): ParsedDocument {
  const lines = new LineIndex(text);
  const json = looksLikeJson(text);
  // A BOM is not JSON; blank it out (same length, so offsets stay true).
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const root = json ? parseJsonTree(source, file, lines) : parseYamlTree(source, file, lines);
  const template = root.type === "object" && getProp(root, "Resources")?.value.type === "object";
  const built = new Builder(file, lines, template).build(root, json);

  const locate = (path: JsonPath): SourceLocation => {
    let node: RawNode = root;
    let offset = root.offset;
    let length = root.length;
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
      length = Math.max(0, next.offset + next.length - start);
    }
    const { line, column } = lines.position(offset);
    return { file, line, column, offset, length };
  };

  const rawPath = (td: TaskDefinitionView, viewPath: JsonPath): JsonPath => {
    if (!template) {
      if (td.containersKey === null) {
        return viewPath[0] === "containerDefinitions" ? viewPath.slice(1) : [...viewPath];
      }
      return [...td.path, ...viewPath];
    }
    const out: Array<string | number> = [...td.path];
    let node: RawNode | undefined = root;
    for (const seg of td.path) node = step(node, seg);
    let userMap = false;
    for (const seg of viewPath) {
      if (typeof seg === "number") {
        out.push(seg);
        node = node?.type === "array" ? node.items[seg] : undefined;
        continue;
      }
      let rawKey: string | undefined;
      if (node?.type === "object") {
        for (let i = node.props.length - 1; i >= 0; i--) {
          const p = node.props[i];
          if (p !== undefined && (userMap ? p.key === seg : toCamel(p.key) === seg)) {
            rawKey = p.key;
            node = p.value;
            break;
          }
        }
      }
      if (rawKey === undefined) {
        rawKey = userMap ? seg : toPascal(seg);
        node = undefined;
      }
      out.push(rawKey);
      userMap = !userMap && USER_MAP_KEYS.has(seg);
    }
    return out;
  };

  return {
    file,
    text,
    format: built.format,
    taskDefinitions: built.taskDefinitions,
    services: built.services,
    locate,
    rawPath,
    root,
  };
}

function step(node: RawNode | undefined, seg: string | number): RawNode | undefined {
  if (node === undefined) return undefined;
  if (typeof seg === "number") return node.type === "array" ? node.items[seg] : undefined;
  return node.type === "object" ? getProp(node, seg)?.value : undefined;
}

export function serialize(doc: TaskDefinitionDocument): string {
  return doc.text;
}
