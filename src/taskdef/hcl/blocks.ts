/** The syntax tree's blocks and attributes, as every Terraform reader and the `.tf` editor walk them. */
import { kids, stringValue, textOf } from "./evaluate.js";
import type { Syn } from "./parser.js";

export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly syn: Syn;
  /** The `body` node, absent for `{}`. */
  readonly body: Syn | undefined;
  readonly open: Syn;
  readonly close: Syn;
}

export interface HclAttribute {
  readonly name: string;
  readonly syn: Syn;
  readonly expr: Syn;
}

export function blocksOf(env: { readonly text: string }, body: Syn | undefined): HclBlock[] {
  if (body === undefined) return [];
  const out: HclBlock[] = [];
  for (const b of kids(body)) {
    if (b.type !== "block") continue;
    const parts = kids(b);
    const type = parts[0];
    const open = parts.find((k) => k.type === "block_start");
    const close = parts.find((k) => k.type === "block_end");
    if (type === undefined || open === undefined || close === undefined) continue;
    const labels: string[] = [];
    for (const p of parts.slice(1)) {
      if (p.type === "string_lit") labels.push(stringValue(env, p));
      else if (p.type === "identifier") labels.push(textOf(env, p));
      else break;
    }
    out.push({
      type: textOf(env, type),
      labels,
      syn: b,
      body: parts.find((k) => k.type === "body"),
      open,
      close,
    });
  }
  return out;
}

export function attributesOf(env: { readonly text: string }, body: Syn | undefined): HclAttribute[] {
  if (body === undefined) return [];
  const out: HclAttribute[] = [];
  for (const a of kids(body)) {
    if (a.type !== "attribute") continue;
    const [name, , expr] = kids(a);
    if (name === undefined || expr === undefined) continue;
    out.push({ name: textOf(env, name), syn: a, expr });
  }
  return out;
}

export function blockKey(type: string, labels: readonly string[]): string {
  return [type, ...labels].join("\u0000");
}
