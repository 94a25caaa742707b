/**
 * Locating a path in JSON text that is already known to be valid (JSON.parse accepted it). A forward scan
 * that skips values without building them: `parseDocument` stays close to `JSON.parse` in cost, and only
 * the findings that are reported pay for a location.
 */
import type { JsonPath } from "./model.js";

const QUOTE = 34;
const BACKSLASH = 92;

export function skipWs(text: string, i: number): number {
  let j = i;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) j++;
    else return j;
  }
}

/** Index just after the string starting at `i` (a quote). */
export function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const k = text.indexOf('"', j);
    if (k < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(k - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return k + 1;
    j = k + 1;
  }
}

/** Quotes and brackets: the only characters that matter while skipping a nested value. */
const STRUCTURAL = /["[\]{}]/g;

/** Index just after the value starting at `i`. */
export function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i);
  if (c === 123 || c === 91) {
    // The regex engine finds the next structural character natively; `test` allocates nothing.
    let depth = 0;
    STRUCTURAL.lastIndex = i;
    while (STRUCTURAL.test(text)) {
      const at = STRUCTURAL.lastIndex - 1;
      const ch = text.charCodeAt(at);
      if (ch === QUOTE) {
        STRUCTURAL.lastIndex = stringEnd(text, at);
      } else if (ch === 123 || ch === 91) {
        depth++;
      } else if (--depth === 0) {
        return at + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length) {
    const ch = text.charCodeAt(j);
    if (ch === 44 || ch === 125 || ch === 93 || ch === 32 || ch === 10 || ch === 13 || ch === 9) break;
    j++;
  }
  return j;
}

export interface Span {
  /** Key offset for a property, value offset for an array item or the root. */
  readonly offset: number;
  readonly length: number;
  /** Where the value itself starts (after the key and colon for a property). */
  readonly valueOffset: number;
}

/** A direct child found so far: where its entry starts (the key, for a property), its value, and its end. */
interface Child {
  readonly entryStart: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** How far a collection has been read: its children so far, and where to go on reading. */
interface Progress {
  readonly array: boolean;
  readonly children: Child[];
  /** Property name → index in `children` of its latest occurrence so far. */
  readonly byKey: Map<string, number>;
  /** Offset of the next child, or -1 once the closing bracket was reached. */
  next: number;
}

/**
 * Locates paths in JSON text that is already known to be valid. Each collection on a path is read only as far as
 * a lookup needs, and what was read is kept: many lookups into one document (a rule's findings, `fix`'s notes on
 * 500 services of a template) cost about one pass over the text together, instead of one pass each.
 */
export class JsonLocator {
  private readonly progress = new Map<number, Progress>();
  private readonly root: number;

  /** `duplicates`: the text may repeat a key, so an object is read to its end before a key is resolved. */
  constructor(
    private readonly text: string,
    private readonly duplicates = false,
  ) {
    this.root = skipWs(text, 0);
  }

  /** The span of `path`, or of its nearest existing ancestor; a repeated key resolves to its last occurrence. */
  locate(path: JsonPath): Span {
    let pos = this.root;
    let start = pos;
    let end = -1;
    for (const seg of path) {
      const child = this.child(pos, seg);
      if (child === undefined) break;
      pos = child.valueStart;
      start = child.entryStart;
      end = child.valueEnd;
    }
    // The root (valid JSON) ends where the text's trailing whitespace begins: no need to skip it.
    if (end < 0) end = pos === this.root ? this.text.trimEnd().length : skipValue(this.text, pos);
    return { offset: start, length: end - start, valueOffset: pos };
  }

  private child(at: number, seg: string | number): Child | undefined {
    const text = this.text;
    let p = this.progress.get(at);
    if (p === undefined) {
      const c = text.charCodeAt(at);
      if (c !== 123 && c !== 91) return undefined;
      p = { array: c === 91, children: [], byKey: new Map(), next: skipWs(text, at + 1) };
      this.progress.set(at, p);
    }
    if (p.array !== (typeof seg === "number")) return undefined;
    if (typeof seg === "number") {
      while (p.children.length <= seg && p.next >= 0) this.readOne(p);
      return p.children[seg];
    }
    if (!this.duplicates) {
      // Without repeated keys the first occurrence is the last: stop reading as soon as it is found.
      while (!p.byKey.has(seg) && p.next >= 0) this.readOne(p);
    } else {
      while (p.next >= 0) this.readOne(p);
    }
    const index = p.byKey.get(seg);
    return index === undefined ? undefined : p.children[index];
  }

  private readOne(p: Progress): void {
    const text = this.text;
    const i = p.next;
    const c = text.charCodeAt(i);
    if ((p.array && c === 93) || (!p.array && c !== QUOTE) || i >= text.length) {
      p.next = -1;
      return;
    }
    let valueStart = i;
    if (!p.array) {
      const keyEnd = stringEnd(text, i);
      const raw = text.slice(i + 1, keyEnd - 1);
      const key = raw.includes("\\") ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
      valueStart = skipWs(text, skipWs(text, keyEnd) + 1);
      p.byKey.set(key, p.children.length);
    }
    const valueEnd = skipValue(text, valueStart);
    p.children.push({ entryStart: i, valueStart, valueEnd });
    const after = skipWs(text, valueEnd);
    p.next = text.charCodeAt(after) === 44 ? skipWs(text, after + 1) : -1;
  }
}

/**
 * One lookup, reading nothing it does not need and keeping nothing (see `JsonLocator` for many): the span of
 * `path`, or of its nearest existing ancestor. A key written twice resolves to its last occurrence,
 * as in `JSON.parse`; `duplicates` says the text may have such keys, so every object on the way is read to its
 * end (without it, the first match is the only one and the scan stops there).
 */
export function locateJson(text: string, path: JsonPath, duplicates = false): Span {
  let pos = skipWs(text, 0);
  let start = pos;
  for (const seg of path) {
    const c = text.charCodeAt(pos);
    let foundStart = -1;
    let foundValue = -1;
    if (c === 123 && typeof seg === "string") {
      let i = skipWs(text, pos + 1);
      while (text.charCodeAt(i) === QUOTE) {
        const keyEnd = stringEnd(text, i);
        const raw = text.slice(i + 1, keyEnd - 1);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
        const valueStart = skipWs(text, skipWs(text, keyEnd) + 1);
        if (key === seg) {
          foundStart = i;
          foundValue = valueStart;
          if (!duplicates) break;
        }
        i = skipWs(text, skipValue(text, valueStart));
        if (text.charCodeAt(i) !== 44) break;
        i = skipWs(text, i + 1);
      }
    } else if (c === 91 && typeof seg === "number") {
      let i = skipWs(text, pos + 1);
      let index = 0;
      while (i < text.length && text.charCodeAt(i) !== 93) {
        if (index === seg) {
          foundStart = i;
          foundValue = i;
          break;
        }
        index++;
        i = skipWs(text, skipValue(text, i));
        if (text.charCodeAt(i) !== 44) break;
        i = skipWs(text, i + 1);
      }
    }
    if (foundStart < 0) break;
    pos = foundValue;
    start = foundStart;
  }
  // The root (valid JSON) ends where the text's trailing whitespace begins: no need to skip it.
  const end = pos === skipWs(text, 0) ? text.trimEnd().length : skipValue(text, pos);
  return { offset: start, length: end - start, valueOffset: pos };
}
