import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DocumentEditor,
  detectLayout,
  inDocumentCasing,
  intrinsic,
  parseDocument,
  toCamel,
  toPascal,
} from "../../src/taskdef/index.js";

const read = (f: string) => readFileSync(f, "utf8");

/** Lines that differ between two texts, as `-`/`+` lists (order kept). */
function changedLines(a: string, b: string): { removed: string[]; added: string[] } {
  const al = a.split(/\r?\n/);
  const bl = b.split(/\r?\n/);
  let head = 0;
  while (head < al.length && al[head] === bl[head]) head++;
  let tail = 0;
  while (tail < al.length - head && al[al.length - 1 - tail] === bl[bl.length - 1 - tail]) tail++;
  return { removed: al.slice(head, al.length - tail), added: bl.slice(head, bl.length - tail) };
}

describe("casing", () => {
  const pascal = [
    "DependsOn",
    "ContainerName",
    "FirelensConfiguration",
    "LogConfiguration",
    "LogDriver",
    "SecretOptions",
    "ValueFrom",
    "HealthCheck",
    "StartPeriod",
    "MemoryReservation",
    "EFSVolumeConfiguration",
    "FSxWindowsFileServerVolumeConfiguration",
    "IAM",
    "ReadonlyRootFilesystem",
    "DnsServers",
    "DeploymentCircuitBreaker",
  ];
  it("round-trips AWS field names with acronyms", () => {
    expect(pascal.map(toCamel)).toEqual([
      "dependsOn",
      "containerName",
      "firelensConfiguration",
      "logConfiguration",
      "logDriver",
      "secretOptions",
      "valueFrom",
      "healthCheck",
      "startPeriod",
      "memoryReservation",
      "efsVolumeConfiguration",
      "fsxWindowsFileServerVolumeConfiguration",
      "iam",
      "readonlyRootFilesystem",
      "dnsServers",
      "deploymentCircuitBreaker",
    ]);
    expect(pascal.map(toCamel).map(toPascal)).toEqual(pascal);
  });

  it("converts values for templates but keeps user maps", () => {
    expect(
      inDocumentCasing("cloudformation-yaml", {
        logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog", dd_tags: "a" } },
        dockerLabels: { "com.x": "y" },
        image: intrinsic("Ref", "Image"),
      }),
    ).toEqual({
      LogConfiguration: { LogDriver: "awsfirelens", Options: { Name: "datadog", dd_tags: "a" } },
      DockerLabels: { "com.x": "y" },
      Image: intrinsic("Ref", "Image"),
    });
    expect(inDocumentCasing("ecs-json", { a: 1 })).toEqual({ a: 1 });
  });
});

describe("layout detection", () => {
  it("reads indentation and line ends", () => {
    expect(detectLayout('{\n    "a": 1\n}')).toEqual({ eol: "\n", tabs: false, indent: 4 });
    expect(detectLayout('{\r\n\t"a": 1\r\n}')).toEqual({ eol: "\r\n", tabs: true, indent: 1 });
    expect(detectLayout("a: 1")).toEqual({ eol: "\n", tabs: false, indent: 2 });
  });

  it("decides by majority: one stray tab line or LF line does not", () => {
    const spaces = '{\n  "a": {\n    "b": 1,\n\t"c": 2,\n    "d": 3\n  }\n}';
    expect(detectLayout(spaces)).toEqual({ eol: "\n", tabs: false, indent: 2 });
    const crlf = '{\r\n    "a": 1,\r\n    "b": 2,\n    "c": 3\r\n}';
    expect(detectLayout(crlf)).toEqual({ eol: "\r\n", tabs: false, indent: 4 });
    const tabs = '{\n\t"a": {\n\t\t"b": 1,\n    "c": 2\n\t}\n}';
    expect(detectLayout(tabs).tabs).toBe(true);
  });
});

describe("batches", () => {
  it("applies a batch from one reading: same-parent insertions in order, appends at consecutive indexes", () => {
    const text =
      '{\n  "containerDefinitions": [\n    {\n      "name": "a",\n      "options": {}\n    }\n  ]\n}\n';
    const ed = new DocumentEditor(parseDocument(text, "b.json"));
    ed.apply([
      { op: "set", path: ["containerDefinitions", 0, "options", "x"], value: "1" },
      { op: "append", path: ["containerDefinitions"], value: { name: "b" } },
      { op: "set", path: ["containerDefinitions", 0, "options", "y"], value: "2" },
      { op: "set", path: ["containerDefinitions", 2], value: { name: "c" } },
      { op: "set", path: ["containerDefinitions", 0, "essential"], value: true },
    ]);
    expect(ed.text).toBe(
      '{\n  "containerDefinitions": [\n    {\n      "name": "a",\n      "options": {"x": "1", "y": "2"},\n      "essential": true\n    },\n    {\n      "name": "b"\n    },\n    {\n      "name": "c"\n    }\n  ]\n}\n',
    );
    expect(ed.document().taskDefinitions[0]?.containers.map((c) => c.name)).toEqual(["a", "b", "c"]);
  });

  it("puts an insertion into the last item before one after it, whatever the plan order (YAML)", () => {
    const yaml = "- name: a\n  image: x\n";
    const ed = new DocumentEditor(parseDocument(yaml, "l.yaml"));
    ed.append([], { name: "b" });
    ed.set([0, "essential"], false);
    expect(ed.text).toBe("- name: a\n  image: x\n  essential: false\n- name: b\n");
  });

  it("joins several insertions into one empty flow collection (YAML)", () => {
    const yaml = "containerDefinitions:\n  - name: a\n    options: {}\n    links: []\n";
    const ed = new DocumentEditor(parseDocument(yaml, "f.yaml"));
    ed.set(["containerDefinitions", 0, "options", "k"], "v");
    ed.set(["containerDefinitions", 0, "options", "on"], "on");
    ed.append(["containerDefinitions", 0, "links"], "b");
    ed.append(["containerDefinitions", 0, "links"], "c");
    expect(ed.text).toBe(
      'containerDefinitions:\n  - name: a\n    options: {k: v, on: "on"}\n    links: [b, c]\n',
    );
    expect(ed.document().taskDefinitions[0]?.containers[0]?.definition.links).toEqual(["b", "c"]);
  });

  it("refuses two edits of the same text, and edits of what is not there", () => {
    const text = '{"containerDefinitions": [{"name": "a", "healthCheck": {"retries": 1}}]}';
    const doc = parseDocument(text, "c.json");
    expect(
      () =>
        new DocumentEditor(doc)
          .set(["containerDefinitions", 0, "healthCheck"], { retries: 2 })
          .set(["containerDefinitions", 0, "healthCheck", "retries"], 3).text,
    ).toThrow(/two edits change the same text/);
    expect(() => new DocumentEditor(doc).set(["containerDefinitions", 0, "x", "y"], 1).text).toThrow(
      /no object or array at \["containerDefinitions",0,"x"\]/,
    );
    expect(() => new DocumentEditor(doc).append(["containerDefinitions", 0], 1).text).toThrow(/not an array/);
    expect(() => new DocumentEditor(doc).set(["containerDefinitions", 5], {}).text).toThrow(/no item/);
  });

  it("keeps earlier batches: a later batch edits the text the earlier one left", () => {
    const doc = parseDocument('{"containerDefinitions": [{"name": "a"}]}', "l.json");
    const ed = new DocumentEditor(doc).set(["containerDefinitions", 0, "dependsOn"], []);
    expect(ed.text).toBe('{"containerDefinitions": [{"name": "a", "dependsOn": []}]}');
    ed.append(["containerDefinitions", 0, "dependsOn"], { containerName: "b", condition: "START" });
    expect(ed.document().taskDefinitions[0]?.containers[0]?.definition.dependsOn).toEqual([
      { containerName: "b", condition: "START" },
    ]);
    expect(ed.text).toBe(
      '{"containerDefinitions": [{"name": "a", "dependsOn": [{"containerName": "b", "condition": "START"}]}]}',
    );
  });
});

describe("JSON edits", () => {
  it("append and insert touch only the lines they must, in the file's indentation", () => {
    const path = "test/fixtures/firelens-examples/fluent-bit__datadog__task-definition.json";
    const text = read(path);
    const doc = parseDocument(text, path);
    const ed = new DocumentEditor(doc);
    ed.set(["containerDefinitions", 1, "dependsOn"], [{ containerName: "gate", condition: "SUCCESS" }]);
    ed.append(["containerDefinitions"], { name: "gate", essential: false });
    const { removed, added } = changedLines(text, ed.text);
    expect(removed).toEqual(['            "memoryReservation": 100']);
    expect(added).toEqual([
      '            "memoryReservation": 100,',
      '            "dependsOn": [',
      "                {",
      '                    "containerName": "gate",',
      '                    "condition": "SUCCESS"',
      "                }",
      "            ]",
      "        },",
      "        {",
      '            "name": "gate",',
      '            "essential": false',
    ]);
    const again = ed.document();
    expect(again.taskDefinitions[0]?.containers.map((c) => c.name)).toEqual(["log_router", "app", "gate"]);
    // Data outside the edit is unchanged.
    const before = JSON.parse(text);
    const after = JSON.parse(ed.text);
    after.containerDefinitions.pop();
    delete after.containerDefinitions[1].dependsOn;
    expect(after).toEqual(before);
  });

  it("keeps one-line collections on one line, in their own spacing", () => {
    const text =
      '{"containerDefinitions": [{"name": "a", "dependsOn": [{"containerName": "b", "condition": "START"}]}, {"name":"b","options":{}}]}\n';
    const ed = new DocumentEditor(parseDocument(text, "x.json"));
    ed.append(["containerDefinitions", 0, "dependsOn"], { containerName: "c", condition: "SUCCESS" });
    ed.set(["containerDefinitions", 1, "essential"], true);
    ed.set(["containerDefinitions", 1, "options", "k"], "v");
    expect(ed.text).toBe(
      '{"containerDefinitions": [{"name": "a", "dependsOn": [{"containerName": "b", "condition": "START"}, {"containerName": "c", "condition": "SUCCESS"}]}, {"name":"b","options":{"k":"v"},"essential":true}]}\n',
    );
  });

  it("replaces values and keeps CRLF and tabs", () => {
    const path = "test/fixtures/taskdef/crlf-tabs.json";
    const text = read(path);
    const ed = new DocumentEditor(parseDocument(text, path));
    ed.set(["containerDefinitions", 0, "essential"], false);
    ed.set(["containerDefinitions", 0, "dependsOn"], [{ containerName: "x", condition: "START" }]);
    expect(ed.text).toBe(
      text.replace(
        '\t\t\t"essential": true\r\n',
        '\t\t\t"essential": false,\r\n\t\t\t"dependsOn": [\r\n\t\t\t\t{\r\n\t\t\t\t\t"containerName": "x",\r\n\t\t\t\t\t"condition": "START"\r\n\t\t\t\t}\r\n\t\t\t]\r\n',
      ),
    );
  });

  it("writes intrinsic markers in their long JSON form", () => {
    const path = "test/fixtures/taskdef/template.json";
    const doc = parseDocument(read(path), path);
    const ed = new DocumentEditor(doc);
    ed.set(
      ["Resources", "WorkerTaskDef", "Properties", "ExecutionRoleArn"],
      intrinsic("Fn::GetAtt", ["Role", "Arn"]),
    );
    expect(ed.text).toContain('"ExecutionRoleArn": {');
    expect(ed.document().taskDefinitions[1]?.taskDefinition.executionRoleArn).toEqual(
      intrinsic("Fn::GetAtt", ["Role", "Arn"]),
    );
  });
});

describe("YAML edits", () => {
  const path = "test/fixtures/taskdef/template.yaml";
  const text = read(path);
  const doc = parseDocument(text, path);
  const [td] = doc.taskDefinitions;
  if (td === undefined) throw new Error("fixture has no task definition");

  it("appends a block item at the sequence's indentation, comments and tags kept", () => {
    const ed = new DocumentEditor(doc);
    const app = td.containers[2]?.definition;
    ed.append(
      doc.rawPath(td, ["containerDefinitions"]),
      inDocumentCasing(doc.format, {
        name: "gate",
        essential: false,
        dependsOn: [{ containerName: "log-router", condition: "START" }],
        logConfiguration: app?.logConfiguration,
      }),
    );
    const { removed, added } = changedLines(text, ed.text);
    expect(removed).toEqual([]);
    expect(added).toEqual([
      "        - Name: gate",
      "          Essential: false",
      "          DependsOn:",
      "            - ContainerName: log-router",
      "              Condition: START",
      "          LogConfiguration:",
      "            LogDriver: awsfirelens",
      "            Options:",
      "              Name: datadog",
      "              Host: http-intake.logs.datadoghq.com",
      "              dd_service: !If [IsProd, payments, payments-dev]",
      '              TLS: "on"',
      "            SecretOptions:",
      "              - Name: apikey",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub text
      "                ValueFrom: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/dd",
    ]);
    expect(ed.text).toContain("# the router must stay first");
    const again = ed.document();
    expect(again.taskDefinitions[0]?.containers[3]?.definition.logConfiguration).toEqual(
      app?.logConfiguration,
    );
  });

  it("inserts a property into a block mapping and into a flow mapping", () => {
    const ed = new DocumentEditor(doc);
    ed.set(doc.rawPath(td, ["containerDefinitions", 2, "dependsOn"]), [
      { ContainerName: "gate", Condition: "SUCCESS" },
    ]);
    ed.set(
      [
        "Resources",
        "AppService",
        "Properties",
        "DeploymentConfiguration",
        "DeploymentCircuitBreaker",
        "Rollback",
      ],
      true,
    );
    const { added } = changedLines(text, ed.text);
    expect(added).toContain("          DependsOn:");
    expect(ed.text).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub text
      "                ValueFrom: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/dd\n          DependsOn:\n            - ContainerName: gate\n              Condition: SUCCESS\n  CronTaskDef:",
    );
    expect(ed.text).toContain('          Enable: "true"\n          Rollback: true\n');
    const flow =
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {Family: x, ContainerDefinitions: [{Name: a, Image: b}]}\n";
    const fed = new DocumentEditor(parseDocument(flow, "f.yaml"));
    fed.set(["Resources", "T", "Properties", "ContainerDefinitions", 0, "Essential"], true);
    fed.append(["Resources", "T", "Properties", "ContainerDefinitions"], { Name: "c", Image: "d" });
    expect(fed.text).toBe(
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {Family: x, ContainerDefinitions: [{Name: a, Image: b, Essential: true}, {Name: c, Image: d}]}\n",
    );
  });

  it("replaces a tagged value including its tag", () => {
    const ed = new DocumentEditor(doc);
    ed.set(doc.rawPath(td, ["family"]), "plain");
    const { removed, added } = changedLines(text, ed.text);
    ed.set(doc.rawPath(td, ["executionRoleArn"]), intrinsic("Fn::GetAtt", ["Other", "Arn"]));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub text
    expect(removed).toEqual(['      Family: !Sub "${AWS::StackName}-app"']);
    expect(added).toEqual(["      Family: plain"]);
    expect(ed.text).toContain("      ExecutionRoleArn: !GetAtt Other.Arn\n");
  });

  it("follows a file that does not indent sequences under keys", () => {
    const yaml =
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n      - Name: a # first\n        Image: b\n";
    const ed = new DocumentEditor(parseDocument(yaml, "n.yaml"));
    ed.append(["Resources", "T", "Properties", "ContainerDefinitions"], {
      Name: "c",
      DependsOn: [{ ContainerName: "a", Condition: "START" }],
    });
    expect(ed.text).toBe(
      `${yaml}      - Name: c\n        DependsOn:\n        - ContainerName: a\n          Condition: START\n`.replace(
        "Image: b\n      - Name: c",
        "Image: b\n      - Name: c",
      ),
    );
  });

  it("keeps a wide gap after the dash and fills a key written with no value", () => {
    const yaml = [
      "Resources:",
      "    T:",
      "        Type: AWS::ECS::TaskDefinition",
      "        Properties:",
      "            Family:",
      "            ContainerDefinitions:",
      "            -   Name: a",
      "                Image: b",
      "...",
      "",
    ].join("\n");
    const ed = new DocumentEditor(parseDocument(yaml, "w.yaml"));
    ed.append(["Resources", "T", "Properties", "ContainerDefinitions"], { Name: "c", Essential: false });
    ed.set(["Resources", "T", "Properties", "Family"], "fam");
    expect(ed.text).toBe(
      [
        "Resources:",
        "    T:",
        "        Type: AWS::ECS::TaskDefinition",
        "        Properties:",
        "            Family: fam",
        "            ContainerDefinitions:",
        "            -   Name: a",
        "                Image: b",
        "            -   Name: c",
        "                Essential: false",
        "...",
        "",
      ].join("\n"),
    );
  });

  it("keeps CRLF in YAML", () => {
    const yaml =
      "Resources:\r\n  T:\r\n    Type: AWS::ECS::TaskDefinition\r\n    Properties:\r\n      ContainerDefinitions:\r\n        - Name: a\r\n";
    const ed = new DocumentEditor(parseDocument(yaml, "c.yaml"));
    ed.append(["Resources", "T", "Properties", "ContainerDefinitions"], { Name: "b" });
    expect(ed.text).toBe(
      `${yaml}        - Name: b\r\n`.replace(
        "- Name: a\r\n        - Name: b\r\n",
        "- Name: a\r\n        - Name: b\r\n",
      ),
    );
  });
});
