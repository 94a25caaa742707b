/**
 * SARIF regions' ends, which formatSarif computes from the file's text: exact values on a text with LF, CRLF,
 * blank lines and an extent past the end, and agreement with a plain scan of the text at every offset.
 */
import { describe, expect, it } from "vitest";
import { formatSarif } from "../../src/rules/index.js";
import type { Finding, LintFileResult } from "../../src/rules/types.js";

function finding(file: string, offset: number, length: number, n: number): Finding {
  return {
    ruleId: "FLP201",
    severity: "error",
    title: "t",
    message: `m${n}`,
    messageId: `id${n}`,
    taskDefinition: "td",
    // Start positions are the document's (the engine's); only the end is computed from the text.
    location: { file, line: 1, column: 1, offset, length },
    jsonPath: `$.x[${n}]`,
    fixHint: "h",
  };
}

type Region = Record<string, number>;

function regions(results: LintFileResult[]): Region[] {
  const log = JSON.parse(formatSarif(results, { toolVersion: "0.0.0" }));
  return log.runs[0].results.map(
    (r: { locations: Array<{ physicalLocation: { region: Region } }> }) =>
      r.locations[0]?.physicalLocation.region,
  );
}

/** The end of an extent as a scan from the start of the text finds it: lines end at `\n`. */
function scanned(text: string, offset: number): { endLine: number; endColumn: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { endLine: line, endColumn: offset - last };
}

describe("SARIF region ends", () => {
  // a0 b1 \n2 c3 d4 \r5 \n6 e7 f8 \n9 \n10 g11 h12: line starts 0, 3, 7, 10, 11.
  const text = "ab\ncd\r\nef\n\ngh";
  const cases: Array<[offset: number, length: number, endLine: number, endColumn: number]> = [
    [0, 1, 1, 2],
    [0, 2, 1, 3],
    [1, 2, 2, 1],
    [3, 3, 2, 4],
    [4, 1, 2, 3],
    [7, 4, 5, 1],
    [11, 2, 5, 3],
    [12, 5, 5, 7],
  ];

  it("are exact on LF and CRLF lines, blank lines, the end of the text and past it", () => {
    const findings = cases.map(([offset, length], n) => finding("a.json", offset, length, n));
    const got = regions([{ file: "a.json", text, findings }]);
    expect(got).toEqual(
      cases.map(([offset, length, endLine, endColumn]) => ({
        startLine: 1,
        startColumn: 1,
        endLine,
        endColumn,
        charOffset: offset,
        charLength: length,
      })),
    );
  });

  it("come from each file's own text, and need a text and an extent", () => {
    const got = regions([
      { file: "a.json", text, findings: [finding("a.json", 1, 2, 0), finding("a.json", 4, 0, 1)] },
      { file: "b.json", text: "x\ny", findings: [finding("b.json", 2, 1, 2)] },
      { file: "c.json", findings: [finding("c.json", 2, 1, 3)] },
    ]);
    expect(got).toEqual([
      { startLine: 1, startColumn: 1, endLine: 2, endColumn: 1, charOffset: 1, charLength: 2 },
      { startLine: 1, startColumn: 1 },
      { startLine: 1, startColumn: 1, endLine: 2, endColumn: 2, charOffset: 2, charLength: 1 },
      { startLine: 1, startColumn: 1 },
    ]);
  });

  it("agree with a scan of the text at every offset, in findings given out of order", () => {
    const long = Array.from(
      { length: 40 },
      (_, i) => `${"  ".repeat(i % 5)}"k${i}": ${i}${i % 3 ? "\r\n" : "\n"}`,
    )
      .join("")
      .concat("}");
    const offsets = Array.from({ length: long.length + 2 }, (_, i) => i).reverse();
    const findings = offsets.map((o, n) => finding("l.json", o, 1 + (n % 7), n));
    const got = regions([{ file: "l.json", text: long, findings }]);
    // Results come sorted by offset; each end is where a scan from the text's start puts it.
    const expected = [...findings]
      .sort((a, b) => a.location.offset - b.location.offset)
      .map((f) => scanned(long, f.location.offset + f.location.length));
    expect(got.map((r) => ({ endLine: r.endLine, endColumn: r.endColumn }))).toEqual(expected);
  });
});
