/**
 * Detecting which document a parsed tree is, and building its typed view (see model.ts): task definitions and
 * services with their raw paths, container elements that are not containers at lint time kept with their
 * position (`unknownContainers`).
 */
import { toCamel, USER_MAP_KEYS } from "./casing.js";
import { TaskDefError } from "./errors.js";
import type {
  ContainerDefinition,
  ContainerView,
  DeploymentConfiguration,
  DocumentFormat,
  JsonPath,
  ServiceView,
  TaskDefinition,
  TaskDefinitionView,
  UnknownContainerView,
} from "./model.js";
import type { LazyLines, Spans } from "./positions.js";
import { put } from "./put.js";
import { intrinsicKey, isObj, normaliseScalar, type Obj, templateView } from "./template-view.js";

export const EXPECTED_DOCUMENT =
  "an ECS task definition (containerDefinitions, JSON or YAML), describe-task-definition output, a containerDefinitions array, or a CloudFormation template with AWS::ECS::TaskDefinition";

export interface Built {
  readonly format: DocumentFormat;
  readonly taskDefinitions: TaskDefinitionView[];
  readonly services: ServiceView[];
}

export class Builder {
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

  /** Elements of the list last read by `containers` that are not containers at lint time. */
  unknown: UnknownContainerView[] = [];

  containers(list: readonly unknown[], base: JsonPath): ContainerView[] {
    const out: ContainerView[] = [];
    this.unknown = [];
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
        // An element that is an intrinsic is no container at lint time: keep it aside with its position (the
        // model reads an `Fn::If` per branch), and keep the others' indexes.
        const fn = intrinsicKey(item);
        if (fn !== undefined) {
          this.unknown.push(unknownElement(templateView(item, undefined, false, false), fn, index, base));
          continue;
        }
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
    let unknownContainers: UnknownContainerView[] = [];
    if (list !== undefined) {
      const fn = this.template && isObj(list) ? intrinsicKey(list) : undefined;
      if (Array.isArray(list)) {
        containers = this.containers(list, [...path, containersKey]);
        unknownContainers = this.unknown;
      } else if (fn !== undefined) {
        unknownContainers = [
          {
            index: undefined,
            path: [...path, containersKey],
            reason: `the whole list is ${describeIntrinsic(fn, (list as Obj)[fn])}`,
          },
        ];
      } else {
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
      ...(unknownContainers.length === 0 ? {} : { unknownContainers }),
    };
  }

  build(root: unknown, json: boolean): Built {
    if (Array.isArray(root)) {
      if (root.length === 0) this.fail([], "empty array: no container definitions", EXPECTED_DOCUMENT);
      const containers = this.containers(root, []);
      const unknownContainers = this.unknown;
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
            ...(unknownContainers.length === 0 ? {} : { unknownContainers }),
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

/** An intrinsic in CloudFormation's words: `chosen by condition UseX (Fn::If)`, `filled by CloudFormation (Ref Y)`. */
function describeIntrinsic(fn: string, argument: unknown): string {
  if (fn === "Fn::If" && Array.isArray(argument) && typeof argument[0] === "string")
    return `chosen by condition ${argument[0]} (Fn::If)`;
  const what = fn === "Ref" && typeof argument === "string" ? `Ref ${argument}` : fn;
  return `filled in by CloudFormation at deploy time (${what})`;
}

/** A list element that is an intrinsic: a choice the model reads per branch, or unknown with the reason. */
function unknownElement(view: unknown, fn: string, index: number, base: JsonPath): UnknownContainerView {
  const element = (view as { argument?: unknown }).argument;
  const hasChoice = (view as { choice?: unknown }).choice !== undefined;
  return {
    index,
    path: [...base, index],
    reason: `the container is ${describeIntrinsic(fn, element)}`,
    ...(hasChoice ? { value: view } : {}),
  };
}
