/**
 * One reading of a task for every command: lint, plan, fix and simulate name the same router, agent, gate and apps
 * for every fixture and for generated task definitions (string and boolean `essential`, null or missing
 * firelensConfiguration, several FireLens containers, names only known at deploy time, placeholder images, agent
 * images of every known spelling). After `fix`, no FLP201 remains and every app lint named is gated.
 *
 * Templates are also generated with values chosen by conditions (a router health check under `Fn::If` with
 * `AWS::NoValue`, a log driver under `Fn::If`, a container element under `Fn::If`) and with container elements
 * that cannot be read (`Fn::GetAtt`): lint's FLP201 is then exactly the union, over the branches of the
 * conditions, of each branch's ungated apps, each said with the branches it holds in; and a task that cannot be
 * fully read gets FLP200 and an "unknown" verdict, never a safe one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FixError, fixText, planGate } from "../../src/fix/index.js";
import { describeBranches, readTask, taskBranches, taskUnknowns } from "../../src/model/index.js";
import { buildStartupPlan } from "../../src/plan/index.js";
import { FLP201 } from "../../src/rules/FLP201-ungated-app.js";
import { type Finding, formatMessage, lintDocument } from "../../src/rules/index.js";
import { defaultScenario } from "../../src/simulate/index.js";
import { compileTask, SimulationInputError } from "../../src/simulate/plan.js";
import {
  inDocumentCasing,
  intrinsic,
  parseDocument,
  type TaskDefinitionDocument,
  toJsonData,
} from "../../src/taskdef/index.js";
import { runs } from "../support/runs.js";

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:1";
const scenario = defaultScenario();

/** FLP201's message for an app of one branch's reading, as the rule words it (without the branch's "when"). */
function flp201Message(
  task: ReturnType<typeof readTask>,
  app: ReturnType<typeof readTask>["apps"][number],
): string {
  const id = task.gates.length === 0 ? "noGate" : "notGated";
  return formatMessage(FLP201.meta.messages[id] as string, {
    container: app.label,
    router: task.router?.label ?? "",
    preflights: task.gates.map((g) => `'${g.label}'`).join(", "),
  });
}

/**
 * Per branch of the task's conditions: FLP201 is each branch's ungated apps behind an essential router, reported
 * once with the branches it holds in; FLP200 and the "unknown" verdict exactly when the task cannot be fully read.
 */
function checkBranches(doc: TaskDefinitionDocument, findings: readonly Finding[]): void {
  for (const td of doc.taskDefinitions) {
    const where = `${doc.file} ${td.id}`;
    const serviceConnect = doc.services.some(
      (s) => s.taskDefinitionRef === td.id && s.serviceConnect === true,
    );
    const all = taskBranches(td);
    const holding = new Map<string, number[]>();
    all.branches.forEach((b, i) => {
      const task = readTask(b.view, { serviceConnect });
      if (task.router?.essential !== true) return;
      for (const app of task.ungatedApps) {
        const message = flp201Message(task, app);
        holding.set(message, [...(holding.get(message) ?? []), i]);
      }
    });
    const expected = [...holding].map(([message, where]) => {
      const when = describeBranches(all, where);
      return when === undefined ? message : `${message} (when ${when})`;
    });
    const flp201 = findings.filter((f) => f.ruleId === "FLP201" && f.taskDefinition === td.id);
    expect(flp201.map((f) => f.message).sort(), where).toEqual(expected.sort());

    const unknown = taskUnknowns(td).length > 0;
    // A router whose `essential` is only known at deploy time, with apps that would not wait for the gate.
    const readings = all.branches.map((b) => readTask(b.view, { serviceConnect }));
    const routerUnknown = readings.map(
      (t) => t.router !== undefined && t.router.essential === undefined && t.ungatedApps.length > 0,
    );
    const flp200 = findings.filter((f) => f.ruleId === "FLP200" && f.taskDefinition === td.id);
    expect(flp200.length > 0, where).toBe(unknown || routerUnknown.some(Boolean));
    // The verdict: a refusal by the agent is said first; else unknown is unknown, in every branch it holds in.
    const verdictUnknown = readings.map((t, i) => routerUnknown[i] === true && t.refusal === undefined);
    const verdict = buildStartupPlan(td, { serviceConnect }).verdict;
    if (unknown || verdictUnknown.every(Boolean)) expect(verdict, where).toMatch(/^unknown: /);
    else expect(verdict, where).not.toMatch(/^unknown: /);
    if (verdictUnknown.some(Boolean)) expect(verdict, where).toContain("unknown: ");
  }
}

/** What each part says about each task definition of a document; throws when two parts disagree. */
function checkAgreement(doc: TaskDefinitionDocument): void {
  const findings = lintDocument(doc);
  checkBranches(doc, findings);
  // Fix writes one file for every branch: it is held to the one reading where there is one (no condition, no
  // unknown element); plan and simulate are held to each branch's reading.
  const single = doc.taskDefinitions.every((td) => taskBranches(td).branches[0]?.view === td);
  let fixPlan: ReturnType<typeof planGate> | undefined;
  try {
    if (single) fixPlan = planGate(doc, { probeImage: IMAGE });
  } catch (e) {
    if (!(e instanceof FixError)) throw e;
  }
  doc.taskDefinitions.forEach((td, i) => {
    const services = doc.services.filter((s) => s.taskDefinitionRef === td.id);
    const serviceConnect = services.some((s) => s.serviceConnect === true);
    for (const branch of taskBranches(td).branches) {
      const view = branch.view;
      const task = readTask(view, { serviceConnect });
      const where = `${doc.file} ${td.id}${branch.label === undefined ? "" : ` when ${branch.label}`}`;

      // plan
      const plan = buildStartupPlan(view, { serviceConnect });
      expect(
        plan.nodes.filter((n) => n.router).map((n) => n.name),
        where,
      ).toEqual(task.router === undefined ? [] : [task.router.label]);
      for (const c of task.containers) expect(plan.nodes[c.index]?.role, `${where} ${c.label}`).toBe(c.role);

      // simulate
      try {
        const compiled = compileTask(view, scenario);
        expect(compiled.router, where).toBe(task.router?.index ?? -1);
        if (compiled.gate >= 0) expect(task.containers[compiled.gate]?.role, where).toBe("gate");
        else expect(task.gates, where).toEqual([]);
        for (const c of compiled.containers)
          expect(c.essential, where).toBe(task.containers[c.index]?.essential !== false);
      } catch (e) {
        if (!(e instanceof SimulationInputError)) throw e;
        expect(task.refusal !== undefined || task.containers.length === 0, where).toBe(true);
      }
    }
    if (!single) return;
    const task = readTask(td, { serviceConnect });
    const where = `${doc.file} ${td.id}`;
    const flp201 = findings.filter((f) => f.ruleId === "FLP201" && f.taskDefinition === td.id);

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
          ...(template ? ["@if", "@ref"] : []),
        ),
        firelens: fc.constantFrom<unknown>(undefined, undefined, null, { type: "fluentbit" }),
        driver: fc.constantFrom<string | undefined>(
          undefined,
          "awsfirelens",
          "awsfirelens",
          "awslogs",
          ...(template ? ["@if"] : []),
        ),
        health: fc.constantFrom<string | undefined>(
          undefined,
          undefined,
          "plain",
          ...(template ? ["@if"] : []),
        ),
        element: fc.constantFrom<string | undefined>(
          undefined,
          ...(template ? [undefined, undefined, undefined, undefined, "@if", "@opaque"] : []),
        ),
        image: fc.constantFrom(...ROUTER_IMAGES, ...AGENT_IMAGES, "nginx:1.27", "app:1"),
        probeEnv: fc.boolean(),
        deps: fc.array(
          fc.record({ to: fc.nat(7), condition: fc.constantFrom("START", "SUCCESS", "HEALTHY", "COMPLETE") }),
          { maxLength: 2 },
        ),
      },
      {
        requiredKeys: [
          "name",
          "essential",
          "firelens",
          "driver",
          "health",
          "element",
          "image",
          "probeEnv",
          "deps",
        ],
      },
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
            def.essential =
              s.essential === "@if"
                ? intrinsic("Fn::If", ["Prod", true, false])
                : s.essential === "@ref"
                  ? intrinsic("Ref", "Essential")
                  : s.essential;
          if (s.firelens !== undefined) def.firelensConfiguration = s.firelens;
          if (s.driver !== undefined) {
            const logDriver =
              s.driver === "@if" ? intrinsic("Fn::If", ["UseFirelens", "awsfirelens", "awslogs"]) : s.driver;
            def.logConfiguration = { logDriver, options: { Name: "datadog" } };
          }
          // Intrinsics keep their argument as written: the template's own PascalCase.
          if (s.health === "plain") def.healthCheck = { command: ["CMD-SHELL", "exit 0"], retries: 3 };
          if (s.health === "@if")
            def.healthCheck = intrinsic("Fn::If", [
              "UseHealthCheck",
              { Command: ["CMD-SHELL", "exit 0"], Retries: 3 },
              { Ref: "AWS::NoValue" },
            ]);
          if (s.probeEnv) def.environment = [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }];
          const deps = s.deps.map((d) => ({
            containerName: names[d.to % names.length],
            condition: d.condition,
          }));
          if (deps.length > 0) def.dependsOn = deps;
          // A container element chosen by a condition, or one CloudFormation fills in (unknown at lint time).
          if (s.element === "@if")
            return intrinsic("Fn::If", [
              "WithContainer",
              inDocumentCasing("cloudformation-json", def),
              { Ref: "AWS::NoValue" },
            ]);
          if (s.element === "@opaque") return intrinsic("Fn::GetAtt", ["Shared", "Container"]);
          return def;
        }),
      );

  it("agrees on generated ECS JSON task definitions", () => {
    fc.assert(
      fc.property(taskOf(false), (containers) => {
        const text = JSON.stringify({ family: "generated", containerDefinitions: containers }, null, 2);
        checkAgreement(parseDocument(text, "generated.json"));
      }),
      { numRuns: runs(300) },
    );
  });

  it("agrees on generated CloudFormation templates: intrinsic names, conditions, unknown containers", () => {
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
      { numRuns: runs(300) },
    );
  });
});
