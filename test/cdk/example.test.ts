import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { SeedStack } from "../../examples/cdk-app/stack.js";
import { FireLensChecks } from "../../src/cdk/index.js";
import { PROBE_BUILD_CONTEXT } from "../../src/cdk/log-router-preflight.js";
import { lintDocument } from "../../src/rules/engine.js";
import { parseDocument } from "../../src/taskdef/index.js";

describe("examples/cdk-app", { timeout: 120_000 }, () => {
  let app: App;
  let stack: SeedStack;
  let template: Template;
  beforeAll(() => {
    // The one synthesis that keeps aws-cdk-lib's own template validation on (vitest.config.ts turns it off).
    app = new App({ builtinCloudFormationValidation: true });
    // As shipped: the probe image is the package's Dockerfile as an asset (staged, never built).
    stack = new SeedStack(app, "Seed");
    template = Template.fromStack(stack);
  }, 120_000);

  it("synthesizes a template our lint passes with no FLP1xx/FLP2xx finding", () => {
    const doc = parseDocument(JSON.stringify(template.toJSON(), null, 1), "Seed.template.json");
    expect(doc.format).toBe("cloudformation-json");
    const findings = lintDocument(doc).map((f) => `${f.ruleId} ${f.severity} ${f.message}`);
    expect(findings.filter((f) => /^FLP[12]/.test(f))).toEqual([]);
    expect(findings).toEqual([]);
  });

  it("uses the probe Dockerfile as an image asset, staged without Docker", () => {
    const assembly = app.synth();
    const manifest = JSON.parse(readFileSync(join(assembly.directory, "Seed.assets.json"), "utf8")) as {
      dockerImages?: Record<string, { source?: { directory?: string; dockerFile?: string } }>;
    };
    const images = Object.values(manifest.dockerImages ?? {});
    expect(images).toHaveLength(1);
    expect(images[0]?.source?.dockerFile).toBe("Dockerfile");
    // Only the probe's build context is staged, not the repository.
    const staged = readdirSync(join(assembly.directory, images[0]?.source?.directory ?? "")).sort();
    expect(staged).toEqual([...new Set(PROBE_BUILD_CONTEXT.map((p) => p.split("/")[0] ?? p))].sort());
    // The bundle itself is what gets staged from dist/, not the rest of the build output.
    expect(readdirSync(join(assembly.directory, images[0]?.source?.directory ?? "", "dist"))).toEqual([
      "probe.mjs",
    ]);
    const preflight = JSON.stringify(template.toJSON()).match(
      /"Image":\{"Fn::Sub":"[^"]*container-assets[^"]*"\}/,
    );
    expect(preflight).not.toBeNull();
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
