/**
 * How a Terraform file is laid out, read from the file itself so that inserted HCL looks like its
 * neighbours: line ends, the indentation step, whether `=` signs of neighbouring one-line members are
 * aligned (as `terraform fmt` does) or written `key = value`, and whether members end with commas.
 *
 * Alignment is judged the way `terraform fmt` groups lines: a run is made of consecutive one-line members
 * of one object or block body, each on the line after the previous one; a member whose value spans lines,
 * a blank line or a comment line ends the run.
 */
import { kids } from "./evaluate.js";
import type { Syn } from "./parser.js";

export interface HclStyle {
  readonly eol: "\n" | "\r\n";
  /** One indentation step (`"  "`, `"    "` or `"\t"`). */
  readonly unit: string;
  /** Align `=` in runs of one-line members. */
  readonly align: boolean;
  /** End each object member with a comma (`name = "app",`). */
  readonly memberCommas: boolean;
}

export interface MemberLine {
  /** Offset of the key's first character. */
  readonly keyStart: number;
  readonly keyEnd: number;
  /** Offset of the `=` (or `:`). */
  readonly eq: number;
  readonly start: number;
  readonly end: number;
}

/** Offsets of line starts. */
export class Lines {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  column(offset: number): number {
    return offset - (this.starts[this.line(offset)] ?? 0);
  }
  /** Text between the previous line's end and `offset`'s line start is only blank? */
  indentOf(offset: number): string {
    const start = this.starts[this.line(offset)] ?? 0;
    return /^[ \t]*/.exec(this.text.slice(start, offset))?.[0] ?? "";
  }
}

/** The members of every object and block body in the tree, grouped by their container, in order. */
export function memberGroups(text: string, root: Syn): MemberLine[][] {
  const groups: MemberLine[][] = [];
  const visit = (node: Syn): void => {
    if (node.type === "object" || node.type === "body") {
      const group: MemberLine[] = [];
      for (const k of kids(node)) {
        if (k.type !== "object_elem" && k.type !== "attribute") continue;
        const parts = k.kids;
        const key = parts[0];
        const eq = parts.find(
          (p) => !p.named && (text.slice(p.start, p.end) === "=" || text.slice(p.start, p.end) === ":"),
        );
        if (key === undefined || eq === undefined) continue;
        group.push({ keyStart: key.start, keyEnd: key.end, eq: eq.start, start: k.start, end: k.end });
      }
      if (group.length > 0) groups.push(group);
    }
    for (const k of node.kids) visit(k);
  };
  visit(root);
  return groups;
}

/** Runs of consecutive one-line members (see the module comment). */
export function runs(text: string, lines: Lines, groups: readonly MemberLine[][]): MemberLine[][] {
  const out: MemberLine[][] = [];
  for (const group of groups) {
    let run: MemberLine[] = [];
    let prevEndLine = -2;
    for (const m of group) {
      const startLine = lines.line(m.start);
      const endLine = lines.line(m.end);
      // Several members on one line (`{ a = 1, b = 2 }`) take no part in vertical alignment.
      const eligible = startLine === endLine && !sharesLine(text, lines, m);
      if (eligible && run.length > 0 && startLine === prevEndLine + 1) {
        run.push(m);
      } else {
        if (run.length > 0) out.push(run);
        run = eligible ? [m] : [];
      }
      prevEndLine = endLine;
    }
    if (run.length > 0) out.push(run);
  }
  return out;
}

function sharesLine(text: string, lines: Lines, m: MemberLine): boolean {
  const line = lines.line(m.start);
  const start = lines.starts[line] ?? 0;
  const end = lines.starts[line + 1] ?? text.length;
  const before = text.slice(start, m.start).trim();
  const after = text
    .slice(m.end, end)
    .replace(/\s*(#|\/\/).*$/, "")
    .trim();
  return (
    !(before === "" || before === "{") || !(after === "" || after === "," || after === "}" || after === "},")
  );
}

/** Whether every run has its `=` signs in one column, one space after its longest key. */
export function isAligned(lines: Lines, rs: readonly MemberLine[][]): boolean {
  for (const run of rs) {
    if (run.length < 2) {
      const m = run[0];
      if (m !== undefined && gap(m) !== 1) return false;
      continue;
    }
    const cols = run.map((m) => lines.column(m.eq));
    if (cols.some((c) => c !== cols[0])) return false;
    if (Math.min(...run.map((m) => gap(m))) !== 1) return false;
  }
  return true;
}

/** Whether every one-line member is written `key = value` with one space. */
export function isCompact(rs: readonly MemberLine[][]): boolean {
  return rs.every((run) => run.every((m) => gap(m) === 1));
}

function gap(m: MemberLine): number {
  return m.eq - m.keyEnd;
}

export function detectStyle(text: string, root: Syn, region?: Syn): HclStyle {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = new Lines(text);
  const scope = region ?? root;
  const groups = memberGroups(text, scope);
  const rs = runs(text, lines, groups);
  const aligned = isAligned(lines, rs);
  const compact = isCompact(rs);
  // When both hold (no run has keys of different lengths) the file says nothing: `terraform fmt` aligns.
  let align = aligned || !compact;
  if (region !== undefined && aligned && compact) {
    const whole = runs(text, lines, memberGroups(text, root));
    align = isAligned(lines, whole) || !isCompact(whole);
  }
  let unit = "";
  let withComma = 0;
  let withoutComma = 0;
  for (const group of groups) {
    for (const m of group) {
      const after = text.slice(m.end, m.end + 1);
      if (lines.line(m.start) === lines.line(m.end) && !sharesLine(text, lines, m)) {
        if (after === ",") withComma++;
        else withoutComma++;
      }
    }
  }
  // The indentation step: the smallest positive difference between a member and its container's line.
  const steps = new Map<string, number>();
  for (const group of memberGroups(text, root)) {
    for (const m of group) {
      const indent = lines.indentOf(m.start);
      if (indent.startsWith("\t")) steps.set("\t", (steps.get("\t") ?? 0) + 1);
    }
  }
  if ((steps.get("\t") ?? 0) > 0) unit = "\t";
  else {
    let best = 0;
    for (const group of memberGroups(text, root)) {
      const first = group[0];
      if (first === undefined) continue;
      const inner = lines.indentOf(first.start).length;
      // The container starts on the line before its first member in block style.
      const outerLine = lines.line(first.start) - 1;
      if (outerLine < 0) continue;
      const outerStart = lines.starts[outerLine] ?? 0;
      const outer = /^[ \t]*/.exec(text.slice(outerStart))?.[0].length ?? 0;
      const d = inner - outer;
      if (d > 0 && (best === 0 || d < best)) best = d;
    }
    unit = " ".repeat(best === 0 ? 2 : Math.min(best, 8));
  }
  return { eol, unit, align, memberCommas: withComma > withoutComma };
}
