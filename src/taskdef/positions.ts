/** Where raw paths and offsets of a document are: spans of a YAML raw tree, and lines found as far as asked. */

import type { Span } from "./locate-json.js";
import type { JsonPath } from "./model.js";
import { getProp, LineIndex, type RawNode } from "./raw.js";

/** The span of a path in a YAML raw tree (nearest existing ancestor). */
export function locateTree(root: RawNode, path: JsonPath): Span {
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

/** Spans of raw paths in a document's text. */
export interface Spans {
  locate(path: JsonPath): Span;
}

/** A YAML raw tree's spans (the tree holds every offset already). */
export class TreeSpans implements Spans {
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
export class LazyLines {
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
