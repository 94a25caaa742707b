/**
 * Whatever a task definition holds (wrong types, intrinsics anywhere, cycles, odd images), the rules never
 * throw: the engine would turn a throw into an internal-error finding, so none may appear.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify as stringifyYaml } from "yaml";
import { FixError, fixText } from "../../src/fix/index.js";
import { buildStartupPlan, renderPlanDot, renderPlanMermaid, renderPlanText } from "../../src/plan/index.js";
import { lintDocument } from "../../src/rules/index.js";
import { compileTask, defaultScenario, SimulationInputError } from "../../src/simulate/index.js";
import { parseDocument, TaskDefError } from "../../src/taskdef/index.js";
import { runs } from "../support/runs.js";

const NAMES = ["log-router", "app", "log-router-preflight", "dd-agent", "worker", "APP", ""];
const IMAGES = [
  "amazon/aws-for-fluent-bit:2.19.0",
  "amazon/aws-for-fluent-bit:stable",
  "public.ecr.aws/aws-observability/aws-for-fluent-bit:init-2.32.0",
  "fluent/fluent-bit:1.8.6-debug",
  "cr.fluentbit.io/fluent/fluent-bit:4.2.8",
  `amazon/aws-for-fluent-bit@sha256:${"d".repeat(64)}`,
  "registry:5000/aws-for-fluent-bit",
  "fluentd:latest",
  "nginx",
  ":",
  "@",
  "",
];

const ref = fc.constantFrom(
  { Ref: "Param" },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation substitution, on purpose
  { "Fn::Sub": "${AWS::AccountId}.dkr.ecr/aws-for-fluent-bit:2.19.0" },
  {
    "Fn::If": ["Cond", "a", "b"],
  },
);
const junk = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(fc.oneof(a, junk), { nil: undefined });

const dependency = fc.record(
  {
    containerName: maybe(fc.constantFrom(...NAMES)),
    condition: maybe(fc.constantFrom("START", "COMPLETE", "SUCCESS", "HEALTHY", "start", "RUNNING")),
  },
  { requiredKeys: [] },
);

const container = fc.record(
  {
    name: maybe(fc.constantFrom(...NAMES)),
    image: maybe(fc.constantFrom(...IMAGES)),
    essential: maybe(fc.oneof(fc.boolean(), fc.constantFrom("true", "false"))),
    dependsOn: maybe(fc.array(fc.oneof(dependency, junk), { maxLength: 4 })),
    firelensConfiguration: maybe(
      fc.record({
        type: maybe(fc.constantFrom("fluentbit", "fluentd")),
        options: maybe(
          fc.dictionary(
            fc.constantFrom("config-file-value", "provider", "enable-ecs-log-metadata"),
            fc.string({ maxLength: 5 }),
          ),
        ),
      }),
    ),
    logConfiguration: maybe(
      fc.record({
        logDriver: maybe(fc.constantFrom("awsfirelens", "awslogs")),
        options: maybe(
          fc.dictionary(
            fc.constantFrom("Name", "provider", "apikey", "Host", "HTTP_Passwd"),
            fc.oneof(fc.constantFrom("datadog", "ecs", "cloudwatch_logs"), junk),
          ),
        ),
      }),
    ),
    healthCheck: maybe(
      fc.record({
        command: maybe(
          fc.array(fc.constantFrom("CMD-SHELL", "curl -f http://127.0.0.1:2020/api/v1/health || exit 1"), {
            maxLength: 2,
          }),
        ),
        interval: maybe(fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double())),
        retries: maybe(fc.integer({ min: -1, max: 20 })),
      }),
    ),
    environment: maybe(
      fc.array(
        fc.record({
          name: maybe(
            fc.constantFrom("FIRELENS_PREFLIGHT_CONTAINERS", "FIRELENS_PREFLIGHT_TAGS", "DD_API_KEY"),
          ),
          value: maybe(fc.string({ maxLength: 8 })),
        }),
        { maxLength: 3 },
      ),
    ),
    command: maybe(
      fc.array(fc.constantFrom("--containers", "app", "--tags=x", "--containers=app"), { maxLength: 3 }),
    ),
    startTimeout: maybe(fc.integer({ min: -10, max: 700 })),
    stopTimeout: maybe(fc.integer({ min: -10, max: 700 })),
  },
  { requiredKeys: [] },
);

/** camelCase → PascalCase keys, except inside option maps (kept verbatim, as in CloudFormation). */
function pascal(value: unknown, verbatim = false): unknown {
  if (Array.isArray(value)) return value.map((v) => pascal(v));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = verbatim ? k : k.charAt(0).toUpperCase() + k.slice(1);
    out[key] = pascal(v, k === "options");
  }
  return out;
}

/** Replace some leaves with intrinsics, the way templates do. */
function sprinkle(value: unknown, picks: boolean[], i = { n: 0 }): unknown {
  if (Array.isArray(value)) return value.map((v) => sprinkle(v, picks, i));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sprinkle(v, picks, i)]));
  }
  return picks[i.n++ % picks.length] ? { Ref: "Param" } : value;
}

/** How many generated documents the loader accepted, so a test cannot pass by generating only junk. */
let linted = 0;

function lintsCleanly(text: string, file: string): void {
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, file);
  } catch (e) {
    if (e instanceof TaskDefError) return;
    throw e;
  }
  linted++;
  const internal = lintDocument(doc).filter((f) => f.internalError);
  expect(internal.map((f) => f.message)).toEqual([]);
}

describe("rules never fail on odd input", () => {
  it("ECS JSON with arbitrary container definitions", () => {
    linted = 0;
    fc.assert(
      fc.property(
        fc.array(container, { minLength: 1, maxLength: 6 }),
        fc.option(fc.constantFrom(["FARGATE"], ["EC2"], "FARGATE")),
        (containers, compat) => {
          lintsCleanly(
            JSON.stringify({
              family: "f",
              requiresCompatibilities: compat ?? undefined,
              containerDefinitions: containers,
            }),
            "t.json",
          );
        },
      ),
      { numRuns: runs(300) },
    );
    expect(linted).toBeGreaterThan(150);
  });

  it("CloudFormation JSON with intrinsics in random places, and services", () => {
    linted = 0;
    fc.assert(
      fc.property(
        fc.array(container, { minLength: 1, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
        ref,
        fc.option(
          fc.record({
            DeploymentCircuitBreaker: maybe(
              fc.record({ Enable: maybe(fc.boolean()), Rollback: maybe(fc.boolean()) }),
            ),
          }),
        ),
        (containers, picks, intrinsic, dc) => {
          const props = sprinkle(pascal({ containerDefinitions: containers }), picks) as Record<
            string,
            unknown
          >;
          const first = (props.ContainerDefinitions as Array<Record<string, unknown>>)[0];
          if (first && typeof first === "object") first.Image = intrinsic;
          const template = {
            Resources: {
              Task: { Type: "AWS::ECS::TaskDefinition", Properties: props },
              Svc: {
                Type: "AWS::ECS::Service",
                Properties: { TaskDefinition: { Ref: "Task" }, DeploymentConfiguration: dc ?? undefined },
              },
            },
          };
          lintsCleanly(JSON.stringify(template), "template.json");
        },
      ),
      { numRuns: runs(200) },
    );
    expect(linted).toBeGreaterThan(100);
  });

  it("mutated AWS examples", () => {
    linted = 0;
    const dir = join(import.meta.dirname, "../fixtures/firelens-examples");
    const texts = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as unknown);
    const paths = (v: unknown, at: Array<string | number> = []): Array<Array<string | number>> => {
      if (v === null || typeof v !== "object") return [at];
      const kids = Object.entries(v).flatMap(([k, c]) => paths(c, [...at, Array.isArray(v) ? Number(k) : k]));
      return [at, ...kids];
    };
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.oneof(junk, ref, fc.constant(undefined)),
        (which, where, replacement) => {
          const doc = structuredClone(texts[which % texts.length]) as Record<string, unknown>;
          const all = paths(doc).filter((p) => p.length > 0);
          const path = all[where % all.length] as Array<string | number>;
          let parent: unknown = doc;
          for (const seg of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[seg];
          (parent as Record<string | number, unknown>)[path[path.length - 1] as string | number] =
            replacement;
          lintsCleanly(JSON.stringify(doc, null, 2), "mutated.json");
        },
      ),
      { numRuns: runs(300) },
    );
    expect(linted).toBeGreaterThan(150);
  });
});

/**
 * Wrong-typed values at every field the model, the rules and `fix` read, with an oracle: the generator knows
 * which field it spoiled and what type ECS takes there, so FLP111 must report exactly that path, and nothing
 * downstream (lint, the startup plan and its renderers, fix, the simulator's compiler) may throw anything but
 * its own typed error.
 */
type Kind = "string" | "boolean" | "number" | "list" | "object" | "map";

/** camelCase field paths relative to the app container (index 1) or, with `task`, to the task definition. */
const FIELDS: ReadonlyArray<{ path: Array<string | number>; kind: Kind; task?: true }> = [
  { path: ["name"], kind: "string" },
  { path: ["image"], kind: "string" },
  { path: ["essential"], kind: "boolean" },
  { path: ["cpu"], kind: "number" },
  { path: ["memoryReservation"], kind: "number" },
  { path: ["startTimeout"], kind: "number" },
  { path: ["stopTimeout"], kind: "number" },
  { path: ["entryPoint"], kind: "list" },
  { path: ["command"], kind: "list" },
  { path: ["command", 0], kind: "string" },
  { path: ["links"], kind: "list" },
  { path: ["dependsOn"], kind: "list" },
  { path: ["dependsOn", 0], kind: "object" },
  { path: ["dependsOn", 0, "containerName"], kind: "string" },
  { path: ["dependsOn", 0, "condition"], kind: "string" },
  { path: ["volumesFrom"], kind: "list" },
  { path: ["volumesFrom", 0, "sourceContainer"], kind: "string" },
  { path: ["environment"], kind: "list" },
  { path: ["environment", 0], kind: "object" },
  { path: ["environment", 0, "name"], kind: "string" },
  { path: ["environment", 0, "value"], kind: "string" },
  { path: ["secrets"], kind: "list" },
  { path: ["secrets", 0, "valueFrom"], kind: "string" },
  { path: ["portMappings"], kind: "list" },
  { path: ["portMappings", 0, "containerPort"], kind: "number" },
  { path: ["logConfiguration"], kind: "object" },
  { path: ["logConfiguration", "logDriver"], kind: "string" },
  { path: ["logConfiguration", "options"], kind: "map" },
  { path: ["logConfiguration", "options", "Name"], kind: "string" },
  { path: ["logConfiguration", "secretOptions"], kind: "list" },
  { path: ["logConfiguration", "secretOptions", 0, "name"], kind: "string" },
  { path: ["firelensConfiguration"], kind: "object" },
  { path: ["healthCheck"], kind: "object" },
  { path: ["healthCheck", "command"], kind: "list" },
  { path: ["healthCheck", "interval"], kind: "number" },
  { path: ["healthCheck", "retries"], kind: "number" },
  { path: ["family"], kind: "string", task: true },
  { path: ["cpu"], kind: "string", task: true },
  { path: ["requiresCompatibilities"], kind: "list", task: true },
  { path: ["requiresCompatibilities", 0], kind: "string", task: true },
];

/** A value of any type but `kind` (and never null: null is "unset"). */
function wrongFor(kind: Kind): fc.Arbitrary<unknown> {
  const all: Record<Kind, fc.Arbitrary<unknown>> = {
    string: fc.constantFrom("maybe", "30s", "x:y", ""),
    boolean: fc.boolean(),
    number: fc.constantFrom(5, 0, -1, 2.5),
    list: fc.constantFrom([], [1], [null], ["a"], [{ a: 1 }]),
    object: fc.constantFrom({}, { a: 1 }, { containerName: 5 }),
    map: fc.constantFrom({}, { k: "v" }),
  };
  const others = (Object.keys(all) as Kind[]).filter(
    (k) => k !== kind && !(kind === "object" && k === "map") && !(kind === "map" && k === "object"),
  );
  return fc.oneof(...others.map((k) => all[k]));
}

function fullTask(): Record<string, unknown> {
  return {
    family: "spoiled",
    cpu: "512",
    requiresCompatibilities: ["EC2"],
    containerDefinitions: [
      {
        name: "log-router",
        image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5",
        essential: true,
        firelensConfiguration: { type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } },
      },
      {
        name: "app",
        image: "nginx:1.27",
        essential: true,
        cpu: 128,
        memoryReservation: 128,
        startTimeout: 30,
        stopTimeout: 30,
        entryPoint: ["sh", "-c"],
        command: ["exec nginx"],
        links: ["log-router"],
        dependsOn: [{ containerName: "log-router", condition: "START" }],
        volumesFrom: [{ sourceContainer: "log-router", readOnly: true }],
        environment: [{ name: "MODE", value: "prod" }],
        secrets: [{ name: "TOKEN", valueFrom: "arn:aws:ssm:eu-west-1:1:parameter/t" }],
        portMappings: [{ containerPort: 80, protocol: "tcp" }],
        logConfiguration: {
          logDriver: "awsfirelens",
          options: { Name: "datadog", TLS: "on" },
          secretOptions: [{ name: "apikey", valueFrom: "arn:aws:ssm:eu-west-1:1:parameter/k" }],
        },
        healthCheck: { command: ["CMD-SHELL", "true"], interval: 10, retries: 3 },
      },
    ],
  };
}

function setAt(root: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): void {
  let node: unknown = root;
  for (const seg of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[seg];
  (node as Record<string | number, unknown>)[path[path.length - 1] as string | number] = value;
}

function jsonPathOf(path: ReadonlyArray<string | number>): string {
  return `$${path.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("")}`;
}

/** Everything that reads a task definition: only typed errors may come out. */
function readEverywhere(text: string, file: string): void {
  const doc = parseDocument(text, file);
  for (const td of doc.taskDefinitions) {
    const plan = buildStartupPlan(td);
    renderPlanText(plan);
    renderPlanMermaid(plan);
    renderPlanDot(plan);
    try {
      compileTask(td, defaultScenario());
    } catch (e) {
      if (!(e instanceof SimulationInputError)) throw e;
    }
  }
  try {
    fixText(text, file, { probeImage: "example/probe:1", routerMonitoring: true });
  } catch (e) {
    if (!(e instanceof FixError) && !(e instanceof TaskDefError)) throw e;
  }
}

describe("wrong-typed fields", () => {
  it("ECS JSON: FLP111 reports the spoiled field, and nothing throws", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIELDS).chain((f) => fc.tuple(fc.constant(f), wrongFor(f.kind))),
        fc.constantFrom("t.json", "t.yaml"),
        ([field, bad], file) => {
          const task = fullTask();
          const path = field.task ? field.path : ["containerDefinitions", 1, ...field.path];
          setAt(task, path, bad);
          const text = file.endsWith(".json") ? JSON.stringify(task, null, 2) : stringifyYaml(task);
          const doc = parseDocument(text, file);
          const findings = lintDocument(doc);
          expect(findings.filter((f) => f.internalError).map((f) => f.message)).toEqual([]);
          const flp111 = findings.filter((f) => f.ruleId === "FLP111").map((f) => f.jsonPath);
          // Reported where it was spoiled, or inside it (a list of wrong items is reported per item).
          const at = jsonPathOf(path);
          expect(flp111.length).toBeGreaterThan(0);
          expect(flp111.every((p) => p === at || p.startsWith(`${at}[`) || p.startsWith(`${at}.`))).toBe(
            true,
          );
          readEverywhere(text, file);
        },
      ),
      { numRuns: runs(400) },
    );
  });

  it("CloudFormation: structural mismatches are reported, coerced scalars are not", () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...FIELDS.filter((f) => !f.task))
          .chain((f) => fc.tuple(fc.constant(f), wrongFor(f.kind))),
        ([field, bad]) => {
          const task = fullTask();
          setAt(task, ["containerDefinitions", 1, ...field.path], bad);
          const props = pascal({ containerDefinitions: task.containerDefinitions }) as Record<
            string,
            unknown
          >;
          const text = JSON.stringify({
            Resources: { Task: { Type: "AWS::ECS::TaskDefinition", Properties: props } },
          });
          const findings = lintDocument(parseDocument(text, "t.json"));
          expect(findings.filter((f) => f.internalError).map((f) => f.message)).toEqual([]);
          const flp111 = findings.filter((f) => f.ruleId === "FLP111");
          const scalar = bad === null || typeof bad !== "object";
          const coerced =
            scalar &&
            (field.kind === "string" ||
              (field.kind === "number" && typeof bad === "string" && /^-?\d+(\.\d+)?$/.test(bad)) ||
              (field.kind === "boolean" && typeof bad === "string" && /^(true|false)$/i.test(bad)));
          if (coerced) expect(flp111.map((f) => f.message)).toEqual([]);
          else expect(flp111.length).toBeGreaterThan(0);
          readEverywhere(text, "t.json");
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it("duplicate keys: one FLP111 warning per repeated key, whatever else the document holds", () => {
    fc.assert(
      fc.property(
        fc.array(container, { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 3 }),
        (containers, spots) => {
          const text = JSON.stringify({ family: "f", containerDefinitions: containers }, null, 2);
          // Repeat the key that opens some object of the text (JSON.stringify writes one key per line).
          const lines = text.split("\n");
          const keyed = lines
            .map((l, i) => [l, i] as const)
            .filter(([l, i]) => /^\s*"[^"]+": /.test(l) && /[{[]\s*$/.test(lines[i - 1] ?? ""));
          const chosen = [...new Set(spots.map((s) => keyed[s % Math.max(keyed.length, 1)]?.[1]))].filter(
            (i): i is number => i !== undefined,
          );
          for (const i of chosen) {
            const line = lines[i] as string;
            const key = /^\s*("[^"]+"): /.exec(line)?.[1];
            lines[i] = `${line.slice(0, line.indexOf('"'))}${key}: null, ${line.trimStart()}`;
          }
          const spoiled = lines.join("\n");
          let doc: ReturnType<typeof parseDocument>;
          try {
            doc = parseDocument(spoiled, "dup.json");
          } catch (e) {
            if (e instanceof TaskDefError) return;
            throw e;
          }
          expect(doc.duplicateKeys).toHaveLength(chosen.length);
          const warnings = lintDocument(doc).filter(
            (f) => f.ruleId === "FLP111" && f.messageId === "duplicateKey",
          );
          expect(warnings).toHaveLength(chosen.length);
          expect(warnings.every((w) => w.severity === "warning")).toBe(true);
          readEverywhere(spoiled, "dup.json");
        },
      ),
      { numRuns: runs(200) },
    );
  });
});
