/**
 * Minimal, lossless text edits addressed by raw path. Only the touched span of the text changes: JSON edits
 * come from jsonc-parser's `modify` (formatted with the file's own indentation and line ends); YAML edits
 * are spliced into the text by hand with fragments rendered by `yaml`, because re-stringifying a whole
 * `yaml` Document would re-flow flow collections and blank lines the user never touched.
 */
import { applyEdits, type FormattingOptions, findNodeAtLocation, modify, parseTree } from "jsonc-parser";
import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Pair,
  parseDocument as parseYaml,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Node as YamlNode,
} from "yaml";
import { pascalize } from "./casing.js";
import { isTemplateFormat, isYamlFormat, parseDocument } from "./document.js";
import { TaskDefError } from "./errors.js";
import { editTerraform } from "./hcl/edit.js";
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

/**
 * Applies edits one after the other to a document's text. Paths are raw (as spelled in the file, e.g. from
 * `doc.rawPath`); values are raw too (use `inDocumentCasing` for API-shaped values). An edit the document
 * cannot take (missing parent, wrong node type) throws a plain `Error`: that is a bug in the caller.
 */
export class DocumentEditor {
  private current: string;
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
    return this.current;
  }

  /** Whether any edit changed the text. */
  changed(original: string): boolean {
    return this.current !== original;
  }

  /** Set a property (inserted at the end of its object when new) or replace an array element. */
  set(path: JsonPath, value: unknown): this {
    if (path.length === 0) throw new Error("cannot replace the whole document");
    if (this.terraform) {
      this.current = editTerraform(this.current, this.file, "set", path, value);
      return this;
    }
    this.current = this.json ? jsonSet(this.current, path, value, false) : yamlSet(this.current, path, value);
    return this;
  }

  /** Append an item to the array at `path`. */
  append(path: JsonPath, value: unknown): this {
    if (this.terraform) {
      this.current = editTerraform(this.current, this.file, "append", path, value);
      return this;
    }
    this.current = this.json
      ? jsonSet(this.current, [...path, -1], value, true)
      : yamlAppend(this.current, path, value);
    return this;
  }

  /** Re-read the edited text; a `TaskDefError` here means an edit produced an invalid document. */
  document(): TaskDefinitionDocument {
    return parseDocument(this.current, this.file);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Layout detection

export interface Layout {
  readonly eol: "\n" | "\r\n";
  readonly tabs: boolean;
  /** Spaces per level (1 with tabs). */
  readonly indent: number;
}

export function detectLayout(text: string): Layout {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  let tabs = false;
  let indent = 0;
  let seen = 0;
  for (const line of text.split(/\r?\n/)) {
    const m = /^([ \t]+)\S/.exec(line);
    if (m?.[1] === undefined || line.trimStart().startsWith("#")) continue;
    if (m[1].startsWith("\t")) {
      tabs = true;
      break;
    }
    const n = m[1].length;
    if (indent === 0 || n < indent) indent = n;
    if (++seen > 400) break;
  }
  return { eol, tabs, indent: tabs ? 1 : indent === 0 ? 2 : Math.min(indent, 8) };
}

// ---------------------------------------------------------------------------------------------------------
// JSON

/** How a one-line JSON collection spaces itself: `{ "a": 1, "b": 2 }` or `{"a":1,"b":2}`. */
interface CompactStyle {
  readonly inner: boolean;
  readonly colon: boolean;
  readonly comma: boolean;
}

function compactJson(value: unknown, style: CompactStyle): string {
  const comma = style.comma ? ", " : ",";
  if (Array.isArray(value)) {
    return `[${value.map((v) => compactJson(v, style)).join(comma)}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(
      ([k, v]) => `${JSON.stringify(k)}:${style.colon ? " " : ""}${compactJson(v, style)}`,
    );
    if (entries.length === 0) return "{}";
    return style.inner ? `{ ${entries.join(comma)} }` : `{${entries.join(comma)}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Inserting into a collection written on one line keeps it on one line (jsonc-parser would re-flow the
 * whole collection). Returns undefined when the collection spans lines or the edit is not an insertion.
 */
function compactInsert(
  text: string,
  path: JsonPath,
  value: unknown,
  isArrayInsertion: boolean,
): string | undefined {
  const tree = parseTree(text);
  if (tree === undefined) return undefined;
  const last = path[path.length - 1];
  const parent = findNodeAtLocation(tree, [...path.slice(0, -1)]);
  if (parent === undefined) return undefined;
  const own = text.slice(parent.offset, parent.offset + parent.length);
  if (/[\r\n]/.test(own)) return undefined;
  const style: CompactStyle = {
    inner: /^[[{]\s/.test(own) || /\{\s+"/.test(own),
    colon: /":\s/.test(own),
    comma: own.includes(",") ? /,\s/.test(own) : /^[[{]\s/.test(own) || /":\s/.test(own),
  };
  const children = parent.children ?? [];
  const close = parent.offset + parent.length - 1;
  if (parent.type === "array" && isArrayInsertion && last === -1) {
    const item = compactJson(value, style);
    const prev = children[children.length - 1];
    if (prev === undefined) return text.slice(0, close) + item + text.slice(close);
    const at = prev.offset + prev.length;
    return `${text.slice(0, at)}${style.comma ? ", " : ","}${item}${text.slice(at)}`;
  }
  if (parent.type === "object" && typeof last === "string") {
    if (children.some((p) => p.children?.[0]?.value === last)) return undefined;
    const prop = `${JSON.stringify(last)}:${style.colon ? " " : ""}${compactJson(value, style)}`;
    const prev = children[children.length - 1];
    if (prev === undefined) {
      return `${text.slice(0, close)}${style.inner ? ` ${prop} ` : prop}${text.slice(close)}`;
    }
    const at = prev.offset + prev.length;
    return `${text.slice(0, at)}${style.comma ? ", " : ","}${prop}${text.slice(at)}`;
  }
  return undefined;
}

function jsonSet(text: string, path: JsonPath, value: unknown, isArrayInsertion: boolean): string {
  const compact = compactInsert(text, path, toJsonData(value), isArrayInsertion);
  if (compact !== undefined) return compact;
  const layout = detectLayout(text);
  const formattingOptions: FormattingOptions = {
    insertSpaces: !layout.tabs,
    tabSize: layout.tabs ? 4 : layout.indent,
    eol: layout.eol,
    insertFinalNewline: false,
  };
  const edits = modify(text, [...path], toJsonData(value), { formattingOptions, isArrayInsertion });
  return applyEdits(text, edits);
}

// ---------------------------------------------------------------------------------------------------------
// YAML

interface YamlContext {
  readonly text: string;
  readonly layout: Layout;
  readonly indentSeq: boolean;
}

function yamlContext(text: string): { ctx: YamlContext; root: YamlNode } {
  const doc = parseYaml(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new Error(`cannot edit invalid YAML: ${doc.errors[0]?.message}`);
  const root = doc.contents;
  if (root === null) throw new Error("cannot edit an empty YAML document");
  return { ctx: { text, layout: detectLayout(text), indentSeq: detectIndentSeq(text) }, root };
}

/** Whether block sequences under a key are indented deeper than the key (`yaml`'s `indentSeq`). */
function detectIndentSeq(text: string): boolean {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length - 1; i++) {
    const key = /^(\s*)[^\s#-][^#]*:\s*(#.*)?$/.exec(lines[i] ?? "");
    if (key?.[1] === undefined) continue;
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j] ?? "";
      if (next.trim() === "" || next.trimStart().startsWith("#")) continue;
      const dash = /^(\s*)- /.exec(next);
      if (dash?.[1] !== undefined) return dash[1].length > key[1].length;
      break;
    }
  }
  return true;
}

function find(root: YamlNode, path: JsonPath): YamlNode | undefined {
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

function findPair(map: YAMLMap, key: string): Pair | undefined {
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i];
    if (pair !== undefined && isScalar(pair.key) && String(pair.key.value) === key) return pair as Pair;
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
    for (const [k, v] of Object.entries(value)) map.items.push(new Pair(new Scalar(k), toYamlNode(v, flow)));
    return map;
  }
  const scalar = new Scalar(value === undefined ? null : value);
  // CloudFormation reads YAML 1.1 booleans (`on`, `yes`); quote them so a string stays a string.
  if (typeof value === "string" && YAML11_BOOLEAN.test(value)) scalar.type = "QUOTE_DOUBLE";
  return scalar;
}

const YAML11_BOOLEAN =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE)$/;

function render(ctx: YamlContext, node: YamlNode): string[] {
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

function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

/** Lines placed after the line that ends at `at`, each prefixed with `indent`. */
function insertLines(ctx: YamlContext, at: number, indent: string, lines: readonly string[]): string {
  const pos = lineEnd(ctx.text, at);
  const body = lines.map((l) => (l === "" ? "" : indent + l)).join(ctx.layout.eol);
  return splice(ctx.text, pos, 0, ctx.layout.eol + body);
}

function yamlAppend(text: string, path: JsonPath, value: unknown): string {
  const { ctx, root } = yamlContext(text);
  const seq = mustFind(root, path);
  if (!isSeq(seq)) throw new Error(`not a sequence at ${JSON.stringify(path)}`);
  return appendItem(ctx, seq, value);
}

function appendItem(ctx: YamlContext, seq: YAMLSeq, value: unknown): string {
  const { text } = ctx;
  const last = seq.items[seq.items.length - 1] as YamlNode | null | undefined;
  if (seq.flow || last === undefined || last === null) {
    const flowText = render(ctx, toYamlNode(value, true)).join(" ");
    if (last === undefined || last === null) {
      const open = text.indexOf("[", seq.range?.[0] ?? 0);
      return splice(text, open + 1, 0, flowText);
    }
    return splice(text, contentEnd(text, last), 0, `, ${flowText}`);
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
  return splice(text, pos, 0, ctx.layout.eol + body.join(ctx.layout.eol));
}

function yamlSet(text: string, path: JsonPath, value: unknown): string {
  const { ctx, root } = yamlContext(text);
  const parent = mustFind(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (typeof key === "number") {
    if (!isSeq(parent)) throw new Error(`not a sequence at ${JSON.stringify(path.slice(0, -1))}`);
    const old = parent.items[key] as YamlNode | null | undefined;
    if (key === parent.items.length) return appendItem(ctx, parent, value);
    if (old === undefined || old === null) throw new Error(`no item at ${JSON.stringify(path)}`);
    return replace(ctx, old, value);
  }
  if (key === undefined || !isMap(parent))
    throw new Error(`not a mapping at ${JSON.stringify(path.slice(0, -1))}`);
  const pair = findPair(parent, key);
  const old = pair?.value as YamlNode | null | undefined;
  // `yaml` gives `Key:` with nothing after it an empty null scalar: that is "no value", not text to replace.
  const empty =
    old === null || old === undefined || (isScalar(old) && old.value === null && old.source === "");
  if (pair !== undefined && !empty && old !== null && old !== undefined) return replace(ctx, old, value);
  if (pair !== undefined) {
    // `Key:` with an empty value: write the value after the colon.
    const k = pair.key as YamlNode;
    const colon = text.indexOf(":", k.range?.[1] ?? 0);
    const flowText = render(ctx, toYamlNode(value, true)).join(" ");
    return splice(text, colon + 1, 0, ` ${flowText}`);
  }
  return insertPair(ctx, parent, key, value);
}

function insertPair(ctx: YamlContext, map: YAMLMap, key: string, value: unknown): string {
  const { text } = ctx;
  const fragment = new YAMLMap();
  const first = map.items[0];
  if (map.flow || first === undefined) {
    fragment.flow = true;
    fragment.items.push(new Pair(new Scalar(key), toYamlNode(value, true)));
    const flowText = render(ctx, fragment).join(" ").replace(/^\{/, "").replace(/\}$/, "");
    const last = map.items[map.items.length - 1];
    if (last === undefined) {
      const open = text.indexOf("{", map.range?.[0] ?? 0);
      return splice(text, open + 1, 0, flowText);
    }
    const lastValue = (last.value ?? last.key) as YamlNode;
    return splice(text, contentEnd(text, lastValue), 0, `,${flowText.startsWith(" ") ? "" : " "}${flowText}`);
  }
  fragment.items.push(new Pair(new Scalar(key), toYamlNode(value, false)));
  const firstKey = first.key as YamlNode;
  const keyStart = nodeStart(text, firstKey);
  const col = keyStart - lineStart(text, keyStart);
  return insertLines(ctx, contentEnd(text, map), " ".repeat(col), render(ctx, fragment));
}

function replace(ctx: YamlContext, old: YamlNode, value: unknown): string {
  const { text } = ctx;
  const start = nodeStart(text, old);
  const end = contentEnd(text, old);
  const blockOld = (isMap(old) || isSeq(old)) && !old.flow;
  if (!blockOld || !isCollection(value)) {
    const flowText = render(ctx, toYamlNode(value, true)).join(" ");
    if (blockOld) {
      // A block collection replaced by a scalar: the scalar goes right after the key.
      const before = text.slice(0, start).replace(/\s+$/, "");
      return `${before} ${flowText}${text.slice(end)}`;
    }
    return splice(text, start, end - start, flowText);
  }
  const col = start - lineStart(text, start);
  const lines = render(ctx, toYamlNode(value, false));
  const body = lines.map((l, i) => (i === 0 || l === "" ? l : " ".repeat(col) + l)).join(ctx.layout.eol);
  return splice(text, start, end - start, body);
}

/** For callers that need to fail on an edit that broke the document. */
export function reparse(text: string, file: string): TaskDefinitionDocument {
  try {
    return parseDocument(text, file);
  } catch (e) {
    if (e instanceof TaskDefError) throw new Error(`edit produced an invalid document: ${e.message}`);
    throw e;
  }
}
