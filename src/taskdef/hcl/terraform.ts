/**
 * `.tf` files: every `resource "aws_ecs_task_definition"` and `resource "aws_ecs_service"` as the shared
 * model's task definitions and services, located in the `.tf` text.
 *
 * Raw paths follow Terraform's JSON syntax (https://developer.hashicorp.com/terraform/language/syntax/json):
 * `["resource", "aws_ecs_task_definition", "this", "container_definitions", 0, "essential"]`. Inside
 * `container_definitions` the keys are the container definition's own (camelCase, as `jsonencode` passes
 * them to the API). A service's circuit breaker is reached by the same raw path as in CloudFormation
 * (`DeploymentConfiguration.DeploymentCircuitBreaker.Enable`), which leads to the `deployment_circuit_breaker`
 * block, so the rules and `fix` address services alike in every format.
 */
import { TaskDefError } from "../errors.js";
import type {
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
import { attributesOf, blockKey, blocksOf, type HclBlock } from "./blocks.js";
import { containerViews, Reader, type TerraformReadOptions } from "./containers.js";
import { type Env, evaluate, kids, type Local, newEnv, textOf } from "./evaluate.js";
import { type LNode, leaf, member, unknownValue } from "./located.js";
import { firstSyntaxError, parseHclSyntax, type Syn } from "./parser.js";
import {
  makeDocument,
  registerInternals,
  SERVICE,
  TASK_DEFINITION,
  type TerraformInternals,
} from "./tf-document.js";

export type { TerraformReadOptions };

function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

type Obj = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------

export interface TerraformRead {
  readonly doc: TaskDefinitionDocument;
  readonly internals: TerraformInternals;
}

/** Parse a `.tf` file (the HCL parser must be loaded). */
export function readTerraformHcl(
  text: string,
  file: string,
  options: TerraformReadOptions = {},
): TerraformRead {
  const syntax = parseHclSyntax(text);
  const lines = new LineIndex(text);
  throwOnSyntaxError(text, file, syntax, lines);
  const body = kids(syntax).find((k) => k.type === "body");
  const top = blocksOf({ text }, body);
  const env = newEnv(text, localsOf(text, top));
  const reader = new Reader(env, file, lines, options);
  const read: ReadResources = {
    blocks: new Map(),
    unreadable: new Map(),
    taskDefinitions: [],
    serviceInputs: [],
    byType: new Map(),
    typeSpan: new Map(),
  };
  for (const b of top) readResource(reader, b, read);
  const { taskDefinitions, serviceInputs } = read;
  if (taskDefinitions.length === 0 && serviceInputs.length === 0) {
    throw new TaskDefError({
      kind: "not-a-task-definition",
      file,
      line: 1,
      column: 1,
      detail: `no resource "${TASK_DEFINITION}" or "${SERVICE}" in this Terraform file`,
      expected: `a Terraform file with resource "${TASK_DEFINITION}"`,
    });
  }
  const ids = new Set(taskDefinitions.map((t) => t.id));
  const services: ServiceView[] = serviceInputs.map((s) => ({
    ...s.view,
    taskDefinitionRef: s.ref !== undefined && ids.has(s.ref) ? s.ref : undefined,
  }));
  const root = locatedRoot(text, read);
  const doc = makeDocument(text, file, "terraform-hcl", taskDefinitions, services, root, lines);
  const result: TerraformInternals = { root, text, syntax, blocks: read.blocks, unreadable: read.unreadable };
  registerInternals(doc, result);
  return { doc, internals: result };
}

function throwOnSyntaxError(text: string, file: string, syntax: Syn, lines: LineIndex): void {
  const bad = firstSyntaxError(syntax);
  if (bad === undefined) return;
  const { line, column } = lines.position(bad.start);
  const near = text.slice(bad.start, Math.min(bad.end, bad.start + 20)).split(/\r?\n/)[0] ?? "";
  throw new TaskDefError({
    kind: "syntax",
    file,
    line,
    column,
    detail:
      bad.error === "missing"
        ? `invalid HCL: expected ${JSON.stringify(bad.type)} here`
        : `invalid HCL${near.trim() === "" ? "" : ` near ${JSON.stringify(near.trim())}`}`,
  });
}

/** Every `locals { … }` block's attributes, which `local.x` anywhere in the file may name. */
function localsOf(text: string, top: readonly HclBlock[]): Map<string, Local> {
  const locals = new Map<string, Local>();
  for (const b of top) {
    if (b.type !== "locals") continue;
    for (const a of attributesOf({ text }, b.body))
      locals.set(a.name, { expr: a.expr, keyOffset: a.syn.start });
  }
  return locals;
}

/** A service as read, before its task definition reference is checked against the file's ids. */
interface ServiceInput {
  readonly view: Omit<ServiceView, "taskDefinitionRef">;
  readonly ref: string | undefined;
}

/** What the resource blocks add up to, filled in block by block. */
interface ReadResources {
  readonly blocks: Map<string, HclBlock>;
  readonly unreadable: Map<string, string>;
  readonly taskDefinitions: TaskDefinitionView[];
  readonly serviceInputs: ServiceInput[];
  readonly byType: Map<string, Map<string, LNode>>;
  /** Each type's span: its first block's, reported when the type as a whole is located. */
  readonly typeSpan: Map<string, { offset: number; length: number }>;
}

/** A top-level block into `read` when it is a task definition or a service. */
function readResource(reader: Reader, b: HclBlock, read: ReadResources): void {
  if (b.type !== "resource" || b.labels.length !== 2) return;
  const [type, name] = b.labels as [string, string];
  if (type !== TASK_DEFINITION && type !== SERVICE) return;
  read.blocks.set(blockKey(type, [name]), b);
  const props = new Map<string, LNode>();
  if (type === TASK_DEFINITION) {
    read.taskDefinitions.push(readTaskDefinition(reader, b, name, props, read.unreadable));
  } else {
    const service = readService(reader.env, b, props);
    read.serviceInputs.push({
      view: {
        id: `${SERVICE}.${name}`,
        path: ["resource", type, name],
        deploymentConfiguration: service.dc,
        serviceConnect: serviceConnectOf(reader.env, b),
      },
      ref: service.ref,
    });
  }
  const node = leaf(null, b.syn.start, b.syn.end - b.syn.start, { props, syn: b.syn });
  let named = read.byType.get(type);
  if (named === undefined) {
    named = new Map();
    read.byType.set(type, named);
    read.typeSpan.set(type, { offset: b.syn.start, length: b.syn.end - b.syn.start });
  }
  named.set(name, node);
}

/** A task definition's view; its attributes' located nodes go into `props`. */
function readTaskDefinition(
  reader: Reader,
  b: HclBlock,
  name: string,
  props: Map<string, LNode>,
  unreadable: Map<string, string>,
): TaskDefinitionView {
  const path: JsonPath = ["resource", TASK_DEFINITION, name];
  const id = `${TASK_DEFINITION}.${name}`;
  const task: Obj = {};
  let containers: ContainerView[] = [];
  for (const a of attributesOf(reader.env, b.body)) {
    if (a.name === "container_definitions") {
      const read = reader.containers(a);
      props.set(a.name, member(read.node, a.syn.start));
      if (read.unknownReason !== undefined) unreadable.set(id, read.unknownReason);
      containers = containerViews(reader, read.node, [...path, a.name]);
      continue;
    }
    const v = evaluate(reader.env, a.expr, true);
    props.set(a.name, member(v, a.syn.start));
    put(task, snakeToCamel(a.name), v.value);
  }
  put(
    task,
    "containerDefinitions",
    containers.map((c) => c.definition),
  );
  return {
    id,
    path,
    containersKey: "container_definitions",
    taskDefinition: task as TaskDefinition,
    containers,
  };
}

/** `resource.<type>.<name>`; `resource` is shown at the first task definition's type (else the first service's). */
function locatedRoot(text: string, read: ReadResources): LNode {
  const typeNodes = new Map<string, LNode>();
  for (const [type, named] of read.byType) {
    const span = read.typeSpan.get(type) as { offset: number; length: number };
    typeNodes.set(type, leaf(null, span.offset, span.length, { props: named }));
  }
  const first = read.taskDefinitions[0]?.path ?? read.serviceInputs[0]?.view.path;
  const firstSpan =
    first === undefined
      ? { offset: 0, length: 0 }
      : (read.typeSpan.get(first[1] as string) ?? { offset: 0, length: 0 });
  const resourceNode = leaf(null, firstSpan.offset, firstSpan.length, { props: typeNodes });
  return leaf(null, 0, text.length, { props: new Map([["resource", resourceNode]]) });
}

/** The task definition a service runs, when it names one of this file: `aws_ecs_task_definition.x.arn`, in templates too. */
function referencedTaskDefinition(env: Env, syn: Syn): string | undefined {
  const parts = kids(syn);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as Syn;
    const next = parts[i + 1];
    if (p.type === "variable_expr" && textOf(env, p) === TASK_DEFINITION && next?.type === "get_attr") {
      const id = kids(next).find((k) => k.type === "identifier");
      if (id !== undefined) return `${TASK_DEFINITION}.${textOf(env, id)}`;
    }
    const inner = referencedTaskDefinition(env, p);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** `service_connect_configuration { enabled = … }`: ECS then adds its proxy to every task. */
function serviceConnectOf(env: Env, b: HclBlock): boolean | undefined {
  const block = blocksOf(env, b.body).find((inner) => inner.type === "service_connect_configuration");
  const enabled =
    block === undefined ? undefined : attributesOf(env, block.body).find((a) => a.name === "enabled");
  const value = enabled === undefined ? undefined : evaluate(env, enabled.expr, false).value;
  return typeof value === "boolean" ? value : undefined;
}

function readService(
  env: Env,
  b: HclBlock,
  props: Map<string, LNode>,
): { dc: DeploymentConfiguration | undefined; ref: string | undefined } {
  let ref: string | undefined;
  const dc: Obj = {};
  let any = false;
  for (const a of attributesOf(env, b.body)) {
    const v = evaluate(env, a.expr, true);
    props.set(a.name, member(v, a.syn.start));
    if (a.name === "task_definition") ref = referencedTaskDefinition(env, a.expr);
    if (a.name === "deployment_maximum_percent") {
      put(dc, "maximumPercent", v.value);
      any = true;
    } else if (a.name === "deployment_minimum_healthy_percent") {
      put(dc, "minimumHealthyPercent", v.value);
      any = true;
    }
  }
  const dcProps = new Map<string, LNode>();
  for (const inner of blocksOf(env, b.body)) {
    if (inner.type === "dynamic" && inner.labels[0] === "deployment_circuit_breaker") {
      return {
        dc: unknownValue(textOf(env, inner.syn)) as unknown as DeploymentConfiguration,
        ref,
      };
    }
    if (inner.type !== "deployment_circuit_breaker") continue;
    const cb: Obj = {};
    const cbProps = new Map<string, LNode>();
    for (const a of attributesOf(env, inner.body)) {
      const v = member(evaluate(env, a.expr, true), a.syn.start);
      cbProps.set(a.name, v);
      // The CloudFormation spelling too: FLP208 and fix address the breaker as DeploymentCircuitBreaker.Enable.
      cbProps.set(a.name.charAt(0).toUpperCase() + a.name.slice(1), v);
      put(cb, snakeToCamel(a.name), v.value);
    }
    const cbNode = member(
      leaf(cb, inner.syn.start, inner.syn.end - inner.syn.start, { props: cbProps, syn: inner.syn }),
      inner.syn.start,
    );
    props.set("deployment_circuit_breaker", cbNode);
    dcProps.set("DeploymentCircuitBreaker", cbNode);
    dcProps.set("deploymentCircuitBreaker", cbNode);
    put(dc, "deploymentCircuitBreaker", cb);
    any = true;
  }
  props.set("DeploymentConfiguration", leaf(dc, b.syn.start, b.syn.end - b.syn.start, { props: dcProps }));
  return { dc: any ? (dc as DeploymentConfiguration) : undefined, ref };
}
