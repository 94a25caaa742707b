/**
 * Issue 23, "One reading": fix, lint, plan and simulate read a task the same way. For every fixture and for
 * generated task definitions (targets by variable and by `--containers` flag, sleep gates, agents with ports,
 * conditional router health checks, log drivers and containers, container elements unknown until deploy,
 * essential as text):
 * - after `fix` (and `fix --gate-non-essential-router`), FLP206 is clean, the probe's targets (the model's `gateTargets`) cover every gated app, and the
 *   fixed file has no finding its input lacked;
 * - `simulate` sends traffic to the container the model names (`servingContainer`);
 * - `plan` and `simulate` agree on the gate's kind (probe or sleep) and on which containers have health checks.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FixError, fixText } from "../../src/fix/index.js";
import { gateTargets, readTask, servingContainer } from "../../src/model/index.js";
import { buildStartupPlan } from "../../src/plan/index.js";
import { targetsCover } from "../../src/probe/contract.js";
import { lintDocument } from "../../src/rules/index.js";
import { compileTask, defaultScenario, SimulationInputError } from "../../src/simulate/index.js";
import { parseDocument, type TaskDefinitionDocument } from "../../src/taskdef/index.js";
import { runs } from "../support/runs.js";

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:1";
const scenario = defaultScenario();

/** simulate's target and plan's view of gates and health checks, against the model's reading. */
function readingsAgree(doc: TaskDefinitionDocument): void {
  for (const td of doc.taskDefinitions) {
    const services = doc.services.filter((s) => s.taskDefinitionRef === td.id);
    const serviceConnect = services.some((s) => s.serviceConnect === true);
    const task = readTask(td, { serviceConnect });
    const where = `${doc.file} ${td.id}`;
    let compiled: ReturnType<typeof compileTask>;
    try {
      compiled = compileTask(td, scenario);
    } catch (e) {
      if (!(e instanceof SimulationInputError)) throw e;
      continue;
    }
    const serving = servingContainer(task);
    if (serving !== undefined) expect(compiled.target, `${where}: load-balancer target`).toBe(serving.index);
    // plan's nodes and simulate's containers, matched by name (a container chosen by a condition may be
    // numbered differently once the branches are read).
    const plan = buildStartupPlan(td, { serviceConnect });
    const nodes = new Map(plan.nodes.map((n) => [n.name, n]));
    for (const c of compiled.containers) {
      const node = nodes.get(c.name);
      if (node === undefined) continue;
      expect(c.health !== null, `${where} ${c.name}: health check`).toBe(node.hasHealthCheck);
    }
    const gate = compiled.containers[compiled.gate];
    if (gate !== undefined && task.containers[compiled.gate]?.role === "gate") {
      expect(compiled.gateKind === "probe", `${where}: gate kind`).toBe(nodes.get(gate.name)?.probe);
    }
  }
}

/** After fix: FLP206 clean, and every gate's targets (as the probe reads them) cover each app it gates. */
function fixedCoversGated(
  doc: TaskDefinitionDocument,
  gateNonEssentialRouter = false,
): "fixed" | "refused" | "left" {
  let text: string;
  try {
    const r = fixText(doc.text, doc.file, { probeImage: IMAGE, gateNonEssentialRouter });
    // A non-essential router is the owner's choice: unless asked, fix leaves the task exactly as it was.
    if (r.plan.tasks.length > 0 && r.plan.tasks.every((t) => t.status === "router-not-essential")) {
      expect(gateNonEssentialRouter).toBe(false);
      expect(r.text).toBe(doc.text);
      return "left";
    }
    text = r.text;
  } catch (e) {
    if (e instanceof FixError) return "refused";
    throw e;
  }
  const fixed = parseDocument(text, doc.file);
  const findings = lintDocument(fixed);
  // A fixed file has no finding its input lacked (counted per rule).
  const before = new Map<string, number>();
  for (const f of lintDocument(doc)) before.set(f.ruleId, (before.get(f.ruleId) ?? 0) + 1);
  const after = new Map<string, number>();
  for (const f of findings) after.set(f.ruleId, (after.get(f.ruleId) ?? 0) + 1);
  for (const [id, n] of after) {
    expect(`${id} x${n}`, `${doc.file}: ${findings.find((f) => f.ruleId === id)?.message}`).toBe(
      `${id} x${Math.min(n, before.get(id) ?? 0)}`,
    );
  }
  expect(
    findings.filter((f) => f.ruleId === "FLP206" || f.ruleId === "FLP209").map((f) => f.message),
    doc.file,
  ).toEqual([]);
  for (const td of fixed.taskDefinitions) {
    const task = readTask(td);
    for (const gate of task.gates) {
      if (gate.name === undefined) continue;
      const { targets } = gateTargets(gate);
      if (targets.unknown) continue;
      const gated = task.containers.filter(
        (c) =>
          c !== gate &&
          c.logsThroughFirelens &&
          c.name !== undefined &&
          c.dependsOn.some((d) => d.target === gate.name && d.condition === "SUCCESS"),
      );
      for (const app of gated) {
        expect(
          targetsCover(targets, app.name as string),
          `${doc.file}: '${gate.label}' covers '${app.label}'`,
        ).toBe(true);
      }
    }
  }
  readingsAgree(fixed);
  return "fixed";
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .map((f) => join(dir, f));
}

const FIXTURES = [
  "examples/seed/before.json",
  "examples/seed/after.json",
  ...files("test/fixtures/firelens-examples"),
  ...files("test/fixtures/taskdef"),
  ...files("test/fixtures/cases"),
  ...files("test/fixtures/conditions"),
];

describe("fix, plan and simulate read the task as the model does", () => {
  it.each(FIXTURES)("%s", (file) => {
    let doc: TaskDefinitionDocument;
    try {
      doc = parseDocument(readFileSync(file, "utf8"), file);
    } catch {
      return; // Not a document the readers accept (some fixtures are deliberately broken).
    }
    readingsAgree(doc);
    fixedCoversGated(doc);
    // Asked to gate a non-essential router too, fix still adds no finding (FLP112: no HEALTHY wait on it).
    fixedCoversGated(doc, true);
  });

  const HEALTH = {
    command: ["CMD-SHELL", "curl -fs http://127.0.0.1:2020/api/v1/uptime || exit 1"],
    interval: 5,
  };

  /** A generated task: router, maybe an agent (with ports), apps, and maybe a gate already in place. */
  const generated = fc
    .record({
      routerHealth: fc.constantFrom("none", "literal", "if"),
      // false and "false": the owner's non-essential router, gated only when asked.
      routerEssential: fc.constantFrom<unknown>(true, "true", undefined, false, "false"),
      agent: fc.constantFrom("none", "plain", "ports"),
      apps: fc.array(
        fc.record({
          ports: fc.boolean(),
          essential: fc.constantFrom<unknown>(true, "true", undefined, false),
          gated: fc.boolean(),
          driverIf: fc.boolean(),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      gate: fc.constantFrom("none", "env", "flag", "flag-inline", "entrypoint", "sleep"),
      // In a template: a container list element chosen by a condition, or one not known until deploy.
      extra: fc.constantFrom("none", "none", "conditional", "unknown"),
    })
    .map((g) => {
      const firelens = {
        logDriver: "awsfirelens",
        options: { Name: "cloudwatch_logs", region: "eu-west-1" },
      };
      const containers: Record<string, unknown>[] = [];
      const router: Record<string, unknown> = {
        name: "log-router",
        image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5",
        firelensConfiguration: { type: "fluentbit" },
      };
      if (g.routerEssential !== undefined) router.essential = g.routerEssential;
      if (g.routerHealth === "literal") router.healthCheck = HEALTH;
      if (g.routerHealth === "if")
        router.healthCheck = { "Fn::If": ["UseHealthCheck", HEALTH, { Ref: "AWS::NoValue" }] };
      containers.push(router);
      if (g.agent !== "none") {
        containers.push({
          name: "dd-agent",
          image: "public.ecr.aws/datadog/agent:7",
          essential: true,
          ...(g.agent === "ports" ? { portMappings: [{ containerPort: 8126 }] } : {}),
        });
      }
      const appNames = g.apps.map((_, i) => `app${i}`);
      const gatedNames = appNames.filter((_, i) => g.apps[i]?.gated === true);
      if (g.gate !== "none") {
        const listed = (gatedNames.length > 0 ? gatedNames : [appNames[0]]).join(",");
        const gate: Record<string, unknown> = {
          name: "log-router-preflight",
          image: g.gate === "sleep" ? "public.ecr.aws/amazonlinux/amazonlinux:2023" : IMAGE,
          essential: false,
          dependsOn: [{ containerName: "log-router", condition: "START" }],
        };
        if (g.gate === "env") gate.environment = [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: listed }];
        if (g.gate === "flag") gate.command = ["--containers", listed];
        if (g.gate === "flag-inline") gate.command = ["--require", "auto", `--containers=${listed}`];
        if (g.gate === "entrypoint") gate.entryPoint = ["node", "/probe.mjs", "--containers", listed];
        if (g.gate === "sleep") gate.command = ["sh", "-c", "sleep 30"];
        containers.push(gate);
      }
      g.apps.forEach((a, i) => {
        const app: Record<string, unknown> = {
          name: appNames[i],
          image: `example/app${i}:1`,
          // In a template, a log driver chosen by a condition (awsfirelens in one branch only).
          logConfiguration:
            a.driverIf && g.routerHealth === "if"
              ? { ...firelens, logDriver: { "Fn::If": ["UseFirelens", "awsfirelens", "awslogs"] } }
              : firelens,
        };
        if (a.essential !== undefined) app.essential = a.essential;
        if (a.ports) app.portMappings = [{ containerPort: 8080 + i }];
        if (a.gated && g.gate !== "none") {
          app.dependsOn = [{ containerName: "log-router-preflight", condition: "SUCCESS" }];
        }
        containers.push(app);
      });
      return { conditional: g.routerHealth === "if", extra: g.extra, containers };
    });

  /** ECS JSON, or a CloudFormation template (PascalCase) when the health check is conditional. */
  function documentOf(t: {
    conditional: boolean;
    extra: string;
    containers: Record<string, unknown>[];
  }): TaskDefinitionDocument {
    if (!t.conditional) {
      const text = JSON.stringify({ family: "generated", containerDefinitions: t.containers }, null, 2);
      return parseDocument(text, "generated.json");
    }
    const pascal = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(pascal);
      if (typeof v !== "object" || v === null) return v;
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [
          k.includes("::") || k === "Ref" || k === "Name" ? k : k.charAt(0).toUpperCase() + k.slice(1),
          k === "options" ? x : pascal(x),
        ]),
      );
    };
    const template = {
      Conditions: {
        UseHealthCheck: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
        UseFirelens: { "Fn::Equals": [{ Ref: "Logs" }, "firelens"] },
        WithSidecar: { "Fn::Equals": [{ Ref: "Sidecar" }, "on"] },
      },
      Resources: {
        Task: {
          Type: "AWS::ECS::TaskDefinition",
          Properties: { ContainerDefinitions: [...(pascal(t.containers) as unknown[]), ...extraOf(t.extra)] },
        },
      },
    };
    return parseDocument(JSON.stringify(template, null, 2), "template.json");
  }

  /** The extra list element of a template: a sidecar present under a condition, or an element unknown until deploy. */
  function extraOf(kind: string): unknown[] {
    const sidecar = {
      Name: "sidecar",
      Image: "example/sidecar:1",
      Essential: true,
      LogConfiguration: { LogDriver: "awsfirelens", Options: { Name: "stdout" } },
    };
    if (kind === "conditional") return [{ "Fn::If": ["WithSidecar", sidecar, { Ref: "AWS::NoValue" }] }];
    if (kind === "unknown") return [{ Ref: "ExtraContainer" }];
    return [];
  }

  it("agrees on generated tasks, and fix leaves every gate covering what it gates", () => {
    let fixedCount = 0;
    fc.assert(
      fc.property(generated, (t) => {
        const doc = documentOf(t);
        readingsAgree(doc);
        if (fixedCoversGated(doc) === "fixed") fixedCount++;
        fixedCoversGated(doc, true);
      }),
      { numRuns: runs(300), seed: 23 },
    );
    // Most generated tasks are fixable: the property is not vacuous.
    expect(fixedCount).toBeGreaterThan(150);
  });
});
