/** How the simulator's figures and the names it got from documents read in text and in the report. */

/** A whole number with thousands separators ("22,201"); "–" when there is none. */
export const int = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");

export const seconds = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(0)} s` : "–");

/**
 * `part` of `whole` as a percentage that never rounds a non-zero part to 0 or a partial whole to 100:
 * one decimal from 1 %, two significant digits below ("0.049 %"), "< 0.001 %" below that, "> 99.9 %"
 * just short of the whole.
 */
export function percent(part: number, whole: number): string {
  if (!(whole > 0) || !Number.isFinite(part)) return "–";
  if (part === 0) return "0 %";
  if (part === whole) return "100 %";
  const p = (100 * part) / whole;
  if (p >= 99.95 && p < 100) return "> 99.9 %";
  if (p >= 1) return `${p.toFixed(1)} %`;
  if (p >= 0.001) return `${Number(p.toPrecision(2))} %`;
  return "< 0.001 %";
}

/**
 * Characters that would act on a terminal (or hide text) rather than show: C0 and C1 controls, DEL, and
 * the bidirectional overrides that reorder what a reader sees (https://trojansource.codes/).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A name from a document, safe to print: each control character shown as its escape (`\x1b`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Text for HTML, in content or in a double-quoted attribute; controls shown as their escapes too. */
export const html = (text: string): string =>
  printable(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
