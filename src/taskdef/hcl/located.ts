/**
 * Values read from Terraform with where they were written. An `LNode` is one value of the typed view (plain
 * data, with `Intrinsic` markers for what is unknown until `terraform apply`) and its span in the document,
 * plus, where the value is written literally in place, the syntax an edit can go into.
 */
import type { Choice, JsonPath } from "../model.js";
import { intrinsic } from "../values.js";
import type { Syn } from "./parser.js";

export interface LNode {
  /** Plain data; unknown parts are `Intrinsic` markers (`fn: "terraform"`, argument: the expression's text). */
  readonly value: unknown;
  /** Span reported for the value (for an object member, set by `member`: from its key). */
  readonly offset: number;
  readonly length: number;
  /** Where the value itself starts (after `key =` for a member). */
  readonly valueOffset: number;
  readonly props?: ReadonlyMap<string, LNode>;
  readonly items?: readonly LNode[];
  /**
   * The literal `object` / `tuple` syntax (or, for scalars, the `expression`) written at this very place,
   * when an edit can change this value and nothing else. Absent for values reached through a local, a for
   * expression, a function or another file.
   */
  readonly syn?: Syn;
  /** For an object built by `merge(…, { … })`: the literal last argument, where new keys take effect. */
  readonly insertInto?: LNode;
  /** Why the value cannot be edited in place (shown in fix's refusal). */
  readonly fixed?: string;
  /** For a conditional whose condition is only known at plan: its two branches, located. */
  readonly branches?: { readonly condition: string; readonly whenTrue: LNode; readonly whenFalse: LNode };
}

/** The unknown marker for an HCL expression: rules read it as "unknown at lint time". */
export function unknownValue(text: string): ReturnType<typeof intrinsic> {
  return intrinsic("terraform", text);
}

export function leaf(value: unknown, offset: number, length: number, extra: Partial<LNode> = {}): LNode {
  return { value, offset, length, valueOffset: offset, ...extra };
}

/** The value as a member of an object: its location starts at the key, as JSON properties do. */
export function member(node: LNode, keyOffset: number): LNode {
  const end = node.offset + node.length;
  return { ...node, offset: keyOffset, length: Math.max(0, end - keyOffset), valueOffset: node.valueOffset };
}

/** The same value with every edit handle removed, and the reason. */
export function frozen(node: LNode, reason: string): LNode {
  if (node.syn === undefined && node.insertInto === undefined && node.fixed !== undefined) return node;
  const props = node.props === undefined ? undefined : mapValues(node.props, (n) => frozen(n, reason));
  const items = node.items?.map((n) => frozen(n, reason));
  const { syn: _s, insertInto: _i, ...rest } = node;
  return {
    ...rest,
    ...(props === undefined ? {} : { props }),
    ...(items === undefined ? {} : { items }),
    fixed: node.fixed ?? reason,
  };
}

function mapValues<K, V>(map: ReadonlyMap<K, V>, f: (v: V) => V): Map<K, V> {
  const out = new Map<K, V>();
  for (const [k, v] of map) out.set(k, f(v));
  return out;
}

/** Every node along `path` from `root` (the root first); stops where the path leaves the tree. */
export function walk(root: LNode, path: JsonPath): LNode[] {
  const out = [root];
  let node: LNode | undefined = root;
  for (const seg of path) {
    node = typeof seg === "number" ? node?.items?.[seg] : node?.props?.get(seg);
    if (node === undefined) break;
    out.push(node);
  }
  return out;
}

/** The marker for "no element here in this branch" (CloudFormation's own word for it, which the model reads). */
const NO_ELEMENT = intrinsic("Ref", "AWS::NoValue");

/**
 * `cond ? a : b` with `cond` only known at plan: unknown as a whole (written back as its text), with the
 * choice between the branches for the model to read per branch.
 */
export function conditional(
  text: string,
  condition: string,
  whenTrue: LNode,
  whenFalse: LNode,
  span: { readonly offset: number; readonly length: number },
): LNode {
  const choice: Choice = {
    kind: "terraform",
    condition,
    whenTrue: whenTrue.value,
    whenFalse: whenFalse.value,
  };
  return leaf({ ...unknownValue(text), choice }, span.offset, span.length, {
    branches: { condition, whenTrue, whenFalse },
    fixed: `it is chosen by the conditional on ${condition}`,
  });
}

/**
 * A conditional list spliced into `concat`, element by element: element i is the i-th of either branch, or no
 * element in a branch that has fewer (`var.on ? [a, b] : []` → `a` and `b`, each only when `var.on` is true).
 * `undefined` when a branch is not a known list.
 */
export function zipChoice(node: LNode): LNode[] | undefined {
  const b = node.branches;
  const t = b?.whenTrue.items;
  const f = b?.whenFalse.items;
  if (b === undefined || t === undefined || f === undefined) return undefined;
  const out: LNode[] = [];
  for (let i = 0; i < Math.max(t.length, f.length); i++) {
    const whenTrue = t[i];
    const whenFalse = f[i];
    const at = whenTrue ?? whenFalse ?? node;
    const choice: Choice = {
      kind: "terraform",
      condition: b.condition,
      whenTrue: whenTrue?.value ?? NO_ELEMENT,
      whenFalse: whenFalse?.value ?? NO_ELEMENT,
    };
    out.push(
      leaf({ ...intrinsic("terraform", b.condition), choice }, at.offset, at.length, {
        fixed: `it is chosen by the conditional on ${b.condition}`,
      }),
    );
  }
  return out;
}

/** An unknown list spliced into `concat` (`module.app.containers`): one element standing for all it adds. */
export function spliced(text: string, offset: number, length: number): LNode {
  return leaf(unknownValue(text), offset, length, { fixed: `its elements come from ${text}` });
}
