import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import {
  failsAt,
  formatJson,
  formatSarif,
  formatText,
  lintDocument,
  lintResult,
  parseSuppression,
  rules,
  SuppressionError,
} from "../../src/rules/index.js";
import type { LintFileResult, Rule } from "../../src/rules/types.js";
import { parseDocument } from "../../src/taskdef/index.js";
import { app, ecs, router } from "../support/rule-tester.js";

const here = import.meta.dirname;

function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(join(here, "../fixtures/sarif/sarif-schema-2.1.0.json"), "utf8"),
  ) as Record<string, unknown>;
  // Draft-04 → what Ajv 8 reads; see test/fixtures/sarif/README.md.
  const { id, $schema: _draft, ...rest } = schema;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  return ajv.compile({ $id: String(id), ...rest });
}

const seedBefore = ecs([
  router({ image: "amazon/aws-for-fluent-bit:2.19.0" }),
  app({ logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog", provider: "ecs" } } }),
]);

function results(): LintFileResult[] {
  const yaml = `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: log_router
          Image: amazon/aws-for-fluent-bit:stable
          FirelensConfiguration: { Type: fluentbit }
        - Name: app
          Image: nginx
          LogConfiguration: { LogDriver: awsfirelens }
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
`;
  return [
    lintResult(parseDocument(seedBefore, "examples/seed/before.json")),
    lintResult(parseDocument(yaml, "infra/my stack.yaml")),
    { file: "broken.json", findings: [], error: { message: "Unexpected token at 3:5", line: 3, column: 5 } },
  ];
}

describe("SARIF", () => {
  const validate = sarifValidator();

  it("validates against the official SARIF 2.1.0 schema", () => {
    const log = JSON.parse(formatSarif(results(), { toolVersion: "0.1.0" }));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("rejects what the schema rejects (the validator is live)", () => {
    const log = JSON.parse(formatSarif(results()));
    log.runs[0].results[0].level = "fatal";
    expect(validate(log)).toBe(false);
  });

  it("lists every rule with its docs page, and results point to them", () => {
    const log = JSON.parse(formatSarif(results()));
    const run = log.runs[0];
    const driverRules = run.tool.driver.rules as Array<{
      id: string;
      helpUri: string;
      defaultConfiguration: { level: string };
    }>;
    expect(driverRules.map((r) => r.id)).toEqual(rules.map((r) => r.meta.id));
    expect(driverRules[0]?.helpUri).toBe(
      "https://github.com/firelens-preflight/firelens-preflight/blob/main/docs/rules/FLP101.md",
    );
    const r0 = run.results[0];
    expect(r0.ruleId).toBe("FLP202");
    expect(driverRules[r0.ruleIndex]?.id).toBe("FLP202");
    expect(r0.level).toBe("error");
    expect(r0.locations[0].physicalLocation.artifactLocation.uri).toBe("examples/seed/before.json");
    expect(r0.locations[0].physicalLocation.region).toMatchObject({
      startLine: 6,
      startColumn: 7,
      endLine: 6,
      endColumn: 50,
    });
    expect(r0.locations[0].logicalLocations[0].fullyQualifiedName).toBe("$.containerDefinitions[0].image");
    expect(r0.partialFingerprints["firelensPreflightFinding/v1"]).toMatch(/^[0-9a-f]{8}$/);
    // The space in the file name is encoded; the unreadable file is a notification, not a result.
    expect(run.artifacts[1].location.uri).toBe("infra/my%20stack.yaml");
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toContain("Unexpected token");
    const levels = run.results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`);
    expect(levels).toEqual([
      "FLP202:error",
      "FLP201:error",
      "FLP212:error",
      "FLP203:warning",
      "FLP201:error",
      "FLP208:warning",
    ]);
  });

  it("normalises relative paths: ./a/../b names the artifact b, as the repository does", () => {
    const named = (file: string) =>
      JSON.parse(formatSarif([lintResult(parseDocument(seedBefore, file))])).runs[0] as {
        artifacts: { location: { uri: string; uriBaseId?: string } }[];
        results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      };
    for (const [file, uri] of [
      ["./infra/../examples/seed/before.json", "examples/seed/before.json"],
      ["./task.json", "task.json"],
      ["infra//ecs/./task.json", "infra/ecs/task.json"],
      ["infra\\ecs\\..\\task.json", "infra/task.json"],
    ] as const) {
      const run = named(file);
      expect(run.artifacts[0]?.location, file).toEqual({ uri, uriBaseId: "%SRCROOT%" });
      expect(run.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri, file).toBe(uri);
    }
  });

  it("gives every rule tagged security a security-severity GitHub reads (0.1-10.0)", () => {
    const log = JSON.parse(formatSarif(results()));
    const driverRules = log.runs[0].tool.driver.rules as Array<{
      id: string;
      properties: { tags: string[]; "security-severity"?: string };
    }>;
    const security = driverRules.filter((r) => r.properties.tags.includes("security"));
    expect(security.map((r) => r.id)).toEqual(expect.arrayContaining(["FLP301", "FLP302"]));
    for (const r of security) {
      const score = Number(r.properties["security-severity"]);
      expect(score, r.id).toBeGreaterThanOrEqual(0.1);
      expect(score, r.id).toBeLessThanOrEqual(10);
    }
    const severity = (id: string) => driverRules.find((r) => r.id === id)?.properties["security-severity"];
    expect(severity("FLP301")).toBe("7.5");
    // A stale suppression is a low-severity finding (GitHub: 0.1-3.9), below the plaintext secret it may hide.
    expect(Number(severity("FLP302"))).toBeLessThan(4);
    // Rules outside the security family carry none.
    expect(driverRules.filter((r) => r.properties["security-severity"] !== undefined).length).toBe(
      security.length,
    );
  });

  it("keeps fingerprints when lines move", () => {
    const a = JSON.parse(formatSarif([lintResult(parseDocument(seedBefore, "t.json"))]));
    const b = JSON.parse(formatSarif([lintResult(parseDocument(`\n\n${seedBefore}`, "t.json"))]));
    const fp = (log: typeof a) =>
      log.runs[0].results.map((r: { partialFingerprints: object }) => r.partialFingerprints);
    expect(fp(b)).toEqual(fp(a));
    expect(b.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBe(
      a.runs[0].results[0].locations[0].physicalLocation.region.startLine + 2,
    );
  });

  it("reports a clean run with an empty results array and a failing rule as a notification", () => {
    const clean = JSON.parse(formatSarif([{ file: "ok.json", findings: [] }]));
    expect(clean.runs[0].results).toEqual([]);
    expect(clean.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(validate(clean)).toBe(true);

    const broken: Rule = {
      meta: { ...(rules[0] as Rule).meta },
      check() {
        throw new Error("kaput");
      },
    };
    const r = lintResult(parseDocument(seedBefore, "t.json"), { rules: [broken] });
    const log = JSON.parse(formatSarif([r]));
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].associatedRule.id).toBe("FLP101");
    expect(validate(log)).toBe(true);
  });
});

describe("text", () => {
  it("groups by file, shows the offending line with a caret and a summary", () => {
    const out = formatText(results());
    const lines = out.split("\n");
    expect(lines[0]).toBe("examples/seed/before.json (ecs-json)");
    expect(lines[1]).toMatch(
      /^ {2}examples\/seed\/before\.json:6:7 {2}error {2}FLP202 {2}Router 'log-router' runs aws-for-fluent-bit 2\.19\.0/,
    );
    expect(lines[2]).toBe('     6 |       "image": "amazon/aws-for-fluent-bit:2.19.0",');
    // The loader locates the whole property, key and value.
    expect(lines[3]).toBe(
      `       |       ${"^".repeat('"image": "amazon/aws-for-fluent-bit:2.19.0"'.length)}`,
    );
    expect(lines[4]).toMatch(/^ {4}fix: Pin a release/);
    expect(out).toContain("infra/my stack.yaml (cloudformation-yaml)");
    expect(out).toContain("broken.json:3:5  error  Unexpected token at 3:5");
    expect(lines.at(-2)).toBe("6 problems (4 errors, 2 warnings, 0 notes) 1 file could not be read.");
    // No ANSI codes unless asked; with color, the same text plus escapes.
    const ESC = String.fromCharCode(27);
    expect(out).not.toContain(ESC);
    const colored = formatText(results(), { color: true });
    expect(colored).toContain(`${ESC}[31merror${ESC}[39m`);
    expect(colored.replaceAll(new RegExp(`${ESC}\\[\\d+m`, "g"), "")).toBe(out);
  });

  it("says so when clean, and can leave out source and hints", () => {
    expect(formatText([{ file: "ok.json", findings: [] }])).toBe("No problems found in 1 file.\n");
    const short = formatText(results().slice(0, 1), { source: false, fixHints: false });
    expect(short.split("\n")).toHaveLength(1 + 3 + 3);
  });
});

describe("JSON", () => {
  it("names the tool and its version (the package's unless told)", () => {
    const pkg = JSON.parse(readFileSync(join(here, "../../package.json"), "utf8")) as { version: string };
    expect(JSON.parse(formatJson(results()))).toMatchObject({
      tool: "firelens-preflight",
      toolVersion: pkg.version,
    });
    expect(JSON.parse(formatJson(results(), { toolVersion: "9.9.9" })).toolVersion).toBe("9.9.9");
  });

  it("carries every finding with its location, path and docs link", () => {
    const doc = JSON.parse(formatJson(results()));
    expect(doc.summary).toEqual({ error: 4, warning: 2, note: 0, suppressed: 0, files: 3, unreadable: 1 });
    const f = doc.files[0].findings[0];
    expect(f).toMatchObject({
      ruleId: "FLP202",
      severity: "error",
      messageId: "knownCrash",
      taskDefinition: "test",
      container: "log-router",
      file: "examples/seed/before.json",
      line: 6,
      column: 7,
      jsonPath: "$.containerDefinitions[0].image",
      helpUri: "https://github.com/firelens-preflight/firelens-preflight/blob/main/docs/rules/FLP202.md",
    });
    expect(doc.files[2].error.message).toBe("Unexpected token at 3:5");
  });
});

describe("suppressions", () => {
  const validate = sarifValidator();
  const suppressions = [parseSuppression("FLP212[app]=provider ecs is needed by our dashboards until Q3")];

  it("keeps the finding, with its reason, out of counts and --fail-on", () => {
    const r = lintResult(parseDocument(seedBefore, "before.json"), { suppressions });
    const ddFinding = r.findings.find((f) => f.ruleId === "FLP212");
    expect(ddFinding?.suppressed).toEqual({ reason: "provider ecs is needed by our dashboards until Q3" });
    expect(r.findings.filter((f) => f.suppressed === undefined).map((f) => f.ruleId)).toEqual([
      "FLP202",
      "FLP201",
    ]);
    expect(
      failsAt(
        r.findings.filter((f) => f.ruleId === "FLP212"),
        "warning",
      ),
    ).toBe(false);

    const text = formatText([r]);
    expect(text).toContain("suppressed  FLP212  Container 'app' sends to datadog");
    expect(text).toContain("(reason: provider ecs is needed by our dashboards until Q3)");
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "2 problems (2 errors, 0 warnings, 0 notes; 1 suppressed)",
    );

    const sarif = JSON.parse(formatSarif([r]));
    const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "FLP212");
    expect(result.suppressions).toEqual([
      {
        kind: "external",
        status: "accepted",
        justification: "provider ecs is needed by our dashboards until Q3",
      },
    ]);
    expect(validate(sarif)).toBe(true);
    expect(JSON.parse(formatJson([r])).summary).toMatchObject({ error: 2, suppressed: 1 });
  });

  it("targets one container or the whole rule, and demands a reason", () => {
    const other = lintResult(parseDocument(seedBefore, "before.json"), {
      suppressions: [parseSuppression("FLP212[worker]=not this container, another one")],
    });
    expect(other.findings.every((f) => f.suppressed === undefined)).toBe(true);
    const all = lintResult(parseDocument(seedBefore, "before.json"), {
      suppressions: [parseSuppression("flp202 = we pin 2.19.0 until the gate is rolled out")],
    });
    expect(all.findings.find((f) => f.ruleId === "FLP202")?.suppressed?.reason).toBe(
      "we pin 2.19.0 until the gate is rolled out",
    );
    expect(() => parseSuppression("FLP202=later")).toThrow(SuppressionError);
    expect(() => parseSuppression("FLP202")).toThrow(/at least 10 characters/);
    expect(() => parseSuppression("nope=because of reasons")).toThrow(/expected FLPnnn/);
    expect(() =>
      lintDocument(parseDocument(seedBefore, "b.json"), {
        suppressions: [{ id: "FLP202", reason: "short" }],
      }),
    ).toThrow(SuppressionError);
  });
});
