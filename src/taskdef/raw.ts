/**
 * A format-neutral tree over the source text: every node keeps its offset, so the view can be located
 * and edited without re-reading the file. JSON and YAML both land here.
 */
import { type ParseErrorCode, visit } from "jsonc-parser";
import type { Alias, Node as YamlNode } from "yaml";
import { yamlLib } from "../yaml-lib.js";
import { maxYamlDepth } from "./depth.js";
import { TaskDefError } from "./errors.js";

export type Scalar = string | number | boolean | null;

interface NodeBase {
  /** 0-based offset of the node's first character. */
  readonly offset: number;
  readonly length: number;
}

export interface RawProperty {
  readonly key: string;
  readonly keyOffset: number;
  readonly value: RawNode;
}

export interface RawObject extends NodeBase {
  readonly type: "object";
  readonly props: RawProperty[];
}

export interface RawArray extends NodeBase {
  readonly type: "array";
  readonly items: RawNode[];
}

export interface RawScalar extends NodeBase {
  readonly type: "scalar";
  readonly value: Scalar;
}

/** A YAML short-form intrinsic (`!Ref X`); JSON intrinsics stay plain objects in the raw tree. */
export interface RawTagged extends NodeBase {
  readonly type: "tagged";
  /** Long-form name: `Ref`, `Condition`, `Fn::Sub`, … */
  readonly fn: string;
  /** The tag as written (`!GetAtt`). */
  readonly tag: string;
  readonly argument: RawNode;
}

export type RawNode = RawObject | RawArray | RawScalar | RawTagged;

/** Last property wins, as in `JSON.parse` and CloudFormation. */
export function getProp(node: RawObject, key: string): RawProperty | undefined {
  for (let i = node.props.length - 1; i >= 0; i--) {
    const p = node.props[i];
    if (p !== undefined && p.key === key) return p;
  }
  return undefined;
}

/** Offsets of line starts, for 1-based line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    if (!text.includes("\r")) {
      // Common case: jump between newlines natively.
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}

// ---------------------------------------------------------------------------------------------------------
// JSON

/** jsonc-parser's error codes in words; every JSON reader of the project reports syntax errors with these. */
export const JSON_ERRORS: Partial<Record<ParseErrorCode, string>> = {
  1: "invalid symbol",
  2: "invalid number",
  3: "expected a property name (a double-quoted string)",
  4: "expected a value",
  5: "expected ':'",
  6: "expected ',' or '}'",
  7: "expected ',' or '}'",
  8: "expected ',' or ']'",
  9: "expected end of file",
  10: "comments are not allowed in JSON",
  11: "comments are not allowed in JSON",
  12: "unterminated string",
  13: "unterminated number",
  14: "invalid unicode escape",
  15: "invalid escape character",
  16: "invalid character in string",
};

/** Strict JSON (no comments, no trailing commas) into a located tree. */
export function parseJsonTree(text: string, file: string, lines: LineIndex): RawNode {
  type Frame =
    | { kind: "object"; offset: number; props: RawProperty[]; key?: string; keyOffset?: number }
    | { kind: "array"; offset: number; items: RawNode[] };
  const stack: Frame[] = [];
  let root: RawNode | undefined;
  let failure: TaskDefError | undefined;

  const attach = (node: RawNode): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      root ??= node;
    } else if (top.kind === "array") {
      top.items.push(node);
    } else if (top.key !== undefined) {
      top.props.push({ key: top.key, keyOffset: top.keyOffset ?? node.offset, value: node });
      top.key = undefined;
    }
  };
  const fail = (detail: string, offset: number): void => {
    if (failure !== undefined) return;
    const { line, column } = lines.position(offset);
    // A truncated file (a cut-off pipe, an unfinished edit) is worth naming as such.
    const atEnd = text.slice(offset).trim() === "" && !detail.startsWith("unexpected end");
    failure = new TaskDefError({
      kind: "syntax",
      file,
      line,
      column,
      detail: atEnd ? `unexpected end of file, ${detail}` : detail,
    });
  };

  visit(
    text,
    {
      onObjectBegin: (offset) => {
        stack.push({ kind: "object", offset, props: [] });
      },
      onObjectProperty: (key, offset) => {
        const top = stack[stack.length - 1];
        if (top?.kind === "object") {
          top.key = key;
          top.keyOffset = offset;
        }
      },
      onObjectEnd: (offset, length) => {
        const top = stack.pop();
        if (top?.kind !== "object") return;
        attach({
          type: "object",
          offset: top.offset,
          length: offset + length - top.offset,
          props: top.props,
        });
      },
      onArrayBegin: (offset) => {
        stack.push({ kind: "array", offset, items: [] });
      },
      onArrayEnd: (offset, length) => {
        const top = stack.pop();
        if (top?.kind !== "array") return;
        attach({ type: "array", offset: top.offset, length: offset + length - top.offset, items: top.items });
      },
      onLiteralValue: (value: unknown, offset, length) => {
        const v: Scalar =
          typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : null;
        attach({ type: "scalar", offset, length, value: v });
      },
      onError: (error, offset) => {
        const top = stack[stack.length - 1];
        // jsonc-parser closes the container before it reports a missing bracket, so the code decides.
        if (error === 7) fail("expected ',' or '}'", offset);
        else if (error === 8) fail("expected ',' or ']'", offset);
        else if (error === 6) {
          fail(top?.kind === "array" ? "expected ',' or ']'" : "expected ',' or '}'", offset);
        } else if (error === 1 && offset < text.length) {
          fail(`unexpected character ${JSON.stringify(text.charAt(offset))}`, offset);
        } else if (error === 4 && offset >= text.length) {
          fail("unexpected end of file", offset);
        } else {
          fail(JSON_ERRORS[error] ?? "invalid JSON", offset);
        }
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (failure !== undefined) throw failure;
  if (root === undefined) {
    throw new TaskDefError({ kind: "syntax", file, line: 1, column: 1, detail: "empty document" });
  }
  return root;
}

// ---------------------------------------------------------------------------------------------------------
// YAML

/** CloudFormation short-form tags, to the long-form name the JSON form would use. */
export function tagToFn(tag: string): string | undefined {
  if (!tag.startsWith("!") || tag.startsWith("!!")) return undefined;
  const name = tag.slice(1);
  if (name === "Ref" || name === "Condition") return name;
  if (/^[A-Z][A-Za-z]*$/.test(name)) return `Fn::${name}`;
  return undefined;
}

/**
 * How many nodes YAML aliases may add to a document in total, counting every node an alias expands to (an alias
 * inside an alias counts again). Anchors reused a few times, as ecspresso files reuse a log configuration, stay
 * far below it; "billion laughs" (nine aliases of nine aliases …, 431 bytes expanding to 9^9 nodes) hits it after
 * a few milliseconds.
 */
export const MAX_ALIAS_NODES = 10_000;

export interface YamlLimits {
  readonly maxDepth: number;
}

export function parseYamlTree(text: string, file: string, lines: LineIndex, limits: YamlLimits): RawNode {
  // The composer recurses once per level: measure first, without recursion.
  const deep = maxYamlDepth(text, limits.maxDepth);
  if (deep !== undefined) throw tooDeep(file, lines, deep.offset, limits.maxDepth);
  const doc = composeYaml(text, file, lines, limits);
  const { isAlias, isMap, isScalar, isSeq } = yamlLib();
  /** Nodes materialised through aliases so far, and the outermost alias being expanded (for the message). */
  let aliasNodes = 0;
  let outerAlias: Alias | undefined;
  const resolving = new Set<YamlNode>();
  // `Alias.resolve` walks the whole document each time: resolve each alias node once.
  const targets = new Map<Alias, YamlNode | undefined>();
  const convert = (node: unknown, fallbackOffset: number, depth: number): RawNode => {
    if (outerAlias !== undefined && ++aliasNodes > MAX_ALIAS_NODES) {
      const at = lines.position(outerAlias.range?.[0] ?? fallbackOffset);
      throw new TaskDefError({
        kind: "too-many-aliases",
        file,
        ...at,
        detail: `alias *${outerAlias.source} expands to more than ${MAX_ALIAS_NODES.toLocaleString("en-US")} nodes (the limit on what YAML aliases may add to a document); write the repeated values out, or reuse fewer levels of aliases`,
      });
    }
    // Aliases can nest deeper than the text shows (an alias of an alias of …): the limit holds here too.
    if (depth > limits.maxDepth && (isMap(node) || isSeq(node))) {
      const at = outerAlias?.range?.[0] ?? fallbackOffset;
      throw tooDeep(file, lines, at, limits.maxDepth);
    }
    if (node === null || node === undefined) {
      return { type: "scalar", offset: fallbackOffset, length: 0, value: null };
    }
    if (isAlias(node)) {
      let target = targets.get(node as Alias);
      if (target === undefined && !targets.has(node as Alias)) {
        target = (node as Alias).resolve(doc);
        targets.set(node as Alias, target);
      }
      if (target === undefined || resolving.has(target)) {
        const at = lines.position(node.range?.[0] ?? fallbackOffset);
        throw new TaskDefError({ kind: "syntax", file, ...at, detail: `unresolvable alias *${node.source}` });
      }
      resolving.add(target);
      const outermost = outerAlias === undefined;
      if (outermost) outerAlias = node as Alias;
      try {
        return convert(target, node.range?.[0] ?? fallbackOffset, depth);
      } finally {
        resolving.delete(target);
        if (outermost) outerAlias = undefined;
      }
    }
    const yamlNode = node as YamlNode;
    const range = yamlNode.range ?? [fallbackOffset, fallbackOffset, fallbackOffset];
    const offset = range[0];
    const length = range[1] - range[0];
    const inner = ((): RawNode => {
      if (isMap(yamlNode)) {
        const props: RawProperty[] = [];
        for (const pair of yamlNode.items) {
          const k = pair.key;
          const keyOffset = isScalar(k) || isMap(k) || isSeq(k) ? (k.range?.[0] ?? offset) : offset;
          const key = isScalar(k) ? String(k.value) : k === null ? "" : String(k);
          props.push({ key, keyOffset, value: convert(pair.value, keyOffset, depth + 1) });
        }
        return { type: "object", offset, length, props };
      }
      if (isSeq(yamlNode)) {
        return {
          type: "array",
          offset,
          length,
          items: yamlNode.items.map((item) => convert(item, offset, depth + 1)),
        };
      }
      if (isScalar(yamlNode)) return { type: "scalar", offset, length, value: scalarValue(yamlNode.value) };
      return { type: "scalar", offset, length, value: null };
    })();
    return withTag(yamlNode.tag, inner);
  };
  return convert(doc.contents, 0, 1);
}

/** The document's tree, or the first error as a located `TaskDefError`. */
function composeYaml(text: string, file: string, lines: LineIndex, limits: YamlLimits) {
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first === undefined) return doc;
  // `yaml` turns its own stack overflow into an error; whatever the depth scan missed still ends up typed.
  if (first.message.startsWith("Maximum call stack size exceeded")) {
    throw tooDeep(file, lines, first.pos[0], limits.maxDepth);
  }
  const { line, column } = lines.position(first.pos[0]);
  throw new TaskDefError({
    kind: "syntax",
    file,
    line,
    column,
    detail: first.message.split("\n")[0] ?? "invalid YAML",
  });
}

function scalarValue(v: unknown): Scalar {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return Number(v);
  return v === null ? null : String(v);
}

/** A CloudFormation short-form tag (`!Ref`, `!GetAtt`, …) wraps the node as its intrinsic function. */
function withTag(tag: string | undefined, inner: RawNode): RawNode {
  const fn = tag === undefined ? undefined : tagToFn(tag);
  if (tag === undefined || fn === undefined) return inner;
  const { offset, length } = inner;
  let argument = inner;
  if (fn === "Fn::GetAtt" && inner.type === "scalar" && typeof inner.value === "string") {
    // `!GetAtt Res.Attr` is the scalar spelling of `["Res", "Attr"]`; the attribute may itself hold dots.
    const dot = inner.value.indexOf(".");
    const parts = dot < 0 ? [inner.value] : [inner.value.slice(0, dot), inner.value.slice(dot + 1)];
    argument = {
      type: "array",
      offset,
      length,
      items: parts.map((p) => ({ type: "scalar", offset, length, value: p })),
    };
  }
  return { type: "tagged", offset, length, fn, tag, argument };
}

export function tooDeep(file: string, lines: LineIndex, offset: number, limit: number): TaskDefError {
  return new TaskDefError({
    kind: "too-deep",
    file,
    ...lines.position(offset),
    detail: `nested more than ${limit} levels deep, the limit for a task definition document; nothing this deep is a task definition`,
  });
}
