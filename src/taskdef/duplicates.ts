/**
 * Duplicate keys in JSON. `JSON.parse` keeps the last of them silently, and so does the AWS CLI (Python's `json`
 * module builds a dict, and a later key overwrites an earlier one), so the last one is what ECS receives and what
 * our view, `locate` and the editor use. A duplicate is still worth a finding: the earlier value looks meaningful
 * to whoever reads the file, and tools that keep the first (or refuse the file) disagree.
 *
 * Finding them must not cost every load a second full scan, so it comes in two steps: a census compares how many
 * key separators the text has with how many keys survived into the parsed data (`census`), and only when they
 * differ does the precise scan (`findDuplicateKeys`) run.
 */

import { stringEnd } from "./locate-json.js";
import type { JsonPath } from "./model.js";

export interface Census {
  /** Some keys of the text did not survive parsing (or the count cannot tell): run `findDuplicateKeys`. */
  readonly mayHaveDuplicates: boolean;
  /** Nesting depth of the parsed data (the root collection is 1, a scalar root 0). */
  readonly depth: number;
  /** Whether the walk stopped early because `depth` went past the limit it was given. */
  readonly tooDeep: boolean;
}

function colonsIn(s: string): number {
  let n = 0;
  for (let i = s.indexOf(":"); i >= 0; i = s.indexOf(":", i + 1)) n++;
  return n;
}

/**
 * Every key in the text is followed by one `:`; every other `:` sits inside a string. So the text's colons equal
 * the parsed data's keys plus the colons inside its strings, unless a duplicate key was dropped (taking its `:`
 * and those in its value with it). An escaped colon (`\u003a`) would blur the count, so its presence alone sends
 * the caller to the precise scan. The walk goes level by level (no recursion), and measures depth on the way.
 */
export function census(text: string, data: unknown, depthLimit: number): Census {
  const textColons = colonsIn(text);
  let dataColons = 0;
  let depth = 0;
  // Level by level: the depth is the number of levels, with no bookkeeping per value.
  let level: unknown[] = typeof data === "object" && data !== null ? [data] : [];
  if (typeof data === "string") dataColons += colonsIn(data);
  while (level.length > 0) {
    if (++depth > depthLimit) return { mayHaveDuplicates: false, depth, tooDeep: true };
    const next: unknown[] = [];
    for (const value of level) {
      if (Array.isArray(value)) {
        for (const item of value) {
          if (typeof item === "object") {
            if (item !== null) next.push(item);
          } else if (typeof item === "string" && item.includes(":")) {
            dataColons += colonsIn(item);
          }
        }
      } else {
        const obj = value as Record<string, unknown>;
        for (const key in obj) {
          dataColons++;
          if (key.includes(":")) dataColons += colonsIn(key);
          const item = obj[key];
          if (typeof item === "object") {
            if (item !== null) next.push(item);
          } else if (typeof item === "string" && item.includes(":")) {
            dataColons += colonsIn(item);
          }
        }
      }
    }
    level = next;
  }
  const blurred = text.includes("\\u003a") || text.includes("\\u003A");
  return { mayHaveDuplicates: blurred || textColons !== dataColons, depth, tooDeep: false };
}

/** One key written more than once in the same object. */
export interface DuplicateKey {
  /** Raw path of the property that counts (its last occurrence). */
  readonly path: JsonPath;
  /** Offsets of the key's quote at each occurrence, in text order; the last one counts. */
  readonly offsets: readonly number[];
}

const QUOTE = 34;

interface ObjectFrame {
  readonly kind: "object";
  readonly seen: Map<string, number[]>;
  /** The key whose value is being read. */
  key: string | undefined;
}
interface ArrayFrame {
  readonly kind: "array";
  index: number;
}

/**
 * Every duplicate key of a JSON text that `JSON.parse` accepted, in text order of their objects. Iterative: the
 * depth limit was checked before, but this scan would not need it.
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const stack: Array<ObjectFrame | ArrayFrame> = [];
  /** Path segment of each open frame in its parent. */
  const path: Array<string | number> = [];
  const report = (frame: ObjectFrame) => {
    const prefix = path.slice(1);
    for (const [key, offsets] of frame.seen) {
      if (offsets.length > 1) out.push({ path: [...prefix, key], offsets });
    }
  };
  /** A value starts: note where it sits in its parent. */
  const valueStarts = (): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) path.push("");
    else if (top.kind === "array") path.push(top.index);
    else path.push(top.key ?? "");
  };
  const valueEnds = (): void => {
    path.pop();
    const top = stack[stack.length - 1];
    if (top?.kind === "array") top.index++;
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      // A string in an object where a key is expected is a key; its value follows the colon.
      if (top?.kind === "object" && top.key === undefined) {
        const raw = text.slice(i + 1, end - 1);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end)) as string) : raw;
        const offsets = top.seen.get(key);
        if (offsets === undefined) top.seen.set(key, [i]);
        else offsets.push(i);
        top.key = key;
      } else if (top?.kind === "array") {
        top.index++;
      } else if (top?.kind === "object") {
        top.key = undefined;
      }
      i = end - 1;
    } else if (c === 123 || c === 91) {
      valueStarts();
      stack.push(
        c === 123 ? { kind: "object", seen: new Map(), key: undefined } : { kind: "array", index: 0 },
      );
    } else if (c === 125 || c === 93) {
      const frame = stack.pop();
      if (frame?.kind === "object") report(frame);
      valueEnds();
      const top = stack[stack.length - 1];
      if (top?.kind === "object") top.key = undefined;
    } else if (c === 44) {
      // A comma after a scalar value in an object ends that property.
      const top = stack[stack.length - 1];
      if (top?.kind === "object") top.key = undefined;
    } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 58 && c !== 0xfeff) {
      // A number, true, false or null: skip to its end; in an array it is one item.
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
        j++;
      }
      const top = stack[stack.length - 1];
      if (top?.kind === "array") top.index++;
      i = j - 1;
    }
  }
  return out.sort((a, b) => (a.offsets[0] as number) - (b.offsets[0] as number));
}
