/**
 * Minimal, lossless text edits addressed by raw path, applied in batches. The edits queued since the last read of
 * `text` are resolved against one reading of the text, turned into splices (insertions and replacements at
 * offsets of that text), and applied in one pass; nothing outside a splice changes, byte for byte.
 *
 * JSON is written here over a located scan rather than through a general-purpose formatter: new entries go after
 * the last existing one (that line gains a comma), in the file's dominant indentation unit and line ending and in
 * the style of their neighbours (colon spacing, item indentation, one-line collections kept on one line). YAML
 * fragments are rendered by `yaml` and spliced in by hand, because re-stringifying a whole `yaml` Document would
 * re-flow flow collections and blank lines the user never touched.
 */
import type { YAMLMap, YAMLSeq, Node as YamlNode, Pair as YamlPair } from "yaml";
import { yamlLib } from "../yaml-lib.js";
import { pascalize } from "./casing.js";
import { isTemplateFormat, isYamlFormat, parseDocument, parseDocumentData } from "./document.js";
import { editTerraform } from "./hcl/edit.js";
import { skipValue, skipWs, stringEnd } from "./locate-json.js";
import type { DocumentFormat, JsonPath, TaskDefinitionDocument } from "./model.js";
import { isIntrinsic } from "./values.js";

/** A camelCase (API-shaped) value in the document's own casing: PascalCase in templates, user maps kept. */
export function inDocumentCasing(format: DocumentFormat, value: unknown): unknown {
  return isTemplateFormat(format) ? pascalize(value) : value;
}

/** Intrinsic markers to their long JSON form, recursively. */
export function toJsonData(value: unknown): unknown {
  if (isIntrinsic(value)) return { [value.fn]: toJsonData(value.argument) };
  if (Array.isArray(value)) return value.map(toJsonData);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonData(v);
    return out;
  }
  return value;
}

/** One edit: `set` a property or array element (inserted when new), or `append` to the array at `path`. */
export interface TextEdit {
  readonly op: "set" | "append";
  /** Raw path, keys as spelled in the file. */
  readonly path: JsonPath;
  /** Raw value (use `inDocumentCasing` for API-shaped values); may hold intrinsic markers. */
  readonly value: unknown;
}

/** A change to the text the batch was planned on. */
interface Splice {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
  /** Nesting depth of the collection changed: at one offset, the deeper insertion comes first. */
  readonly depth: number;
  /** Position in the batch: at one offset and depth, plan order. */
  readonly order: number;
  /** Insertions into one empty flow collection: each after the first is joined with ", ". */
  readonly joinGroup?: number;
}

/** Where an edit's value ended up, for the check after re-reading. */
interface Landed {
  readonly path: JsonPath;
  readonly value: unknown;
}

/**
 * Applies edits to a document's text. Paths and values are raw (as spelled in the file: use `doc.rawPath` and
 * `inDocumentCasing`). Edits are queued and applied together, from one reading of the text, when `text` or
 * `document()` is read; a later batch sees the text the earlier one left. An edit the text cannot take (missing
 * parent, wrong node type, two edits of one node) throws a plain `Error`: that is a bug in the caller.
 */
export class DocumentEditor {
  private current: string;
  private pending: TextEdit[] = [];
  private landed: Landed[] = [];
  readonly file: string;
  private readonly json: boolean;
  private readonly terraform: boolean;

  constructor(doc: TaskDefinitionDocument) {
    this.current = doc.text;
    this.file = doc.file;
    this.json = !isYamlFormat(doc.format);
    this.terraform = doc.format === "terraform-hcl";
    // A plan is Terraform's output and `.tf.json` keeps definitions in strings: neither is edited here.
    if (doc.format === "terraform-plan" || doc.format === "terraform-json") {
      throw new Error(`${doc.file}: ${doc.format} documents are read, not edited`);
    }
  }

  get text(): string {
    this.flush();
    return this.current;
  }

  /** Whether any edit changed the text. */
  changed(original: string): boolean {
    return this.text !== original;
  }

  /** Set a property (inserted after the object's last one when new) or replace an array element. */
  set(path: JsonPath, value: unknown): this {
    if (path.length === 0) throw new Error("cannot replace the whole document");
    this.pending.push({ op: "set", path, value });
    return this;
  }

  /** Append an item to the array at `path`. */
  append(path: JsonPath, value: unknown): this {
    this.pending.push({ op: "append", path, value });
    return this;
  }

  /** Queue several edits, in order. */
  apply(edits: readonly TextEdit[]): this {
    for (const e of edits) {
      if (e.op === "set") this.set(e.path, e.value);
      else this.append(e.path, e.value);
    }
    return this;
  }

  /**
   * Re-read the edited text once and check that every edit landed: a `TaskDefError` means an edit produced an
   * invalid document, a plain `Error` that a value is not where it was written. Both are bugs in the editor.
   */
  document(): TaskDefinitionDocument {
    this.flush();
    if (this.terraform) return parseDocument(this.current, this.file, { maxBytes: Number.POSITIVE_INFINITY });
    // The input passed the size cap; what the edits added must not make its own output unreadable.
    const { doc, data } = parseDocumentData(this.current, this.file, { maxBytes: Number.POSITIVE_INFINITY });
    for (const l of this.landed) {
      const found = at(data, l.path);
      if (!found.exists || !sameData(found.value, toJsonData(l.value))) {
        throw new Error(
          `edit at ${JSON.stringify(l.path)} did not land: expected ${JSON.stringify(toJsonData(l.value))}, read ${found.exists ? JSON.stringify(found.value) : "nothing"}`,
        );
      }
    }
    return doc;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const edits = this.pending;
    this.pending = [];
    if (this.terraform) {
      // The HCL editor maps one raw path at a time into the HCL tree; its edits are checked by the re-read.
      for (const e of edits) this.current = editTerraform(this.current, this.file, e.op, e.path, e.value);
      return;
    }
    const planned = this.json ? planJson(this.current, edits) : planYaml(this.current, edits);
    this.current = applySplices(this.current, planned.splices);
    // A later edit of the same node (or inside it) supersedes what an earlier batch wrote there. Within one batch
    // no two edits touch the same node (the splices would overlap), so only earlier batches need the check.
    const earlier = this.landed.filter(
      (old) => !planned.landed.some((l) => isPrefix(old.path, l.path) || isPrefix(l.path, old.path)),
    );
    this.landed = [...earlier, ...planned.landed];
  }
}

function isPrefix(a: JsonPath, b: JsonPath): boolean {
  return a.length <= b.length && a.every((seg, i) => seg === b[i]);
}

function at(data: unknown, path: JsonPath): { exists: boolean; value: unknown } {
  let node = data;
  for (const seg of path) {
    if (typeof seg === "number") {
      if (!Array.isArray(node) || seg >= node.length) return { exists: false, value: undefined };
      node = node[seg];
    } else {
      if (typeof node !== "object" || node === null || Array.isArray(node) || !Object.hasOwn(node, seg)) {
        return { exists: false, value: undefined };
      }
      node = (node as Record<string, unknown>)[seg];
    }
  }
  return { exists: true, value: node };
}

/** Deep equality of plain data, where a property set to `undefined` counts as absent (it is not written). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameData(v, b[i]));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return b === undefined ? a === null : false;
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** Check that no two splices touch the same text, then apply them all in one pass. */
function applySplices(text: string, splices: readonly Splice[]): string {
  const sorted = [...splices].sort((a, b) => a.at - b.at || b.depth - a.depth || a.order - b.order);
  let end = 0;
  for (const s of sorted) {
    if (s.at < end) {
      throw new Error(
        `two edits change the same text (at offset ${s.at}); edit a node or inside it, not both`,
      );
    }
    if (s.remove > 0) end = s.at + s.remove;
  }
  const parts: string[] = [];
  let pos = 0;
  let previous: Splice | undefined;
  for (const s of sorted) {
    parts.push(text.slice(pos, s.at));
    const joined =
      previous !== undefined &&
      s.joinGroup !== undefined &&
      previous.joinGroup === s.joinGroup &&
      previous.at === s.at;
    parts.push(joined ? `, ${s.insert}` : s.insert);
    pos = s.at + s.remove;
    previous = s;
  }
  parts.push(text.slice(pos));
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------------------
// Layout detection

export interface Layout {
  readonly eol: "\n" | "\r\n";
  readonly tabs: boolean;
  /** Spaces per level (1 with tabs). */
  readonly indent: number;
}

/** Lines looked at for the indentation: enough for a majority, and a 200 MB file costs no more than a small one. */
const LAYOUT_SAMPLE_LINES = 5000;

/**
 * The file's dominant line ending and indentation, by majority: one stray tab-indented line (or CRLF line) in a
 * file written otherwise does not decide for it. The space unit is the most common step between the indentation
 * of neighbouring lines.
 */
export function detectLayout(text: string): Layout {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
    if (text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  const eol = crlf > lf ? "\r\n" : "\n";
  let tabLines = 0;
  let spaceLines = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  let lineStart = 0;
  for (let n = 0; n < LAYOUT_SAMPLE_LINES && lineStart < text.length; n++) {
    let end = text.indexOf("\n", lineStart);
    if (end < 0) end = text.length;
    let i = lineStart;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const c = text.charCodeAt(i);
    const content = i < end && c !== 13 && c !== 35; // blank lines and YAML comments say nothing
    if (content) {
      if (text.charCodeAt(lineStart) === 9) tabLines++;
      else {
        const width = i - lineStart;
        if (width > 0) spaceLines++;
        const step = Math.abs(width - previous);
        if (step > 0 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
        previous = width;
      }
    }
    lineStart = end + 1;
  }
  const tabs = tabLines > spaceLines;
  let indent = 2;
  let best = 0;
  for (const [step, count] of steps) {
    if (count > best || (count === best && step < indent)) {
      indent = step;
      best = count;
    }
  }
  return { eol, tabs, indent: tabs ? 1 : indent };
}

// ---------------------------------------------------------------------------------------------------------
// JSON

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

function planJson(text: string, edits: readonly TextEdit[]): { splices: Splice[]; landed: Landed[] } {
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

// ---------------------------------------------------------------------------------------------------------
// YAML

interface YamlContext {
  readonly text: string;
  readonly layout: Layout;
  readonly indentSeq: boolean;
}

/**
 * Whether block sequences under a key are indented deeper than the key (`yaml`'s `indentSeq`), by majority of
 * the file's `key:` lines followed by a `- ` line.
 */
function detectIndentSeq(text: string): boolean {
  const lines = text.split(/\r?\n/, LAYOUT_SAMPLE_LINES);
  let deeper = 0;
  let level = 0;
  for (let i = 0; i < lines.length - 1; i++) {
    const key = /^(\s*)[^\s#-][^#]*:\s*(#.*)?$/.exec(lines[i] ?? "");
    if (key?.[1] === undefined) continue;
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j] ?? "";
      if (next.trim() === "" || next.trimStart().startsWith("#")) continue;
      const dash = /^(\s*)- /.exec(next);
      if (dash?.[1] !== undefined) {
        if (dash[1].length > key[1].length) deeper++;
        else level++;
      }
      break;
    }
  }
  return deeper >= level;
}

function find(root: YamlNode, path: JsonPath): YamlNode | undefined {
  const { isAlias, isMap, isSeq } = yamlLib();
  let node: YamlNode | undefined = root;
  for (const seg of path) {
    if (node === undefined || isAlias(node)) return undefined;
    if (typeof seg === "number") {
      node = isSeq(node) ? (node.items[seg] as YamlNode | undefined) : undefined;
    } else if (isMap(node)) {
      node = (findPair(node, seg)?.value ?? undefined) as YamlNode | undefined;
    } else {
      return undefined;
    }
  }
  return node;
}

function findPair(map: YAMLMap, key: string): YamlPair | undefined {
  const { isScalar } = yamlLib();
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i];
    if (pair !== undefined && isScalar(pair.key) && String(pair.key.value) === key) return pair as YamlPair;
  }
  return undefined;
}

function mustFind(root: YamlNode, path: JsonPath): YamlNode {
  const node = find(root, path);
  if (node === undefined) throw new Error(`no node at ${JSON.stringify(path)}`);
  return node;
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== "\n" && text[i - 1] !== "\r") i--;
  return i;
}

function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  return i;
}

/** Start of a node's text, including a tag such as `!Ref` written before it. */
function nodeStart(text: string, node: YamlNode): number {
  const start = node.range?.[0] ?? 0;
  const tag = node.tag;
  if (tag?.startsWith("!") && !tag.startsWith("!!")) {
    const at = text.lastIndexOf(tag, start);
    if (at >= 0) return at;
  }
  return start;
}

/** Offset just after a node's last content character (never a trailing comment or blank line). */
function contentEnd(text: string, node: YamlNode): number {
  const { isAlias, isMap, isSeq } = yamlLib();
  if (!isAlias(node)) {
    if (isMap(node) && !node.flow && node.items.length > 0) {
      const last = node.items[node.items.length - 1];
      const v = last?.value as YamlNode | null | undefined;
      const vr = v?.range;
      if (v !== null && v !== undefined && vr !== undefined && vr !== null && vr[1] > vr[0]) {
        return contentEnd(text, v);
      }
      const k = last?.key as YamlNode | null | undefined;
      const kr = k?.range;
      if (kr !== undefined && kr !== null) {
        // `Key:` with no value: the colon ends the content.
        let i = kr[1];
        while (i < text.length && text[i] !== ":" && text[i] !== "\n") i++;
        return text[i] === ":" ? i + 1 : kr[1];
      }
    }
    if (isSeq(node) && !node.flow && node.items.length > 0) {
      const last = node.items[node.items.length - 1] as YamlNode | null | undefined;
      if (last !== null && last !== undefined) return contentEnd(text, last);
    }
  }
  let end = node.range?.[1] ?? 0;
  while (end > 0 && /\s/.test(text[end - 1] ?? "")) end--;
  return end;
}

function shortTag(fn: string): string {
  return fn.startsWith("Fn::") ? `!${fn.slice(4)}` : `!${fn}`;
}

/** A plain value (with intrinsic markers or long-form intrinsic objects) as a `yaml` node, short tags for intrinsics. */
function toYamlNode(value: unknown, flow: boolean): YamlNode {
  const { Scalar, YAMLMap, YAMLSeq } = yamlLib();
  let fn: string | undefined;
  let argument: unknown;
  if (isIntrinsic(value)) {
    fn = value.fn;
    argument = value.argument;
  } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const only = keys[0];
    if (keys.length === 1 && only !== undefined && (only === "Ref" || only.startsWith("Fn::"))) {
      fn = only;
      argument = (value as Record<string, unknown>)[only];
    }
  }
  if (fn !== undefined) {
    const arg =
      fn === "Fn::GetAtt" &&
      Array.isArray(argument) &&
      argument.length === 2 &&
      argument.every((a) => typeof a === "string")
        ? argument.join(".")
        : argument;
    const node = toYamlNode(arg, true);
    node.tag = shortTag(fn);
    return node;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.flow = flow;
    for (const v of value) seq.items.push(toYamlNode(v, flow));
    return seq;
  }
  if (typeof value === "object" && value !== null) {
    const map = new YAMLMap();
    map.flow = flow;
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) map.items.push(yamlPair(k, toYamlNode(v, flow)));
    }
    return map;
  }
  const scalar = new Scalar(value === undefined ? null : value);
  // CloudFormation reads YAML 1.1 booleans (`on`, `yes`); quote them so a string stays a string.
  if (typeof value === "string" && YAML11_BOOLEAN.test(value)) scalar.type = "QUOTE_DOUBLE";
  return scalar;
}

function yamlPair(key: string, value: YamlNode): YamlPair {
  const { Pair, Scalar } = yamlLib();
  return new Pair(new Scalar(key), value);
}

const YAML11_BOOLEAN =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE)$/;

function render(ctx: YamlContext, node: YamlNode): string[] {
  const { Document } = yamlLib();
  const doc = new Document();
  doc.contents = node;
  const out = doc.toString({
    lineWidth: 0,
    indent: ctx.layout.tabs ? 2 : ctx.layout.indent,
    indentSeq: ctx.indentSeq,
    flowCollectionPadding: false,
  });
  return out.replace(/\n+$/, "").split("\n");
}

function isCollection(value: unknown): boolean {
  return typeof value === "object" && value !== null && !isIntrinsic(value);
}

/** Lines placed after the line that ends at `at`, each prefixed with `indent`. */
function insertLines(ctx: YamlContext, at: number, indent: string, lines: readonly string[]) {
  const pos = lineEnd(ctx.text, at);
  const body = lines.map((l) => (l === "" ? "" : indent + l)).join(ctx.layout.eol);
  return { at: pos, remove: 0, insert: ctx.layout.eol + body };
}

type SpliceBody = Pick<Splice, "at" | "remove" | "insert" | "joinGroup">;

function appendItem(ctx: YamlContext, seq: YAMLSeq, value: unknown): SpliceBody {
  const { YAMLSeq, isScalar } = yamlLib();
  const { text } = ctx;
  const last = seq.items[seq.items.length - 1] as YamlNode | null | undefined;
  if (seq.flow || last === undefined || last === null) {
    const flowText = render(ctx, toYamlNode(value, true)).join(" ");
    if (last === undefined || last === null) {
      const open = text.indexOf("[", seq.range?.[0] ?? 0);
      return { at: open + 1, remove: 0, insert: flowText, joinGroup: open };
    }
    return { at: contentEnd(text, last), remove: 0, insert: `, ${flowText}` };
  }
  const start = nodeStart(text, last);
  const dash = text.lastIndexOf("-", start);
  const col = dash - lineStart(text, dash);
  const sameLine = !/[\r\n]/.test(text.slice(dash, start));
  const gap = sameLine ? start - dash - 1 : 1;
  if (gap <= 1 || isScalar(last)) {
    const item = new YAMLSeq();
    item.items.push(toYamlNode(value, false));
    return insertLines(ctx, contentEnd(text, seq), " ".repeat(col), render(ctx, item));
  }
  // Items written `-   Name: x`: keep the file's gap after the dash, and align the item's lines with it.
  const lines = render(ctx, toYamlNode(value, false));
  const content = " ".repeat(col + 1 + gap);
  const body = lines.map((l, i) =>
    i === 0 ? `${" ".repeat(col)}-${" ".repeat(gap)}${l}` : l === "" ? l : content + l,
  );
  const pos = lineEnd(text, contentEnd(text, seq));
  return { at: pos, remove: 0, insert: ctx.layout.eol + body.join(ctx.layout.eol) };
}

function insertPair(ctx: YamlContext, map: YAMLMap, key: string, value: unknown): SpliceBody {
  const { YAMLMap } = yamlLib();
  const { text } = ctx;
  const fragment = new YAMLMap();
  const first = map.items[0];
  if (map.flow || first === undefined) {
    fragment.flow = true;
    fragment.items.push(yamlPair(key, toYamlNode(value, true)));
    const flowText = render(ctx, fragment).join(" ").replace(/^\{/, "").replace(/\}$/, "");
    const last = map.items[map.items.length - 1];
    if (last === undefined) {
      const open = text.indexOf("{", map.range?.[0] ?? 0);
      return { at: open + 1, remove: 0, insert: flowText, joinGroup: open };
    }
    const lastValue = (last.value ?? last.key) as YamlNode;
    return {
      at: contentEnd(text, lastValue),
      remove: 0,
      insert: `,${flowText.startsWith(" ") ? "" : " "}${flowText}`,
    };
  }
  fragment.items.push(yamlPair(key, toYamlNode(value, false)));
  const firstKey = first.key as YamlNode;
  const keyStart = nodeStart(text, firstKey);
  const col = keyStart - lineStart(text, keyStart);
  return insertLines(ctx, contentEnd(text, map), " ".repeat(col), render(ctx, fragment));
}

function replace(ctx: YamlContext, old: YamlNode, value: unknown): SpliceBody {
  const { isMap, isSeq } = yamlLib();
  const { text } = ctx;
  const start = nodeStart(text, old);
  const end = contentEnd(text, old);
  const blockOld = (isMap(old) || isSeq(old)) && !old.flow;
  if (!blockOld || !isCollection(value)) {
    const flowText = render(ctx, toYamlNode(value, true)).join(" ");
    if (blockOld) {
      // A block collection replaced by a scalar: the scalar goes right after the key.
      let before = start;
      while (before > 0 && /\s/.test(text[before - 1] ?? "")) before--;
      return { at: before, remove: end - before, insert: ` ${flowText}` };
    }
    return { at: start, remove: end - start, insert: flowText };
  }
  const col = start - lineStart(text, start);
  const lines = render(ctx, toYamlNode(value, false));
  const body = lines.map((l, i) => (i === 0 || l === "" ? l : " ".repeat(col) + l)).join(ctx.layout.eol);
  return { at: start, remove: end - start, insert: body };
}

function planYaml(text: string, edits: readonly TextEdit[]): { splices: Splice[]; landed: Landed[] } {
  // `parseDocument` is the task-definition reader here; this is yaml's.
  const { isMap, isScalar, isSeq, parseDocument: parseYaml } = yamlLib();
  const doc = parseYaml(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new Error(`cannot edit invalid YAML: ${doc.errors[0]?.message}`);
  const root = doc.contents;
  if (root === null) throw new Error("cannot edit an empty YAML document");
  const ctx: YamlContext = { text, layout: detectLayout(text), indentSeq: detectIndentSeq(text) };
  const splices: Splice[] = [];
  const landed: Landed[] = [];
  /** Items appended per sequence in this batch, so several appends land at consecutive indexes. */
  const appended = new Map<YAMLSeq, number>();
  const newKeys = new Map<YAMLMap, Set<string>>();
  const append = (seq: YAMLSeq, path: JsonPath, value: unknown, order: number) => {
    const before = appended.get(seq) ?? 0;
    appended.set(seq, before + 1);
    splices.push({ ...appendItem(ctx, seq, value), depth: path.length, order });
    landed.push({ path: [...path, seq.items.length + before], value });
  };
  edits.forEach((e, order) => {
    if (e.op === "append") {
      const seq = mustFind(root, e.path);
      if (!isSeq(seq)) throw new Error(`not a sequence at ${JSON.stringify(e.path)}`);
      append(seq, e.path, e.value, order);
      return;
    }
    const parentPath = e.path.slice(0, -1);
    const parent = mustFind(root, parentPath);
    const key = e.path[e.path.length - 1];
    const depth = parentPath.length;
    if (typeof key === "number") {
      if (!isSeq(parent)) throw new Error(`not a sequence at ${JSON.stringify(parentPath)}`);
      const old = parent.items[key] as YamlNode | null | undefined;
      if (key === parent.items.length + (appended.get(parent) ?? 0)) {
        append(parent, parentPath, e.value, order);
        return;
      }
      if (old === undefined || old === null) throw new Error(`no item at ${JSON.stringify(e.path)}`);
      splices.push({ ...replace(ctx, old, e.value), depth: depth + 1, order });
      landed.push({ path: e.path, value: e.value });
      return;
    }
    if (key === undefined || !isMap(parent)) {
      throw new Error(`not a mapping at ${JSON.stringify(parentPath)}`);
    }
    const pair = findPair(parent, key);
    const old = pair?.value as YamlNode | null | undefined;
    // `yaml` gives `Key:` with nothing after it an empty null scalar: that is "no value", not text to replace.
    const empty =
      old === null || old === undefined || (isScalar(old) && old.value === null && old.source === "");
    landed.push({ path: e.path, value: e.value });
    if (pair !== undefined && !empty && old !== null && old !== undefined) {
      splices.push({ ...replace(ctx, old, e.value), depth: depth + 1, order });
      return;
    }
    if (pair !== undefined) {
      // `Key:` with an empty value: write the value after the colon.
      const k = pair.key as YamlNode;
      const colon = text.indexOf(":", k.range?.[1] ?? 0);
      const flowText = render(ctx, toYamlNode(e.value, true)).join(" ");
      splices.push({ at: colon + 1, remove: 0, insert: ` ${flowText}`, depth: depth + 1, order });
      return;
    }
    let keys = newKeys.get(parent);
    if (keys === undefined) {
      keys = new Set();
      newKeys.set(parent, keys);
    }
    if (keys.has(key)) throw new Error(`two edits set ${JSON.stringify(e.path)}`);
    keys.add(key);
    splices.push({ ...insertPair(ctx, parent, key, e.value), depth, order });
  });
  return { splices, landed };
}
