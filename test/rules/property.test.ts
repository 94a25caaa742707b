/**
 * Whatever a task definition holds (wrong types, intrinsics anywhere, cycles, odd images), the rules never
 * throw: the engine would turn a throw into an internal-error finding, so none may appear.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lintDocument } from "../../src/rules/index.js";
import { parseDocument, TaskDefError } from "../../src/taskdef/index.js";

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
      { numRuns: 300 },
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
      { numRuns: 200 },
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
      { numRuns: 300 },
    );
    expect(linted).toBeGreaterThan(150);
  });
});
