/**
 * The cases of issue 12 where the commands used to disagree about one task, each with a file shaped like the one
 * that showed it (test/fixtures/cases/). Every part now reads the task through the model; these tests hold the
 * user-visible answers to one reading.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixText } from "../../src/fix/index.js";
import { readTask } from "../../src/model/index.js";
import { buildStartupPlan, consequencesOfExit } from "../../src/plan/index.js";
import { lintDocument } from "../../src/rules/index.js";
import { defaultScenario } from "../../src/simulate/index.js";
import { compileTask, SimulationInputError } from "../../src/simulate/plan.js";
import { parseDocument, type TaskDefinitionDocument } from "../../src/taskdef/index.js";
import { botocoreMissing, registerInput, validateRegisterTaskDefinition } from "../support/botocore.js";
import { cli } from "../support/cli.js";

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:1";

function load(name: string): TaskDefinitionDocument {
  const file = `test/fixtures/cases/${name}`;
  return parseDocument(readFileSync(file, "utf8"), file);
}

function first(doc: TaskDefinitionDocument) {
  const td = doc.taskDefinitions[0];
  if (td === undefined) throw new Error("no task definition");
  return td;
}

const ruleIds = (doc: TaskDefinitionDocument) => lintDocument(doc).map((f) => f.ruleId);

describe("issue 12 cases", () => {
  it('1: essential "false" as a string reads as false for lint and plan alike', () => {
    const run = cli(["check", "test/fixtures/cases/01-yaml-string-essential.yaml"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("startup: log-router → log-router-preflight → web");
    expect(run.stdout).not.toContain("never starts");
    expect(run.stdout).toContain(
      'if log-router-preflight fails: "web" stops with exit 143 (CannotStartContainerError); "web" is essential',
    );
    const task = readTask(first(load("01-yaml-string-essential.yaml")));
    expect(task.gates.map((g) => [g.label, g.essential])).toEqual([["log-router-preflight", false]]);
  });

  it("2: firelensConfiguration: null is no router; every part names the real one", () => {
    const doc = load("02-null-firelens-on-app.json");
    const run = cli(["check", "test/fixtures/cases/02-null-firelens-on-app.json"]);
    expect(run.stdout).toContain('if fluent crashes: "fluent" is essential');
    expect(run.stdout).not.toContain("if nginx-web crashes");
    expect(
      buildStartupPlan(first(doc))
        .nodes.filter((n) => n.router)
        .map((n) => n.name),
    ).toEqual(["fluent"]);
    expect(lintDocument(doc).find((f) => f.ruleId === "FLP201")?.message).toContain("router 'fluent'");
    const plan = fixText(doc.text, doc.file, { probeImage: IMAGE }).plan.tasks[0];
    expect(plan?.router).toBe("fluent");
    expect(compileTask(first(doc), defaultScenario()).router).toBe(1);
  });

  it("3: an app named by an intrinsic is reported, gated by fix, and then passes", () => {
    const doc = load("03-copilot-intrinsic-name.yaml");
    const flp201 = lintDocument(doc).filter((f) => f.ruleId === "FLP201");
    expect(flp201).toHaveLength(1);
    const fixed = fixText(doc.text, doc.file, { probeImage: IMAGE });
    expect(fixed.changed).toBe(true);
    expect(fixed.plan.tasks[0]?.status).toBe("gated");
    expect(fixed.text).toContain("- Name: FIRELENS_PREFLIGHT_CONTAINERS\n              Value: !Join");
    const again = parseDocument(fixed.text, doc.file);
    expect(ruleIds(again)).not.toContain("FLP201");
    expect(ruleIds(again)).not.toContain("FLP206");
    // Idempotent: the second run finds the gate complete.
    expect(fixText(fixed.text, doc.file, { probeImage: IMAGE }).changed).toBe(false);
  });

  it.skipIf(botocoreMissing() !== undefined)(
    "4: fix copies only the parts of a logConfiguration ECS accepts, so it adds no validation error",
    () => {
      const doc = load("04-invalid-log-configuration.json");
      const fixed = fixText(doc.text, doc.file, { probeImage: IMAGE });
      const data = JSON.parse(fixed.text) as { containerDefinitions: Array<Record<string, unknown>> };
      expect(data.containerDefinitions.at(-1)?.logConfiguration).toEqual({ logDriver: "awsfirelens" });
      expect(fixed.notes.join("\n")).toMatch(/without what ECS would reject: .*secretOptions \(not a list\)/);
      const [before, after] = validateRegisterTaskDefinition([
        registerInput(JSON.parse(doc.text)),
        registerInput(data),
      ]);
      expect(before?.length).toBeGreaterThan(0);
      expect(after?.filter((e) => !before?.includes(e))).toEqual([]);
    },
  );

  it("5: whole-image placeholders are unknown, never 'latest'", () => {
    const findings = lintDocument(load("05-placeholder-images.json"));
    expect(findings.map((f) => f.ruleId)).not.toContain("FLP203");
    const provider = findings.find((f) => f.ruleId === "FLP212");
    expect(provider?.messageId).toBe("unknownVersion");
    expect(provider?.message).toContain("the image is a placeholder filled in at deploy time");
    expect(findings.find((f) => f.ruleId === "FLP202")?.message).toContain("placeholder");
  });

  it("8: a CDK router image from the public SSM parameter is read as aws-for-fluent-bit", () => {
    const doc = load("08-cdk-ssm-router-image.json");
    const fixed = fixText(doc.text, doc.file, { probeImage: IMAGE });
    expect(fixed.notes.join("\n")).not.toContain("not aws-for-fluent-bit");
    expect(fixed.notes.join("\n")).toContain("--router-monitoring adds it");
    const monitored = fixText(doc.text, doc.file, { probeImage: IMAGE, routerMonitoring: true });
    expect(monitored.changes.map((c) => c.kind)).toContain("router-monitoring");
  });

  it("9: Service Connect and the router's links drop the implicit FireLens edges; lint says so", () => {
    const sc = load("09-service-connect.yaml");
    const scFindings = lintDocument(sc);
    expect(scFindings.find((f) => f.ruleId === "FLP211")?.message).toContain("from service-connect");
    expect(scFindings.filter((f) => f.ruleId === "FLP207").map((f) => f.container)).toEqual(["app"]);
    const links = load("09-router-links.json");
    const linkFindings = lintDocument(links);
    expect(linkFindings.find((f) => f.ruleId === "FLP211")?.message).toContain("(from links)");
    expect(buildStartupPlan(first(links)).firelensEdges).toEqual({ kind: "dropped", because: ["links"] });
  });

  it("10: a dependency the agent cannot resolve refuses the whole task, in plan, check and simulate", () => {
    const doc = load("10-missing-dependency.json");
    const plan = buildStartupPlan(first(doc));
    expect(plan.refusal).toBe('"app" depends on "log-routr", which is not in the task');
    expect(plan.stages).toEqual([]);
    expect(ruleIds(doc)).toContain("FLP101");
    const run = cli(["check", "test/fixtures/cases/10-missing-dependency.json"]);
    expect(run.stdout).toContain("the ECS agent refuses this task before starting any container");
    expect(() => compileTask(first(doc), defaultScenario())).toThrow(SimulationInputError);
  });

  // Issue 23 item 1: a gate that ran is never HasNotAndWillNotStart (agent/engine/dependencygraph/graph.go), so
  // its START waiter listed after it started while it ran and is not stopped with 143; only SUCCESS fails.
  it("11: after a failed gate, its START and COMPLETE waiters start wherever they are listed", () => {
    const plan = buildStartupPlan(first(load("11-gate-waiters-by-order.json")));
    const failed = consequencesOfExit(plan, "log-router-preflight", 1);
    expect(failed.heldBack).toEqual(["app"]);
    expect(failed.starts).toEqual(["log-router", "metrics-sidecar"]);
    expect(failed.startAnyway).toEqual(["warmup"]);
    expect(plan.gateFailures.map((g) => g.container)).toEqual(["log-router-preflight"]);
  });
});
