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
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { TaskDefError } from "../errors.js";
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
import { LineIndex } from "../raw.js";
import { isIntrinsic } from "../values.js";
import {
  decodeQuoted,
  type Env,
  evaluate,
  heredocBody,
  isPlainObject,
  kids,
  type Local,
  newEnv,
  quotedParts,
  stringValue,
  textOf,
} from "./evaluate.js";
import { hasUnknown, jsonNodes, parseJsonText, templateToJson } from "./json.js";
import { frozen, type LNode, leaf, member, unknownValue, walk } from "./located.js";
import { firstSyntaxError, parseHclSyntax, type Syn } from "./parser.js";

export const TASK_DEFINITION = "aws_ecs_task_definition";
export const SERVICE = "aws_ecs_service";

export interface TerraformReadOptions {
  /** Reads a file named by `file()` / `templatefile()`. @default readFileSync(path, "utf8") */
  readonly readInclude?: (path: string) => string;
}

export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly syn: Syn;
  /** The `body` node, absent for `{}`. */
  readonly body: Syn | undefined;
  readonly open: Syn;
  readonly close: Syn;
}

export interface HclAttribute {
  readonly name: string;
  readonly syn: Syn;
  readonly expr: Syn;
}

/** What `fix` needs beyond the model: the located tree and the syntax of each block. */
export interface TerraformInternals {
  readonly root: LNode;
  readonly text: string;
  readonly syntax: Syn;
  readonly blocks: ReadonlyMap<string, HclBlock>;
  /** Task definition id → why its container list cannot be read (it is unknown), when it cannot. */
  readonly unreadable: ReadonlyMap<string, string>;
}

const internals = new WeakMap<TaskDefinitionDocument, TerraformInternals>();

export function terraformInternals(doc: TaskDefinitionDocument): TerraformInternals | undefined {
  return internals.get(doc);
}

export function registerInternals(doc: TaskDefinitionDocument, value: TerraformInternals): void {
  internals.set(doc, value);
}

// ---------------------------------------------------------------------------------------------------------
// Syntax helpers

export function blocksOf(env: { readonly text: string }, body: Syn | undefined): HclBlock[] {
  if (body === undefined) return [];
  const out: HclBlock[] = [];
  for (const b of kids(body)) {
    if (b.type !== "block") continue;
    const parts = kids(b);
    const type = parts[0];
    const open = parts.find((k) => k.type === "block_start");
    const close = parts.find((k) => k.type === "block_end");
    if (type === undefined || open === undefined || close === undefined) continue;
    const labels: string[] = [];
    for (const p of parts.slice(1)) {
      if (p.type === "string_lit") labels.push(stringValue(env, p));
      else if (p.type === "identifier") labels.push(textOf(env, p));
      else break;
    }
    out.push({
      type: textOf(env, type),
      labels,
      syn: b,
      body: parts.find((k) => k.type === "body"),
      open,
      close,
    });
  }
  return out;
}

export function attributesOf(env: { readonly text: string }, body: Syn | undefined): HclAttribute[] {
  if (body === undefined) return [];
  const out: HclAttribute[] = [];
  for (const a of kids(body)) {
    if (a.type !== "attribute") continue;
    const [name, , expr] = kids(a);
    if (name === undefined || expr === undefined) continue;
    out.push({ name: textOf(env, name), syn: a, expr });
  }
  return out;
}

function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

type Obj = Record<string, unknown>;

function put(out: Obj, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

// ---------------------------------------------------------------------------------------------------------
// Container definitions in their many shapes

interface Containers {
  /** The list (items located), or an unknown leaf. */
  readonly node: LNode;
  /** Why the list is unknown, when it is. */
  readonly unknownReason?: string;
}

class Reader {
  constructor(
    readonly env: Env,
    readonly file: string,
    readonly lines: LineIndex,
    readonly options: TerraformReadOptions,
  ) {}

  fail(at: number, detail: string, kind: "syntax" | "not-a-task-definition" | "io" = "syntax"): never {
    const { line, column } = this.lines.position(at);
    throw new TaskDefError({ kind, file: this.file, line, column, detail });
  }

  /** `container_definitions = …` → the container list. */
  containers(attr: HclAttribute): Containers {
    let expr = attr.expr;
    let via: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const parts = kids(expr);
      const head = parts[0];
      if (parts.length === 2 && head?.type === "variable_expr" && textOf(this.env, head) === "local") {
        const id = kids(parts[1] as Syn).find((k) => k.type === "identifier");
        const name = id === undefined ? undefined : textOf(this.env, id);
        const def = name === undefined ? undefined : this.env.locals.get(name);
        if (name !== undefined && def !== undefined && !seen.has(name)) {
          seen.add(name);
          via = `the list comes from local.${name}`;
          expr = def.expr;
          continue;
        }
      }
      break;
    }
    const freeze = (node: LNode) => (via === undefined ? node : frozen(node, via));
    const parts = kids(expr);
    const head = parts[0];
    if (parts.length === 1 && head?.type === "function_call") {
      const fparts = kids(head);
      const fname = textOf(this.env, fparts[0] as Syn);
      const argsSyn = fparts.find((k) => k.type === "function_arguments");
      const args = argsSyn === undefined ? [] : kids(argsSyn).filter((k) => k.type === "expression");
      if (fname === "jsonencode" && args.length === 1) {
        const node = freeze(evaluate(this.env, args[0] as Syn, via === undefined));
        return isIntrinsic(node.value)
          ? { node, unknownReason: `its list is not literal (${textOf(this.env, args[0] as Syn)})` }
          : { node };
      }
      if ((fname === "file" || fname === "templatefile") && args.length >= 1) {
        return this.include(fname, args, expr);
      }
    }
    if (parts.length === 1 && head?.type === "template_expr") {
      const t = kids(head)[0];
      if (
        t?.type === "heredoc_template" &&
        !kids(t).some((k) => k.type !== "template_literal" && !/^heredoc/.test(k.type))
      ) {
        const { raw, offsets } = heredocBody(this.env, t);
        const json = raw.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
        const exact = json.length === raw.length;
        const tree = parseJsonText(json, (line, column, detail) => {
          const i = line === undefined ? 0 : offsetOf(json, line, column ?? 1);
          return this.error(offsets[i] ?? expr.start, `container_definitions heredoc is not JSON: ${detail}`);
        });
        const fallback = { offset: expr.start, length: expr.end - expr.start };
        const node = jsonNodes(
          tree,
          exact ? (i) => offsets[Math.min(i, offsets.length - 1)] ?? expr.start : undefined,
          fallback,
          "it is JSON text in a heredoc; edit it by hand",
        );
        return { node: freeze(node) };
      }
    }
    const value = evaluate(this.env, expr, false);
    if (typeof value.value === "string") {
      return { node: freeze(this.jsonString(value.value, expr, new Map())) };
    }
    if (head?.type === "template_expr") {
      // A template with interpolations: JSON with unknown parts.
      const t = kids(head)[0] as Syn;
      const rendered = this.renderTemplateSyntax(t);
      const tj = templateToJson(rendered.text, (e) => rendered.known.get(e));
      if (tj.directive !== undefined) this.directiveError(expr.start, "this template", "");
      return { node: freeze(this.jsonString(tj.json, expr, tj.unknowns)) };
    }
    return {
      node: freeze(leaf(unknownValue(textOf(this.env, expr)), expr.start, expr.end - expr.start)),
      unknownReason: `container_definitions is not jsonencode() of a literal list (${textOf(this.env, expr)})`,
    };
  }

  error(at: number, detail: string): TaskDefError {
    const { line, column } = this.lines.position(at);
    return new TaskDefError({ kind: "syntax", file: this.file, line, column, detail });
  }

  /** JSON text whose positions are not kept: everything is located at the expression. */
  jsonString(
    json: string,
    expr: Syn,
    unknowns: ReadonlyMap<string, string>,
    what = "container_definitions",
  ): LNode {
    const tree = parseJsonText(json, (line, column, detail) =>
      this.error(expr.start, `${what} is not JSON (${line ?? 1}:${column ?? 1} in the text): ${detail}`),
    );
    return jsonNodes(
      tree,
      undefined,
      { offset: expr.start, length: expr.end - expr.start },
      "it is JSON text, not HCL; edit it by hand",
      unknowns,
    );
  }

  /** The template's text with known interpolations noted (heredoc or quoted). */
  renderTemplateSyntax(t: Syn): { text: string; known: Map<string, string | number | boolean> } {
    const known = new Map<string, string | number | boolean>();
    if (t.type === "heredoc_template") return { text: heredocBody(this.env, t).raw, known };
    let text = "";
    for (const part of quotedParts(this.env, t)) {
      if ("text" in part) {
        text += decodeQuoted(part.text)
          .replace(/\$\{/g, () => "$${")
          .replace(/%\{/g, () => "%%{");
      } else {
        const p = part.syn;
        const written = textOf(this.env, p);
        const expr = kids(p).find((k) => k.type === "expression");
        if (expr !== undefined && p.type === "template_interpolation") {
          const v = evaluate(this.env, expr, false).value;
          if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
            known.set(written.slice(2, -1).trim(), v);
          }
        }
        text += written;
      }
    }
    return { text, known };
  }

  directiveError(at: number, source: string, where: string): never {
    this.fail(
      at,
      `container_definitions: ${source} uses %{ } directives${where}, so it is not JSON until Terraform renders it. ` +
        "Lint what Terraform renders instead: terraform plan -out=tfplan && terraform show -json tfplan > plan.json && " +
        "firelens-preflight lint plan.json (or build the list with jsonencode() and for expressions)",
    );
  }

  /** `file("x.json")` / `templatefile("x.json.tpl", { … })`, relative to the module directory. */
  include(fname: string, args: readonly Syn[], expr: Syn): Containers {
    const pathNode = evaluate(this.env, args[0] as Syn, false);
    const span = { offset: expr.start, length: expr.end - expr.start };
    if (typeof pathNode.value !== "string") {
      const node = leaf(unknownValue(textOf(this.env, expr)), span.offset, span.length);
      return {
        node,
        unknownReason: `its ${fname}() path is not known before plan (${textOf(this.env, args[0] as Syn)})`,
      };
    }
    const moduleDir = this.file === "<stdin>" ? process.cwd() : dirname(this.file);
    const target = resolve(moduleDir, pathNode.value);
    let text: string;
    try {
      text = (this.options.readInclude ?? ((p: string) => readFileSync(p, "utf8")))(target);
    } catch (cause) {
      const code = (cause as { code?: unknown }).code;
      this.fail(
        expr.start,
        `container_definitions = ${fname}("${pathNode.value}"): cannot read ${target}${code === "ENOENT" ? ": no such file" : ""}`,
        "io",
      );
    }
    const reason = `it is read from ${pathNode.value}: run fix on that file (a containerDefinitions array)`;
    if (fname === "file") {
      return { node: this.includedJson(text, pathNode.value, expr, new Map(), reason) };
    }
    const vars = args[1] === undefined ? undefined : evaluate(this.env, args[1], false);
    const lookup = (e: string): string | number | boolean | undefined => {
      const v = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(e) ? vars?.props?.get(e)?.value : undefined;
      return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : undefined;
    };
    const tj = templateToJson(text, lookup);
    if (tj.directive !== undefined) {
      const { line, column } = new LineIndex(text).position(tj.directive);
      this.directiveError(
        expr.start,
        `the template ${pathNode.value}`,
        ` (${pathNode.value}:${line}:${column})`,
      );
    }
    const reasonTpl = `it is rendered from the template ${pathNode.value}; edit the template by hand`;
    return { node: this.includedJson(tj.json, pathNode.value, expr, tj.unknowns, reasonTpl) };
  }

  includedJson(
    json: string,
    name: string,
    expr: Syn,
    unknowns: ReadonlyMap<string, string>,
    reason: string,
  ): LNode {
    const tree = parseJsonText(json, (line, column, detail) =>
      this.error(
        expr.start,
        `${name}:${line ?? 1}:${column ?? 1}: ${detail} (read by container_definitions)`,
      ),
    );
    return jsonNodes(
      tree,
      undefined,
      { offset: expr.start, length: expr.end - expr.start },
      reason,
      unknowns,
    );
  }
}

/** Offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return at + column - 1;
}

// ---------------------------------------------------------------------------------------------------------

export interface TerraformRead {
  readonly doc: TaskDefinitionDocument;
  readonly internals: TerraformInternals;
}

export function blockKey(type: string, labels: readonly string[]): string {
  return [type, ...labels].join("\u0000");
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

function containerViews(reader: Reader, list: LNode, base: JsonPath): ContainerView[] {
  if (isIntrinsic(list.value)) return [];
  if (list.items === undefined) {
    reader.fail(list.valueOffset, "expected container_definitions to be a list of container definitions");
  }
  const out: ContainerView[] = [];
  list.items.forEach((item, index) => {
    // A container that is unknown as a whole (a variable) is skipped, keeping the others' indexes.
    if (isIntrinsic(item.value)) return;
    if (!isPlainObject(item.value)) {
      reader.fail(item.valueOffset, "expected a container definition (an object)", "not-a-task-definition");
    }
    const definition = item.value as ContainerDefinition;
    const name = typeof definition.name === "string" ? definition.name : undefined;
    out.push({ name, index, definition, path: [...base, index] });
  });
  return out;
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

/** The model's document over a located tree (shared by `.tf`, `.tf.json` and plans). */
export function makeDocument(
  text: string,
  file: string,
  format: TaskDefinitionDocument["format"],
  taskDefinitions: TaskDefinitionView[],
  services: ServiceView[],
  root: LNode,
  lines: LineIndex,
): TaskDefinitionDocument {
  const locate = (path: JsonPath): SourceLocation => {
    const trail = walk(root, path);
    const node = trail[trail.length - 1] as LNode;
    const { line, column } = lines.position(node.offset);
    return { file, line, column, offset: node.offset, length: node.length };
  };
  const rawPath = (td: TaskDefinitionView, viewPath: JsonPath): JsonPath => {
    const [first, ...rest] = viewPath;
    if (first === undefined) return [...td.path];
    if (first === "containerDefinitions")
      return [...td.path, td.containersKey ?? "container_definitions", ...rest];
    return [...td.path, typeof first === "string" ? camelToSnake(first) : first, ...rest];
  };
  // HCL and plan JSON do not repeat keys unnoticed: Terraform itself rejects duplicate arguments.
  return { file, text, format, taskDefinitions, services, locate, rawPath, duplicateKeys: [] };
}

/** Whether a value (or anything in it) is unknown until plan. */
export { hasUnknown };
