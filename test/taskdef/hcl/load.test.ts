import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { formatSarif, lintDocument, lintResult } from "../../../src/rules/index.js";
import {
  describeFormat,
  isIntrinsic,
  literal,
  loadDocument,
  loadHclParser,
  parseDocument,
  serialize,
  TaskDefError,
} from "../../../src/taskdef/index.js";

const DIR = "test/fixtures/terraform";

beforeAll(async () => {
  await loadHclParser();
});

/** `file:line:col` of a finding, as the text output prints it. */
function at(f: { location: { file: string; line: number; column: number } }): string {
  return `${f.location.file}:${f.location.line}:${f.location.column}`;
}

/** 1-based line and column of the first occurrence of `needle` in `text` (after `from`). */
function positionOf(text: string, needle: string, from = 0): string {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, i).split(/\r\n|\n/);
  return `${before.length}:${(before[before.length - 1] as string).length + 1}`;
}

describe("a .tf with locals, merge, for and heredoc (service.tf)", () => {
  const file = `${DIR}/service.tf`;
  const text = readFileSync(file, "utf8");

  it("reads the task definition and its service, and writes back unchanged", async () => {
    const doc = await loadDocument(file);
    expect(doc.format).toBe("terraform-hcl");
    expect(describeFormat(doc.format)).toMatch(/Terraform/);
    expect(serialize(doc)).toBe(text);
    expect(doc.taskDefinitions.map((t) => t.id)).toEqual(["aws_ecs_task_definition.api"]);
    const td = doc.taskDefinitions[0];
    expect(td?.containers.map((c) => c.name)).toEqual(["log-router", "datadog-agent", "api", "worker"]);
    expect(td?.taskDefinition.family).toBe("api-task");
    expect(td?.taskDefinition.cpu).toBe(1024);
    expect(td?.taskDefinition.requiresCompatibilities).toEqual(["FARGATE"]);
    expect(isIntrinsic(td?.taskDefinition.executionRoleArn)).toBe(true);
    expect(doc.services).toEqual([
      {
        id: "aws_ecs_service.api",
        path: ["resource", "aws_ecs_service", "api"],
        deploymentConfiguration: undefined,
        taskDefinitionRef: "aws_ecs_task_definition.api",
      },
    ]);
  });

  it("evaluates locals, merge, for expressions and heredocs; the rest is unknown", async () => {
    const doc = await loadDocument(file);
    const [, agent, api, worker] = doc.taskDefinitions[0]?.containers ?? [];
    // merge(local.base_app, { … }): keys of both arguments, later ones winning.
    expect(api?.definition.essential).toBe(true);
    expect(api?.definition.logConfiguration?.logDriver).toBe("awsfirelens");
    expect(api?.definition.logConfiguration?.options).toEqual({
      Name: "datadog",
      Host: "http-intake.logs.datadoghq.eu",
      dd_service: "api",
      TLS: "on",
      provider: "ecs",
    });
    // [for k, v in local.env : { name = k, value = v }] in the keys' lexical order.
    expect(api?.definition.environment).toEqual([
      { name: "LOG_LEVEL", value: "info" },
      { name: "REGION", value: "eu-west-1" },
    ]);
    expect(api?.definition.command).toEqual(["serve", "--port=8080"]);
    expect(worker?.definition.entryPoint).toEqual(["sh", "-c", "exec worker --queue jobs\n"]);
    expect(agent?.definition.environment).toEqual([{ name: "ECS_FARGATE", value: "true" }]);
    // Variables and templates over them are unknown, like CloudFormation intrinsics.
    const image: unknown = api?.definition.image;
    expect(isIntrinsic(image)).toBe(true);
    expect(literal(api?.definition.image)).toBeUndefined();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the HCL interpolation as written
    expect(image).toMatchObject({ argument: '"${var.registry}/api:${var.api_version}"' });
    const secret: unknown = api?.definition.logConfiguration?.secretOptions?.[0]?.valueFrom;
    expect(secret).toMatchObject({ kind: "intrinsic", argument: "var.dd_api_key_arn" });
  });

  it("locates findings at the HCL that wrote them, through merge and for", async () => {
    const doc = await loadDocument(file);
    const findings = lintDocument(doc);
    const ids = findings.map((f) => `${f.ruleId} ${at(f)}`);
    expect(ids).toEqual([
      `FLP201 ${file}:${positionOf(text, 'name  = "api"')}`,
      `FLP201 ${file}:${positionOf(text, 'name             = "worker"')}`,
      `FLP208 ${file}:${positionOf(text, 'resource "aws_ecs_service"')}`,
    ]);
    expect(findings[0]?.jsonPath).toBe(
      "$.resource.aws_ecs_task_definition.api.container_definitions[2].name",
    );
    // A value that came from a local is located in the locals block.
    const td = doc.taskDefinitions[0];
    if (td === undefined) throw new Error("no task definition");
    const loc = doc.locate(
      doc.rawPath(td, ["containerDefinitions", 2, "logConfiguration", "options", "Host"]),
    );
    expect(`${loc.line}:${loc.column}`).toBe(positionOf(text, "Host       ="));
    const env = doc.locate(doc.rawPath(td, ["containerDefinitions", 2, "environment", 1, "name"]));
    expect(`${env.line}:${env.column}`).toBe(positionOf(text, "name = k"));
    const routerImage = doc.locate(doc.rawPath(td, ["containerDefinitions", 0, "image"]));
    expect(`${routerImage.line}:${routerImage.column}`).toBe(positionOf(text, "image     ="));
    expect(text.slice(routerImage.offset, routerImage.offset + routerImage.length)).toBe(
      'image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4"',
    );
    expect(doc.rawPath(td, ["requiresCompatibilities"])).toEqual([
      "resource",
      "aws_ecs_task_definition",
      "api",
      "requires_compatibilities",
    ]);
  });
});

describe("CRLF, tabs, comments, commas (crlf-tabs.tf)", () => {
  const file = `${DIR}/crlf-tabs.tf`;
  const text = readFileSync(file, "utf8");

  it("is really CRLF, and positions count CRLF as one line end", async () => {
    expect(text.includes("\r\n")).toBe(true);
    expect(/[^\r]\n/.test(text)).toBe(false);
    const doc = await loadDocument(file);
    const findings = lintDocument(doc);
    expect(findings.map((f) => `${f.ruleId} ${f.location.line}:${f.location.column}`)).toEqual([
      `FLP203 ${positionOf(text, 'image = "amazon/aws-for-fluent-bit:stable"')}`,
      `FLP201 ${positionOf(text, "dependsOn = [")}`,
      `FLP208 ${positionOf(text, "enable = false")}`,
    ]);
  });

  it("pairs a service that names its task definition inside a template", async () => {
    const doc = await loadDocument(file);
    expect(doc.services[0]?.taskDefinitionRef).toBe("aws_ecs_task_definition.web");
    expect(doc.services[0]?.deploymentConfiguration).toEqual({ deploymentCircuitBreaker: { enable: false } });
  });
});

describe("container lists that are not literal", () => {
  it("reads jsonencode(var.containers) as a task definition with unknown containers, and lints without crashing", async () => {
    const doc = await loadDocument(`${DIR}/unknown-list.tf`);
    expect(doc.taskDefinitions[0]?.containers).toEqual([]);
    const findings = lintDocument(doc);
    expect(findings.filter((f) => f.internalError)).toEqual([]);
  });

  it("reads file() and templatefile() relative to the module, with template variables known or unknown", async () => {
    const file = `${DIR}/include/main.tf`;
    const text = readFileSync(file, "utf8");
    const doc = await loadDocument(file);
    const [fromFile, fromTemplate] = doc.taskDefinitions;
    expect(fromFile?.containers.map((c) => c.definition)).toEqual(
      JSON.parse(readFileSync(`${DIR}/include/containers.json`, "utf8")),
    );
    const [router, app] = fromTemplate?.containers ?? [];
    expect(router?.definition.image).toBe("public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the template's interpolation as written
    expect(app?.definition.image).toMatchObject({ kind: "intrinsic", argument: "${app_image}" });
    expect(isIntrinsic(app?.definition.cpu)).toBe(true);
    // Findings inside another file point at the call that reads it.
    const findings = lintDocument(doc);
    expect(findings.map((f) => `${f.ruleId} ${f.location.line}:${f.location.column}`)).toEqual([
      `FLP201 ${positionOf(text, "file(")}`,
      `FLP201 ${positionOf(text, "templatefile(")}`,
    ]);
  });

  it("reports a template with %{ } directives as not JSON, with the way forward", async () => {
    const error = await loadDocument(`${DIR}/directive/main.tf`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskDefError);
    const e = error as TaskDefError;
    expect(e.kind).toBe("syntax");
    expect([e.line, e.column]).toEqual([4, 27]);
    expect(e.detail).toContain("%{ } directives (./containers.json.tpl:2:1)");
    expect(e.detail).toContain("terraform show -json");
  });

  it("says which file() cannot be read", () => {
    const text =
      'resource "aws_ecs_task_definition" "x" {\n  container_definitions = file("missing.json")\n}\n';
    const error = (() => {
      try {
        return parseDocument(text, `${DIR}/none.tf`);
      } catch (e) {
        return e;
      }
    })() as TaskDefError;
    expect(error.kind).toBe("io");
    expect(error.message).toMatch(
      /none\.tf:2:27: container_definitions = file\("missing\.json"\): cannot read .*missing\.json: no such file/,
    );
  });
});

describe("heredoc JSON and other shapes", () => {
  it("locates findings inside a JSON heredoc at the heredoc's own lines", () => {
    const text = [
      'resource "aws_ecs_task_definition" "legacy" {',
      '  family                = "legacy"',
      "  container_definitions = <<-DEFS",
      "    [",
      '      { "name": "fluentbit", "image": "amazon/aws-for-fluent-bit:latest",',
      '        "firelensConfiguration": { "type": "fluentbit" } },',
      '      { "name": "app", "image": "app:1", "essential": true,',
      '        "logConfiguration": { "logDriver": "awsfirelens" } }',
      "    ]",
      "  DEFS",
      "}",
      "",
    ].join("\n");
    const doc = parseDocument(text, "legacy.tf");
    expect(doc.taskDefinitions[0]?.containers.map((c) => c.name)).toEqual(["fluentbit", "app"]);
    const findings = lintDocument(doc);
    const latest = findings.find((f) => f.ruleId === "FLP203");
    expect(`${latest?.location.line}:${latest?.location.column}`).toBe(positionOf(text, '"image": "amazon'));
  });

  it("reads a file given on stdin by its look, and only once the parser is loaded", () => {
    const text = readFileSync(`${DIR}/service.tf`, "utf8");
    expect(parseDocument(text, "<stdin>").format).toBe("terraform-hcl");
  });

  it("reports HCL syntax errors with their position", () => {
    const text =
      'resource "aws_ecs_task_definition" "x" {\n  family = "x"\n  container_definitions = jsonencode([\n    { name = }\n  ])\n}\n';
    const error = (() => {
      try {
        return parseDocument(text, "bad.tf");
      } catch (e) {
        return e;
      }
    })() as TaskDefError;
    expect(error).toBeInstanceOf(TaskDefError);
    expect(error.kind).toBe("syntax");
    expect(error.line).toBe(4);
  });

  it("says when a .tf holds no task definition or service", () => {
    const text = 'variable "x" {\n  type = string\n}\n';
    const error = (() => {
      try {
        return parseDocument(text, "variables.tf");
      } catch (e) {
        return e;
      }
    })() as TaskDefError;
    expect(error.kind).toBe("not-a-task-definition");
    expect(error.detail).toMatch(/no resource "aws_ecs_task_definition" or "aws_ecs_service"/);
  });
});

describe("SARIF for a .tf", () => {
  it("puts each result's region in the .tf file, at the finding's line and column", async () => {
    const file = `${DIR}/service.tf`;
    const doc = await loadDocument(file);
    const sarif = JSON.parse(formatSarif([lintResult(doc)])) as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          locations: Array<{
            physicalLocation: {
              artifactLocation: { uri: string };
              region: { startLine: number; startColumn: number };
            };
          }>;
        }>;
      }>;
    };
    const results = sarif.runs[0]?.results ?? [];
    expect(results.map((r) => r.ruleId)).toEqual(["FLP201", "FLP201", "FLP208"]);
    const first = results[0]?.locations[0]?.physicalLocation;
    expect(first?.artifactLocation.uri).toMatch(/service\.tf$/);
    const text = readFileSync(file, "utf8");
    expect(`${first?.region.startLine}:${first?.region.startColumn}`).toBe(positionOf(text, 'name  = "api"'));
  });
});

describe(".tf.json (Terraform's JSON syntax)", () => {
  const file = `${DIR}/service.tf.json`;
  const text = readFileSync(file, "utf8");

  it("reads an HCL expression in a string and JSON text in a string, located inside the strings", async () => {
    const doc = await loadDocument(file);
    expect(doc.format).toBe("terraform-json");
    expect(serialize(doc)).toBe(text);
    const [expr, json] = doc.taskDefinitions;
    expect(expr?.containers.map((c) => c.name)).toEqual(["router", "app"]);
    expect(isIntrinsic(expr?.containers[1]?.definition.image)).toBe(true);
    expect(json?.containers[1]?.definition).toEqual({ name: "app", image: "app:1", essential: false });
    expect(doc.services[0]?.taskDefinitionRef).toBe("aws_ecs_task_definition.expr");
    const findings = lintDocument(doc);
    const latest = findings.find((f) => f.ruleId === "FLP203");
    expect(`${latest?.location.line}:${latest?.location.column}`).toBe(positionOf(text, 'image = \\"amazon'));
    const router = findings.find((f) => f.ruleId === "FLP107");
    expect(`${router?.location.line}:${router?.location.column}`).toBe(
      positionOf(text, '\\"firelensConfiguration\\"'),
    );
    const breaker = findings.find((f) => f.ruleId === "FLP208");
    expect(breaker?.messageId).toBe("noRollback");
  });
});

describe("terraform show -json (a hand-made plan)", () => {
  const file = `${DIR}/plan/plan.json`;
  const text = readFileSync(file, "utf8");

  it("reads each task definition by resource address, with the .tf line its module writes it on", async () => {
    const doc = await loadDocument(file);
    expect(doc.format).toBe("terraform-plan");
    expect(doc.taskDefinitions.map((t) => t.id)).toEqual([
      "aws_ecs_task_definition.batch",
      "module.api.aws_ecs_task_definition.this",
    ]);
    const [batch, api] = doc.taskDefinitions;
    // Known after apply: no containers, and no rule crashes on it.
    expect(batch?.containers).toEqual([]);
    expect(batch?.taskDefinition.cpu).toBe("256");
    expect(api?.containers.map((c) => c.definition.image)).toEqual([
      "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2",
    ]);
    const module = readFileSync(`${DIR}/plan/modules/api/main.tf`, "utf8");
    expect(api?.origin?.file).toMatch(/plan\/modules\/api\/main\.tf$/);
    expect(`${api?.origin?.line}:${api?.origin?.column}`).toBe(positionOf(module, "container_definitions"));
    expect(doc.services.map((s) => [s.id, s.taskDefinitionRef])).toEqual([
      ["module.api.aws_ecs_service.this", "module.api.aws_ecs_task_definition.this"],
    ]);
  });

  it("lints with resource addresses, located inside the container_definitions string", async () => {
    const doc = await loadDocument(file);
    const findings = lintDocument(doc);
    expect(findings.filter((f) => f.internalError)).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.taskDefinition, f.jsonPath])).toEqual([
      // Known after apply: unknown, never safe.
      ["FLP200", "aws_ecs_task_definition.batch", '$["aws_ecs_task_definition.batch"].container_definitions'],
      [
        "FLP201",
        "module.api.aws_ecs_task_definition.this",
        '$["module.api.aws_ecs_task_definition.this"].container_definitions[1].name',
      ],
      [
        "FLP208",
        "module.api.aws_ecs_task_definition.this",
        '$["module.api.aws_ecs_service.this"].DeploymentConfiguration.DeploymentCircuitBreaker',
      ],
    ]);
    const app = findings[1];
    expect(text.slice(app?.location.offset, (app?.location.offset ?? 0) + 14)).toBe('\\"name\\":\\"api');
    const breaker = findings[2];
    expect(
      text.slice(breaker?.location.offset, (breaker?.location.offset ?? 0) + (breaker?.location.length ?? 0)),
    ).toBe('{"enable":true,"rollback":false}');
  });

  it("is not taken for a plan without format_version", () => {
    expect(() => parseDocument('{"planned_values": {}}', "x.json")).toThrow(TaskDefError);
  });
});
