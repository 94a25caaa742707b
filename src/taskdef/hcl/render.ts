/**
 * Plain values as HCL expression text, in a file's style (style.ts): objects one member a line, `=` aligned
 * in runs of one-line members when the file aligns them, small objects inside lists on one line
 * (`{ name = "A", value = "b" }`), lists of scalars on one line.
 */
import { isIntrinsic } from "../values.js";
import type { HclStyle } from "./style.js";

/** Keys an HCL object constructor takes bare (an identifier: letters, digits, `_`, `-`). */
function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) && !["true", "false", "null", "for", "in", "if"].includes(k)
    ? k
    : quote(k);
}

/** A quoted HCL string: JSON's escapes plus `$${` and `%%{`, so nothing is read as a template. */
export function quote(s: string): string {
  // A "$" right before "${" is written \u0024, so "$$${" is never left for a reader to split; functions as
  // replacements, because "$$" in a replacement string means one "$".
  return JSON.stringify(s)
    .replace(/\$(?=\$\{)/g, () => "\\u0024")
    .replace(/%(?=%\{)/g, () => "\\u0025")
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{");
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== "object" || isIntrinsic(v);
}

function scalar(v: unknown): string {
  // An unknown copied from elsewhere in the file is written as the expression it was read from.
  if (isIntrinsic(v)) return String(v.argument);
  if (typeof v === "string") return quote(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "null";
}

/** One-line form (used inside one-line objects and for values replaced in place). */
export function inline(value: unknown): string {
  const v = value;
  if (isIntrinsic(v)) return scalar(v);
  if (Array.isArray(v)) return `[${v.map(inline).join(", ")}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v);
    return entries.length === 0
      ? "{}"
      : `{ ${entries.map(([k, x]) => `${key(k)} = ${inline(x)}`).join(", ")} }`;
  }
  return scalar(v);
}

/** An object small enough to sit on one line inside a list: scalar values only, at most three of them. */
function smallObject(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v) || isIntrinsic(v)) return false;
  const values = Object.values(v);
  return values.length > 0 && values.length <= 3 && values.every(isScalar);
}

/**
 * The value as it is written after `key = ` on a line indented by `indent`: continuation lines are
 * indented from there.
 */
export function render(value: unknown, indent: string, style: HclStyle): string {
  const v = value;
  if (isIntrinsic(v)) return scalar(v);
  const inner = indent + style.unit;
  if (Array.isArray(v)) {
    if (v.every(isScalar)) return inline(v);
    const items = v.map((x) => `${inner}${smallObject(x) ? inline(x) : render(x, inner, style)},`);
    return `[${style.eol}${items.join(style.eol)}${style.eol}${indent}]`;
  }
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v);
    if (entries.length === 0) return "{}";
    return `{${style.eol}${members(entries, inner, style).join(style.eol)}${style.eol}${indent}}`;
  }
  return scalar(v);
}

/** Member lines (`key = value`), each starting with `indent`, aligned in runs of one-line members. */
export function members(
  entries: ReadonlyArray<[string, unknown]>,
  indent: string,
  style: HclStyle,
  /** Key width the first run pads to at least (to line up with the run above it). */
  firstWidth = 0,
): string[] {
  const rendered = entries.map(([k, x]) => ({ k: key(k), v: render(x, indent, style) }));
  const out: string[] = [];
  let i = 0;
  while (i < rendered.length) {
    // A run: consecutive members whose value is one line.
    let j = i;
    while (j < rendered.length && !(rendered[j]?.v.includes("\n") ?? false)) j++;
    const run = rendered.slice(i, Math.max(j, i + 1));
    const width = style.align ? Math.max(i === 0 ? firstWidth : 0, ...run.map((r) => r.k.length)) : 0;
    for (const r of run) {
      const pad = style.align && !r.v.includes("\n") ? " ".repeat(width - r.k.length) : "";
      out.push(`${indent}${r.k}${pad} = ${r.v}${style.memberCommas ? "," : ""}`);
    }
    i += run.length;
  }
  return out;
}

export { key as hclKey };
