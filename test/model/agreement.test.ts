/**
 * One reading of a task for every command: lint, plan, fix and simulate name the same router, agent, gate and apps
 * for every fixture and for generated task definitions (string and boolean `essential`, null or missing
 * firelensConfiguration, several FireLens containers, names only known at deploy time, placeholder images, agent
 * images of every known spelling). After `fix`, no FLP201 remains and every app lint named is gated.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FixError, fixText, planGate } from "../../src/fix/index.js";
import { readTask } from "../../src/model/index.js";
import { buildStartupPlan } from "../../src/plan/index.js";
import { lintDocument } from "../../src/rules/index.js";
import { defaultScenario } from "../../src/simulate/index.js";
import { compileTask, SimulationInputError } from "../../src/simulate/plan.js";
import {
  inDocumentCasing,
  intrinsic,
  parseDocument,
  type TaskDefinitionDocument,
  toJsonData,
} from "../../src/taskdef/index.js";

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:1";
const scenario = defaultScenario();

/** What each part says about each task definition of a document; throws when two parts disagree. */
function checkAgreement(doc: TaskDefinitionDocument): void {
  const findings = lintDocument(doc);
  let fixPlan: ReturnType<typeof planGate> | undefined;
  try {
    fixPlan = planGate(doc, { probeImage: IMAGE });
  } catch (e) {
    if (!(e instanceof FixError)) throw e;
  }
  doc.taskDefinitions.forEach((td, i) => {
    const services = doc.services.filter((s) => s.taskDefinitionRef === td.id);
    const task = readTask(td, { serviceConnect: services.some((s) => s.serviceConnect === true) });
    const where = `${doc.file} ${td.id}`;

    // plan
    const plan = buildStartupPlan(td, { serviceConnect: services.some((s) => s.serviceConnect === true) });
    expect(
      plan.nodes.filter((n) => n.router).map((n) => n.name),
      where,
    ).toEqual(task.router === undefined ? [] : [task.router.label]);
    for (const c of task.containers) expect(plan.nodes[c.index]?.role, `${where} ${c.label}`).toBe(c.role);

    // lint: FLP201 is about exactly the ungated essential apps, behind an essential router
    const flp201 = findings.filter((f) => f.ruleId === "FLP201" && f.taskDefinition === td.id);
    const expected = task.router?.essential === true ? task.ungatedApps : [];
    expect(
      flp201.map((f) => f.container ?? null),
      where,
    ).toEqual(expected.map((a) => a.name ?? null));
    for (const f of flp201) expect(f.message).toContain(`router '${task.router?.label}'`);

    // simulate
    try {
      const compiled = compileTask(td, scenario);
      expect(compiled.router, where).toBe(task.router?.index ?? -1);
      if (compiled.gate >= 0) expect(task.containers[compiled.gate]?.role, where).toBe("gate");
      else expect(task.gates, where).toEqual([]);
      for (const c of compiled.containers)
        expect(c.essential, where).toBe(task.containers[c.index]?.essential !== false);
    } catch (e) {
      if (!(e instanceof SimulationInputError)) throw e;
      expect(task.refusal !== undefined || task.containers.length === 0, where).toBe(true);
    }

    // fix
    const t = fixPlan?.tasks[i];
    if (t === undefined || (t.status !== "gated" && t.status !== "already-gated")) return;
    expect(t.router, where).toBe(task.router?.name);
    expect(t.agent, where).toBe(task.agent?.name);
    const gatedApps = task.apps.filter((a) => a.essential === true).map((a) => a.label);
    expect([...t.gated].sort(), where).toEqual([...gatedApps].sort());
    // Apps named only at deploy time have no container name in the finding; the count above covers them.
    for (const f of flp201) if (f.container !== undefined) expect(t.gated, where).toContain(f.container);
  });
  if (fixPlan === undefined || fixPlan.edits.length === 0) return;
  const fixed = parseDocument(fixText(doc.text, doc.file, { probeImage: IMAGE }).text, doc.file);
  const remaining = lintDocument(fixed).filter((f) => f.ruleId === "FLP201");
  expect(remaining, doc.file).toEqual([]);
  fixed.taskDefinitions.forEach((td) => {
    const task = readTask(td);
    if (task.gates.length > 0)
      expect(
        buildStartupPlan(td).nodes.some((n) => n.role === "gate"),
        doc.file,
      ).toBe(true);
  });
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .map((f) => join(dir, f));
}

const FIXTURES = [
  "examples/seed/before.json",
  "examples/seed/after.json",
  ...jsonFiles("test/fixtures/firelens-examples"),
  ...jsonFiles("test/fixtures/taskdef"),
  ...jsonFiles("test/fixtures/cases"),
];

describe("one reading of a task for every command", () => {
  it.each(FIXTURES)("%s", (file) => {
    checkAgreement(parseDocument(readFileSync(file, "utf8"), file));
  });

  const ROUTER_IMAGES = [
    "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.19.0",
    "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5",
    "amazon/aws-for-fluent-bit:stable",
    "fluent/fluent-bit:4.2.8",
    "$FLUENT_BIT_IMAGE",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform template placeholder, on purpose
    "${logrouter_image_url}",
    '{{ ssm "/images/router" }}',
    "{INSERT image}",
  ];
  const AGENT_IMAGES = [
    "datadog/agent:7",
    "gcr.io/datadoghq/agent:7.60.0",
    "public.ecr.aws/datadog/agent:latest",
    "registry.datadoghq.com/agent:7",
    "datadog/docker-dd-agent:latest",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/datadog-agent:7",
    "datadog/cluster-agent:7",
  ];
  const NAMES = [
    "log-router",
    "dd-agent",
    "datadog-agent",
    "app",
    "web",
    "worker",
    "log-router-preflight",
    "sidecar",
  ];

  const container = (template: boolean) =>
    fc.record(
      {
        name: template
          ? fc.oneof({ weight: 5, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.constant("@ref") })
          : fc.constant(""),
        essential: fc.constantFrom<unknown>(
          undefined,
          true,
          false,
          "true",
          "false",
          ...(template ? ["@if"] : []),
        ),
        firelens: fc.constantFrom<unknown>(undefined, undefined, null, { type: "fluentbit" }),
        driver: fc.constantFrom<string | undefined>(undefined, "awsfirelens", "awsfirelens", "awslogs"),
        image: fc.constantFrom(...ROUTER_IMAGES, ...AGENT_IMAGES, "nginx:1.27", "app:1"),
        probeEnv: fc.boolean(),
        deps: fc.array(
          fc.record({ to: fc.nat(7), condition: fc.constantFrom("START", "SUCCESS", "HEALTHY", "COMPLETE") }),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: ["name", "essential", "firelens", "driver", "image", "probeEnv", "deps"] },
    );

  const taskOf = (template: boolean) =>
    fc
      .record({
        names: fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 6 }),
        specs: fc.array(container(template), { minLength: 6, maxLength: 6 }),
      })
      .map(({ names, specs }) =>
        names.map((name, i) => {
          const s = specs[i] ?? specs[0];
          if (s === undefined) throw new Error("no spec");
          const def: Record<string, unknown> = {
            name: s.name === "@ref" ? intrinsic("Ref", `${name.replace(/-/g, "")}Name`) : name,
            image: s.image,
          };
          if (s.essential !== undefined)
            def.essential = s.essential === "@if" ? intrinsic("Fn::If", ["Prod", true, false]) : s.essential;
          if (s.firelens !== undefined) def.firelensConfiguration = s.firelens;
          if (s.driver !== undefined)
            def.logConfiguration = { logDriver: s.driver, options: { Name: "datadog" } };
          if (s.probeEnv) def.environment = [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }];
          const deps = s.deps.map((d) => ({
            containerName: names[d.to % names.length],
            condition: d.condition,
          }));
          if (deps.length > 0) def.dependsOn = deps;
          return def;
        }),
      );

  it("agrees on generated ECS JSON task definitions", () => {
    fc.assert(
      fc.property(taskOf(false), (containers) => {
        const text = JSON.stringify({ family: "generated", containerDefinitions: containers }, null, 2);
        checkAgreement(parseDocument(text, "generated.json"));
      }),
      { numRuns: 300 },
    );
  });

  it("agrees on generated CloudFormation templates, intrinsic names and essential included", () => {
    fc.assert(
      fc.property(taskOf(true), (containers) => {
        const template = {
          Resources: {
            Task: {
              Type: "AWS::ECS::TaskDefinition",
              Properties: toJsonData(
                inDocumentCasing("cloudformation-json", {
                  family: "generated",
                  containerDefinitions: containers,
                }),
              ),
            },
          },
        };
        checkAgreement(parseDocument(JSON.stringify(template, null, 2), "template.json"));
      }),
      { numRuns: 300 },
    );
  });
});
