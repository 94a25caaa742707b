/**
 * Template data as plain data and as the typed camelCase view: YAML short tags in their long JSON form, keys in
 * the API's casing, scalars CloudFormation accepts as strings read as ECS reads them, intrinsics as markers (and
 * `Fn::If` as a choice between its two branches, each viewed like the value in its place).
 */
import { toCamel, USER_MAP_KEYS } from "./casing.js";
import { put } from "./put.js";
import type { RawNode } from "./raw.js";
import { intrinsic } from "./values.js";

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
export function intrinsicKey(value: Obj): string | undefined {
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

export function normaliseScalar(key: string | undefined, value: unknown, taskLevel: boolean): unknown {
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
export function templateView(
  value: unknown,
  key: string | undefined,
  userMap: boolean,
  taskLevel: boolean,
): unknown {
  if (Array.isArray(value)) return value.map((item) => templateView(item, key, false, false));
  if (!isObj(value)) return normaliseScalar(key, value, taskLevel);
  const fn = intrinsicKey(value);
  if (fn !== undefined) {
    const choice = fn === "Fn::If" ? choiceOf(value[fn], key, userMap, taskLevel) : undefined;
    return choice === undefined ? intrinsic(fn, value[fn]) : { ...intrinsic(fn, value[fn]), choice };
  }
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

/**
 * `Fn::If [Condition, whenTrue, whenFalse]` → its branches in the view's casing, read as the value in its place
 * would be (the argument itself stays as written, for write-back). `undefined` when it is not that shape.
 */
function choiceOf(argument: unknown, key: string | undefined, userMap: boolean, taskLevel: boolean) {
  if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== "string") return undefined;
  const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
  return {
    kind: "cloudformation" as const,
    condition,
    whenTrue: templateView(whenTrue, key, userMap, taskLevel),
    whenFalse: templateView(whenFalse, key, userMap, taskLevel),
  };
}
