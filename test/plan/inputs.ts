/**
 * Startup plans the diagram tests render: the seed before and after the gate, a template with two task
 * definitions, a router whose links drop the implicit edges, a task the agent refuses (a cycle; a condition
 * Mermaid would read as syntax), Service Connect, a Copilot name only known at deploy time, an essential gate
 * with a non-essential router, and names with quotes, brackets, entities, pipes, backticks and unicode.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { buildStartupPlan, type StartupNode, type StartupPlan } from "../../src/plan/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

function plansOf(file: string, options: { serviceConnect?: boolean } = {}): StartupPlan[] {
  return parseDocument(readFileSync(file, "utf8"), file).taskDefinitions.map((td) =>
    buildStartupPlan(td, options),
  );
}

function inline(family: string, containers: unknown[], options: { serviceConnect?: boolean } = {}) {
  const doc = parseDocument(JSON.stringify({ family, containerDefinitions: containers }), `${family}.json`);
  return doc.taskDefinitions.map((td) => buildStartupPlan(td, options));
}

const router = {
  name: "log-router",
  image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.34.0",
  firelensConfiguration: { type: "fluentbit" },
};
const fireLensLogs = { logDriver: "awsfirelens", options: { Name: "datadog" } };

export const DIAGRAM_INPUTS: readonly (readonly [string, readonly StartupPlan[]])[] = [
  ["the seed as given (not gated)", plansOf("examples/seed/before.json")],
  ["the seed gated", plansOf("examples/seed/after.json")],
  ["two task definitions in one template", plansOf("test/fixtures/taskdef/template.yaml")],
  ["router links drop the implicit edges", plansOf("test/fixtures/cases/09-router-links.json")],
  [
    "a cyclic task the agent refuses",
    inline("cyclic", [
      router,
      { name: "b", dependsOn: [{ containerName: "c", condition: "START" }], logConfiguration: fireLensLogs },
      { name: "c", dependsOn: [{ containerName: "b", condition: "START" }] },
    ]),
  ],
  [
    "a condition with a pipe",
    inline("pipe", [{ name: "a" }, { name: "b", dependsOn: [{ containerName: "a", condition: "A|B" }] }]),
  ],
  [
    "Service Connect",
    inline("sc", [router, { name: "app", logConfiguration: fireLensLogs }], { serviceConnect: true }),
  ],
  ["a Copilot name known at deploy time", plansOf("test/fixtures/cases/03-copilot-intrinsic-name.yaml")],
  [
    "an essential gate and a router that is not",
    inline("inverted", [
      { ...router, essential: false },
      {
        name: "log-router-preflight",
        essential: true,
        environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
        dependsOn: [{ containerName: "log-router", condition: "START" }],
      },
      {
        name: "app",
        logConfiguration: fireLensLogs,
        dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }],
      },
    ]),
  ],
  [
    "names with quotes, brackets, entities, pipes, backticks and unicode",
    plansOf("test/plan/fixtures/odd-names.json"),
  ],
];

/** The second label line a reader should see under a container's name. */
export function expectedRole(n: StartupNode): string {
  const role = n.router
    ? "FireLens router · "
    : n.role === "gate"
      ? "preflight gate · "
      : n.role === "agent"
        ? "Datadog Agent · "
        : n.role === "ecs"
          ? "added by ECS · "
          : "";
  return `${role}${n.essential ? "essential" : "not essential"}`;
}

/** Each distinct container of a plan once (two of one name are one node). */
export function distinctNodes(plan: StartupPlan): StartupNode[] {
  const seen = new Set<string>();
  return plan.nodes.filter((n) => !seen.has(n.name) && seen.add(n.name) !== undefined);
}

export const squash = (s: string): string => s.replace(/\s+/g, " ").trim();

/**
 * Random tasks for the diagram properties: up to six containers with any printable names (unicode graphemes,
 * quotes, brackets, entities), a chain of start dependencies with any condition text, and a router sometimes.
 */
export function arbitraryPlans() {
  const name = fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 });
  const condition = fc.oneof(
    fc.constantFrom("START", "COMPLETE", "SUCCESS", "HEALTHY"),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }),
  );
  return fc
    .record({
      names: fc.uniqueArray(name, { minLength: 1, maxLength: 6 }),
      conditions: fc.array(condition, { minLength: 6, maxLength: 6 }),
      essentials: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      router: fc.boolean(),
    })
    .map(({ names, conditions, essentials, router }) => {
      const containers = names.map((n, i) => ({
        name: n,
        essential: essentials[i],
        ...(router && i === 0 ? { firelensConfiguration: { type: "fluentbit" } } : {}),
        ...(router && i > 0 ? { logConfiguration: { logDriver: "awsfirelens" } } : {}),
        ...(i > 1 ? { dependsOn: [{ containerName: names[i - 1], condition: conditions[i] }] } : {}),
      }));
      return inline(names.join(""), containers);
    });
}
