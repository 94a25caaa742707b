import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { FixError, fixText } from "../../src/fix/index.js";
import { lintDocument, rules } from "../../src/rules/index.js";
import { parseDocument, TaskDefError, toPascal } from "../../src/taskdef/index.js";
import { runs } from "../support/runs.js";
import { ungate } from "../support/ungate.js";

type Json = Record<string, unknown>;
const IMAGE = "example/probe:1";
/** The rules `fix` says it repairs (their `fixable` metadata), and FLP211, which it must never cause. */
const GATE_RULES = new Set([
  ...rules.filter((r) => r.meta.fixable === "gate").map((r) => r.meta.id),
  "FLP211",
]);

const routerImage = fc.constantFrom(
  "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",
  "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.19.0",
  "amazon/aws-for-fluent-bit:stable",
  "fluent/fluentd:v1.16",
);
const logConfiguration = fc.oneof(
  fc.constant(undefined),
  fc.constant({ logDriver: "awslogs", options: { "awslogs-group": "g" } }),
  fc.record({
    logDriver: fc.constant("awsfirelens"),
    options: fc.record({
      Name: fc.constantFrom("datadog", "cloudwatch_logs", "stdout"),
      TLS: fc.constant("on"),
    }),
    secretOptions: fc.constant([{ name: "apikey", valueFrom: "arn:aws:ssm:eu-west-1:1:parameter/k" }]),
  }),
);
const app = fc.record(
  {
    name: fc.constantFrom("app", "api", "web", "worker", "cron"),
    image: fc.constantFrom("app:1", "nginx"),
    essential: fc.constantFrom(true, false, undefined),
    logConfiguration,
    memoryReservation: fc.constantFrom(undefined, 64, 128),
    dependsOn: fc.constantFrom(undefined, [], [{ containerName: "log-router", condition: "START" }]),
  },
  { requiredKeys: ["name", "image"] },
);

/** A task definition: maybe a router, maybe an agent, one to four apps (names unique). */
const taskDefinition = fc
  .record({
    router: fc.option(routerImage, { nil: undefined }),
    routerHealthCheck: fc.boolean(),
    agent: fc.boolean(),
    apps: fc.uniqueArray(app, { minLength: 1, maxLength: 4, selector: (a) => a.name }),
    fargate: fc.constantFrom(undefined, ["256", "512"], ["512", "1024"], ["1024", "4096"]),
  })
  .map(({ router, routerHealthCheck, agent, apps, fargate }) => {
    const containers: Json[] = [];
    if (router !== undefined) {
      containers.push({
        name: "log-router",
        image: router,
        essential: true,
        firelensConfiguration: { type: router.includes("fluentd") ? "fluentd" : "fluentbit" },
        ...(routerHealthCheck ? { healthCheck: { command: ["CMD-SHELL", "true"] } } : {}),
        memoryReservation: 50,
      });
    }
    if (agent)
      containers.push({ name: "dd-agent", image: "public.ecr.aws/datadog/agent:7", essential: true });
    for (const a of apps) {
      const c: Json = {};
      for (const [k, v] of Object.entries(a)) if (v !== undefined) c[k] = v;
      containers.push(c);
    }
    const task: Json = { family: "gen" };
    if (fargate !== undefined) {
      task.requiresCompatibilities = ["FARGATE"];
      task.networkMode = "awsvpc";
      task.cpu = fargate[0];
      task.memory = fargate[1];
    }
    task.containerDefinitions = containers;
    return task;
  });

const jsonLayout = fc.constantFrom<string | number | undefined>(2, 4, "\t", undefined);

function pascal(value: unknown, userMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => pascal(v));
  if (typeof value !== "object" || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[userMap ? k : toPascal(k)] = pascal(v, k === "options");
  return out;
}

let changedRuns = 0;

function check(
  text: string,
  file: string,
  containersOf: (data: unknown) => Json[],
  keys: Parameters<typeof ungate>[2],
  parse: (t: string) => unknown,
): void {
  let result: ReturnType<typeof fixText>;
  try {
    result = fixText(text, file, { probeImage: IMAGE });
  } catch (e) {
    // The only refusal possible with an image given: a Fargate budget too small for the preflight.
    if (e instanceof FixError && e.kind === "budget") return;
    throw e;
  }
  if (!result.changed) {
    expect(result.text).toBe(text);
    return;
  }
  changedRuns++;
  const again = fixText(result.text, file, {});
  expect(again.changed).toBe(false);
  expect(again.text).toBe(result.text);
  const before = containersOf(parse(text));
  const after = containersOf(parse(result.text));
  expect(ungate(after, before, keys)).toEqual(before);
  const findings = lintDocument(parseDocument(result.text, file)).filter((f) => GATE_RULES.has(f.ruleId));
  expect(findings.map((f) => f.message)).toEqual([]);
}

describe("fix over generated task definitions", () => {
  it("JSON: idempotent, reversible, and passes the gate rules", () => {
    fc.assert(
      fc.property(taskDefinition, jsonLayout, fc.boolean(), (task, indent, newline) => {
        const text = JSON.stringify(task, null, indent) + (newline ? "\n" : "");
        check(
          text,
          "gen.json",
          (d) => (d as Json).containerDefinitions as Json[],
          { name: "name", dependsOn: "dependsOn", containerName: "containerName" },
          JSON.parse,
        );
      }),
      { numRuns: runs(150) },
    );
    // The generator must actually exercise the fix, not only the "nothing to gate" path.
    expect(changedRuns).toBeGreaterThan(30);
  });

  it("CloudFormation YAML: idempotent, reversible, and passes the gate rules", () => {
    fc.assert(
      fc.property(
        taskDefinition,
        fc.boolean(),
        fc.constantFrom(2, 4),
        // Not "block": `yaml` then writes an empty list as `Key:\n[]`, which it cannot read back itself.
        fc.constantFrom<"flow" | "any">("flow", "any"),
        fc.boolean(),
        (task, indentSeq, indent, collectionStyle, crlf) => {
          const template = {
            Resources: {
              TaskDef: { Type: "AWS::ECS::TaskDefinition", Properties: pascal(task) },
              Service: {
                Type: "AWS::ECS::Service",
                Properties: { TaskDefinition: { Ref: "TaskDef" }, DesiredCount: 2 },
              },
            },
          };
          const body = stringifyYaml(template, { indentSeq, indent, collectionStyle });
          const text = `# generated\n${body}`.replace(/\n/g, crlf ? "\r\n" : "\n");
          check(
            text,
            "gen.yaml",
            (d) => {
              const td = ((d as Json).Resources as Record<string, Json>).TaskDef as Json;
              return (td.Properties as Json).ContainerDefinitions as Json[];
            },
            { name: "Name", dependsOn: "DependsOn", containerName: "ContainerName" },
            (t) => parseYaml(t),
          );
        },
      ),
      { numRuns: runs(100) },
    );
    expect(changedRuns).toBeGreaterThan(50);
  });
});

describe("fix over mutated real documents", () => {
  const sources = [
    "examples/seed/before.json",
    "test/fixtures/taskdef/template.yaml",
    "test/fixtures/taskdef/template.json",
    "test/fixtures/taskdef/ecspresso.yaml",
    "test/fixtures/taskdef/describe.json",
    "test/fixtures/firelens-examples/fluent-bit__datadog__task-definition.json",
  ].map((f) => readFileSync(f, "utf8"));
  const mutation = fc.record({
    at: fc.nat(),
    cut: fc.nat({ max: 6 }),
    insert: fc.constantFrom(
      "",
      " ",
      "\n",
      "# c\n",
      ",",
      "[]",
      "{}",
      "- ",
      "  ",
      "!Ref x ",
      "null",
      '"',
      "true",
    ),
  });

  it("only ever returns a readable, idempotent document or throws a typed error", () => {
    let fixedRuns = 0;
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.array(mutation, { maxLength: 3 }), (text, edits) => {
        let t = text;
        for (const { at, cut, insert } of edits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + insert + t.slice(i + cut);
        }
        const file = t.trimStart().startsWith("{") || t.trimStart().startsWith("[") ? "m.json" : "m.yaml";
        let r: ReturnType<typeof fixText>;
        try {
          r = fixText(t, file, { probeImage: IMAGE, routerMonitoring: true });
        } catch (e) {
          if (e instanceof TaskDefError || e instanceof FixError) return;
          throw e;
        }
        if (!r.changed) {
          expect(r.text).toBe(t);
          return;
        }
        fixedRuns++;
        expect(fixText(r.text, file, { routerMonitoring: true }).text).toBe(r.text);
      }),
      { numRuns: runs(300) },
    );
    expect(fixedRuns).toBeGreaterThan(50);
  });
});
