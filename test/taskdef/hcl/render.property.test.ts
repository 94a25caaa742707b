/**
 * Whatever fix writes into a .tf must read back as the value it meant: any JSON-like value (strings with
 * `${`, `%{`, quotes, backslashes, line breaks, any Unicode; keys that need quoting), rendered in any
 * style, evaluates to itself.
 */
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { render } from "../../../src/taskdef/hcl/render.js";
import { loadHclParser, parseDocument } from "../../../src/taskdef/index.js";
import { runs } from "../../support/runs.js";

beforeAll(async () => {
  await loadHclParser();
});

const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.constantFrom(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation syntax, on purpose
    "${var.x}",
    "$${x}",
    "%{ if a }",
    "a\\b",
    'say "hi"',
    "line\nbreak\ttab",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation-style placeholder, on purpose
    "arn:${Partition}:x",
  ),
);
const key = fc.oneof(
  fc.constantFrom("name", "dependsOn", "config-file-type", "a.b", "for", "9lives", ""),
  text,
);
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)),
  node: fc.oneof({ depthSize: "small" }, tie("leaf"), tie("list"), tie("object")),
  list: fc.array(tie("node"), { maxLength: 3 }),
  object: fc.dictionary(key, tie("node"), { maxKeys: 3 }),
})).node;

const style = fc.record({
  eol: fc.constantFrom<"\n" | "\r\n">("\n", "\r\n"),
  unit: fc.constantFrom("  ", "    ", "\t"),
  align: fc.boolean(),
  memberCommas: fc.boolean(),
});

it("rendered HCL reads back as the value", () => {
  fc.assert(
    fc.property(
      fc.array(fc.dictionary(key, value, { maxKeys: 4 }), { maxLength: 3 }),
      style,
      (containers, s) => {
        const tf = `resource "aws_ecs_task_definition" "t" {${s.eol}  container_definitions = jsonencode(${render(containers, "  ", s)})${s.eol}}${s.eol}`;
        const doc = parseDocument(tf, "render.tf");
        expect(doc.taskDefinitions[0]?.containers.map((c) => c.definition)).toEqual(containers);
      },
    ),
    { numRuns: runs(150) },
  );
});
