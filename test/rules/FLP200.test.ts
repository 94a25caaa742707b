import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { FLP200 } from "../../src/rules/FLP200-task-not-fully-read.js";
import { loadHclParser } from "../../src/taskdef/index.js";
import { app, lintWith, router, testRule } from "../support/rule-tester.js";

/** A CloudFormation template (JSON) whose one task definition has these container list elements. */
function template(containers: readonly unknown[], extra: Record<string, unknown> = {}): string {
  const Resources = {
    Task: { Type: "AWS::ECS::TaskDefinition", Properties: { ContainerDefinitions: containers, ...extra } },
  };
  return `${JSON.stringify({ Resources }, null, 2)}\n`;
}

const ROUTER = {
  Name: "log-router",
  Image: "amazon/aws-for-fluent-bit:2.32.4",
  FirelensConfiguration: { Type: "fluentbit" },
};
const APP = { Name: "web", Image: "nginx", LogConfiguration: { LogDriver: "awsfirelens" } };

testRule(FLP200, {
  valid: [
    template([ROUTER, APP]),
    // A container chosen by a condition is read per branch: it is not unknown.
    template([{ "Fn::If": ["WithRouter", ROUTER, { Ref: "AWS::NoValue" }] }, APP]),
    JSON.stringify({ containerDefinitions: [router(), app()] }),
  ],
  invalid: [
    {
      name: "a container CloudFormation fills in",
      code: template([ROUTER, { "Fn::GetAtt": ["Shared", "Container"] }, APP]),
      errors: [
        {
          messageId: "unknownContainer",
          path: "$.Resources.Task.Properties.ContainerDefinitions[1]",
          data: {
            index: 1,
            taskDefinition: "Task",
            reason: "the container is filled in by CloudFormation at deploy time (Fn::GetAtt)",
            remedy:
              "write the containers out in the template, or check the task definition ECS registered (`aws ecs describe-task-definition`)",
          },
        },
      ],
    },
    {
      name: "the whole list from a parameter",
      code: template([]).replace("[]", '{ "Ref": "Containers" }'),
      errors: [{ messageId: "unknownList", path: "$.Resources.Task.Properties.ContainerDefinitions" }],
    },
    {
      name: "a router whose essential is a parameter, with an ungated app",
      code: template([{ ...ROUTER, Essential: { Ref: "RouterEssential" } }, APP]),
      errors: [
        {
          messageId: "routerEssentialUnknown",
          path: "$.Resources.Task.Properties.ContainerDefinitions[0].Essential",
          container: "log-router",
          data: {
            router: "log-router",
            apps: "'web'",
            remedy:
              "write the containers out in the template, or check the task definition ECS registered (`aws ecs describe-task-definition`)",
          },
        },
      ],
    },
    {
      name: "more conditions than are read branch by branch",
      code: template([
        ROUTER,
        {
          ...APP,
          Environment: Array.from({ length: 7 }, (_, i) => ({
            Name: `V${i}`,
            Value: { "Fn::If": [`C${i}`, "a", "b"] },
          })),
        },
      ]),
      errors: [{ messageId: "tooManyConditions", path: "$.Resources.Task.Properties" }],
    },
    {
      name: "a chosen element whose branch is unknown: unknown in that branch only",
      code: template([
        ROUTER,
        { "Fn::If": ["Extra", { Ref: "ExtraContainer" }, { Ref: "AWS::NoValue" }] },
        APP,
      ]),
      errors: [
        { messageId: "unknownContainer", path: "$.Resources.Task.Properties.ContainerDefinitions[1]" },
      ],
    },
  ],
});

describe("FLP200 on Terraform", () => {
  beforeAll(async () => {
    await loadHclParser();
  });

  it("concat(module.x.containers, local.apps): the module's elements are unknown, worded as Terraform", () => {
    const file = "test/fixtures/conditions/spliced-containers.tf";
    const found = lintWith(FLP200, readFileSync(file, "utf8"), file);
    expect(found.map((f) => [f.messageId, f.jsonPath, f.location.line])).toEqual([
      ["unknownContainer", "$.resource.aws_ecs_task_definition.web.container_definitions[0]", 22],
    ]);
    expect(found[0]?.message).toContain("module.log_router.containers");
    expect(found[0]?.message).toContain("terraform show -json");
    expect(found[0]?.message).not.toMatch(/CloudFormation|intrinsic/i);
  });

  it("a whole list that is a variable is unknown as a list", () => {
    const tf =
      'resource "aws_ecs_task_definition" "t" {\n  family = "t"\n  container_definitions = var.containers\n}\n';
    const found = lintWith(FLP200, tf, "main.tf");
    expect(found.map((f) => f.messageId)).toEqual(["unknownList"]);
    expect(found[0]?.message).toContain("var.containers");
    expect(found[0]?.message).not.toMatch(/CloudFormation|intrinsic/i);
  });

  it("a conditional list spliced by concat is read per branch, not unknown", () => {
    const file = "test/fixtures/conditions/optional-sidecar.tf";
    expect(lintWith(FLP200, readFileSync(file, "utf8"), file)).toEqual([]);
  });
});

describe("Terraform unknowns are worded as Terraform (issue 26 item 4)", () => {
  beforeAll(async () => {
    await loadHclParser();
  });

  it("a router image from var.x is named as var.x, never as a CloudFormation intrinsic", async () => {
    const { FLP202 } = await import("../../src/rules/FLP202-router-known-crash.js");
    const tf = `resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([
    { name = "log-router", image = var.router_image, firelensConfiguration = { type = "fluentbit" } },
    { name = "web", image = "nginx", logConfiguration = { logDriver = "awsfirelens" } }
  ])
}
`;
    const found = lintWith(FLP202, tf, "main.tf");
    expect(found.map((f) => f.message)).toEqual([
      "Router 'log-router' image 'var.router_image (Terraform, known at plan)': Fluent Bit version unknown (the image is not known until deploy time); it is not known to be safe.",
    ]);
  });
});
