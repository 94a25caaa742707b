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

/**
 * Everything up to the next bracket outside a string, strings included, in one native match: skipping a nested
 * value then returns to JavaScript once per bracket instead of once per string.
 */
const RUN = /(?:[^"{}[\]]+|"(?:[^"\\]+|\\.)*")*/y;

/** Index just after the value starting at `i`. */
export function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i);
  if (c === 123 || c === 91) {
    try {
      return skipNested(text, i);
    } catch {
      // The regex engine's backtrack stack runs out on a run of millions of strings or escapes: go char by char.
      return skipNestedSlowly(text, i);
    }
  }
  let j = i;
  while (j < text.length) {
    const ch = text.charCodeAt(j);
    if (ch === 44 || ch === 125 || ch === 93 || ch === 32 || ch === 10 || ch === 13 || ch === 9) break;
    j++;
  }
  return j;
}

/** Just after the bracket that closes the one at `i`. */
function skipNested(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const ch = text.charCodeAt(j);
    if (ch === 123 || ch === 91) depth++;
    else if (--depth === 0) return j + 1;
    RUN.lastIndex = j + 1;
    RUN.test(text);
    j = RUN.lastIndex;
  }
  return text.length;
}

function skipNestedSlowly(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const ch = text.charCodeAt(j);
    if (ch === QUOTE) {
      j = stringEnd(text, j);
      continue;
    }
    if (ch === 123 || ch === 91) depth++;
    else if ((ch === 125 || ch === 93) && --depth === 0) return j + 1;
    j++;
  }
  return text.length;
}

/** How deep `BALANCED` matches: task definitions nest about six levels (task, containers, container, logConfiguration, options). */
export const BALANCED_DEPTH = 12;

/**
 * A whole nested value in one native match, for texts known (from the parsed data) to nest at most
 * `BALANCED_DEPTH` levels: the regex then never fails on valid JSON, so it never backtracks. Deeper texts, and
 * the regex engine running out of backtrack stack, take `skipValue`.
 */
const BALANCED = ((): RegExp => {
  const plain = '[^"{}[\\]]+';
  const string = '"(?:[^"\\\\]+|\\\\.)*"';
  let inner = `(?:${plain}|${string})*`;
  for (let level = 1; level < BALANCED_DEPTH; level++) inner = `(?:${plain}|${string}|[{[]${inner}[}\\]])*`;
  return new RegExp(`[{[]${inner}[}\\]]`, "y");
})();

/** `skipValue` for a text that nests at most `BALANCED_DEPTH` levels. */
export function skipShallowValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c !== 123 && c !== 91) return skipValue(text, i);
  try {
    BALANCED.lastIndex = i;
    if (BALANCED.test(text)) return BALANCED.lastIndex;
  } catch {
    // Out of backtrack stack (millions of strings in one value): the bracket-by-bracket skip below.
  }
  return skipValue(text, i);
}

export interface Span {
  /** Key offset for a property, value offset for an array item or the root. */
  readonly offset: number;
  readonly length: number;
  /** Where the value itself starts (after the key and colon for a property). */
  readonly valueOffset: number;
}

/**
 * How far a collection has been read: its children so far (parallel arrays, so reading a child allocates
 * nothing but its key), and whether the closing bracket was reached. A child's end is found only when something
 * needs it (the next sibling, or the span of a lookup that ends there): a lookup that goes on into a child never
 * skips over that child's value.
 */
interface Progress {
  /** Offset of the opening bracket. */
  readonly open: number;
  readonly array: boolean;
  /** Property names in text order (objects only). */
  readonly keys: string[];
  /** Where each child's entry starts: its key for a property, its value for an item. */
  readonly entries: number[];
  readonly values: number[];
  /** Where each child's value ends; -1 until it was skipped. */
  readonly ends: number[];
  done: boolean;
}

/**
 * Locates paths in JSON text that is already known to be valid. Each collection on a path is read only as far as
 * a lookup needs, and what was read is kept: many lookups into one document (a rule's findings, `fix`'s notes on
 * 500 services of a template) cost about one pass over the text together, instead of one pass each.
 */
export class JsonLocator {
  private readonly progress = new Map<number, Progress>();
  private readonly root: number;

  private readonly skip: (text: string, i: number) => number;

  /**
   * `duplicates`: the text may repeat a key, so an object is read to its end before a key is resolved. `depth`:
   * how deep the text nests, when the caller knows (the parsed data tells), for the faster skip of shallow texts.
   */
  constructor(
    private readonly text: string,
    private readonly duplicates = false,
    depth = Number.POSITIVE_INFINITY,
  ) {
    this.root = skipWs(text, 0);
    this.skip = depth <= BALANCED_DEPTH ? skipShallowValue : skipValue;
  }

  /** The span of `path`, or of its nearest existing ancestor; a repeated key resolves to its last occurrence. */
  locate(path: JsonPath): Span {
    let pos = this.root;
    let start = pos;
    let parent: Progress | undefined;
    let index = -1;
    for (const seg of path) {
      const p = this.collection(pos);
      const i = p === undefined ? -1 : this.child(p, seg);
      if (p === undefined || i < 0) break;
      parent = p;
      index = i;
      pos = p.values[i] as number;
      start = p.entries[i] as number;
    }
    // The root (valid JSON) ends where the text's trailing whitespace begins: no need to skip it.
    const end = parent === undefined ? this.text.trimEnd().length : this.endOf(parent, index);
    return { offset: start, length: end - start, valueOffset: pos };
  }

  private endOf(p: Progress, i: number): number {
    let end = p.ends[i] as number;
    if (end < 0) {
      end = this.skip(this.text, p.values[i] as number);
      p.ends[i] = end;
    }
    return end;
  }

  private collection(at: number): Progress | undefined {
    let p = this.progress.get(at);
    if (p === undefined) {
      const c = this.text.charCodeAt(at);
      if (c !== 123 && c !== 91) return undefined;
      p = { open: at, array: c === 91, keys: [], entries: [], values: [], ends: [], done: false };
      this.progress.set(at, p);
      this.readOne(p);
    }
    return p;
  }

  /** Index of the child `seg` of `p`, reading on as far as needed; -1 when there is none. */
  private child(p: Progress, seg: string | number): number {
    if (p.array !== (typeof seg === "number")) return -1;
    if (typeof seg === "number") {
      while (p.entries.length <= seg && !p.done) this.readOne(p);
      return seg < p.entries.length ? seg : -1;
    }
    const keys = p.keys;
    if (!this.duplicates) {
      // Without repeated keys the first occurrence is the last: stop reading as soon as it is found.
      const known = keys.indexOf(seg);
      if (known >= 0) return known;
      while (!p.done) {
        this.readOne(p);
        if (keys[keys.length - 1] === seg && !p.done) return keys.length - 1;
      }
      return keys.lastIndexOf(seg);
    }
    while (!p.done) this.readOne(p);
    return keys.lastIndexOf(seg);
  }

  /** Reads the next child of `p`, or finds its closing bracket. */
  private readOne(p: Progress): void {
    const text = this.text;
    const count = p.entries.length;
    let i: number;
    if (count === 0) {
      i = skipWs(text, p.open + 1);
    } else {
      const after = skipWs(text, this.endOf(p, count - 1));
      if (text.charCodeAt(after) !== 44) {
        p.done = true;
        return;
      }
      i = skipWs(text, after + 1);
    }
    const c = text.charCodeAt(i);
    if ((p.array && c === 93) || (!p.array && c !== QUOTE) || i >= text.length) {
      p.done = true;
      return;
    }
    let valueStart = i;
    if (!p.array) {
      const keyEnd = stringEnd(text, i);
      const raw = text.slice(i + 1, keyEnd - 1);
      p.keys.push(raw.includes("\\") ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw);
      valueStart = skipWs(text, skipWs(text, keyEnd) + 1);
    }
    p.entries.push(i);
    p.values.push(valueStart);
    p.ends.push(-1);
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
