/**
 * What a scenario file may ask of the YAML reader, checked before anything big is built. A scenario is a
 * few dozen settings; these limits are far above any real one and far below what hurts:
 * - aliases: nine levels of nine aliases ("billion laughs", 431 bytes) expand to 9^9 nodes. We count the
 *   nodes the document has once its aliases are expanded, and stop counting at the budget, so the check
 *   itself costs at most the budget.
 * - nesting: the yaml library parses flow collections (`[[[…`) recursively; at a few thousand levels it
 *   reports a stack overflow, at ten thousand the process dies of memory. Flow nesting is counted on the
 *   text before parsing; block nesting on the parsed tree.
 * - size: a bound on all the above.
 */
import type { Document, Node } from "yaml";
import { yamlLib } from "../yaml-lib.js";

export const SCENARIO_LIMITS = {
  /** Characters in a scenario file. */
  maxChars: 1 << 20,
  /** Collections inside collections, block or flow. */
  maxDepth: 64,
  /** Nodes (scalars, maps, sequences, keys) once every alias is expanded. */
  maxExpandedNodes: 10_000,
} as const;

interface YamlLimitProblem {
  /** Offset in the text of what crossed the limit. */
  readonly offset: number;
  readonly message: string;
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** The first `[` or `{` nested deeper than the limit (quoted scalars and comments skipped). */
export function flowNestingProblem(text: string): YamlLimitProblem | undefined {
  let depth = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== "") {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = "";
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#" && (i === 0 || /\s/.test(text[i - 1] ?? ""))) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (ch === "[" || ch === "{") {
      depth++;
      if (depth > SCENARIO_LIMITS.maxDepth)
        return { offset: i, message: `YAML nested more than ${SCENARIO_LIMITS.maxDepth} levels deep` };
    } else if ((ch === "]" || ch === "}") && depth > 0) depth--;
  }
  return undefined;
}

type Visit = { readonly node: unknown; readonly depth: number; readonly via: Node | null };

const startOf = (node: unknown): number => {
  const range = (node as { range?: readonly number[] } | null)?.range;
  return range?.[0] ?? 0;
};

/** The children of a collection node, or of a pair, in document order. */
function childrenOf(node: unknown): unknown[] {
  const { isMap, isPair, isSeq } = yamlLib();
  if (isMap(node) || isSeq(node)) return node.items as unknown[];
  if (isPair(node)) return [node.key, node.value];
  return [];
}

/**
 * Where anchors point: each alias resolves to the last node with its anchor that starts before it (YAML
 * 1.2 §3.2.2.2, as the yaml library's `Alias.resolve` does), found in one pass instead of one per alias.
 * Also the first collection nested deeper than the limit.
 */
function resolveAnchors(root: unknown): { targets: Map<Node, unknown>; tooDeep?: YamlLimitProblem } {
  const { isAlias, isMap, isScalar, isSeq } = yamlLib();
  const anchors = new Map<string, unknown>();
  const targets = new Map<Node, unknown>();
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined && (isScalar(node) || isMap(node) || isSeq(node))) anchors.set(anchor, node);
    const inner = isMap(node) || isSeq(node) ? depth + 1 : depth;
    if (inner > SCENARIO_LIMITS.maxDepth) {
      const message = `YAML nested more than ${SCENARIO_LIMITS.maxDepth} levels deep`;
      return { targets, tooDeep: { offset: startOf(node), message } };
    }
    const children = childrenOf(node);
    // Reversed onto the stack, so they are visited in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: inner });
  }
  return { targets };
}

/**
 * Counts the nodes of the document with its aliases expanded, up to the budget; past it, the problem is
 * located at the outermost alias being expanded (the line a reader can change).
 */
export function aliasExpansionProblem(doc: Document): YamlLimitProblem | undefined {
  const { isAlias, isMap, isPair, isSeq } = yamlLib();
  const { targets, tooDeep } = resolveAnchors(doc.contents);
  if (tooDeep) return tooDeep;
  if (targets.size === 0) return undefined;
  const budget = SCENARIO_LIMITS.maxExpandedNodes;
  let count = 0;
  const stack: Visit[] = [{ node: doc.contents, depth: 0, via: null }];
  while (stack.length > 0) {
    const { node, depth, via } = stack.pop() as Visit;
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      stack.push({ node: targets.get(node), depth, via: via ?? node });
      continue;
    }
    if (!isPair(node)) count++;
    if (count > budget) {
      const where = via ?? (node as Node);
      const name = isAlias(where) ? `alias *${where.source}` : "the document";
      return {
        offset: startOf(where),
        message: `${name} expands to more than ${fmt(budget)} YAML nodes (the limit for a scenario file)`,
      };
    }
    const inner = isMap(node) || isSeq(node) ? depth + 1 : depth;
    if (inner > SCENARIO_LIMITS.maxDepth) {
      const message = `YAML nested more than ${SCENARIO_LIMITS.maxDepth} levels deep once aliases are expanded`;
      return { offset: startOf(via ?? node), message };
    }
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: inner, via });
  }
  return undefined;
}
