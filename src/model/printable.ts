/**
 * Text from a document, made safe to print: the library's one escaper, in the model so every part can
 * reach it (diagnose renders through it; the CLI's own `cli/terminal.ts` escapes whole text outputs and
 * keeps our color codes). A container name, a stop reason or a service event message is whatever the
 * task's owner (or an attacker who can name a container) wrote; printed raw, `\u001b[2J` clears the user's
 * terminal and the bidirectional controls reorder what they read (https://trojansource.codes). These
 * characters are written as JSON-style `\uXXXX` escapes instead.
 */

/** C0 controls (tab and newline included: a name must not forge a line), DEL and the C1 controls. */
function isControl(c: number): boolean {
  return c <= 0x1f || (c >= 0x7f && c <= 0x9f);
}

/** Line and paragraph separators, the bidirectional marks, embeddings, overrides and isolates. */
function isInvisibleFormat(c: number): boolean {
  return (
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f
  );
}

function escapeWhere(text: string, unsafe: (c: number) => boolean): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!unsafe(c)) continue;
    out += `${text.slice(from, i)}\\u${c.toString(16).padStart(4, "0")}`;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** For text output: every control and invisible format character escaped. */
export function printable(text: string): string {
  return escapeWhere(text, (c) => isControl(c) || isInvisibleFormat(c));
}

/**
 * For `JSON.stringify` output, which already escapes C0 controls inside strings (and whose own line breaks
 * are layout): DEL, C1 and the invisible format characters, which it leaves raw. Outside strings JSON text
 * holds none of them, so the result is the same JSON value.
 */
export function printableJson(json: string): string {
  return escapeWhere(json, (c) => (c >= 0x7f && c <= 0x9f) || isInvisibleFormat(c));
}
