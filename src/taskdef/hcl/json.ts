/**
 * JSON inside Terraform: container definitions written as JSON text (a heredoc, a `file()`, a
 * `templatefile()`, a `.tf.json` or plan string). Located where the text allows it: through a heredoc or a
 * JSON string literal, every character maps back to its offset in the document.
 */
import { TaskDefError } from "../errors.js";
import { put } from "../put.js";
import { LineIndex, parseJsonTree, type RawNode } from "../raw.js";
import { intrinsic, isIntrinsic } from "../values.js";
import { type LNode, leaf, member } from "./located.js";

type Obj = Record<string, unknown>;

/**
 * A located JSON tree as `LNode`s. `at(i)` maps an offset in the JSON text to one in the document (or
 * `undefined` to place everything at `fallback`). Strings holding an unknown sentinel become unknown.
 */
export function jsonNodes(
  raw: RawNode,
  at: ((i: number) => number) | undefined,
  fallback: { offset: number; length: number },
  fixed: string,
  unknowns?: ReadonlyMap<string, string>,
): LNode {
  const span = (offset: number, length: number) => {
    if (at === undefined) return fallback;
    const s = at(offset);
    const e = length === 0 ? s : at(offset + length - 1) + 1;
    return { offset: s, length: Math.max(0, e - s) };
  };
  const convert = (node: RawNode): LNode => {
    const { offset, length } = span(node.offset, node.length);
    switch (node.type) {
      case "scalar": {
        let value: unknown = node.value;
        if (typeof value === "string" && unknowns !== undefined && value.includes(SENTINEL_OPEN)) {
          value = intrinsic("terraform", restore(value, unknowns));
        }
        return leaf(value, offset, length, { fixed });
      }
      case "array": {
        const items = node.items.map(convert);
        return leaf(
          items.map((i) => i.value),
          offset,
          length,
          { items, fixed },
        );
      }
      case "object": {
        const value: Obj = {};
        const props = new Map<string, LNode>();
        for (const p of node.props) {
          const v = convert(p.value);
          put(value, p.key, v.value);
          props.set(p.key, member(v, at === undefined ? fallback.offset : at(p.keyOffset)));
        }
        return leaf(value, offset, length, { props, fixed });
      }
      default:
        return leaf(null, offset, length, { fixed });
    }
  };
  return convert(raw);
}

/** Parse JSON text strictly into a located tree; syntax errors are reported where `where` says. */
export function parseJsonText(
  json: string,
  where: (line: number | undefined, column: number | undefined, detail: string) => TaskDefError,
): RawNode {
  try {
    return parseJsonTree(json, "<json>", new LineIndex(json));
  } catch (error) {
    if (error instanceof TaskDefError) throw where(error.line, error.column, error.detail);
    throw error;
  }
}

/** A JSON string literal starting at `quote`: its value, and each character's offset in `text`. */
export function decodeJsonString(
  text: string,
  quote: number,
): { value: string; offsets: number[]; end: number } {
  let value = "";
  const offsets: number[] = [];
  let i = quote + 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === "\\") {
      const n = text[i + 1];
      let ch: string;
      let len = 2;
      if (n === "u") {
        ch = String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
        len = 6;
      } else {
        ch =
          n === "n"
            ? "\n"
            : n === "t"
              ? "\t"
              : n === "r"
                ? "\r"
                : n === "b"
                  ? "\b"
                  : n === "f"
                    ? "\f"
                    : (n ?? "");
      }
      value += ch;
      offsets.push(i);
      i += len;
    } else {
      value += text[i];
      offsets.push(i);
      i++;
    }
  }
  return { value, offsets, end: i + 1 };
}

// ---------------------------------------------------------------------------------------------------------
// Templates: `${…}` read as unknown, `%{…}` refused

const SENTINEL_OPEN = "\uE000";
const SENTINEL_CLOSE = "\uE001";

function restore(value: string, unknowns: ReadonlyMap<string, string>): string {
  return value.replace(/\uE000(\d+)\uE001/g, (_, n: string) => unknowns.get(n) ?? "(unknown)");
}

export interface TemplateJson {
  /** JSON text with every unknown interpolation replaced by a sentinel string. */
  readonly json: string;
  /** Sentinel number → the interpolation as written (`${var.image}`). */
  readonly unknowns: ReadonlyMap<string, string>;
  /** Offset in the template of the first `%{` directive, when there is one. */
  readonly directive: number | undefined;
}

/** End of a `${ … }` starting at `i` (on the `$`), skipping nested braces and quoted strings. */
function interpolationEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      j++;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return j + 1;
  }
  return text.length;
}

/**
 * A Terraform template (https://developer.hashicorp.com/terraform/language/expressions/strings#string-templates)
 * that should render JSON. `resolve` gives an interpolation's value when it is known (templatefile's
 * variables); the others become unknown. Inside a JSON string the sentinel joins the string; in a value
 * position it stands for a whole value.
 */
export function templateToJson(
  template: string,
  resolve: (expression: string) => string | number | boolean | undefined,
): TemplateJson {
  const unknowns = new Map<string, string>();
  let json = "";
  let inString = false;
  let directive: number | undefined;
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    const next = template[i + 1];
    if ((c === "$" || c === "%") && next === c && template[i + 2] === "{") {
      json += `${c}{`;
      i += 2;
      continue;
    }
    if (c === "%" && next === "{") {
      directive ??= i;
      const end = interpolationEnd(template, i);
      i = end - 1;
      continue;
    }
    if (c === "$" && next === "{") {
      const end = interpolationEnd(template, i);
      const written = template.slice(i, end);
      const known = resolve(written.slice(2, -1).trim());
      if (known !== undefined) {
        json += inString ? JSON.stringify(String(known)).slice(1, -1) : JSON.stringify(known);
      } else {
        const n = String(unknowns.size);
        unknowns.set(n, written);
        const s = `${SENTINEL_OPEN}${n}${SENTINEL_CLOSE}`;
        json += inString ? s : `"${s}"`;
      }
      i = end - 1;
      continue;
    }
    if (inString && c === "\\") {
      json += c + (next ?? "");
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    json += c;
  }
  return { json, unknowns, directive };
}

/** Whether a value holds an unknown anywhere. */
export function hasUnknown(value: unknown): boolean {
  if (isIntrinsic(value)) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(hasUnknown);
  return false;
}
