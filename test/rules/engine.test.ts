import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  atOrAbove,
  failsAt,
  formatMessage,
  lintDocument,
  parseSeverity,
  ruleById,
  rules,
  toJsonPath,
  unusedSuppressions,
  worstSeverity,
} from "../../src/rules/index.js";
import type { Rule } from "../../src/rules/types.js";
import { parseDocument } from "../../src/taskdef/index.js";
import { app, ecs, gate, preflight, router } from "../support/rule-tester.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/firelens-examples");
const fixtureFiles = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));

describe("catalogue", () => {
  it("has unique ids in order, each findable", () => {
    const ids = rules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(ruleById(id.toLowerCase())?.meta.id).toBe(id);
    expect(ruleById("FLP999")).toBeUndefined();
  });

  it("covers the rules the issues ask for", () => {
    for (const id of [
      "FLP101",
      "FLP103",
      "FLP104",
      "FLP105",
      "FLP106",
      "FLP107",
      "FLP108",
      "FLP109",
      "FLP201",
      "FLP202",
      "FLP203",
      "FLP204",
      "FLP205",
      "FLP206",
      "FLP207",
      "FLP208",
      "FLP210",
      "FLP211",
      "FLP212",
      "FLP301",
    ]) {
      expect(ruleById(id), id).toBeDefined();
    }
  });
});

describe("lintDocument", () => {
  it("finds the seed's hazard and nothing gate-related once the gate is in", () => {
    const before = lintDocument(parseDocument(ecs([router(), app()]), "before.json"));
    expect(before.map((f) => f.ruleId)).toEqual(["FLP201"]);
    const [f] = before;
    expect(f?.location).toMatchObject({ file: "before.json", line: 13, column: 7 });
    expect(f?.jsonPath).toBe("$.containerDefinitions[1].name");
    expect(f?.fixHint).toContain("firelens-preflight fix");
    const after = lintDocument(parseDocument(ecs([router(), preflight(), app(gate)]), "after.json"));
    expect(after).toEqual([]);
  });

  it("honours --disable, case-insensitively", () => {
    const doc = parseDocument(ecs([router({ image: "amazon/aws-for-fluent-bit:stable" }), app()]), "t.json");
    expect(lintDocument(doc).map((f) => f.ruleId)).toEqual(["FLP203", "FLP201"]);
    expect(lintDocument(doc, { disable: ["flp201"] }).map((f) => f.ruleId)).toEqual(["FLP203"]);
  });

  it("turns a throwing rule into one internal-error finding and keeps going", () => {
    const broken: Rule = {
      meta: { ...(ruleById("FLP101") as Rule).meta, id: "FLP199" },
      check() {
        throw new TypeError("boom");
      },
    };
    const unknownMessage: Rule = {
      meta: { ...(ruleById("FLP101") as Rule).meta, id: "FLP198" },
      check(ctx) {
        ctx.report({ messageId: "nope" });
      },
    };
    const doc = parseDocument(ecs([router(), app()]), "t.json");
    const found = lintDocument(doc, { rules: [broken, unknownMessage, ruleById("FLP201") as Rule] });
    expect(found.map((f) => [f.ruleId, f.internalError ?? false])).toEqual([
      ["FLP198", true],
      ["FLP199", true],
      ["FLP201", false],
    ]);
    expect(found[1]?.message).toContain("boom");
    expect(failsAt(found, "none")).toBe(true);
  });

  it("lints every task definition of a template with its own services", () => {
    const yaml = `Resources:
  A:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - { Name: log_router, Image: "amazon/aws-for-fluent-bit:2.32.5", FirelensConfiguration: { Type: fluentbit } }
        - { Name: app, Image: nginx, LogConfiguration: { LogDriver: awsfirelens } }
  B:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - { Name: web, Image: nginx, Essential: false }
  SvcA:
    Type: AWS::ECS::Service
    Properties: { TaskDefinition: !Ref A }
`;
    const found = lintDocument(parseDocument(yaml, "t.yaml"));
    expect(found.map((f) => `${f.taskDefinition} ${f.ruleId} ${f.location.line}`)).toEqual([
      "A FLP201 7",
      "B FLP106 11",
      "A FLP208 15",
    ]);
  });
});

describe("severity helpers", () => {
  it("orders error > warning > note", () => {
    expect(atOrAbove("error", "warning")).toBe(true);
    expect(atOrAbove("note", "warning")).toBe(false);
    expect(parseSeverity(" Warning ")).toBe("warning");
    expect(parseSeverity("fatal")).toBeUndefined();
    const doc = parseDocument(
      ecs([router({ image: "amazon/aws-for-fluent-bit:stable" }), preflight(), app(gate)]),
      "t.json",
    );
    const found = lintDocument(doc);
    expect(worstSeverity(found)).toBe("warning");
    expect(failsAt(found, "error")).toBe(false);
    expect(failsAt(found, "warning")).toBe(true);
    expect(worstSeverity([])).toBeUndefined();
  });

  it("formats messages and paths", () => {
    expect(formatMessage("a {{x}} {{ y }} {{z}}", { x: 1, y: "b" })).toBe("a 1 b {{z}}");
    expect(toJsonPath(["Resources", "My-Task", "Properties", "ContainerDefinitions", 0])).toBe(
      '$.Resources["My-Task"].Properties.ContainerDefinitions[0]',
    );
  });
});

describe("every AWS FireLens example", () => {
  it.each(fixtureFiles)("%s lints without exception and is flagged by the seed-hazard rule", (file) => {
    const text = readFileSync(join(FIXTURES, file), "utf8");
    const found = lintDocument(parseDocument(text, file));
    expect(found.filter((f) => f.internalError)).toEqual([]);
    // Every example has an essential router and an essential app logging through it, and no gate.
    const gate = found.filter((f) => f.ruleId === "FLP201");
    expect(gate.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(f.location.line).toBeGreaterThan(0);
      expect(text.length).toBeGreaterThanOrEqual(f.location.offset);
    }
  });
});

describe("project settings", () => {
  const doc = parseDocument(readFileSync("examples/seed/before.json", "utf8"), "before.json");

  it("overrides a rule's severity", () => {
    const findings = lintDocument(doc, { severity: { FLP201: "note" } });
    expect(findings.filter((f) => f.ruleId === "FLP201").map((f) => f.severity)).toEqual(["note"]);
  });

  it("tells which suppressions hid nothing", () => {
    const used = { id: "FLP201", reason: "accepted until the gate ships" };
    const unused = { id: "FLP105", reason: "there is no HEALTHY wait here anyway" };
    const findings = lintDocument(doc, { suppressions: [used, unused] });
    expect(unusedSuppressions([used, unused], findings)).toEqual([unused]);
  });
});
