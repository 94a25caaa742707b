import fc from "fast-check";
import { visit } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { findExcessiveNesting, MAX_NESTING_DEPTH } from "../../src/taskdef/depth.js";
import { runs } from "../support/runs.js";

/** How deep jsonc-parser itself descends on `text`: the recursion the scan must never under-count. */
function parserDepth(text: string): number {
  let depth = 0;
  let max = 0;
  const down = (): void => {
    depth++;
    max = Math.max(max, depth);
  };
  const up = (): void => {
    depth--;
  };
  visit(
    text,
    { onObjectBegin: down, onArrayBegin: down, onObjectEnd: up, onArrayEnd: up },
    { disallowComments: true },
  );
  return max;
}

/** The smallest limit `text` does not exceed. */
function scanDepth(text: string): number {
  let limit = 0;
  while (findExcessiveNesting(text, limit) !== undefined) limit++;
  return limit;
}

describe("findExcessiveNesting", () => {
  it("finds the first bracket past the limit", () => {
    expect(findExcessiveNesting("[".repeat(4937))).toEqual({ offset: MAX_NESTING_DEPTH, limit: 64 });
    const tasks = `{"tasks":${"[".repeat(6000)}`;
    expect(findExcessiveNesting(tasks)).toEqual({ offset: 9 + 63, limit: 64 });
    expect(findExcessiveNesting(`${"[".repeat(64)}${"]".repeat(64)}`)).toBeUndefined();
    expect(findExcessiveNesting('{"a": [{"b": [1]}]}', 3)).toEqual({ offset: 13, limit: 3 });
  });

  it("skips strings, escaped quotes and backslashes included", () => {
    expect(findExcessiveNesting(`["${"[".repeat(100)}"]`, 1)).toBeUndefined();
    expect(findExcessiveNesting(`["\\"${"[".repeat(100)}"]`, 1)).toBeUndefined();
    expect(findExcessiveNesting(`["\\\\", [[`, 2)).toEqual({ offset: 8, limit: 2 });
  });

  it("ends a string at a line break and skips comments, as the parser does", () => {
    // The quote opens a string the parser closes at the line break: the brackets after it are structure.
    expect(findExcessiveNesting('["a\n[[[', 2)).toEqual({ offset: 5, limit: 2 });
    expect(findExcessiveNesting('// "\n[[[', 2)).toEqual({ offset: 7, limit: 2 });
    expect(findExcessiveNesting("/* [[[ */ [", 1)).toBeUndefined();
    expect(findExcessiveNesting('/* " */ [[', 1)).toEqual({ offset: 9, limit: 1 });
  });

  it("lets a closing bracket close only its own kind, as the parser does", () => {
    // jsonc-parser skips the stray `]` as an error and keeps descending into each `{`.
    const stray = '{] , "a": '.repeat(100);
    expect(parserDepth(stray)).toBe(100);
    expect(findExcessiveNesting(stray, 99)).toEqual({ offset: stray.lastIndexOf("{"), limit: 99 });
  });

  it("takes bounded time: 5 MB of strings and brackets in under 5 s on a busy machine", () => {
    const text = `[${'{"k": "v[{\\"]", "n": [1, 2, {"x": null}]}, '.repeat(110_000)}1]`;
    const started = performance.now();
    expect(findExcessiveNesting(text)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("never counts less than the parser descends, on any text", () => {
    const piece = fc.constantFrom(
      "[",
      "]",
      "{",
      "}",
      '"',
      "\\",
      "\n",
      "/",
      "*",
      "//",
      "/*",
      "*/",
      ",",
      ":",
      "a",
      " ",
      '"k":',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (pieces) => {
        const text = pieces.join("");
        expect(scanDepth(text)).toBeGreaterThanOrEqual(parserDepth(text));
      }),
      { numRuns: runs(3000) },
    );
  });

  it("counts exactly the nesting of valid JSON", () => {
    const valueDepth = (v: unknown): number =>
      typeof v === "object" && v !== null ? 1 + Math.max(0, ...Object.values(v).map(valueDepth)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(0, 2), (v, indent) => {
        expect(scanDepth(JSON.stringify(v, null, indent))).toBe(valueDepth(v));
      }),
    );
  });
});
