import { describe, expect, it } from "vitest";
import { formatSarif, lintDocument } from "../../src/rules/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

const YAML_TASK = `# firelens-preflight-ignore FLP203[log-router]: pinned by digest in the CD pipeline
# firelens-preflight-ignore FLP105: nothing waits for HEALTHY here any more
# firelens-preflight-ignore FLP212 too short
family: web
containerDefinitions:
  - name: log-router
    image: amazon/aws-for-fluent-bit:stable
    firelensConfiguration:
      type: fluentbit
  - name: web
    image: nginx:1.27
    logConfiguration:
      logDriver: awslogs
`;

const TEMPLATE = `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Metadata:
      firelens-preflight:
        ignore:
          - id: FLP203
            containers: [log-router]
            reason: pinned by digest in the CD pipeline
          - id: FLP208
            reason: the service lives in another stack
          - id: FLP301
            reason: short
    Properties:
      ContainerDefinitions:
        - Name: log-router
          Image: amazon/aws-for-fluent-bit:stable
          FirelensConfiguration:
            Type: fluentbit
`;

describe("FLP302 and inline suppressions", () => {
  it("reads YAML comments: suppresses with the reason, and reports unused and malformed ones where they are written", () => {
    const findings = lintDocument(parseDocument(YAML_TASK, "task.yaml"));
    const flp203 = findings.find((f) => f.ruleId === "FLP203");
    expect(flp203?.suppressed).toEqual({ reason: "pinned by digest in the CD pipeline" });
    const own = findings
      .filter((f) => f.ruleId === "FLP302")
      .map((f) => [f.location.line, f.severity, f.message]);
    expect(own).toEqual([
      [
        2,
        "note",
        "Suppression of FLP105 hides nothing any more (nothing waits for HEALTHY here any more); delete it.",
      ],
      [
        3,
        "warning",
        "Suppression cannot be read (expected `# firelens-preflight-ignore FLPnnn[container,…]: reason`); it suppresses nothing.",
      ],
    ]);
  });

  it("reads CloudFormation Metadata on the task definition, the cfn-lint way", () => {
    const findings = lintDocument(parseDocument(TEMPLATE, "template.yaml"));
    expect(findings.find((f) => f.ruleId === "FLP203")?.suppressed?.reason).toBe(
      "pinned by digest in the CD pipeline",
    );
    const own = findings
      .filter((f) => f.ruleId === "FLP302")
      .map((f) => [f.jsonPath, f.severity, f.messageId]);
    expect(own).toEqual([
      ['$.Resources.Task.Metadata["firelens-preflight"].ignore[1]', "note", "unused"],
      ['$.Resources.Task.Metadata["firelens-preflight"].ignore[2]', "warning", "malformed"],
    ]);
  });

  it("reaches SARIF as suppressions with their justification", () => {
    const doc = parseDocument(TEMPLATE, "template.yaml");
    const sarif = JSON.parse(
      formatSarif([{ file: doc.file, text: doc.text, format: doc.format, findings: lintDocument(doc) }]),
    ) as { runs: { results: { ruleId: string; suppressions?: { justification?: string }[] }[] }[] };
    const result = sarif.runs[0]?.results.find((r) => r.ruleId === "FLP203");
    expect(result?.suppressions?.[0]?.justification).toBe("pinned by digest in the CD pipeline");
  });

  it("is quiet when there is nothing to say", () => {
    const findings = lintDocument(parseDocument(YAML_TASK.split("\n").slice(3).join("\n"), "task.yaml"));
    expect(findings.filter((f) => f.ruleId === "FLP302")).toEqual([]);
  });
});
