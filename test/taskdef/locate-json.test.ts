import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineIndex, parseDocument } from "../../src/taskdef/index.js";
import {
  BALANCED_DEPTH,
  JsonLocator,
  locateJson,
  skipShallowValue,
  skipValue,
} from "../../src/taskdef/locate-json.js";
import type { JsonPath } from "../../src/taskdef/model.js";
import { runs } from "../support/runs.js";

const texts = readdirSync("test/fixtures/firelens-examples")
  .filter((f) => f.endsWith(".json"))
  .map((f) => readFileSync(join("test/fixtures/firelens-examples", f), "utf8"));

/** Every path into the data, plus a missing child under each collection (the locator falls back to it). */
function pathsOf(data: unknown, base: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(base);
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) pathsOf(data[i], [...base, i], out);
    out.push([...base, data.length], [...base, "missing"]);
  } else if (typeof data === "object" && data !== null) {
    for (const [k, v] of Object.entries(data)) pathsOf(v, [...base, k], out);
    out.push([...base, "missing"], [...base, 0]);
  }
  return out;
}

describe("JsonLocator", () => {
  it("answers every path as the one-off scan does, in any order and with any skip", () => {
    for (const text of texts) {
      const paths = pathsOf(JSON.parse(text));
      const reversed = [...paths].reverse();
      for (const depth of [Number.POSITIVE_INFINITY, BALANCED_DEPTH]) {
        for (const order of [paths, reversed]) {
          const locator = new JsonLocator(text, false, depth);
          for (const path of order) expect(locator.locate(path)).toEqual(locateJson(text, path));
        }
      }
    }
  });

  it("resolves a repeated key to its last occurrence", () => {
    const text = '{"a": {"x": 1}, "b": [1, 2], "a": {"x": [true, {"y": "}"}]}}';
    const locator = new JsonLocator(text, true);
    for (const path of [["a"], ["a", "x"], ["a", "x", 1, "y"], ["b", 1], ["a", "x", 5]]) {
      expect(locator.locate(path)).toEqual(locateJson(text, path, true));
    }
    expect(text.slice(locator.locate(["a", "x", 1, "y"]).valueOffset)).toMatch(/^"\}"/);
  });

  it("keys with escapes and brackets inside strings", () => {
    const value = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.string({ unit: fc.constantFrom("a", "{", "]", '"', "\\", ":", "\n", "é") }),
        fc.integer(),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: fc.constantFrom("k", '"', "\\", "}", "/") }), tie("value"), {
          maxKeys: 4,
        }),
      ),
    })).value;
    fc.assert(
      fc.property(value, fc.constantFrom(0, 2), (data, indent) => {
        const text = JSON.stringify({ root: data }, null, indent);
        const locator = new JsonLocator(text, false, BALANCED_DEPTH);
        for (const path of pathsOf({ root: data })) {
          expect(locator.locate(path)).toEqual(locateJson(text, path));
        }
      }),
      { numRuns: runs(200) },
    );
  });
});

describe("skipping nested values", () => {
  it("the one-match skip ends where the bracket-by-bracket one does", () => {
    for (const text of texts) {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 123 || c === 91) expect(skipShallowValue(text, i)).toBe(skipValue(text, i));
      }
    }
  });

  it("falls back when the regex engine runs out of backtrack stack", () => {
    // Millions of strings in one value: more than a regex's backtrack stack holds.
    const many = `{${'"k":"v",'.repeat(2_000_000)}"z":1}`;
    expect(skipValue(many, 0)).toBe(many.length);
    expect(skipShallowValue(many, 0)).toBe(many.length);
    const escapes = `["${"x\\n".repeat(3_000_000)}"]`;
    expect(skipValue(escapes, 0)).toBe(escapes.length);
    expect(skipShallowValue(escapes, 0)).toBe(escapes.length);
  });
});

describe("finding positions", () => {
  it("line and column agree with a whole line index, asked in any order, for LF and CRLF text", () => {
    for (const text of texts.slice(0, 6)) {
      for (const variant of [text, text.replace(/\n/g, "\r\n")]) {
        const doc = parseDocument(variant, "t.json");
        const lines = new LineIndex(variant);
        const paths = pathsOf(JSON.parse(variant)).reverse();
        for (const path of paths) {
          const loc = doc.locate(path);
          expect({ line: loc.line, column: loc.column }).toEqual(lines.position(loc.offset));
        }
      }
    }
  });
});
