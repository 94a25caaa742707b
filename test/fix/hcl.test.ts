import { readFileSync } from "node:fs";
import { diffChars } from "diff";
import { beforeAll, describe, expect, it } from "vitest";
import { applyGate, FixError } from "../../src/fix/index.js";
import { lintDocument } from "../../src/rules/index.js";
import { loadDocument, loadHclParser, parseDocument } from "../../src/taskdef/index.js";

const DIR = "test/fixtures/terraform";
const PROBE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/firelens-preflight:0.1.0";

beforeAll(async () => {
  await loadHclParser();
});

/** The findings the gate exists to remove: what ECS rejects, ungated apps, a wrong preflight. */
function gateFindings(text: string, file: string): string[] {
  return lintDocument(parseDocument(text, file))
    .filter((f) => /^FLP1\d\d$/.test(f.ruleId) || ["FLP201", "FLP204", "FLP205", "FLP206"].includes(f.ruleId))
    .map((f) => `${f.ruleId} ${f.location.line}:${f.location.column} ${f.message}`);
}

/** Text the fix removed (empty for pure insertions). */
function removed(before: string, after: string): string[] {
  return diffChars(before, after)
    .filter((p) => p.removed)
    .map((p) => p.value);
}

function comments(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith("#") || l.startsWith("//") || l.startsWith("/*"));
}

describe("fix on service.tf (merge, locals, heredoc, aligned)", () => {
  const file = `${DIR}/service.tf`;
  const text = readFileSync(file, "utf8");

  it("lint → fix → lint leaves no FLP1xx, FLP201, FLP204–206", async () => {
    expect(gateFindings(text, file).length).toBeGreaterThan(0);
    const result = applyGate(await loadDocument(file), { probeImage: PROBE });
    expect(result.changed).toBe(true);
    expect(gateFindings(result.text, file)).toEqual([]);
    const after = lintDocument(parseDocument(result.text, file)).map((f) => f.ruleId);
    expect(after).not.toContain("FLP208");
  });

  it("only inserts: every byte of the input is kept, comments included", async () => {
    const result = applyGate(await loadDocument(file), { probeImage: PROBE });
    expect(removed(text, result.text)).toEqual([]);
    expect(comments(result.text)).toEqual(comments(text));
  });

  it("writes HCL in the file's style: dependsOn in the merge's literal object, aligned members, a circuit breaker block", async () => {
    const result = applyGate(await loadDocument(file), { probeImage: PROBE });
    expect(result.text).toContain(
      [
        '        "--port=8080",',
        "      ]",
        "      dependsOn = [",
        '        { containerName = "log-router-preflight", condition = "SUCCESS" },',
        "      ]",
        "    }),",
      ].join("\n"),
    );
    expect(result.text).toContain(
      [
        "    {",
        '      name              = "log-router-preflight"',
        `      image             = "${PROBE}"`,
        "      essential         = false",
      ].join("\n"),
    );
    expect(result.text).toMatch(
      /\n {4}subnets = var\.subnets\n {2}\}\n\n {2}deployment_circuit_breaker \{\n {4}enable {3}= true\n {4}rollback = true\n {2}\}\n\}\n$/,
    );
    // The probe's own output goes where the app's goes, unknown parts written as the expressions they were.
    expect(result.text).toContain('{ name = "apikey", valueFrom = var.dd_api_key_arn },');
  });

  it("is idempotent: fixing the output changes nothing", async () => {
    const once = applyGate(await loadDocument(file), { probeImage: PROBE });
    const twice = applyGate(parseDocument(once.text, file), { probeImage: PROBE });
    expect(twice.changed).toBe(false);
    expect(twice.text).toBe(once.text);
    expect(twice.reason).toBe("already gated");
  });

  it("adds the router's monitoring config and health check into existing objects, lined up with their neighbours", async () => {
    const result = applyGate(await loadDocument(file), { probeImage: PROBE, routerMonitoring: true });
    expect(removed(text, result.text)).toEqual([]);
    expect(result.text).toContain(
      [
        '          enable-ecs-log-metadata = "true"',
        '          config-file-type        = "file"',
        '          config-file-value       = "/fluent-bit/configs/output-metrics-healthcheck.conf"',
      ].join("\n"),
    );
    expect(gateFindings(result.text, file)).toEqual([]);
    expect(result.text).toContain('{ containerName = "log-router", condition = "HEALTHY" },');
  });
});

describe("fix on crlf-tabs.tf (CRLF, tabs, commas, no alignment)", () => {
  const file = `${DIR}/crlf-tabs.tf`;
  const text = readFileSync(file, "utf8");

  it("keeps CRLF, tabs and `key = value` spacing, and only changes enable = false", async () => {
    const result = applyGate(await loadDocument(file), { probeImage: PROBE });
    expect(/[^\r]\n/.test(result.text)).toBe(false);
    expect(removed(text.replace("enable = false", "enable = true"), result.text)).toEqual([]);
    expect(result.text).toContain(
      '\t\t\tdependsOn = [{ containerName = "router", condition = "START" }, { containerName = "log-router-preflight", condition = "SUCCESS" }],',
    );
    expect(result.text).toContain('\t\t\tname = "log-router-preflight",\r\n\t\t\timage = ');
    expect(result.text).toContain(
      "\tdeployment_circuit_breaker {\r\n\t\tenable = true\r\n\t\trollback = true\r\n\t}",
    );
    expect(comments(result.text)).toEqual(comments(text));
    expect(gateFindings(result.text, file)).toEqual([]);
    const twice = applyGate(parseDocument(result.text, file), { probeImage: PROBE });
    expect(twice.text).toBe(result.text);
  });
});

describe("fix refuses what is not written literally, with the reason", () => {
  it("jsonencode(var.containers)", async () => {
    const doc = await loadDocument(`${DIR}/unknown-list.tf`);
    expect(() => applyGate(doc, { probeImage: PROBE })).toThrow(FixError);
    expect(() => applyGate(doc, { probeImage: PROBE })).toThrow(
      /not literal \(var\.containers\).*Nothing was written/,
    );
  });

  it("a plan: fix the configuration, named with its .tf line", async () => {
    const doc = await loadDocument(`${DIR}/plan/plan.json`);
    expect(() => applyGate(doc, { probeImage: PROBE })).toThrow(
      /fix the configuration that writes it instead: aws_ecs_task_definition\.batch, module\.api\.aws_ecs_task_definition\.this \(.*plan\/modules\/api\/main\.tf:8\)/,
    );
  });

  it(".tf.json: the definitions are a string, added by hand", async () => {
    const doc = await loadDocument(`${DIR}/service.tf.json`);
    expect(() => applyGate(doc, { probeImage: PROBE })).toThrow(/fix edits \.tf files/);
  });

  it("file(): run fix on the JSON file instead", async () => {
    const doc = await loadDocument(`${DIR}/include/main.tf`);
    expect(() => applyGate(doc, { probeImage: PROBE })).toThrow(
      /read from \.\/containers\.json: run fix on that file/,
    );
  });

  it("a list kept in a local, and a merge whose last argument is a variable", () => {
    const viaLocal = [
      "locals {",
      "  containers = [",
      '    { name = "router", image = "amazon/aws-for-fluent-bit:2.32.4", firelensConfiguration = { type = "fluentbit" } },',
      '    { name = "app", image = "app:1", logConfiguration = { logDriver = "awsfirelens" } },',
      "  ]",
      "}",
      'resource "aws_ecs_task_definition" "t" {',
      "  container_definitions = jsonencode(local.containers)",
      "}",
      "",
    ].join("\n");
    expect(() => applyGate(parseDocument(viaLocal, "local.tf"), { probeImage: PROBE })).toThrow(
      /container_definitions\[1\]: it comes from local\.containers\); nothing was written/,
    );
    const merged = [
      'resource "aws_ecs_task_definition" "t" {',
      "  container_definitions = jsonencode([",
      '    { name = "router", image = "amazon/aws-for-fluent-bit:2.32.4", firelensConfiguration = { type = "fluentbit" } },',
      '    merge({ name = "app", image = "app:1", logConfiguration = { logDriver = "awsfirelens" } }, var.extra),',
      "  ])",
      "}",
      "",
    ].join("\n");
    // A variable last may replace any key: the container is unknown as a whole, never gated blindly.
    const doc = parseDocument(merged, "merged.tf");
    expect(doc.taskDefinitions[0]?.containers.map((c) => c.name)).toEqual(["router"]);
    const literalFirst = merged.replace("}, var.extra)", "})").replace("merge(", "merge(var.base, ");
    const result = applyGate(parseDocument(literalFirst, "merged.tf"), { probeImage: PROBE });
    expect(result.text).toContain(
      'merge(var.base, { name = "app", image = "app:1", logConfiguration = { logDriver = "awsfirelens" }, dependsOn = [{ containerName = "log-router-preflight", condition = "SUCCESS" }] }),',
    );
  });
});

it("an already gated file comes back byte-identical", async () => {
  const file = `${DIR}/service.tf`;
  const gated = applyGate(await loadDocument(file), { probeImage: PROBE }).text;
  const again = applyGate(parseDocument(gated, file), {});
  expect(again.changed).toBe(false);
  expect(again.text).toBe(gated);
});

it("puts new lines before a closing bracket that shares the last member's line", () => {
  const text = [
    'resource "aws_ecs_task_definition" "t" {',
    "  container_definitions = jsonencode([",
    '    { name = "router", image = "amazon/aws-for-fluent-bit:2.32.4", firelensConfiguration = { type = "fluentbit" } },',
    "    {",
    '      name = "app"',
    '      logConfiguration = { logDriver = "awsfirelens" } }])',
    "}",
    'resource "aws_ecs_service" "s" {',
    "  task_definition = aws_ecs_task_definition.t.arn }",
    "",
  ].join("\n");
  const once = applyGate(parseDocument(text, "shared.tf"), { probeImage: PROBE });
  expect(removed(text, once.text)).toEqual([]);
  expect(once.text).toContain(
    '      logConfiguration = { logDriver = "awsfirelens" } \n      dependsOn = [\n        { containerName = "log-router-preflight", condition = "SUCCESS" },\n      ]\n    },\n    {\n      name = "log-router-preflight"',
  );
  expect(once.text).toMatch(/\n {4}\}\n {2}\]\)\n\}\n/);
  expect(once.text).toMatch(
    /arn \n\n {2}deployment_circuit_breaker \{\n {4}enable = true\n {4}rollback = true\n {2}\}\n\}\n$/,
  );
  expect(gateFindings(once.text, "shared.tf")).toEqual([]);
  expect(applyGate(parseDocument(once.text, "shared.tf"), {}).text).toBe(once.text);
});
