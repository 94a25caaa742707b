/**
 * Node indexes of a start graph are container indexes as written. A view with a gap (an element chosen by a
 * condition, or spliced in from a module: model/branches.ts) reads its containers at their written places, so
 * its nodes are not numbered by position; the linear passes over them (startup.ts, outcomes.ts) index arrays by
 * node, so they run on the graph renumbered by position and answer in the written indexes.
 */

/**
 * The written index of each node by position, when the nodes are not numbered by position (the reading of a view
 * with a gap: an element chosen by a condition or spliced in, model/branches.ts); `undefined` when they are.
 */
export function sparseIndexes(nodes: readonly { readonly index: number }[]): number[] | undefined {
  for (let i = 0; i < nodes.length; i++) {
    if ((nodes[i] as { index: number }).index !== i) return nodes.map((n) => n.index);
  }
  return undefined;
}

/** The graph numbered by position (edges to a node it does not hold are left out), for the linear passes. */
export function densified<E extends { readonly from: number; readonly to: number }>(
  edges: readonly E[],
  written: readonly number[],
): { positionOf: ReadonlyMap<number, number>; edges: E[] } {
  const positionOf = new Map(written.map((index, position) => [index, position]));
  const dense: E[] = [];
  for (const e of edges) {
    const from = positionOf.get(e.from);
    const to = positionOf.get(e.to);
    if (from !== undefined && to !== undefined) dense.push({ ...e, from, to });
  }
  return { positionOf, edges: dense };
}
