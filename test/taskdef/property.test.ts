import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument, serialize, TaskDefError } from "../../src/taskdef/index.js";

const texts = [
  ...readdirSync("test/fixtures/firelens-examples")
    .filter((f) => f.endsWith(".json"))
    .map((f) => readFileSync(join("test/fixtures/firelens-examples", f), "utf8")),
  ...readdirSync("test/fixtures/taskdef").map((f) => readFileSync(join("test/fixtures/taskdef", f), "utf8")),
];

/** Parse, and accept only success or our typed error; anything else fails the property. */
function parseOrTyped(text: string): void {
  try {
    const doc = parseDocument(text, "fuzz");
    expect(serialize(doc)).toBe(text);
    for (const td of doc.taskDefinitions) {
      for (const c of td.containers) {
        const loc = doc.locate(c.path);
        expect(loc.line).toBeGreaterThanOrEqual(1);
        expect(loc.offset).toBeLessThanOrEqual(text.length);
      }
    }
  } catch (e) {
    if (!(e instanceof TaskDefError)) throw e;
    expect(e.message.startsWith("fuzz")).toBe(true);
    if (e.line !== undefined) expect(e.line).toBeGreaterThanOrEqual(1);
  }
}

const mutation = fc.record({
  at: fc.nat(),
  cut: fc.nat({ max: 8 }),
  insert: fc.oneof(
    fc.constantFrom(
      "",
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      '"',
      "\n",
      "!Ref ",
      "- ",
      "  ",
      "&a ",
      "*a",
      "null",
      "#",
    ),
    fc.string({ maxLength: 4 }),
  ),
});

describe("never throws anything but TaskDefError", () => {
  it("on random JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        parseOrTyped(JSON.stringify(v));
        parseOrTyped(JSON.stringify({ containerDefinitions: v }));
        parseOrTyped(JSON.stringify({ containerDefinitions: [v] }));
        parseOrTyped(
          JSON.stringify({ Resources: { T: { Type: "AWS::ECS::TaskDefinition", Properties: v } } }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("on mutated fixture texts", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (text, edits) => {
          let t = text;
          for (const { at, cut, insert } of edits) {
            const i = at % (t.length + 1);
            t = t.slice(0, i) + insert + t.slice(i + cut);
          }
          parseOrTyped(t);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("on random strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => parseOrTyped(s)),
      { numRuns: 300 },
    );
  });
});
