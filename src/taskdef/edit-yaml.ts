/**
 * The YAML planner: one batch of edits as splices of the text. Fragments are rendered by `yaml` and spliced in
 * by hand, because re-stringifying a whole `yaml` Document would re-flow flow collections and blank lines the
 * user never touched. Intrinsics are written in their short form (`!Ref`, `!GetAtt a.b`).
 */
import type { YAMLMap, YAMLSeq, Node as YamlNode, Pair as YamlPair } from "yaml";
import { yamlLib } from "../yaml-lib.js";
import { detectLayout, LAYOUT_SAMPLE_LINES, type Layout } from "./edit-layout.js";
import type { Landed, PlannedBatch, Splice, TextEdit } from "./edit-plan.js";
import type { JsonPath } from "./model.js";
import { isIntrinsic } from "./values.js";

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

export function planYaml(text: string, edits: readonly TextEdit[]): PlannedBatch {
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
