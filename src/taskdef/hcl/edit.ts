/**
 * Raw-path edits (`DocumentEditor.set` / `append`) applied to `.tf` text as insertions and in-place value
 * replacements: every byte outside them is kept, comments and layout included. New text follows the file's
 * own style (style.ts). A value that is not written literally in place (a local, a `for` expression,
 * `merge` without a literal last object, another file) is refused with the reason, never rewritten.
 */
import type { JsonPath } from "../model.js";
import { isIntrinsic } from "../values.js";
import { blockKey } from "./blocks.js";
import { kids } from "./evaluate.js";
import { type LNode, walk } from "./located.js";
import type { Syn } from "./parser.js";
import { hclKey, inline, members, render } from "./render.js";
import { detectStyle, type HclStyle, Lines } from "./style.js";
import { readTerraformHcl } from "./terraform.js";
import { SERVICE, TASK_DEFINITION, type TerraformInternals } from "./tf-document.js";

/** What an edit did to the text: an insertion (`remove` 0) or a replacement. */
export interface Splice {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

function apply(text: string, s: Splice): string {
  return text.slice(0, s.at) + s.insert + text.slice(s.at + s.remove);
}

function describe(path: JsonPath): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`))
    .join("")
    .slice(1);
}

class Editing {
  readonly lines: Lines;
  readonly style: HclStyle;
  constructor(
    readonly text: string,
    readonly read: TerraformInternals,
    region: Syn | undefined,
  ) {
    this.lines = new Lines(text);
    this.style = detectStyle(text, read.syntax, region);
  }

  lineEnd(offset: number): number {
    let i = offset;
    while (i < this.text.length && this.text[i] !== "\n" && this.text[i] !== "\r") i++;
    return i;
  }

  indentAt(offset: number): string {
    return this.lines.indentOf(offset);
  }

  /** Whether a comma follows `end`, on the same line (blanks allowed); returns the offset after it. */
  commaAfter(end: number): number | undefined {
    let i = end;
    while (this.text[i] === " " || this.text[i] === "\t") i++;
    return this.text[i] === "," ? i + 1 : undefined;
  }

  /**
   * Where new lines go after `from`: at the end of its line, or, when the closing bracket shares that line
   * (`image = "b" }`), before the bracket, which then moves to a line of its own.
   */
  placeAfter(from: number, close: Syn, closeIndent: string): { at: number; suffix: string } {
    const at = this.lineEnd(from);
    if (close.start < at) return { at: close.start, suffix: this.style.eol + closeIndent };
    return { at, suffix: "" };
  }

  oneLine(syn: Syn): boolean {
    return this.lines.line(syn.start) === this.lines.line(syn.end);
  }
}

/** Insert `key = value` as the last member of a literal object, or of a block body. */
function insertMember(e: Editing, container: Syn, entries: ReadonlyArray<[string, unknown]>): Splice {
  const parts = kids(container);
  const isBlock = container.type === "block";
  const open = parts.find((k) => k.type === (isBlock ? "block_start" : "object_start")) as Syn;
  const close = parts.find((k) => k.type === (isBlock ? "block_end" : "object_end")) as Syn;
  const body = isBlock ? parts.find((k) => k.type === "body") : container;
  const memberType = isBlock ? ["attribute", "block"] : ["object_elem"];
  const existing = body === undefined ? [] : kids(body).filter((k) => memberType.includes(k.type));
  const last = existing[existing.length - 1];
  if (e.oneLine(container) && !isBlock) {
    const text = entries.map(([k, v]) => `${hclKey(k)} = ${inline(v)}`).join(", ");
    if (last === undefined) return { at: open.end, remove: close.start - open.end, insert: ` ${text} ` };
    const comma = e.commaAfter(last.end);
    return comma === undefined
      ? { at: last.end, remove: 0, insert: `, ${text}` }
      : { at: comma, remove: 0, insert: ` ${text},` };
  }
  if (e.oneLine(container)) {
    throw new Error("the block is written on one line; write it on several lines first");
  }
  const indent = last === undefined ? e.indentAt(open.start) + e.style.unit : e.indentAt(last.start);
  const after = last === undefined ? open.end : (e.commaAfter(last.end) ?? last.end);
  const place = e.placeAfter(after, close, e.indentAt(container.start));
  const style = { ...e.style, memberCommas: e.style.memberCommas && !isBlock };
  let lines = members(entries, indent, style);
  // Our first one-line members join the run of one-line members right above them: in an aligned file they
  // line up with it, or, when they cannot without moving the others, a blank line keeps the runs apart.
  const eq =
    last === undefined
      ? undefined
      : last.kids.find((k) => !k.named && /^[=:]$/.test(e.text.slice(k.start, k.end)));
  if (
    e.style.align &&
    last !== undefined &&
    eq !== undefined &&
    e.oneLine(last) &&
    !lines[0]?.includes("\n")
  ) {
    const col = e.lines.column(eq.start);
    const ours = (lines[0] ?? "").indexOf(" = ");
    const aloneOnLine = e.indentAt(last.start).length === e.lines.column(last.start);
    if (aloneOnLine && ours >= 0 && ours < col) {
      lines = members(entries, indent, style, col - indent.length - 1);
    } else if (aloneOnLine && ours >= col) {
      lines = ["", ...lines];
    }
  }
  const eol = e.style.eol;
  return { at: place.at, remove: 0, insert: eol + lines.join(eol) + place.suffix };
}

/** Append an element to a literal tuple. */
function appendItem(e: Editing, tuple: Syn, value: unknown): Splice[] {
  const parts = kids(tuple);
  const open = parts.find((k) => k.type === "tuple_start") as Syn;
  const close = parts.find((k) => k.type === "tuple_end") as Syn;
  const items = parts.filter((k) => k.type === "expression");
  const last = items[items.length - 1];
  if (e.oneLine(tuple)) {
    const text = inline(value);
    if (last === undefined) return [{ at: open.end, remove: close.start - open.end, insert: text }];
    const comma = e.commaAfter(last.end);
    return comma === undefined
      ? [{ at: last.end, remove: 0, insert: `, ${text}` }]
      : [{ at: comma, remove: 0, insert: ` ${text},` }];
  }
  const indent = last === undefined ? e.indentAt(open.start) + e.style.unit : e.indentAt(last.start);
  const eol = e.style.eol;
  const rendered = render(value, indent, e.style);
  const closeIndent = e.indentAt(tuple.start);
  if (last === undefined) {
    const place = e.placeAfter(open.end, close, closeIndent);
    return [{ at: place.at, remove: 0, insert: `${eol}${indent}${rendered},${place.suffix}` }];
  }
  const comma = e.commaAfter(last.end);
  if (comma !== undefined) {
    const place = e.placeAfter(comma, close, closeIndent);
    return [{ at: place.at, remove: 0, insert: `${eol}${indent}${rendered},${place.suffix}` }];
  }
  // No trailing comma in this list: one goes after the last element, none after ours.
  const place = e.placeAfter(last.end, close, closeIndent);
  return [
    { at: last.end, remove: 0, insert: "," },
    { at: place.at, remove: 0, insert: `${eol}${indent}${rendered}${place.suffix}` },
  ];
}

function replaceValue(e: Editing, node: LNode, value: unknown): Splice {
  const at = node.valueOffset;
  const end = node.offset + node.length;
  const single = !e.text.slice(at, end).includes("\n");
  const text =
    single && (typeof value !== "object" || value === null)
      ? inline(value)
      : render(value, e.indentAt(node.offset), e.style);
  return { at, remove: end - at, insert: text };
}

function refuse(path: JsonPath, node: LNode | undefined, what: string): never {
  const why = node?.fixed ?? "it is not written literally here";
  throw new Error(`${what} ${describe(path)}: ${why}`);
}

// ---------------------------------------------------------------------------------------------------------
// Task definitions

function containerEdit(e: Editing, op: "set" | "append", path: JsonPath, value: unknown): Splice[] {
  const trail = walk(e.read.root, path);
  if (op === "append") {
    const list = trail.length === path.length + 1 ? trail[trail.length - 1] : undefined;
    if (list?.items === undefined || list.syn === undefined || list.syn.type !== "tuple") {
      refuse(path, list, "cannot add to");
    }
    return appendItem(e, list.syn, value);
  }
  const key = path[path.length - 1];
  if (trail.length === path.length + 1) {
    const node = trail[trail.length - 1] as LNode;
    if (node.syn === undefined) refuse(path, node, "cannot change");
    return [replaceValue(e, node, value)];
  }
  if (trail.length !== path.length || typeof key !== "string")
    refuse(path, trail[trail.length - 1], "cannot set");
  const parent = trail[trail.length - 1] as LNode;
  const target = parent.syn?.type === "object" ? parent.syn : parent.insertInto?.syn;
  if (target === undefined || target.type !== "object")
    refuse(path.slice(0, -1), parent, "cannot add a key to");
  return [insertMember(e, target, [[key, value]])];
}

// ---------------------------------------------------------------------------------------------------------
// Services: DeploymentConfiguration.DeploymentCircuitBreaker → deployment_circuit_breaker { … }

function breakerSettings(rest: JsonPath, value: unknown): Record<string, unknown> {
  const norm = rest.map((s) => (typeof s === "string" ? s.toLowerCase() : s));
  const obj = (v: unknown): Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v) && !isIntrinsic(v)
      ? (v as Record<string, unknown>)
      : {};
  const pick = (v: unknown, k: string) => {
    const o = obj(v);
    for (const key of Object.keys(o)) if (key.toLowerCase() === k) return o[key];
    return undefined;
  };
  if (norm.length === 0) return obj(pick(pick(value, "deploymentconfiguration"), "deploymentcircuitbreaker"));
  if (norm.length === 1 && norm[0] === "deploymentconfiguration")
    return obj(pick(value, "deploymentcircuitbreaker"));
  if (norm.length === 2 && norm[1] === "deploymentcircuitbreaker") return obj(value);
  if (norm.length === 3 && (norm[2] === "enable" || norm[2] === "rollback")) return { [norm[2]]: value };
  throw new Error(`cannot set ${describe(rest)} on a Terraform aws_ecs_service`);
}

function serviceEdit(e: Editing, name: string, rest: JsonPath, value: unknown): Splice[] {
  const block = e.read.blocks.get(blockKey(SERVICE, [name]));
  if (block === undefined) throw new Error(`no resource "${SERVICE}" "${name}"`);
  const settings = Object.entries(breakerSettings(rest, value)).map(
    ([k, v]) => [k.toLowerCase(), v] as [string, unknown],
  );
  const service = walk(e.read.root, ["resource", SERVICE, name])[3];
  const cb = service?.props?.get("deployment_circuit_breaker");
  if (cb?.syn === undefined) {
    // A new nested block at the end of the service, after a blank line as blocks usually are.
    const body = kids(block.syn).find((k) => k.type === "body");
    const lastItem = body === undefined ? undefined : kids(body).at(-1);
    const indent =
      lastItem === undefined ? e.indentAt(block.syn.start) + e.style.unit : e.indentAt(lastItem.start);
    const eol = e.style.eol;
    const inner = members(settings, indent + e.style.unit, { ...e.style, memberCommas: false });
    const place = e.placeAfter(lastItem?.end ?? block.open.end, block.close, e.indentAt(block.syn.start));
    const blank = lastItem === undefined ? "" : eol;
    return [
      {
        at: place.at,
        remove: 0,
        insert: `${eol}${blank}${indent}deployment_circuit_breaker {${eol}${inner.join(eol)}${eol}${indent}}${place.suffix}`,
      },
    ];
  }
  const out: Splice[] = [];
  const missing: Array<[string, unknown]> = [];
  for (const [k, v] of settings) {
    const current = cb.props?.get(k);
    if (current === undefined) missing.push([k, v]);
    else if (current.syn === undefined) refuse(["deployment_circuit_breaker", k], current, "cannot change");
    else if (current.value !== v) out.push(replaceValue(e, current, v));
  }
  if (missing.length > 0) out.push(insertMember(e, cb.syn, missing));
  return out;
}

// ---------------------------------------------------------------------------------------------------------

/** The splices one edit makes (sorted from the end, so they apply one after the other). */
export function terraformSplices(
  text: string,
  file: string,
  op: "set" | "append",
  path: JsonPath,
  value: unknown,
): Splice[] {
  const { internals } = readTerraformHcl(text, file);
  const [res, type, name, attr] = path;
  if (res !== "resource" || typeof name !== "string")
    throw new Error(`cannot edit ${describe(path)} in a Terraform file`);
  let splices: Splice[];
  if (type === SERVICE) {
    if (op !== "set") throw new Error(`cannot add to ${describe(path)}`);
    splices = serviceEdit(new Editing(text, internals, undefined), name, path.slice(3), value);
  } else if (type === TASK_DEFINITION && attr === "container_definitions") {
    const block = internals.blocks.get(blockKey(TASK_DEFINITION, [name]));
    splices = containerEdit(new Editing(text, internals, block?.syn), op, path, value);
  } else {
    throw new Error(
      `cannot edit ${describe(path)}: fix edits container_definitions and the service's circuit breaker only`,
    );
  }
  // From the end, so earlier offsets stay true; at one offset the later-listed text goes in first, so it
  // ends up after the earlier-listed one.
  return splices
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.at - a.s.at || b.i - a.i)
    .map((x) => x.s);
}

/** `DocumentEditor.set` / `append` for `.tf` text. */
export function editTerraform(
  text: string,
  file: string,
  op: "set" | "append",
  path: JsonPath,
  value: unknown,
): string {
  let out = text;
  for (const s of terraformSplices(text, file, op, path, value)) out = apply(out, s);
  return out;
}
