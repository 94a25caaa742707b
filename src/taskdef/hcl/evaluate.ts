/**
 * Evaluating HCL expressions as far as they are known before `terraform plan`: literals, templates over
 * known parts, locals of the same file, `for` expressions over known collections, and the few functions
 * task definitions are built with (`merge`, `concat`, `flatten`, `lookup`, type conversions). Everything
 * else (variables, resource attributes, data sources, other functions) is unknown: an `Intrinsic` marker
 * the rules skip, as they skip CloudFormation intrinsics. Expression semantics follow
 * https://developer.hashicorp.com/terraform/language/expressions.
 */
import { put } from "../put.js";
import { isIntrinsic } from "../values.js";
import {
  conditional,
  frozen,
  type LNode,
  leaf,
  member,
  spliced,
  unknownValue,
  zipChoice,
} from "./located.js";
import { BINARY, binary } from "./operators.js";
import type { Syn } from "./parser.js";
import {
  decodeHeredoc,
  decodeQuoted,
  heredocBody,
  kids,
  quotedParts,
  scalarText,
  stringValue,
  textOf,
} from "./strings.js";

export { decodeHeredoc, decodeQuoted, heredocBody, kids, quotedParts, stringValue, textOf };

export interface Local {
  readonly expr: Syn;
  readonly keyOffset: number;
}

export interface Env {
  readonly text: string;
  readonly locals: ReadonlyMap<string, Local>;
  readonly localCache: Map<string, LNode>;
  readonly evaluating: Set<string>;
  /** `for` iterator variables in scope. */
  readonly vars: ReadonlyMap<string, LNode>;
}

export function newEnv(text: string, locals: ReadonlyMap<string, Local>): Env {
  return { text, locals, localCache: new Map(), evaluating: new Set(), vars: new Map() };
}

function unknown(env: Env, syn: Syn): LNode {
  return leaf(unknownValue(textOf(env, syn)), syn.start, syn.end - syn.start);
}

function known(node: LNode): boolean {
  return !isIntrinsic(node.value);
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isIntrinsic(value);
}

function evaluateTemplate(env: Env, template: Syn, outer: Syn): LNode {
  if (template.type === "heredoc_template") {
    if (kids(template).some((k) => k.type === "template_interpolation" || k.type === "template_directive")) {
      return unknown(env, outer);
    }
    const out = decodeHeredoc(heredocBody(env, template).raw);
    return leaf(out, outer.start, outer.end - outer.start, { syn: outer });
  }
  const parts = quotedParts(env, template);
  const lone = parts.length === 1 ? loneUnknown(env, parts[0], outer) : undefined;
  if (lone !== undefined) return lone;
  let out = "";
  let hasInterpolation = false;
  for (const p of parts) {
    if ("text" in p) {
      out += decodeQuoted(p.text);
      continue;
    }
    if (p.syn.type === "template_directive") return unknown(env, outer);
    hasInterpolation = true;
    const expr = kids(p.syn).find((k) => k.type === "expression");
    const strip = kids(p.syn).some((k) => k.type === "strip_marker");
    if (expr === undefined || strip) return unknown(env, outer);
    const v = evaluate(env, expr, false);
    const s = scalarText(v.value);
    if (s === undefined) return unknown(env, outer);
    out += s;
  }
  return leaf(out, outer.start, outer.end - outer.start, hasInterpolation ? {} : { syn: outer });
}

/**
 * A template that is one interpolation is that value itself (Terraform does not make it a string): when the
 * value is unknown, it is kept as read, so `"${var.x ? "a" : "b"}"` (the `.tf.json` spelling) is the same
 * choice as `var.x ? "a" : "b"`, and `"${var.image}"` is named `var.image`.
 */
function loneUnknown(env: Env, part: ReturnType<typeof quotedParts>[number] | undefined, outer: Syn) {
  if (part === undefined || "text" in part || part.syn.type !== "template_interpolation") return undefined;
  const expr = kids(part.syn).find((k) => k.type === "expression");
  if (expr === undefined || kids(part.syn).some((k) => k.type === "strip_marker")) return undefined;
  const v = evaluate(env, expr, false);
  if (!isIntrinsic(v.value)) return undefined;
  const offset = outer.start;
  return { ...v, offset, valueOffset: offset, length: outer.end - offset };
}

// ---------------------------------------------------------------------------------------------------------
// References

function local(env: Env, name: string, at: Syn): LNode {
  const hit = env.localCache.get(name);
  if (hit !== undefined) return hit;
  const def = env.locals.get(name);
  if (def === undefined || env.evaluating.has(name)) return unknown(env, at);
  env.evaluating.add(name);
  try {
    const value = frozen(
      evaluate({ ...env, vars: new Map() }, def.expr, false),
      `it comes from local.${name}`,
    );
    env.localCache.set(name, value);
    return value;
  } finally {
    env.evaluating.delete(name);
  }
}

function attr(env: Env, base: LNode, name: string, whole: Syn): LNode {
  if (!known(base)) return unknown(env, whole);
  const next = base.props?.get(name);
  return next ?? unknown(env, whole);
}

function indexInto(env: Env, base: LNode, key: unknown, whole: Syn): LNode {
  if (!known(base)) return unknown(env, whole);
  if (typeof key === "number" && base.items !== undefined) return base.items[key] ?? unknown(env, whole);
  const k = scalarText(key);
  if (k !== undefined && base.props !== undefined) return base.props.get(k) ?? unknown(env, whole);
  return unknown(env, whole);
}

/** A postfix chain (`x.a[0].b`) applied to an evaluated base. */
function postfix(env: Env, base: LNode, rest: readonly Syn[], whole: Syn): LNode {
  let node = base;
  for (const p of rest) {
    if (p.type === "get_attr") {
      const id = kids(p).find((k) => k.type === "identifier");
      node = id === undefined ? unknown(env, whole) : attr(env, node, textOf(env, id), whole);
    } else if (p.type === "index") {
      const inner = kids(p)[0];
      if (inner?.type === "legacy_index") {
        node = indexInto(env, node, Number(textOf(env, inner).slice(1)), whole);
      } else {
        const e = inner === undefined ? undefined : kids(inner).find((k) => k.type === "expression");
        const key = e === undefined ? undefined : evaluate(env, e, false);
        node =
          key === undefined || !known(key) ? unknown(env, whole) : indexInto(env, node, key.value, whole);
      }
    } else {
      return unknown(env, whole);
    }
  }
  return node;
}

function reference(env: Env, parts: readonly Syn[], whole: Syn): LNode {
  const head = parts[0] as Syn;
  const name = textOf(env, head);
  const bound = env.vars.get(name);
  if (bound !== undefined) return postfix(env, bound, parts.slice(1), whole);
  const first = parts[1];
  const attrName =
    first?.type === "get_attr"
      ? (() => {
          const id = kids(first).find((k) => k.type === "identifier");
          return id === undefined ? undefined : textOf(env, id);
        })()
      : undefined;
  if (name === "local" && attrName !== undefined) {
    return postfix(env, local(env, attrName, whole), parts.slice(2), whole);
  }
  // Relative to the module directory, which is where included files are looked up.
  if (name === "path" && attrName === "module" && parts.length === 2) {
    return leaf(".", whole.start, whole.end - whole.start);
  }
  return unknown(env, whole);
}

// ---------------------------------------------------------------------------------------------------------
// Collections

function objectOf(env: Env, obj: Syn, direct: boolean): LNode {
  const value: Obj = {};
  const props = new Map<string, LNode>();
  for (const elem of kids(obj)) {
    if (elem.type !== "object_elem") continue;
    const [keyExpr, , valExpr] = kids(elem);
    if (keyExpr === undefined || valExpr === undefined) continue;
    const key = objectKey(env, keyExpr);
    if (key === undefined) continue;
    const v = evaluate(env, valExpr, direct);
    put(value, key, v.value);
    props.set(key, member(v, keyExpr.start));
  }
  return leaf(value, obj.start, obj.end - obj.start, { props, ...(direct ? { syn: obj } : {}) });
}

/** A bare identifier key is the literal name (not a variable), as in `{ name = "app" }`. */
export function objectKey(env: Env, keyExpr: Syn): string | undefined {
  const parts = kids(keyExpr);
  const only = parts[0];
  if (parts.length === 1 && only?.type === "variable_expr") return textOf(env, only);
  const v = evaluate(env, keyExpr, false);
  return scalarText(v.value);
}

function tupleOf(env: Env, tuple: Syn, direct: boolean): LNode {
  const items: LNode[] = [];
  for (const k of kids(tuple)) if (k.type === "expression") items.push(evaluate(env, k, direct));
  return leaf(
    items.map((i) => i.value),
    tuple.start,
    tuple.end - tuple.start,
    { items, ...(direct ? { syn: tuple } : {}) },
  );
}

function forExpr(env: Env, syn: Syn, whole: Syn): LNode {
  const parts = kids(syn);
  const intro = parts.find((k) => k.type === "for_intro");
  if (intro === undefined) return unknown(env, whole);
  const ids = kids(intro).filter((k) => k.type === "identifier");
  const collExpr = kids(intro).find((k) => k.type === "expression");
  if (collExpr === undefined || ids.length === 0) return unknown(env, whole);
  const coll = evaluate(env, collExpr, false);
  if (!known(coll)) return unknown(env, whole);
  const keyVar = ids.length === 2 ? textOf(env, ids[0] as Syn) : undefined;
  const valVar = textOf(env, ids[ids.length - 1] as Syn);
  const exprs = parts.filter((k) => k.type === "expression");
  const cond = parts.find((k) => k.type === "for_cond");
  const condExpr = cond === undefined ? undefined : kids(cond).find((k) => k.type === "expression");
  if (parts.some((k) => k.type === "ellipsis")) return unknown(env, whole);
  const pairs: Array<[LNode, LNode]> = [];
  if (coll.items !== undefined) {
    coll.items.forEach((item, i) => {
      pairs.push([leaf(i, item.offset, 0), item]);
    });
  } else if (coll.props !== undefined) {
    // Terraform iterates maps and objects in lexical key order.
    for (const k of [...coll.props.keys()].sort())
      pairs.push([leaf(k, coll.offset, 0), coll.props.get(k) as LNode]);
  } else {
    return unknown(env, whole);
  }
  const isObject = syn.type === "for_object_expr";
  const items: LNode[] = [];
  const props = new Map<string, LNode>();
  const value: unknown[] | Obj = isObject ? {} : [];
  for (const [k, v] of pairs) {
    const vars = new Map(env.vars);
    if (keyVar !== undefined) vars.set(keyVar, k);
    vars.set(valVar, v);
    const inner: Env = { ...env, vars };
    if (condExpr !== undefined) {
      const c = evaluate(inner, condExpr, false);
      if (typeof c.value !== "boolean") return unknown(env, whole);
      if (!c.value) continue;
    }
    if (isObject) {
      const [keyE, valE] = exprs;
      if (keyE === undefined || valE === undefined) return unknown(env, whole);
      const key = scalarText(evaluate(inner, keyE, false).value);
      if (key === undefined) return unknown(env, whole);
      const node = evaluate(inner, valE, false);
      put(value as Obj, key, node.value);
      props.set(key, node);
    } else {
      const body = exprs[0];
      if (body === undefined) return unknown(env, whole);
      const node = evaluate(inner, body, false);
      (value as unknown[]).push(node.value);
      items.push(node);
    }
  }
  const node = leaf(value, whole.start, whole.end - whole.start, isObject ? { props } : { items });
  return frozen(node, "it is built by a for expression");
}

// ---------------------------------------------------------------------------------------------------------
// Functions

function toPlainString(value: unknown): string | undefined {
  return scalarText(value);
}

function fullyKnown(value: unknown): boolean {
  if (isIntrinsic(value)) return false;
  if (Array.isArray(value)) return value.every(fullyKnown);
  if (typeof value === "object" && value !== null) return Object.values(value).every(fullyKnown);
  return true;
}

function call(env: Env, syn: Syn, whole: Syn, direct: boolean): LNode {
  const parts = kids(syn);
  const name = textOf(env, parts[0] as Syn);
  const argsSyn = parts.find((k) => k.type === "function_arguments");
  const argExprs = argsSyn === undefined ? [] : kids(argsSyn).filter((k) => k.type === "expression");
  if (argsSyn !== undefined && kids(argsSyn).some((k) => k.type === "ellipsis")) return unknown(env, whole);
  const span = { offset: whole.start, length: whole.end - whole.start };
  switch (name) {
    case "merge": {
      const args = argExprs.map((a) => evaluate(env, a, direct));
      return merge(env, args, whole);
    }
    case "concat":
    case "flatten": {
      const args = argExprs.map((a) => evaluate(env, a, false));
      const items: LNode[] = [];
      const add = (n: LNode, deep: boolean): boolean => {
        if (!known(n) || n.items === undefined) return false;
        for (const i of n.items) {
          if (deep && Array.isArray(i.value)) {
            if (!add(i, true)) return false;
          } else items.push(i);
        }
        return true;
      };
      for (let i = 0; i < args.length; i++) {
        const a = args[i] as LNode;
        const syn = argExprs[i] as Syn;
        if (name === "flatten") {
          if (!add(a, true)) return unknown(env, whole);
        } else if (!add(a, false)) {
          // concat keeps what it can read: a conditional list gives elements chosen by its condition, and an
          // unknown list (a module output, a variable) one element standing for however many it splices in.
          items.push(...(zipChoice(a) ?? [spliced(textOf(env, syn), syn.start, syn.end - syn.start)]));
        }
      }
      return frozen(
        leaf(
          items.map((i) => i.value),
          span.offset,
          span.length,
          { items },
        ),
        `it is built with ${name}()`,
      );
    }
    case "tolist":
    case "toset":
    case "tomap": {
      const a = argExprs[0];
      if (a === undefined || argExprs.length !== 1) return unknown(env, whole);
      return frozen(evaluate(env, a, false), `it is built with ${name}()`);
    }
    case "tostring":
    case "tonumber":
    case "tobool": {
      const a = argExprs[0];
      if (a === undefined) return unknown(env, whole);
      const v = evaluate(env, a, false);
      if (!known(v)) return unknown(env, whole);
      const s = toPlainString(v.value);
      if (s === undefined) return unknown(env, whole);
      const converted =
        name === "tostring"
          ? s
          : name === "tonumber"
            ? Number(s)
            : s === "true"
              ? true
              : s === "false"
                ? false
                : undefined;
      if (converted === undefined || (typeof converted === "number" && Number.isNaN(converted)))
        return unknown(env, whole);
      return leaf(converted, span.offset, span.length);
    }
    case "lookup": {
      const [m, k, d] = argExprs.map((a) => evaluate(env, a, false));
      if (m === undefined || k === undefined || !known(m) || !known(k)) return unknown(env, whole);
      const key = toPlainString(k.value);
      const hit = key === undefined ? undefined : m.props?.get(key);
      return hit ?? d ?? unknown(env, whole);
    }
    case "jsonencode": {
      const a = argExprs[0];
      if (a === undefined) return unknown(env, whole);
      const v = evaluate(env, a, false);
      if (!fullyKnown(v.value)) return unknown(env, whole);
      return leaf(JSON.stringify(v.value), span.offset, span.length);
    }
    default:
      return unknown(env, whole);
  }
}

/**
 * `merge` is shallow and later arguments win. After an unknown argument, the keys of earlier arguments may
 * have been replaced (unknown); keys only an unknown argument could add are not seen.
 */
function merge(env: Env, args: readonly LNode[], whole: Syn): LNode {
  if (args.length === 0) return leaf({}, whole.start, whole.end - whole.start);
  const lastUnknown = args.reduce((at, a, i) => (known(a) ? at : i), -1);
  if (lastUnknown === args.length - 1) return unknown(env, whole);
  const value: Obj = {};
  const props = new Map<string, LNode>();
  args.forEach((a, i) => {
    if (!known(a) || a.props === undefined) return;
    for (const [k, n] of a.props) {
      if (i < lastUnknown) {
        put(value, k, unknownValue(textOf(env, whole)));
        props.set(k, leaf(value[k], n.offset, n.length));
      } else {
        put(value, k, n.value);
        props.set(k, n);
      }
    }
  });
  const last = args[args.length - 1] as LNode;
  const insertInto = last.syn !== undefined && last.props !== undefined ? last : undefined;
  return leaf(value, whole.start, whole.end - whole.start, {
    props,
    ...(insertInto === undefined
      ? { fixed: "it is built with merge() whose last argument is not a literal object" }
      : { insertInto }),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Operations

function operation(env: Env, syn: Syn, whole: Syn): LNode {
  const op = kids(syn)[0];
  if (op === undefined) return unknown(env, whole);
  const parts = kids(op);
  if (op.type === "unary_operation") {
    const sign = parts[0];
    const operand = evaluate(env, synthetic(parts.slice(1)), false);
    if (sign === undefined || !known(operand)) return unknown(env, whole);
    const s = textOf(env, sign);
    if (s === "-" && typeof operand.value === "number")
      return leaf(-operand.value, whole.start, whole.end - whole.start);
    if (s === "!" && typeof operand.value === "boolean")
      return leaf(!operand.value, whole.start, whole.end - whole.start);
    return unknown(env, whole);
  }
  const at = parts.findIndex((k, i) => i > 0 && !k.named && BINARY.has(textOf(env, k)));
  if (at < 0) return unknown(env, whole);
  const l = evaluate(env, synthetic(parts.slice(0, at)), false).value;
  const r = evaluate(env, synthetic(parts.slice(at + 1)), false).value;
  if (isIntrinsic(l) || isIntrinsic(r)) return unknown(env, whole);
  const o = textOf(env, parts[at] as Syn);
  const v = binary(o, l, r);
  return v === undefined ? unknown(env, whole) : leaf(v, whole.start, whole.end - whole.start);
}

/** An `expression` node over some flattened parts (tree-sitter's hidden `_expr_term` leaves them inline). */
function synthetic(parts: readonly Syn[]): Syn {
  const first = parts[0];
  const last = parts[parts.length - 1];
  return { type: "expression", start: first?.start ?? 0, end: last?.end ?? 0, named: true, kids: parts };
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Evaluate an `expression` (or any term) node. `direct`: the value is written here, in place, so edits may
 * go into it; false inside locals, for expressions and function arguments that are not kept as written.
 */
export function evaluate(env: Env, syn: Syn, direct: boolean): LNode {
  if (syn.type !== "expression") return term(env, syn, [syn], syn, direct);
  const parts = kids(syn);
  const head = parts[0];
  if (head === undefined) return unknown(env, syn);
  if (!head.named && textOf(env, head) === "(") {
    const inner = parts[1];
    const base = inner === undefined ? unknown(env, syn) : evaluate(env, inner, false);
    return postfix(env, base, parts.slice(3), syn);
  }
  return term(env, head, parts, syn, direct);
}

function term(env: Env, head: Syn, parts: readonly Syn[], whole: Syn, direct: boolean): LNode {
  const rest = parts.slice(1);
  let base: LNode;
  switch (head.type) {
    case "variable_expr":
      return reference(env, parts, whole);
    case "literal_value": {
      const lit = kids(head)[0];
      if (lit === undefined) return unknown(env, whole);
      const t = textOf(env, lit);
      let value: unknown;
      if (lit.type === "numeric_lit") value = Number(t);
      else if (lit.type === "bool_lit") value = t === "true";
      else if (lit.type === "null_lit") value = null;
      else value = stringValue(env, lit);
      base = leaf(
        value,
        whole.start,
        whole.end - whole.start,
        direct && rest.length === 0 ? { syn: whole } : {},
      );
      break;
    }
    case "template_expr": {
      const t = kids(head)[0];
      base = t === undefined ? unknown(env, whole) : evaluateTemplate(env, t, whole);
      if (!direct || rest.length > 0) base = frozen(base, "it is a template");
      break;
    }
    case "collection_value": {
      const c = kids(head)[0];
      if (c === undefined) return unknown(env, whole);
      base =
        c.type === "object"
          ? objectOf(env, c, direct && rest.length === 0)
          : tupleOf(env, c, direct && rest.length === 0);
      break;
    }
    case "function_call":
      base = call(env, head, rest.length === 0 ? whole : head, direct && rest.length === 0);
      break;
    case "for_expr": {
      const f = kids(head)[0];
      base = f === undefined ? unknown(env, whole) : forExpr(env, f, whole);
      break;
    }
    case "operation":
      base = operation(env, head, whole);
      break;
    case "conditional": {
      const [c, a, b] = kids(head).filter((k) => k.type === "expression");
      if (c === undefined || a === undefined || b === undefined) return unknown(env, whole);
      const cond = evaluate(env, c, false);
      if (typeof cond.value === "boolean") {
        base = evaluate(env, cond.value ? a : b, direct);
        break;
      }
      if (!isIntrinsic(cond.value)) return unknown(env, whole);
      // A condition only known at plan: the value is one of the two branches, each read as written.
      base = conditional(
        textOf(env, whole),
        textOf(env, c),
        evaluate(env, a, false),
        evaluate(env, b, false),
        {
          offset: whole.start,
          length: whole.end - whole.start,
        },
      );
      break;
    }
    case "expression":
      base = evaluate(env, head, direct);
      break;
    default:
      return unknown(env, whole);
  }
  return rest.length === 0 ? base : postfix(env, base, rest, whole);
}

/** Whether every part of a value is known (no `Intrinsic` anywhere). */
export { fullyKnown };

export function isPlainObject(value: unknown): value is Obj {
  return isObj(value);
}
