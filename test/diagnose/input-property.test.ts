import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DiagnoseInputError,
  diagnose,
  parseDiagnoseInput,
  renderDiagnosisJson,
  renderDiagnosisText,
} from "../../src/diagnose/index.js";
import { runs } from "../support/runs.js";
import { fullDocument, type Path, pathText, SCALAR_FIELDS, STRUCTURE_FIELDS, setAt } from "./fields.js";
import { controlCharacter } from "./helpers.js";

const PATHS: readonly Path[] = [...SCALAR_FIELDS.map((f) => f.path), ...STRUCTURE_FIELDS];

/** Values of every JSON type, and the ones that have broken readers before. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    5,
    -0,
    1.5,
    1e300,
    1e20,
    "",
    "yesterday",
    "\u001b[2J\u009b31m\u202e",
    { a: 1 },
    [],
    [null],
    { __proto__: null, toString: 1 },
    { name: { a: 1 } },
    true,
    null,
  ),
);

describe("parseDiagnoseInput on wrong-typed values at the fields diagnose reads", () => {
  it("returns a usable input with notes only at the changed fields, or throws a located DiagnoseInputError there", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...PATHS), { minLength: 1, maxLength: 3 }),
        fc.array(anyValue, { minLength: 3, maxLength: 3 }),
        fc.constantFrom(0, 2),
        (paths, values, indent) => {
          const doc = fullDocument();
          // Deeper paths first, so that replacing a container does not hide the change made inside it.
          const sorted = [...paths].sort((a, b) => b.length - a.length);
          sorted.forEach((p, i) => {
            setAt(doc, p, values[i]);
          });
          const text = JSON.stringify(doc, null, indent);
          const changed = sorted.map(pathText);
          const within = (inner: string, outer: string): boolean =>
            inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
          // A note is about a changed value or something inside it.
          const under = (jsonPath: string): boolean => changed.some((c) => within(jsonPath, c));
          // An error may also blame what holds a changed value: a task whose ARN and containers are both
          // gone is no longer a task.
          const related = (jsonPath: string): boolean =>
            changed.some((c) => within(jsonPath, c) || within(c, jsonPath));
          let input: ReturnType<typeof parseDiagnoseInput>;
          try {
            input = parseDiagnoseInput(text, "x.json");
          } catch (e) {
            expect(e).toBeInstanceOf(DiagnoseInputError);
            const err = e as DiagnoseInputError;
            expect(err.message).toMatch(/^x\.json:\d+:\d+: /);
            expect(controlCharacter(err.message)).toBeUndefined();
            expect(related(err.jsonPath ?? "")).toBe(true);
            return;
          }
          for (const n of input.notes) expect(under(n.jsonPath)).toBe(true);
          const d = diagnose(input.tasks, {
            services: input.services,
            failures: input.failures,
            inputNotes: input.notes,
          });
          const rendered = renderDiagnosisText(d) + renderDiagnosisText(d, { color: false });
          expect(controlCharacter(rendered)).toBeUndefined();
          JSON.parse(renderDiagnosisJson(d));
        },
      ),
      { numRuns: runs(1000) },
    );
  });

  it("never lets an untyped exception out, whatever replaces a field or the whole document", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS, []), anyValue, (path, value) => {
        let doc: unknown = fullDocument();
        if (path.length === 0) doc = value;
        else setAt(doc, path, value);
        try {
          const input = parseDiagnoseInput(JSON.stringify(doc) ?? "null", "y.json");
          renderDiagnosisText(diagnose(input.tasks, { services: input.services, failures: input.failures }));
        } catch (e) {
          expect(e).toBeInstanceOf(DiagnoseInputError);
        }
      }),
      { numRuns: runs(1000) },
    );
  });
});
