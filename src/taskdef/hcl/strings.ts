/** HCL strings as Terraform reads them: quoted-template escapes, heredoc bodies, the parts of a template. */
import type { Syn } from "./parser.js";

/** Children that are not comments (comments are "extras": tree-sitter puts them anywhere). */
export function kids(syn: Syn): Syn[] {
  return syn.kids.filter((k) => k.type !== "comment");
}

export function textOf(env: { readonly text: string }, syn: Syn): string {
  return env.text.slice(syn.start, syn.end);
}

/** Quoted-template escapes (https://developer.hashicorp.com/terraform/language/expressions/strings). */
export function decodeQuoted(raw: string): string {
  if (!raw.includes("\\") && !raw.includes("$${") && !raw.includes("%%{")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === "\\") {
      const n = raw[i + 1];
      i++;
      if (n === "n") out += "\n";
      else if (n === "r") out += "\r";
      else if (n === "t") out += "\t";
      else if (n === "u" || n === "U") {
        const len = n === "u" ? 4 : 8;
        out += String.fromCodePoint(Number.parseInt(raw.slice(i + 1, i + 1 + len), 16));
        i += len;
      } else out += n ?? "";
    } else if ((c === "$" || c === "%") && raw[i + 1] === c && raw[i + 2] === "{") {
      out += `${c}{`;
      i += 2;
    } else out += c;
  }
  return out;
}

/** Heredoc text keeps backslashes; only `$${` and `%%{` are escapes there. */
export function decodeHeredoc(raw: string): string {
  return raw.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/**
 * The raw text of a heredoc's body, with `<<-` indentation removed, and for each character of the result
 * its offset in the document (for positions inside a heredoc that holds JSON).
 */
export function heredocBody(
  env: { readonly text: string },
  heredoc: Syn,
): { raw: string; offsets: number[] } {
  const parts = kids(heredoc);
  const start = parts[0];
  const open = parts[1];
  const close = parts[parts.length - 1];
  if (start === undefined || open === undefined || close === undefined || close === open) {
    return { raw: "", offsets: [] };
  }
  const text = env.text;
  let bodyStart = open.end;
  while (bodyStart < text.length && text[bodyStart] !== "\n") bodyStart++;
  bodyStart++;
  let bodyEnd = close.start;
  while (bodyEnd > bodyStart && text[bodyEnd - 1] !== "\n") bodyEnd--;
  const body = text.slice(bodyStart, bodyEnd);
  const lines = body.split("\n");
  let strip = 0;
  if (textOf(env, start) === "<<-") {
    strip = Number.POSITIVE_INFINITY;
    for (const line of lines) {
      if (line.trim() === "") continue;
      const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
      strip = Math.min(strip, indent);
    }
    if (!Number.isFinite(strip)) strip = 0;
  }
  let raw = "";
  const offsets: number[] = [];
  let at = bodyStart;
  lines.forEach((line, i) => {
    const cut = Math.min(strip, /^[ \t]*/.exec(line)?.[0].length ?? 0);
    const kept = line.slice(cut);
    for (let j = 0; j < kept.length; j++) offsets.push(at + cut + j);
    raw += kept;
    at += line.length;
    if (i < lines.length - 1) {
      offsets.push(at);
      raw += "\n";
      at++;
    }
  });
  return { raw, offsets };
}

export function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/**
 * The parts of a quoted string or template: literal text as written (taken from the source between the
 * other parts, because the grammar leaves spaces at a literal's edges out of its `template_literal` nodes)
 * and the interpolations and directives.
 */
export function quotedParts(
  env: { readonly text: string },
  quoted: Syn,
): Array<{ readonly text: string } | { readonly syn: Syn }> {
  const parts = kids(quoted);
  const open = parts[0];
  const close = parts[parts.length - 1];
  if (open === undefined || close === undefined || open === close) return [];
  const out: Array<{ readonly text: string } | { readonly syn: Syn }> = [];
  let at = open.end;
  for (const p of parts.slice(1, -1)) {
    if (p.type !== "template_interpolation" && p.type !== "template_directive") continue;
    if (p.start > at) out.push({ text: env.text.slice(at, p.start) });
    out.push({ syn: p });
    at = p.end;
  }
  if (close.start > at) out.push({ text: env.text.slice(at, close.start) });
  return out;
}

/** A string literal's value (`string_lit`: no interpolation). */
export function stringValue(env: { readonly text: string }, lit: Syn): string {
  return quotedParts(env, lit)
    .map((p) => ("text" in p ? decodeQuoted(p.text) : ""))
    .join("");
}
