/**
 * Conditions read as conditions (issue 23, items 8–10): a value chosen by `Fn::If` or a Terraform conditional is
 * one of its branches, each read as a task of its own; container elements that cannot be read are unknown.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  describeBranches,
  MAX_BRANCH_CONDITIONS,
  readBranches,
  routerHealthCheckInEveryBranch,
  taskBranches,
  taskUnknowns,
} from "../../src/model/index.js";
import { loadHclParser, parseDocument, parseText, type TaskDefinitionView } from "../../src/taskdef/index.js";

const DIR = "test/fixtures/conditions";

async function view(name: string): Promise<TaskDefinitionView> {
  const file = `${DIR}/${name}`;
  const doc = await parseText(readFileSync(file, "utf8"), file);
  const td = doc.taskDefinitions[0];
  if (td === undefined) throw new Error("no task definition");
  return td;
}

beforeAll(async () => {
  await loadHclParser();
});

describe("taskBranches", () => {
  it("a task without conditions is its own one branch (the same view, no label)", () => {
    const doc = parseDocument(
      JSON.stringify({ containerDefinitions: [{ name: "app", image: "nginx" }] }),
      "t.json",
    );
    const td = doc.taskDefinitions[0] as TaskDefinitionView;
    const all = taskBranches(td);
    expect(all.branches).toHaveLength(1);
    expect(all.branches[0]?.view).toBe(td);
    expect(all.branches[0]?.label).toBeUndefined();
    expect(taskUnknowns(td)).toEqual([]);
  });

  it("CloudFormation !If health check: present when the condition is true, absent (AWS::NoValue) when false", async () => {
    const td = await view("router-health-if.yaml");
    const read = readBranches(td);
    expect(read.map((r) => r.branch.label)).toEqual([
      "condition UseHealthCheck is true",
      "condition UseHealthCheck is false",
    ]);
    expect(read.map((r) => r.task.router?.hasHealthCheck)).toEqual([true, false]);
    const hc = read[0]?.task.router?.definition.healthCheck;
    expect(hc).toMatchObject({ command: ["CMD-SHELL", expect.stringContaining("uptime")], interval: 10 });
    expect(read[1]?.task.router?.definition).not.toHaveProperty("healthCheck");
    expect(routerHealthCheckInEveryBranch(td)).toBe(false);
  });

  it("a container chosen by Fn::If (JSON) is there in one branch and absent in the other; the rest keep their place", async () => {
    const td = await view("container-if.json");
    expect(td.unknownContainers?.map((u) => u.index)).toEqual([0]);
    const read = readBranches(td);
    expect(read.map((r) => r.task.containers.map((c) => c.label))).toEqual([["log-router", "web"], ["web"]]);
    // The log driver follows the same condition: one variable everywhere.
    expect(read.map((r) => r.task.apps.map((a) => a.label))).toEqual([["web"], []]);
    expect(read[1]?.branch.writtenIndex).toEqual([1]);
    expect(read[1]?.task.containers[0]?.view.path).toEqual([
      "Resources",
      "Task",
      "Properties",
      "ContainerDefinitions",
      1,
    ]);
    expect(taskUnknowns(td)).toEqual([]);
  });

  it("Terraform conditional log driver: the app logs through awsfirelens when var.use_cloudwatch is false", async () => {
    const td = await view("conditional-log-driver.tf");
    const read = readBranches(td);
    expect(read.map((r) => r.branch.label)).toEqual([
      "var.use_cloudwatch is true",
      "var.use_cloudwatch is false",
    ]);
    expect(read.map((r) => r.task.apps.map((a) => a.label))).toEqual([[], ["web"]]);
    expect(read.map((r) => r.task.ungatedApps.map((a) => a.label))).toEqual([[], ["web"]]);
  });

  it("the same conditional in .tf.json (a template that is one interpolation) is the same choice", async () => {
    const td = await view("conditional-log-driver.tf.json");
    const read = readBranches(td);
    expect(read.map((r) => r.branch.label)).toEqual(["var.cw is true", "var.cw is false"]);
    expect(read.map((r) => r.task.apps.map((a) => a.label))).toEqual([[], ["web"]]);
  });

  it("concat with a conditional list: the router exists only when var.on is true", async () => {
    const td = await view("optional-sidecar.tf");
    const read = readBranches(td);
    expect(read.map((r) => r.task.router?.label)).toEqual(["log-router", undefined]);
    expect(taskUnknowns(td)).toEqual([]);
  });

  it("concat of a module output and a local: the module's elements are unknown, with position and the plan as the way forward", async () => {
    const td = await view("spliced-containers.tf");
    expect(td.containers.map((c) => [c.index, c.name])).toEqual([[1, "web"]]);
    const unknowns = taskUnknowns(td);
    expect(unknowns).toHaveLength(1);
    expect(unknowns[0]).toMatchObject({ index: 0, what: "container #0" });
    expect(unknowns[0]?.reason).toContain("module.log_router.containers");
    expect(unknowns[0]?.reason).not.toMatch(/CloudFormation|intrinsic/);
    expect(unknowns[0]?.remedy).toContain("terraform show -json");
    // The readable container is read densely, its location kept.
    const only = readBranches(td)[0];
    expect(only?.task.containers.map((c) => c.index)).toEqual([0]);
    expect(only?.branch.writtenIndex).toEqual([1]);
  });

  it("describeBranches names the shared conditions, or each branch when none is shared", () => {
    const conditions = ["A", "B"].map((condition) => ({ kind: "cloudformation" as const, condition }));
    const doc = parseDocument(
      JSON.stringify({
        Resources: {
          T: {
            Type: "AWS::ECS::TaskDefinition",
            Properties: {
              ContainerDefinitions: [
                {
                  Name: "app",
                  Image: { "Fn::If": ["A", "x", "y"] },
                  Cpu: { "Fn::If": ["B", 1, 2] },
                },
              ],
            },
          },
        },
      }),
      "t.json",
    );
    const all = taskBranches(doc.taskDefinitions[0] as TaskDefinitionView);
    expect(all.conditions).toEqual(conditions);
    expect(all.branches.map((b) => b.label)).toEqual([
      "condition A is true, condition B is true",
      "condition A is false, condition B is true",
      "condition A is true, condition B is false",
      "condition A is false, condition B is false",
    ]);
    expect(describeBranches(all, [0, 1, 2, 3])).toBeUndefined();
    expect(describeBranches(all, [1, 3])).toBe("condition A is false");
    expect(describeBranches(all, [3])).toBe("condition A is false and condition B is false");
    expect(describeBranches(all, [0, 3])).toBe(
      "condition A is true, condition B is true or condition A is false, condition B is false",
    );
  });

  it(`past ${MAX_BRANCH_CONDITIONS} conditions the values stay unknown, and that is said`, () => {
    const n = MAX_BRANCH_CONDITIONS + 1;
    const env = Array.from({ length: n }, (_, i) => ({
      Name: `V${i}`,
      Value: { "Fn::If": [`C${i}`, "a", "b"] },
    }));
    const doc = parseDocument(
      JSON.stringify({
        Resources: {
          T: {
            Type: "AWS::ECS::TaskDefinition",
            Properties: { ContainerDefinitions: [{ Name: "app", Image: "nginx", Environment: env }] },
          },
        },
      }),
      "t.json",
    );
    const td = doc.taskDefinitions[0] as TaskDefinitionView;
    const all = taskBranches(td);
    expect(all.branches).toHaveLength(1);
    expect(all.overflow).toContain(`${n} conditions`);
    expect(taskUnknowns(td).map((u) => u.what)).toEqual(["the conditions"]);
  });
});
