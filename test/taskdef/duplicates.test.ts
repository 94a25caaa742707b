/**
 * Duplicate JSON keys: the last one wins in the view, in `locate` and in edits, as in `JSON.parse` and the AWS CLI,
 * and every duplicate is listed on the document. The cheap census may say "maybe" without cause, never "no" when
 * there is one: checked against jsonc-parser's own reading of the keys.
 */
import fc from "fast-check";
import { visit } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { census, findDuplicateKeys } from "../../src/taskdef/duplicates.js";
import { DocumentEditor, parseDocument } from "../../src/taskdef/index.js";
import { runs } from "../support/runs.js";

/** The issue's example: an empty list first, the real one last. */
const SHADOWED = [
  "{",
  '  "family": "web",',
  '  "containerDefinitions": [],',
  '  "cpu": "256",',
  '  "containerDefinitions": [',
  '    {"name": "log-router", "image": "amazon/aws-for-fluent-bit:2.32.0", "firelensConfiguration": {"type": "fluentbit"}},',
  '    {"name": "app", "image": "nginx", "logConfiguration": {"logDriver": "awsfirelens"}}',
  "  ]",
  "}",
  "",
].join("\n");

describe("a key written twice", () => {
  const doc = parseDocument(SHADOWED, "dup.json");

  it("reads the last one, as JSON.parse and the AWS CLI do", () => {
    expect(doc.taskDefinitions[0]?.containers.map((c) => c.name)).toEqual(["log-router", "app"]);
  });

  it("locates the last one", () => {
    expect(doc.locate(["containerDefinitions"])).toMatchObject({ line: 5, column: 3 });
    expect(doc.locate(["containerDefinitions", 1, "name"])).toMatchObject({ line: 7, column: 6 });
  });

  it("lists every occurrence", () => {
    expect(doc.duplicateKeys.map((d) => [d.path, d.occurrences.map((o) => [o.line, o.column])])).toEqual([
      [
        ["containerDefinitions"],
        [
          [3, 3],
          [5, 3],
        ],
      ],
    ]);
  });

  it("edits the last one", () => {
    const ed = new DocumentEditor(doc);
    ed.set(["containerDefinitions", 1, "essential"], true);
    ed.append(["containerDefinitions"], { name: "gate" });
    const again = ed.document();
    expect(again.taskDefinitions[0]?.containers.map((c) => c.name)).toEqual(["log-router", "app", "gate"]);
    expect(ed.text.split("\n")[2]).toBe('  "containerDefinitions": [],');
  });

  it("has none in a document without duplicates, and the walk stays cheap", () => {
    const clean = parseDocument(SHADOWED.replace('  "containerDefinitions": [],\n', ""), "ok.json");
    expect(clean.duplicateKeys).toEqual([]);
  });

  it("finds duplicates at any depth, with escaped keys, and ignores colons in strings", () => {
    const text = '{"a": "x:y", "b": {"c": 1, "c": [{"\\u0064": 1, "d": 2}]}, "a": "1:2:3"}';
    expect(findDuplicateKeys(text).map((d) => [d.path, d.offsets.length])).toEqual([
      [["a"], 2],
      [["b", "c"], 2],
      [["b", "c", 0, "d"], 2],
    ]);
    expect(census(text, JSON.parse(text), 100).mayHaveDuplicates).toBe(true);
    const none = '{"a": "x:y", "b": {"c": [1, {"d": "::"}]}}';
    expect(census(none, JSON.parse(none), 100).mayHaveDuplicates).toBe(false);
  });
});

/** Duplicate keys per object, as jsonc-parser's visitor reads them (an oracle independent of our scanner). */
function oracle(text: string): string[] {
  const out: string[] = [];
  const stack: Array<{ keys: Map<string, number>; path: string; index: number; key?: string }> = [];
  const here = (): string => {
    const top = stack[stack.length - 1];
    if (top === undefined) return "";
    return top.key !== undefined ? `${top.path}.${top.key}` : `${top.path}[${top.index}]`;
  };
  visit(text, {
    onObjectBegin: () => {
      stack.push({ keys: new Map(), path: here(), index: 0 });
    },
    onObjectProperty: (key) => {
      const top = stack[stack.length - 1];
      if (top === undefined) return;
      top.keys.set(key, (top.keys.get(key) ?? 0) + 1);
      top.key = key;
    },
    onObjectEnd: () => {
      const top = stack.pop();
      for (const [k, n] of top?.keys ?? []) if (n > 1) out.push(`${top?.path}.${k}`);
      const parent = stack[stack.length - 1];
      if (parent !== undefined && parent.key === undefined) parent.index++;
    },
    onArrayBegin: () => {
      stack.push({ keys: new Map(), path: here(), index: 0 });
    },
    onArrayEnd: () => {
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent !== undefined && parent.key === undefined) parent.index++;
    },
    onLiteralValue: () => {
      const top = stack[stack.length - 1];
      if (top !== undefined && top.key === undefined) top.index++;
    },
  });
  return out.sort();
}

function asPath(path: ReadonlyArray<string | number>): string {
  return path.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("");
}

describe("duplicate detection over generated documents", () => {
  /** Objects written by hand so keys can repeat; keys drawn from a small set so they do. */
  const key = fc.constantFrom("a", "b", "name", "x:y", 'q"uote', "é");
  const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
    v: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom("1", "true", "null", '"s"', '"a:b"', '":"'),
      fc
        .array(fc.tuple(key, tie("v")), { maxLength: 4 })
        .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ")}}`),
      fc.array(tie("v"), { maxLength: 3 }).map((items) => `[${items.join(",")}]`),
    ),
  })).v;

  it("the census never misses a duplicate, and the scan finds exactly jsonc-parser's", () => {
    let withDuplicates = 0;
    fc.assert(
      fc.property(value, (text) => {
        const expected = oracle(text);
        const found = findDuplicateKeys(text)
          .map((d) => {
            const parent = d.path.slice(0, -1);
            return `${asPath(parent)}.${String(d.path[d.path.length - 1])}`;
          })
          .sort();
        expect(found).toEqual(expected);
        if (expected.length > 0) {
          withDuplicates++;
          expect(census(text, JSON.parse(text), 1000).mayHaveDuplicates).toBe(true);
        }
      }),
      { numRuns: runs(400) },
    );
    expect(withDuplicates).toBeGreaterThan(40);
  });
});
