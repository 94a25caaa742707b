/**
 * A fixed task definition has no RegisterTaskDefinition validation error that its input did not have, checked by
 * AWS's own API model (botocore's ParamValidator, offline) over every API-shaped fixture the project holds.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixText } from "../../src/fix/index.js";
import { parseDocument } from "../../src/taskdef/index.js";
import { botocoreMissing, registerInput, validateRegisterTaskDefinition } from "../support/botocore.js";

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:1";
const API_SHAPED = new Set(["ecs-json", "describe-task-definition", "container-definitions"]);

function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => join(dir, f));
}

const files = [
  "examples/seed/before.json",
  "examples/seed/after.json",
  ...filesIn("test/fixtures/firelens-examples"),
  ...filesIn("test/fixtures/taskdef"),
  ...filesIn("test/fixtures/cases"),
].filter((file) => API_SHAPED.has(parseDocument(readFileSync(file, "utf8"), file).format));

describe.skipIf(botocoreMissing() !== undefined)(
  "fix output against botocore's RegisterTaskDefinition model",
  () => {
    it(`adds no validation error to any of the ${files.length} API-shaped fixtures`, () => {
      const pairs = files.map((file) => {
        const text = readFileSync(file, "utf8");
        const fixed = fixText(text, file, { probeImage: IMAGE, routerMonitoring: true });
        return { file, changed: fixed.changed, before: JSON.parse(text), after: JSON.parse(fixed.text) };
      });
      expect(pairs.filter((p) => p.changed).length).toBeGreaterThan(20);
      const reports = validateRegisterTaskDefinition(
        pairs.flatMap((p) => [registerInput(p.before), registerInput(p.after)]),
      );
      const added = pairs
        .map((p, i) => {
          const before = new Set(reports[2 * i]);
          return { file: p.file, added: (reports[2 * i + 1] ?? []).filter((e) => !before.has(e)) };
        })
        .filter((r) => r.added.length > 0);
      expect(added).toEqual([]);
    });
  },
);
