/**
 * Text for a terminal (or a file a person will `cat`): container names, messages and source lines come from
 * the user's documents, and a name such as "\u001b[2J…" would clear the screen, retitle the window or plant
 * a hyperlink. Every control character is therefore shown escaped (`\x1b`), with or without colors; only
 * our own color codes (SGR, `ESC [ digits m`) pass, and only when colors are on.
 */

/** Bidi overrides and isolates ("Trojan Source", https://trojansource.codes) and Unicode line separators. */
function isInvisibleFormat(code: number): boolean {
  return (
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x2028 ||
    code === 0x2029
  );
}

function escapeCode(code: number): string {
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Length of an SGR sequence (`ESC [ 0-9; m`) starting at `i`, or 0. */
function sgrLength(text: string, i: number): number {
  if (text.charCodeAt(i + 1) !== 0x5b) return 0;
  let j = i + 2;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 0x6d) return j - i + 1;
    if (!((c >= 0x30 && c <= 0x39) || c === 0x3b)) return 0;
    j++;
  }
  return 0;
}

/**
 * `text` with every C0/C1 control character except tab and newline, DEL, bidi controls and line separators
 * written as `\xNN` / `\uNNNN`. With `keepColors`, SGR color sequences are kept as they are.
 */
export function escapeControls(text: string, keepColors = false): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const control = (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
    if (!control && !isInvisibleFormat(code)) continue;
    if (code === 0x1b && keepColors) {
      const n = sgrLength(text, i);
      if (n > 0) {
        i += n - 1;
        continue;
      }
    }
    out += text.slice(from, i) + escapeCode(code);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
