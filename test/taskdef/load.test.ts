import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DocumentEditor,
  describeFormat,
  type Intrinsic,
  isIntrinsic,
  literal,
  loadDocument,
  parseDocument,
  serialize,
  TaskDefError,
} from "../../src/taskdef/index.js";

const EXAMPLES = "test/fixtures/firelens-examples";
const FIXTURES = "test/fixtures/taskdef";

describe("aws-samples firelens examples", () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".json"));

  it("has the 25 copied examples and their licence", () => {
    expect(files).toHaveLength(25);
    expect(readFileSync(join(EXAMPLES, "LICENSE.txt"), "utf8")).toMatch(/MIT/);
  });

  for (const f of files) {
    it(`${f} loads as ECS JSON and round-trips byte-identical`, async () => {
      const path = join(EXAMPLES, f);
      const text = readFileSync(path, "utf8");
      const doc = await loadDocument(path);
      expect(doc.format).toBe("ecs-json");
      expect(doc.file).toBe(path);
      expect(serialize(doc)).toBe(text);
      const td = doc.taskDefinitions[0];
      expect(td?.containers.length).toBeGreaterThanOrEqual(2);
      // The view is the API shape: it equals what JSON.parse sees.
      expect(td?.containers.map((c) => c.definition)).toEqual(JSON.parse(text).containerDefinitions);
      const router = td?.containers.find((c) => c.definition.firelensConfiguration !== undefined);
      expect(router).toBeDefined();
      // Located: the router's name key sits on the line that spells it.
      const loc = doc.locate([...(router?.path ?? []), "name"]);
      const line = text.split(/\r?\n/)[loc.line - 1] ?? "";
      expect(line.slice(loc.column - 1)).toMatch(/^"name"\s*:\s*"/);
      expect(text.slice(loc.offset, loc.offset + loc.length)).toMatch(/"$/);
    });
  }
});

describe("describe-task-definition output", () => {
  it("is detected and viewed under taskDefinition", async () => {
    const doc = await loadDocument(join(FIXTURES, "describe.json"));
    expect(doc.format).toBe("describe-task-definition");
    expect(describeFormat(doc.format)).toMatch(/describe-task-definition/);
    const [td] = doc.taskDefinitions;
    expect(td?.id).toBe("web");
    expect(td?.path).toEqual(["taskDefinition"]);
    expect(td?.containers.map((c) => c.name)).toEqual(["log_router", "web"]);
    expect(td?.taskDefinition.revision).toBe(7);
    expect(doc.rawPath(td ?? fail(), ["containerDefinitions", 1, "logConfiguration"])).toEqual([
      "taskDefinition",
      "containerDefinitions",
      1,
      "logConfiguration",
    ]);
    expect(doc.locate(["taskDefinition", "containerDefinitions", 1, "essential"]).line).toBe(32);
  });
});

describe("bare containerDefinitions array", () => {
  it("is detected, with container paths at the root", async () => {
    const doc = await loadDocument(join(FIXTURES, "terraform-containers.json"));
    expect(doc.format).toBe("container-definitions");
    const [td] = doc.taskDefinitions;
    expect(td?.containersKey).toBeNull();
    expect(td?.containers[1]?.path).toEqual([1]);
    expect(td?.containers[1]?.definition.dependsOn).toEqual([
      { containerName: "router", condition: "START" },
    ]);
    expect(doc.rawPath(td ?? fail(), ["containerDefinitions", 1, "dependsOn", 0])).toEqual([
      1,
      "dependsOn",
      0,
    ]);
    expect(doc.locate([1, "dependsOn"])).toMatchObject({ line: 12, column: 5 });
  });
});

describe("CloudFormation JSON", () => {
  const path = join(FIXTURES, "template.json");
  const text = readFileSync(path, "utf8");
  const doc = parseDocument(text, path);

  it("finds both task definitions and both services", () => {
    expect(doc.format).toBe("cloudformation-json");
    expect(doc.taskDefinitions.map((t) => t.id)).toEqual(["TaskDef54694570", "WorkerTaskDef"]);
    expect(doc.services.map((s) => [s.id, s.taskDefinitionRef])).toEqual([
      ["Service9571FDD8", "TaskDef54694570"],
      // A Ref to a parameter is no fixed task definition of this template.
      ["ExternalService", undefined],
    ]);
    expect(doc.services[0]?.deploymentConfiguration).toEqual({
      maximumPercent: 200,
      minimumHealthyPercent: 50,
    });
    expect(serialize(doc)).toBe(text);
  });

  it("views containers in camelCase, keeping user keys and intrinsics", () => {
    const [td] = doc.taskDefinitions;
    const app = td?.containers[1]?.definition;
    expect(app?.dependsOn).toEqual([{ condition: "START", containerName: "log-router" }]);
    expect(app?.dockerLabels).toEqual({ Team: "payments", "com.example.Owner": "ops" });
    expect(app?.healthCheck?.startPeriod).toBe(30);
    expect(app?.logConfiguration?.logDriver).toBe("awsfirelens");
    expect(app?.logConfiguration?.options).toEqual({
      Name: "datadog",
      Host: "http-intake.logs.datadoghq.com",
      TLS: "on",
      provider: "ecs",
    });
    const valueFrom: unknown = app?.logConfiguration?.secretOptions?.[0]?.valueFrom;
    expect(isIntrinsic(valueFrom)).toBe(true);
    expect((valueFrom as Intrinsic).fn).toBe("Fn::Sub");
    const image: unknown = app?.image;
    expect(isIntrinsic(image) && image.fn).toBe("Fn::Join");
    expect(literal(app?.image)).toBeUndefined();
    expect(literal(app?.name)).toBe("app");
    const router = td?.containers[0]?.definition;
    expect(router?.firelensConfiguration).toEqual({
      type: "fluentbit",
      options: { "enable-ecs-log-metadata": "true" },
    });
    expect(isIntrinsic(router?.logConfiguration?.options?.["awslogs-group"])).toBe(true);
  });

  it("maps task-level acronyms and normalises CloudFormation strings", () => {
    const [td, worker] = doc.taskDefinitions;
    expect(td?.taskDefinition.volumes?.[0]).toEqual({
      name: "data",
      efsVolumeConfiguration: { filesystemId: "fs-1234", authorizationConfig: { iam: "ENABLED" } },
    });
    expect(td?.taskDefinition.cpu).toBe("512");
    expect(isIntrinsic(td?.taskDefinition.executionRoleArn)).toBe(true);
    expect(worker?.containers[0]?.definition).toMatchObject({ essential: true, memory: 256 });
  });

  it("maps view paths back to PascalCase raw paths and locates them", () => {
    const [td] = doc.taskDefinitions;
    if (td === undefined) throw new Error("no task definition");
    const raw = doc.rawPath(td, [
      "containerDefinitions",
      1,
      "logConfiguration",
      "secretOptions",
      0,
      "valueFrom",
    ]);
    expect(raw).toEqual([
      "Resources",
      "TaskDef54694570",
      "Properties",
      "ContainerDefinitions",
      1,
      "LogConfiguration",
      "SecretOptions",
      0,
      "ValueFrom",
    ]);
    expect(doc.rawPath(td, ["containerDefinitions", 1, "dockerLabels", "com.example.Owner"]).at(-1)).toBe(
      "com.example.Owner",
    );
    expect(doc.rawPath(td, ["volumes", 0, "efsVolumeConfiguration", "authorizationConfig", "iam"])).toEqual([
      "Resources",
      "TaskDef54694570",
      "Properties",
      "Volumes",
      0,
      "EFSVolumeConfiguration",
      "AuthorizationConfig",
      "IAM",
    ]);
    // Not in the file yet: spelled the template's way, located at the nearest ancestor.
    const missing = doc.rawPath(td, ["containerDefinitions", 0, "dependsOn"]);
    expect(missing.at(-1)).toBe("DependsOn");
    const loc = doc.locate(raw);
    expect(text.split("\n")[loc.line - 1]).toContain('"ValueFrom"');
    expect(doc.locate(missing)).toEqual(doc.locate(missing.slice(0, -1)));
  });
});

describe("CloudFormation YAML", () => {
  const path = join(FIXTURES, "template.yaml");
  const text = readFileSync(path, "utf8");
  const doc = parseDocument(text, path);

  it("finds task definitions and services, keeping the text", () => {
    expect(doc.format).toBe("cloudformation-yaml");
    expect(describeFormat(doc.format)).toBe("CloudFormation template (YAML)");
    expect(serialize(doc)).toBe(text);
    expect(doc.taskDefinitions.map((t) => [t.id, t.containers.map((c) => c.name)])).toEqual([
      ["AppTaskDef", ["log-router", "datadog-agent", "app"]],
      ["CronTaskDef", ["cron"]],
    ]);
    expect(doc.services).toEqual([
      {
        id: "AppService",
        path: ["Resources", "AppService", "Properties"],
        taskDefinitionRef: "AppTaskDef",
        deploymentConfiguration: {
          maximumPercent: 200,
          minimumHealthyPercent: 100,
          deploymentCircuitBreaker: { enable: true, rollback: false },
        },
      },
    ]);
  });

  // CloudFormation's own `${…}` placeholders, not template literals.
  // biome-ignore-start lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub text
  it("turns short tags into intrinsics in their long form", () => {
    const [app, cron] = doc.taskDefinitions;
    expect(app?.taskDefinition.executionRoleArn).toEqual({
      kind: "intrinsic",
      fn: "Fn::GetAtt",
      argument: ["ExecRole", "Arn"],
    });
    expect(app?.taskDefinition.taskRoleArn).toEqual({
      kind: "intrinsic",
      fn: "Fn::GetAtt",
      argument: ["TaskRole", "Arn"],
    });
    expect(app?.taskDefinition.family).toEqual({
      kind: "intrinsic",
      fn: "Fn::Sub",
      argument: "${AWS::StackName}-app",
    });
    expect(app?.id).toBe("AppTaskDef");
    const image: unknown = app?.containers[2]?.definition.image;
    expect(image).toEqual({
      kind: "intrinsic",
      fn: "Fn::Join",
      argument: [
        ":",
        [{ "Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app" }, { Ref: "ImageTag" }],
      ],
    });
    expect(app?.containers[2]?.definition.logConfiguration?.options?.dd_service).toEqual({
      kind: "intrinsic",
      fn: "Fn::If",
      argument: ["IsProd", "payments", "payments-dev"],
      // The model reads each branch (model/branches.ts); the argument stays as written, for write-back.
      choice: {
        kind: "cloudformation",
        condition: "IsProd",
        whenTrue: "payments",
        whenFalse: "payments-dev",
      },
    });
    expect(app?.containers[1]?.definition.secrets?.[0]?.valueFrom).toEqual({
      kind: "intrinsic",
      fn: "Fn::ImportValue",
      argument: "shared-dd-api-key-arn",
    });
    const cronImage: unknown = cron?.containers[0]?.definition.image;
    expect(isIntrinsic(cronImage) ? cronImage.fn : undefined).toBe("Fn::FindInMap");
  });
  // biome-ignore-end lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub text

  it("normalises YAML scalars the way CloudFormation reads them", () => {
    const [app] = doc.taskDefinitions;
    expect(app?.taskDefinition.cpu).toBe("512");
    expect(app?.taskDefinition.memory).toBe("1024");
    expect(app?.containers[2]?.definition).toMatchObject({ essential: true, stopTimeout: 30 });
    expect(app?.containers[2]?.definition.healthCheck).toEqual({
      command: ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"],
      startPeriod: 20,
    });
    // User data under Options keeps its spelling and its string values.
    expect(app?.containers[0]?.definition.firelensConfiguration?.options).toEqual({
      "enable-ecs-log-metadata": "true",
    });
    expect(app?.containers[2]?.definition.logConfiguration?.options?.TLS).toBe("on");
  });

  it("locates nodes by raw path, at their key", () => {
    const [app] = doc.taskDefinitions;
    if (app === undefined) throw new Error("no task definition");
    const lines = text.split("\n");
    const at = (viewPath: ReadonlyArray<string | number>) => {
      const loc = doc.locate(doc.rawPath(app, viewPath));
      return (lines[loc.line - 1] ?? "").slice(loc.column - 1);
    };
    expect(at(["containerDefinitions", 2, "essential"])).toBe('Essential: "true"');
    expect(at(["containerDefinitions", 2, "logConfiguration", "secretOptions", 0, "valueFrom"])).toMatch(
      /^ValueFrom: !Sub/,
    );
    expect(at(["containerDefinitions", 0])).toBe("Name: log-router");
    expect(at(["executionRoleArn"])).toBe("ExecutionRoleArn: !GetAtt ExecRole.Arn");
  });
});

describe("ECS task definitions in YAML", () => {
  it("reads ecspresso's YAML form as ecs-yaml, camelCase, without template conversions", () => {
    const path = join(FIXTURES, "ecspresso.yaml");
    const text = readFileSync(path, "utf8");
    const doc = parseDocument(text, path);
    expect(doc.format).toBe("ecs-yaml");
    expect(describeFormat(doc.format)).toBe("ECS task definition (YAML)");
    expect(serialize(doc)).toBe(text);
    const [td] = doc.taskDefinitions;
    expect(td?.id).toBe("shop");
    expect(td?.containers.map((c) => c.name)).toEqual(["log_router", "shop"]);
    expect(td?.containers[1]?.definition.logConfiguration?.options?.auto_create_group).toBe("true");
    expect(doc.rawPath(td ?? fail(), ["containerDefinitions", 1, "memoryReservation"])).toEqual([
      "containerDefinitions",
      1,
      "memoryReservation",
    ]);
    expect(doc.locate(["containerDefinitions", 1, "memoryReservation"])).toMatchObject({
      line: 25,
      column: 3,
    });
  });

  it("reads describe-task-definition --output yaml and a bare YAML container list", () => {
    const wrapped = parseDocument(
      "taskDefinition:\n  family: x\n  containerDefinitions:\n    - name: a\n",
      "d.yaml",
    );
    expect([wrapped.format, wrapped.taskDefinitions[0]?.path]).toEqual(["ecs-yaml", ["taskDefinition"]]);
    const list = parseDocument("- name: a\n  image: b\n", "l.yaml");
    expect([list.format, list.taskDefinitions[0]?.containersKey]).toEqual(["ecs-yaml", null]);
  });
});

describe("other inputs", () => {
  it("keeps CRLF and tabs byte-identical", async () => {
    const path = join(FIXTURES, "crlf-tabs.json");
    const doc = await loadDocument(path);
    expect(serialize(doc)).toBe(readFileSync(path, "utf8"));
    expect(doc.locate(["containerDefinitions", 0, "image"])).toMatchObject({ line: 6, column: 4 });
  });

  it("reads a flow-style .yaml file that starts with '{' as YAML", () => {
    const text =
      "{Resources: {T: {Type: AWS::ECS::TaskDefinition, Properties: {ContainerDefinitions: [{Name: a, Image: !Ref I}]}}}}\n";
    const doc = parseDocument(text, "flow.yaml");
    expect(doc.format).toBe("cloudformation-yaml");
    expect(doc.taskDefinitions[0]?.containers[0]?.definition.image).toEqual({
      kind: "intrinsic",
      fn: "Ref",
      argument: "I",
    });
    const ed = new DocumentEditor(doc);
    ed.set(["Resources", "T", "Properties", "ContainerDefinitions", 0, "Essential"], true);
    expect(ed.text).toBe(text.replace("!Ref I}", "!Ref I, Essential: true}"));
  });

  it("accepts a byte-order mark", () => {
    const doc = parseDocument('\uFEFF{"containerDefinitions": []}', "bom.json");
    expect(doc.format).toBe("ecs-json");
    expect(doc.taskDefinitions[0]?.containers).toEqual([]);
  });

  it("reads stdin for -, named <stdin>", () => {
    const script =
      "import { loadDocument } from './src/taskdef/index.ts';" +
      "const d = await loadDocument('-'); console.log(d.file, d.format, d.taskDefinitions[0].containers.length);";
    const out = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      input: readFileSync(join(FIXTURES, "terraform-containers.json")),
      encoding: "utf8",
    });
    expect(out.stderr).toBe("");
    expect(out.stdout.trim()).toBe("<stdin> container-definitions 2");
  });

  it("reports a missing file as an I/O error", async () => {
    await expect(loadDocument("test/fixtures/taskdef/does-not-exist.json")).rejects.toMatchObject({
      kind: "io",
      file: "test/fixtures/taskdef/does-not-exist.json",
      message: "test/fixtures/taskdef/does-not-exist.json: cannot read: no such file",
    });
  });

  it("reports a directory as an I/O error", async () => {
    await expect(loadDocument(FIXTURES)).rejects.toBeInstanceOf(TaskDefError);
  });
});

function fail(): never {
  throw new Error("missing");
}
