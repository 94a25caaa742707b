/**
 * The JSON planner: one batch of edits as splices of the text, over a located scan rather than through a
 * general-purpose formatter. New entries go after the last existing one (that line gains a comma), in the file's
 * dominant indentation unit and line ending and in the style of their neighbours (colon spacing, item
 * indentation, one-line collections kept on one line).
 */
import { detectLayout } from "./edit-layout.js";
import { type Landed, type PlannedBatch, type Splice, type TextEdit, toJsonData } from "./edit-plan.js";
import { skipValue, skipWs, stringEnd } from "./locate-json.js";
import type { JsonPath } from "./model.js";

/** A direct child of a scanned collection: a property (with its key) or an array item. */
interface JChild {
  readonly key?: string;
  /** Where the entry starts: its key's quote for a property, the value for an item. */
  readonly entryStart: number;
  /** Just after the key's closing quote (properties). */
  readonly keyEnd: number;
  readonly start: number;
  readonly end: number;
}

/** A scanned node on the way to an edit, with its direct children. */
interface JNode {
  readonly type: "object" | "array" | "scalar";
  /** Where its entry starts in the parent (the key, for a property). */
  readonly entryStart: number;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  readonly parent: JNode | undefined;
  readonly children: JChild[];
}

interface Trie {
  readonly next: Map<string | number, Trie>;
}

function trieOf(paths: readonly JsonPath[]): Trie {
  const root: Trie = { next: new Map() };
  for (const path of paths) {
    let t = root;
    for (const seg of path) {
      let n = t.next.get(seg);
      if (n === undefined) {
        n = { next: new Map() };
        t.next.set(seg, n);
      }
      t = n;
    }
  }
  return root;
}

function pathKey(path: JsonPath): string {
  return path.map((seg) => (typeof seg === "number" ? `#${seg}` : `.${seg}`)).join("\u0000");
}

/**
 * One forward scan of valid JSON that reads only the collections on the way to the given paths: their direct
 * children are located, every other value is skipped without being built. Linear in the text, whatever the
 * number of paths. A key written twice resolves to its last occurrence, as in `JSON.parse`.
 */
function scanJson(text: string, paths: readonly JsonPath[]): Map<string, JNode> {
  const found = new Map<string, JNode>();
  const visit = (
    entryStart: number,
    start: number,
    trie: Trie,
    path: Array<string | number>,
    parent: JNode | undefined,
  ): void => {
    const c = text.charCodeAt(start);
    const children: JChild[] = [];
    let end: number;
    let type: JNode["type"];
    if (c === 123) {
      type = "object";
      let i = skipWs(text, start + 1);
      while (text.charCodeAt(i) === 34) {
        const keyEnd = stringEnd(text, i);
        const raw = text.slice(i + 1, keyEnd - 1);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
        const valueStart = skipWs(text, skipWs(text, keyEnd) + 1);
        const valueEnd = skipValue(text, valueStart);
        children.push({ key, entryStart: i, keyEnd, start: valueStart, end: valueEnd });
        i = skipWs(text, valueEnd);
        if (text.charCodeAt(i) !== 44) break;
        i = skipWs(text, i + 1);
      }
      end = i + 1;
    } else if (c === 91) {
      type = "array";
      let i = skipWs(text, start + 1);
      while (i < text.length && text.charCodeAt(i) !== 93) {
        const valueEnd = skipValue(text, i);
        children.push({ entryStart: i, keyEnd: i, start: i, end: valueEnd });
        i = skipWs(text, valueEnd);
        if (text.charCodeAt(i) !== 44) break;
        i = skipWs(text, i + 1);
      }
      end = i + 1;
    } else {
      type = "scalar";
      end = skipValue(text, start);
    }
    const node: JNode = { type, entryStart, start, end, depth: path.length, parent, children };
    found.set(pathKey(path), node);
    for (const [seg, sub] of trie.next) {
      let child: JChild | undefined;
      if (typeof seg === "number") {
        if (type === "array") child = children[seg];
      } else if (type === "object") {
        for (let k = children.length - 1; k >= 0; k--) {
          if (children[k]?.key === seg) {
            child = children[k];
            break;
          }
        }
      }
      if (child !== undefined) visit(child.entryStart, child.start, sub, [...path, seg], node);
    }
  };
  const root = skipWs(text, 0);
  if (root < text.length) visit(root, root, trieOf(paths), [], undefined);
  return found;
}

interface JsonStyle {
  readonly eol: string;
  /** One level of indentation: a tab, or the dominant number of spaces. */
  readonly unit: string;
}

/** How a one-line collection spaces itself: `{ "a": 1, "b": 2 }` or `{"a":1,"b":2}`. */
interface CompactStyle {
  readonly inner: boolean;
  readonly colon: string;
  readonly comma: string;
}

function compactJson(value: unknown, style: CompactStyle): string {
  if (Array.isArray(value)) return `[${value.map((v) => compactJson(v, style)).join(style.comma)}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}${style.colon}${compactJson(v, style)}`);
    if (entries.length === 0) return "{}";
    return style.inner ? `{ ${entries.join(style.comma)} }` : `{${entries.join(style.comma)}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A value over several lines, as `JSON.stringify(value, null, unit)` would write it, at `indent`. */
function expandedJson(value: unknown, indent: string, colon: string, style: JsonStyle): string {
  const inner = indent + style.unit;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => inner + expandedJson(v, inner, colon, style));
    return `[${style.eol}${items.join(`,${style.eol}`)}${style.eol}${indent}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const lines = entries.map(
      ([k, v]) => `${inner}${JSON.stringify(k)}${colon}${expandedJson(v, inner, colon, style)}`,
    );
    return `{${style.eol}${lines.join(`,${style.eol}`)}${style.eol}${indent}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The indentation of the line holding `offset`, and whether `offset` is the first thing on it. */
function lineIndent(text: string, offset: number): { ws: string; startsLine: boolean } {
  let i = offset;
  while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
  let j = i;
  while (j < offset && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
  let k = j;
  while (k < text.length && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
  return { ws: text.slice(i, k), startsLine: j === offset };
}

class JsonPlanner {
  readonly style: JsonStyle;

  constructor(readonly text: string) {
    const layout = detectLayout(text);
    this.style = { eol: layout.eol, unit: layout.tabs ? "\t" : " ".repeat(layout.indent) };
  }

  /**
   * Indentation on the file's own grid: its unit character only, a whole number of units (a stray tab line, or
   * a line off by a space, is not a model to copy).
   */
  private consistent(ws: string): boolean {
    const unitChar = this.style.unit.charAt(0);
    for (let i = 0; i < ws.length; i++) if (ws.charAt(i) !== unitChar) return false;
    return ws.length % this.style.unit.length === 0;
  }

  multiLine(node: JNode): boolean {
    for (let i = node.start; i < node.end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 10 || c === 13) return true;
      if (c === 34) i = stringEnd(this.text, i) - 1;
    }
    return false;
  }

  /** Indentation of the line where the node's entry starts, when it is a model to follow. */
  ownIndent(node: JNode): string {
    const own = lineIndent(this.text, node.entryStart);
    return this.consistent(own.ws) ? own.ws : this.style.unit.repeat(node.depth);
  }

  /**
   * Indentation for a new child: the last child's, which the new one follows directly, when it starts its line in
   * the file's own unit character; else what most children that start a line use; else one unit past the closing
   * bracket's line, or past the node's own line; else one unit per level of depth.
   */
  childIndent(node: JNode): string {
    const last = node.children[node.children.length - 1];
    if (last !== undefined) {
      const li = lineIndent(this.text, last.entryStart);
      if (li.startsLine && this.consistent(li.ws)) return li.ws;
    }
    const counts = new Map<string, number>();
    for (const ch of node.children) {
      const li = lineIndent(this.text, ch.entryStart);
      if (li.startsLine) counts.set(li.ws, (counts.get(li.ws) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestCount = 0;
    for (const [ws, n] of counts) {
      if (n > bestCount && this.consistent(ws)) {
        best = ws;
        bestCount = n;
      }
    }
    if (best !== undefined) return best;
    const close = lineIndent(this.text, node.end - 1);
    if (close.startsLine && this.consistent(close.ws)) return close.ws + this.style.unit;
    return this.ownIndent(node) + this.style.unit;
  }

  /** Colon spacing of the nearest object with properties (`": "` when none). */
  colon(node: JNode | undefined): string {
    for (let n = node; n !== undefined; n = n.parent) {
      const last = n.type === "object" ? n.children[n.children.length - 1] : undefined;
      if (last === undefined) continue;
      const between = this.text.slice(last.keyEnd, last.start);
      if (/^[ \t]*:[ \t]*$/.test(between)) return between;
    }
    return ": ";
  }

  compactStyle(node: JNode): CompactStyle {
    const own = this.text.slice(node.start, node.end);
    const colon = this.colon(node);
    const first = node.children[0];
    const second = node.children[1];
    let comma: string;
    if (first !== undefined && second !== undefined) {
      const between = this.text.slice(first.end, second.entryStart);
      comma = /^[ \t]*,[ \t]*$/.test(between) ? `,${between.slice(between.indexOf(",") + 1)}` : ", ";
    } else {
      comma = /^[[{]\s/.test(own) || colon.endsWith(" ") ? ", " : ",";
    }
    return { inner: /^\{\s/.test(own) || /\{\s+"/.test(own), colon, comma };
  }

  /** The text of one new entry of `node` (a property when `key` is given), at `indent`. */
  entry(
    node: JNode,
    key: string | undefined,
    value: unknown,
    indent: string,
    compact: CompactStyle | undefined,
  ) {
    const colon = compact?.colon ?? this.colon(node);
    const rendered =
      compact === undefined ? expandedJson(value, indent, colon, this.style) : compactJson(value, compact);
    return key === undefined ? rendered : `${JSON.stringify(key)}${colon}${rendered}`;
  }

  /** New entries after the last child (or inside an empty collection), in the node's own style. */
  insert(node: JNode, entries: ReadonlyArray<{ key?: string; value: unknown }>, order: number): Splice {
    const { eol } = this.style;
    const last = node.children[node.children.length - 1];
    const depth = node.depth;
    if (!this.multiLine(node)) {
      // A collection written on one line (`[]` included) stays on one line, spaced like its neighbours.
      const style = this.compactStyle(node);
      const texts = entries.map((e) => this.entry(node, e.key, e.value, "", style));
      if (last !== undefined) {
        return { at: last.end, remove: 0, insert: style.comma + texts.join(style.comma), depth, order };
      }
      const pad = node.type === "object" && style.inner ? " " : "";
      return { at: node.start + 1, remove: 0, insert: pad + texts.join(style.comma) + pad, depth, order };
    }
    const indent = this.childIndent(node);
    const texts = entries.map((e) => indent + this.entry(node, e.key, e.value, indent, undefined));
    if (last !== undefined) {
      // The last entry's line gains a comma; the new entries follow it, and the closing bracket stays as it was.
      return { at: last.end, remove: 0, insert: `,${eol}${texts.join(`,${eol}`)}`, depth, order };
    }
    return { at: node.start + 1, remove: 0, insert: eol + texts.join(`,${eol}`), depth, order };
  }

  replace(node: JNode, child: JChild, value: unknown, order: number): Splice {
    const data = toJsonData(value);
    let text: string;
    if (typeof data !== "object" || data === null) text = JSON.stringify(data ?? null);
    else if (!this.multiLine(node)) text = compactJson(data, this.compactStyle(node));
    else {
      const li = lineIndent(this.text, child.entryStart);
      const indent = li.startsLine && this.consistent(li.ws) ? li.ws : this.childIndent(node);
      text = expandedJson(data, indent, this.colon(node), this.style);
    }
    return { at: child.start, remove: child.end - child.start, insert: text, depth: node.depth + 1, order };
  }
}

export function planJson(text: string, edits: readonly TextEdit[]): PlannedBatch {
  // A BOM is not JSON; blank it out (same length, so offsets stay true).
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const parents = edits.map((e) => (e.op === "append" ? e.path : e.path.slice(0, -1)));
  const nodes = scanJson(source, parents);
  const planner = new JsonPlanner(source);
  const splices: Splice[] = [];
  const landed: Landed[] = [];
  const inserts = new Map<JNode, { order: number; entries: Array<{ key?: string; value: unknown }> }>();
  const queue = (node: JNode, key: string | undefined, value: unknown, order: number): number => {
    let group = inserts.get(node);
    if (group === undefined) {
      group = { order, entries: [] };
      inserts.set(node, group);
    }
    group.entries.push(key === undefined ? { value: toJsonData(value) } : { key, value: toJsonData(value) });
    // Items already appended to this array in the batch come first.
    return node.children.length + group.entries.length - 1;
  };
  edits.forEach((e, order) => {
    const parentPath = parents[order] as JsonPath;
    const node = nodes.get(pathKey(parentPath));
    if (node === undefined || node.type === "scalar") {
      throw new Error(`no object or array at ${JSON.stringify(parentPath)}`);
    }
    if (e.op === "append") {
      if (node.type !== "array") throw new Error(`not an array at ${JSON.stringify(parentPath)}`);
      const index = queue(node, undefined, e.value, order);
      landed.push({ path: [...parentPath, index], value: e.value });
      return;
    }
    const key = e.path[e.path.length - 1] as string | number;
    if (node.type === "array") {
      if (typeof key !== "number") throw new Error(`not an object at ${JSON.stringify(parentPath)}`);
      const child = node.children[key];
      if (child !== undefined) splices.push(planner.replace(node, child, e.value, order));
      else if (key === node.children.length + (inserts.get(node)?.entries.length ?? 0))
        queue(node, undefined, e.value, order);
      else throw new Error(`no item at ${JSON.stringify(e.path)}`);
      landed.push({ path: e.path, value: e.value });
      return;
    }
    if (typeof key !== "string") throw new Error(`not an array at ${JSON.stringify(parentPath)}`);
    let child: JChild | undefined;
    for (let k = node.children.length - 1; k >= 0 && child === undefined; k--) {
      if (node.children[k]?.key === key) child = node.children[k];
    }
    if (child !== undefined) splices.push(planner.replace(node, child, e.value, order));
    else if (inserts.get(node)?.entries.some((x) => x.key === key)) {
      throw new Error(`two edits set ${JSON.stringify(e.path)}`);
    } else queue(node, key, e.value, order);
    landed.push({ path: e.path, value: e.value });
  });
  for (const [node, group] of inserts) splices.push(planner.insert(node, group.entries, group.order));
  return { splices, landed };
}
