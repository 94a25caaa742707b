/** A file's layout as the editors follow it: its dominant line ending and indentation. */

export interface Layout {
  readonly eol: "\n" | "\r\n";
  readonly tabs: boolean;
  /** Spaces per level (1 with tabs). */
  readonly indent: number;
}

/** Lines looked at for the indentation: enough for a majority, and a 200 MB file costs no more than a small one. */
export const LAYOUT_SAMPLE_LINES = 5000;

/**
 * The file's dominant line ending and indentation, by majority: one stray tab-indented line (or CRLF line) in a
 * file written otherwise does not decide for it. The space unit is the most common step between the indentation
 * of neighbouring lines.
 */
export function detectLayout(text: string): Layout {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
    if (text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  const eol = crlf > lf ? "\r\n" : "\n";
  let tabLines = 0;
  let spaceLines = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  let lineStart = 0;
  for (let n = 0; n < LAYOUT_SAMPLE_LINES && lineStart < text.length; n++) {
    let end = text.indexOf("\n", lineStart);
    if (end < 0) end = text.length;
    let i = lineStart;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const c = text.charCodeAt(i);
    const content = i < end && c !== 13 && c !== 35; // blank lines and YAML comments say nothing
    if (content) {
      if (text.charCodeAt(lineStart) === 9) tabLines++;
      else {
        const width = i - lineStart;
        if (width > 0) spaceLines++;
        const step = Math.abs(width - previous);
        if (step > 0 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
        previous = width;
      }
    }
    lineStart = end + 1;
  }
  const tabs = tabLines > spaceLines;
  let indent = 2;
  let best = 0;
  for (const [step, count] of steps) {
    if (count > best || (count === best && step < indent)) {
      indent = step;
      best = count;
    }
  }
  return { eol, tabs, indent: tabs ? 1 : indent };
}
