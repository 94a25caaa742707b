import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { findNodeAtLocation, parseTree } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import {
  MAX_ALIAS_NODES,
  MAX_NESTING_DEPTH,
  parseDocument,
  serialize,
  TaskDefError,
} from "../../src/taskdef/index.js";
import { runs } from "../support/runs.js";

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
      { numRuns: runs(300) },
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
      { numRuns: runs(500) },
    );
  });

  it("on random strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => parseOrTyped(s)),
      { numRuns: runs(300) },
    );
  });
});

describe("locating paths in JSON", () => {
  /** Every path into a value, with the value at it. */
  function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
    const out = [prefix];
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        out.push(...paths(v, [...prefix, i]));
      });
    } else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
    }
    return out;
  }

  it("agrees with jsonc-parser's tree for every path of random documents", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 5 }),
        fc.constantFrom<string | number | undefined>(undefined, 2, 4, "\t"),
        (value, indent) => {
          const text = JSON.stringify({ containerDefinitions: [], extra: value }, null, indent);
          const doc = parseDocument(text, "loc.json");
          const tree = parseTree(text);
          if (tree === undefined) throw new Error("jsonc-parser failed");
          for (const path of paths(JSON.parse(text))) {
            const node = findNodeAtLocation(tree, path);
            if (node === undefined) throw new Error(`no node at ${JSON.stringify(path)}`);
            const holder = node.parent?.type === "property" ? node.parent : node;
            const loc = doc.locate(path);
            expect([loc.offset, loc.length]).toEqual([
              holder.offset,
              node.offset + node.length - holder.offset,
            ]);
          }
        },
      ),
      { numRuns: runs(200) },
    );
  });
});

describe("limits, with an oracle", () => {
  it("reads nesting up to MAX_NESTING_DEPTH and refuses one level more, JSON and YAML", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.boolean(), (extra, over, yaml) => {
        // The container sits at depth 3 (root, list, container); `x` adds the rest.
        const total = over ? MAX_NESTING_DEPTH + extra : MAX_NESTING_DEPTH - extra + 1;
        const inner = total - 3;
        const nest = `${"[".repeat(inner)}${"]".repeat(inner)}`;
        const text = yaml
          ? `containerDefinitions:\n  - name: a\n    x: ${nest}\n`
          : `{"containerDefinitions": [{"name": "a", "x": ${nest}}]}`;
        const file = yaml ? "d.yaml" : "d.json";
        if (total <= MAX_NESTING_DEPTH) {
          expect(parseDocument(text, file).taskDefinitions[0]?.containers[0]?.name).toBe("a");
        } else {
          expect(() => parseDocument(text, file)).toThrow(TaskDefError);
          try {
            parseDocument(text, file);
          } catch (e) {
            expect((e as TaskDefError).kind).toBe("too-deep");
            expect((e as TaskDefError).line).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: runs(100) },
    );
  });

  it("reads modest alias use and stops alias explosions, in bounded time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom("environment", "command", "dockerLabels"),
        (fanout, levels, field) => {
          const lines = [`l0: &l0 [${Array(fanout).fill('"x"').join(", ")}]`];
          for (let k = 1; k < levels; k++) {
            lines.push(
              `l${k}: &l${k} [${Array(fanout)
                .fill(`*l${k - 1}`)
                .join(", ")}]`,
            );
          }
          lines.push(
            "containerDefinitions:",
            "  - name: app",
            "    image: nginx",
            `    ${field}: *l${levels - 1}`,
          );
          const text = lines.join("\n");
          // Leaves behind the last anchor: fanout^levels. Every level's anchor is expanded where it is defined and
          // where it is used, and the lists and alias nodes on the way count too: in all, under 8 × the leaves.
          const leaves = fanout ** levels;
          const t0 = performance.now();
          let error: TaskDefError | undefined;
          try {
            parseDocument(text, "aliases.yaml");
          } catch (e) {
            if (!(e instanceof TaskDefError)) throw e;
            error = e;
          }
          expect(performance.now() - t0).toBeLessThan(2000);
          if (leaves * 8 < MAX_ALIAS_NODES) expect(error).toBeUndefined();
          if (leaves > MAX_ALIAS_NODES) expect(error?.kind).toBe("too-many-aliases");
        },
      ),
      { numRuns: runs(150) },
    );
  });

  it("never throws anything but TaskDefError on names of any type, in any format", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), (name, target) => {
        const containers = [
          { name, image: "x", essential: true },
          { name: "b", image: "y", dependsOn: [{ containerName: target, condition: "START" }] },
        ];
        parseOrTyped(JSON.stringify({ containerDefinitions: containers }));
        parseOrTyped(
          JSON.stringify({
            Resources: {
              T: {
                Type: "AWS::ECS::TaskDefinition",
                Properties: {
                  ContainerDefinitions: containers.map((c) => ({
                    Name: c.name,
                    Image: c.image,
                    DependsOn: c.dependsOn,
                  })),
                },
              },
            },
          }),
        );
      }),
      { numRuns: runs(200) },
    );
  });
});
