/**
 * Table-driven rule tests in the shape of ESLint's RuleTester (style.md §2, "Our conventions" 4): `valid`
 * documents must produce no finding; `invalid` ones exactly the listed findings, in document order, each
 * with its messageId and, when given, its data (checked through the worded message), JSON path and line.
 * Unknown messageIds, unfilled placeholders, duplicate cases and internal errors fail the test.
 */
import { describe, expect, it } from "vitest";
import { compareByPosition, formatMessage, runRule } from "../../src/rules/engine.js";
import type { Finding, Rule, Severity } from "../../src/rules/types.js";
import { parseDocument } from "../../src/taskdef/index.js";

export interface ValidCase {
  readonly name?: string;
  /** The document text (JSON or YAML), exactly as a user's file would hold it. */
  readonly code: string;
  /** File name given to the loader; `.yaml` makes it read YAML. @default "task-definition.json" */
  readonly file?: string;
}

export interface ExpectedFinding {
  readonly messageId: string;
  /** Placeholders; the finding's message must equal the template filled with them. */
  readonly data?: Readonly<Record<string, string | number>>;
  /** `$.containerDefinitions[1].dependsOn[0].condition` (raw path, keys as in the file). */
  readonly path?: string;
  readonly line?: number;
  readonly severity?: Severity;
  readonly container?: string;
}

export interface InvalidCase extends ValidCase {
  readonly errors: readonly ExpectedFinding[];
}

export interface RuleTests {
  readonly valid: ReadonlyArray<string | ValidCase>;
  readonly invalid: readonly InvalidCase[];
}

/** Lint `code` with one rule, the way the engine does. */
export function lintWith(rule: Rule, code: string, file = "task-definition.json"): Finding[] {
  const doc = parseDocument(code, file);
  const out: Finding[] = [];
  for (const td of doc.taskDefinitions) out.push(...runRule(doc, td, rule));
  return out.sort(compareByPosition);
}

function caseName(kind: string, i: number, c: ValidCase): string {
  return `${kind} ${i + 1}${c.name ? `: ${c.name}` : ""}`;
}

export function checkMeta(rule: Rule): void {
  const m = rule.meta;
  expect(m.id).toMatch(/^FLP[123]\d\d$/);
  expect(m.title.length).toBeGreaterThan(5);
  expect(m.rationale.length).toBeGreaterThan(40);
  expect(m.fixHint.length).toBeGreaterThan(10);
  expect(m.sources.length).toBeGreaterThan(0);
  for (const s of m.sources) expect(s).toMatch(/^https:\/\//);
  expect(Object.keys(m.messages).length).toBeGreaterThan(0);
  for (const id of Object.keys(m.messageSeverities ?? {})) expect(Object.keys(m.messages)).toContain(id);
  const family = { "1": "validity", "2": "deploy-safety", "3": "security" }[m.id.charAt(3)];
  expect(m.family).toBe(family);
}

export function testRule(rule: Rule, tests: RuleTests): void {
  const { meta } = rule;
  describe(`${meta.id} ${meta.title}`, () => {
    it("has complete metadata", () => checkMeta(rule));

    it("has no duplicate cases and only known messageIds", () => {
      const seen = new Set<string>();
      const all: ValidCase[] = [
        ...tests.valid.map((v) => (typeof v === "string" ? { code: v } : v)),
        ...tests.invalid,
      ];
      for (const c of all) {
        const key = `${c.file ?? ""}\n${c.code}`;
        expect(seen.has(key), `duplicate case:\n${c.code}`).toBe(false);
        seen.add(key);
      }
      for (const c of tests.invalid) {
        expect(c.errors.length, "an invalid case needs at least one expected finding").toBeGreaterThan(0);
        for (const e of c.errors)
          expect(Object.keys(meta.messages), `unknown messageId ${e.messageId}`).toContain(e.messageId);
      }
      expect(tests.valid.length).toBeGreaterThan(0);
      expect(tests.invalid.length).toBeGreaterThan(0);
    });

    tests.valid.forEach((v, i) => {
      const c: ValidCase = typeof v === "string" ? { code: v } : v;
      it(caseName("valid", i, c), () => {
        const found = lintWith(rule, c.code, c.file);
        expect(found.map((f) => `${f.messageId}: ${f.message} at ${f.jsonPath}`)).toEqual([]);
      });
    });

    tests.invalid.forEach((c, i) => {
      it(caseName("invalid", i, c), () => {
        const found = lintWith(rule, c.code, c.file);
        for (const f of found) {
          expect(f.internalError, f.message).toBeUndefined();
          expect(f.message, "unfilled placeholder").not.toMatch(/\{\{/);
          expect(f.ruleId).toBe(meta.id);
        }
        expect(found.map((f) => f.messageId)).toEqual(c.errors.map((e) => e.messageId));
        c.errors.forEach((e, j) => {
          const f = found[j] as Finding;
          const template = meta.messages[e.messageId] as string;
          if (e.data !== undefined) expect(f.message).toBe(formatMessage(template, e.data));
          if (e.path !== undefined) expect(f.jsonPath).toBe(e.path);
          if (e.line !== undefined) expect(f.location.line).toBe(e.line);
          if (e.container !== undefined) expect(f.container).toBe(e.container);
          expect(f.severity).toBe(e.severity ?? meta.messageSeverities?.[e.messageId] ?? meta.severity);
        });
      });
    });
  });
}

/** An ECS RegisterTaskDefinition document as JSON text, pretty-printed like a user's file. */
export function ecs(containers: readonly object[], extra: object = {}): string {
  return `${JSON.stringify({ family: "test", ...extra, containerDefinitions: containers }, null, 2)}\n`;
}

/** Common containers. */
export const router = (extra: object = {}): object => ({
  name: "log-router",
  image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5",
  essential: true,
  firelensConfiguration: { type: "fluentbit" },
  ...extra,
});

export const app = (extra: object = {}): object => ({
  name: "app",
  image: "nginx:1.27",
  essential: true,
  logConfiguration: { logDriver: "awsfirelens", options: { Name: "cloudwatch_logs", region: "us-east-1" } },
  ...extra,
});

export const preflight = (extra: object = {}): object => ({
  name: "log-router-preflight",
  image: "ghcr.io/firelens-preflight/probe:0.1.0",
  essential: false,
  environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
  dependsOn: [{ containerName: "log-router", condition: "START" }],
  ...extra,
});

export const gate = { dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }] };
