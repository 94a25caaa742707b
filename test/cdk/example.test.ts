import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as ecs from "aws-cdk-lib/aws-ecs";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { SeedStack } from "../../examples/cdk-app/stack.js";
import { FireLensChecks } from "../../src/cdk/index.js";
import { lintDocument } from "../../src/rules/engine.js";
import { parseDocument } from "../../src/taskdef/index.js";

describe("examples/cdk-app", { timeout: 120_000 }, () => {
  let app: App;
  let stack: SeedStack;
  let template: Template;
  beforeAll(() => {
    app = new App();
    stack = new SeedStack(app, "Seed", {
      probeImage: ecs.ContainerImage.fromRegistry("example.com/probe:1"),
    });
    template = Template.fromStack(stack);
  }, 120_000);

  it("synthesizes a template our lint passes with no FLP1xx/FLP2xx finding", () => {
    const doc = parseDocument(JSON.stringify(template.toJSON(), null, 1), "Seed.template.json");
    expect(doc.format).toBe("cloudformation-json");
    const findings = lintDocument(doc).map((f) => `${f.ruleId} ${f.severity} ${f.message}`);
    expect(findings.filter((f) => /^FLP[12]/.test(f))).toEqual([]);
    expect(findings).toEqual([]);
  });

  it("FireLensChecks reports nothing on it", () => {
    const report = new FireLensChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });

  it("AwsSolutionsChecks reports no unacknowledged error", () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const errors = report.violations.filter((v) => v.severity === "error");
    expect(
      errors.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(",")}`),
    ).toEqual([]);
  });
});
