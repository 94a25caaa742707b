import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyGate, FixError, fixText, type GateOptions, planGate } from "../../src/fix/index.js";
import {
  ROUTER_MONITORING_CONFIG as MONITORING_CONFIG,
  ROUTER_HEALTH_CHECK,
} from "../../src/probe/contract.js";
import { lintDocument, rules } from "../../src/rules/index.js";
import { parseDocument, TaskDefError } from "../../src/taskdef/index.js";

const IMAGE = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/firelens-preflight:0.1.0";
const OPTS: GateOptions = { probeImage: IMAGE };
/** What a fixed task must pass: the rules `fix` says it repairs (their `fixable` metadata), FLP1xx, FLP207, FLP211. */
const FIXABLE = new Set(rules.filter((r) => r.meta.fixable === "gate").map((r) => r.meta.id));
const GATE_RULES = { test: (id: string) => FIXABLE.has(id) || /^FLP(1\d\d|207|211)$/.test(id) };

type Json = Record<string, unknown>;

/** The original data back from a fixed document: drop the preflight and every dependsOn entry on it. */
function ungate(fixed: Json, original: Json, name = "log-router-preflight"): Json {
  const copy = structuredClone(fixed);
  const origContainers = original.containerDefinitions as Json[];
  const containers = (copy.containerDefinitions as Json[]).filter((c) => c.name !== name);
  containers.forEach((c, i) => {
    if (!Array.isArray(c.dependsOn)) return;
    c.dependsOn = (c.dependsOn as Json[]).filter((d) => d.containerName !== name);
    if ((c.dependsOn as Json[]).length === 0 && origContainers[i]?.dependsOn === undefined)
      delete c.dependsOn;
  });
  copy.containerDefinitions = containers;
  return copy;
}

function read(path: string): string {
  return readFileSync(path, "utf8");
}

function errorOf(fn: () => unknown): FixError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FixError) return e;
    throw e;
  }
  throw new Error("no FixError");
}

describe("the seed", () => {
  const before = read("examples/seed/before.json");

  it("is gated exactly as the golden file says", () => {
    const r = fixText(before, "examples/seed/before.json", OPTS);
    expect(r.changed).toBe(true);
    expect(r.text).toBe(read("examples/seed/after.json"));
    expect(r.changes.map((c) => [c.kind, c.container])).toEqual([
      ["gate-container", "app"],
      ["add-preflight", "log-router-preflight"],
    ]);
    // aws-for-fluent-bit 2.19.0 has no monitoring config: say so.
    expect(r.notes).toEqual([
      "backend: router 'log-router' has no monitoring server (aws-for-fluent-bit 2.19.0 is older than 2.29.1); the probe will be limited to 'accepted'",
    ]);
    const pre = (JSON.parse(r.text).containerDefinitions as Json[]).find(
      (c) => c.name === "log-router-preflight",
    );
    expect(pre).toMatchObject({
      essential: false,
      dependsOn: [
        { containerName: "log-router", condition: "START" },
        { containerName: "dd-agent", condition: "START" },
      ],
      environment: expect.arrayContaining([
        { name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" },
        { name: "FIRELENS_PREFLIGHT_MONITOR", value: "off" },
      ]),
    });
    // Its stdout goes through the same output as the app's, secret included.
    const app = (JSON.parse(before).containerDefinitions as Json[])[2];
    expect(pre?.logConfiguration).toEqual(app?.logConfiguration);
  });

  it("reproduces examples/seed/after.json", () => {
    const after = read("examples/seed/after.json");
    const pre = (JSON.parse(after).containerDefinitions as Json[]).find(
      (c) => c.name === "log-router-preflight",
    );
    const r = fixText(before, "examples/seed/before.json", { probeImage: String(pre?.image) });
    expect(r.text).toBe(after);
  });

  it("passes lint's gate rules afterwards, and a second fix changes nothing", () => {
    const r = fixText(before, "before.json", OPTS);
    const ids = lintDocument(parseDocument(r.text, "after.json")).map((f) => f.ruleId);
    expect(lintDocument(parseDocument(before, "before.json")).map((f) => f.ruleId)).toContain("FLP201");
    expect(ids.filter((id) => GATE_RULES.test(id))).toEqual([]);
    const again = fixText(r.text, "after.json", {});
    expect(again.changed).toBe(false);
    expect(again.text).toBe(r.text);
    expect(again.reason).toBe("already gated");
  });
});

describe("every aws-samples example", () => {
  const dir = "test/fixtures/firelens-examples";
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    it(f, () => {
      const path = join(dir, f);
      const text = read(path);
      const doc = parseDocument(text, path);
      const r = applyGate(doc, OPTS);
      // Each has a FireLens router and an essential app logging through awsfirelens.
      expect(r.changed).toBe(true);
      const fixed = parseDocument(r.text, path);
      const findings = lintDocument(fixed).filter((x) => GATE_RULES.test(x.ruleId));
      expect(findings.map((x) => `${x.ruleId} ${x.message}`)).toEqual([]);
      expect(applyGate(fixed, {}).text).toBe(r.text);
      expect(ungate(JSON.parse(r.text), JSON.parse(text))).toEqual(JSON.parse(text));
      // Lines before the first edit are untouched (only what must change changes).
      const firstEdit = r.text.split("\n").findIndex((line, i) => line !== text.split("\n")[i]);
      expect(firstEdit).toBeGreaterThan(5);
    });
  }
});

describe("templates", () => {
  it("gates a CloudFormation YAML template in PascalCase, keeping comments and short tags", () => {
    const path = "test/fixtures/taskdef/template.yaml";
    const text = read(path);
    const r = fixText(text, path, OPTS);
    expect(r.changed).toBe(true);
    for (const line of text.split("\n").filter((l) => l.includes("#") || l.includes("!"))) {
      if (!line.includes("Rollback")) expect(r.text).toContain(line);
    }
    const doc = parseDocument(r.text, path);
    const [app, cron] = doc.taskDefinitions;
    expect(cron?.containers.map((c) => c.name)).toEqual(["cron"]);
    const pre = app?.containers[3];
    expect(pre?.name).toBe("log-router-preflight");
    expect(pre?.definition.dependsOn).toEqual([
      { containerName: "log-router", condition: "START" },
      { containerName: "datadog-agent", condition: "START" },
    ]);
    expect(app?.containers[2]?.definition.dependsOn).toEqual([
      { containerName: "log-router-preflight", condition: "SUCCESS" },
    ]);
    expect(r.text).toContain("        - Name: log-router-preflight\n          Image: 123456789012");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub text
    expect(r.text).toContain("                ValueFrom: !Sub arn:${AWS::Partition}:ssm:");
    // The service had Enable "true" and Rollback false: only Rollback changes.
    expect(doc.services[0]?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({
      enable: true,
      rollback: true,
    });
    expect(r.text).toContain('          Enable: "true"\n          Rollback: true\n');
    expect(r.changes.filter((c) => c.kind === "circuit-breaker").map((c) => c.path)).toEqual([
      [
        "Resources",
        "AppService",
        "Properties",
        "DeploymentConfiguration",
        "DeploymentCircuitBreaker",
        "Rollback",
      ],
    ]);
    expect(lintDocument(doc).filter((x) => GATE_RULES.test(x.ruleId))).toEqual([]);
    expect(fixText(r.text, path, {}).text).toBe(r.text);
  });

  it("gates a CloudFormation JSON template and only services running a gated task get the breaker", () => {
    const path = "test/fixtures/taskdef/template.json";
    const text = read(path);
    const r = fixText(text, path, OPTS);
    const doc = parseDocument(r.text, path);
    expect(doc.services.map((s) => [s.id, s.deploymentConfiguration])).toEqual([
      [
        "Service9571FDD8",
        {
          maximumPercent: 200,
          minimumHealthyPercent: 50,
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      ],
      ["ExternalService", undefined],
    ]);
    const data = JSON.parse(r.text);
    const pre = data.Resources.TaskDef54694570.Properties.ContainerDefinitions[2];
    expect(Object.keys(pre)).toEqual([
      "Name",
      "Image",
      "Essential",
      "Cpu",
      "MemoryReservation",
      "Environment",
      "DependsOn",
      "LogConfiguration",
    ]);
    expect(pre.LogConfiguration.SecretOptions[0].ValueFrom).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub text
      "Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:dd",
    });
    expect(data.Resources.TaskDef54694570.Properties.ContainerDefinitions[1].DependsOn).toEqual([
      { Condition: "START", ContainerName: "log-router" },
      { ContainerName: "log-router-preflight", Condition: "SUCCESS" },
    ]);
    expect(fixText(r.text, path, {}).text).toBe(r.text);
  });

  it("leaves services alone with circuitBreaker: false", () => {
    const path = "test/fixtures/taskdef/template.json";
    const r = fixText(read(path), path, { ...OPTS, circuitBreaker: false });
    expect(r.changes.some((c) => c.kind === "circuit-breaker")).toBe(false);
    expect(JSON.parse(r.text).Resources.Service9571FDD8.Properties.DeploymentConfiguration).toEqual({
      MaximumPercent: 200,
      MinimumHealthyPercent: 50,
    });
  });

  it("adds DeploymentConfiguration when a service has none", () => {
    const yaml = [
      "Resources:",
      "  T:",
      "    Type: AWS::ECS::TaskDefinition",
      "    Properties:",
      "      ContainerDefinitions:",
      "        - {Name: r, Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0', FirelensConfiguration: {Type: fluentbit}}",
      "        - Name: app",
      "          Image: app:1",
      "          LogConfiguration: {LogDriver: awsfirelens, Options: {Name: stdout}}",
      "  S:",
      "    Type: AWS::ECS::Service",
      "    Properties:",
      "      TaskDefinition: !Ref T # the task above",
      "",
    ].join("\n");
    const r = fixText(yaml, "s.yaml", OPTS);
    expect(r.text).toContain(
      "      TaskDefinition: !Ref T # the task above\n      DeploymentConfiguration:\n        DeploymentCircuitBreaker:\n          Enable: true\n          Rollback: true\n",
    );
    expect(fixText(r.text, "s.yaml", {}).changed).toBe(false);
    const empty = yaml.replace("# the task above\n", "# the task above\n      DeploymentConfiguration:\n");
    expect(fixText(empty, "s.yaml", OPTS).text).toContain(
      "      DeploymentConfiguration: {DeploymentCircuitBreaker: {Enable: true, Rollback: true}}\n",
    );
  });
});

describe("other formats", () => {
  it("gates an ecspresso YAML task definition in camelCase, keeping comments and templates", () => {
    const path = "test/fixtures/taskdef/ecspresso.yaml";
    const text = read(path);
    const r = fixText(text, path, OPTS);
    expect(r.text.startsWith(text.slice(0, text.indexOf("  memoryReservation: 256")))).toBe(true);
    expect(r.text.slice(text.indexOf("  memoryReservation: 256"))).toBe(
      [
        "  memoryReservation: 256 # leaves room for the router",
        "  dependsOn:",
        "  - containerName: log-router-preflight",
        "    condition: SUCCESS",
        "- name: log-router-preflight",
        `  image: ${IMAGE}`,
        "  essential: false",
        "  cpu: 32",
        "  memoryReservation: 32",
        "  environment:",
        "  - name: FIRELENS_PREFLIGHT_CONTAINERS",
        "    value: shop",
        "  - name: FIRELENS_PREFLIGHT_MONITOR",
        '    value: "off"',
        "  - name: FIRELENS_PREFLIGHT_REQUIRE",
        "    value: auto",
        "  - name: FIRELENS_PREFLIGHT_DEADLINE",
        "    value: 60s",
        "  - name: FIRELENS_PREFLIGHT_RECORDS",
        '    value: "3"',
        "  dependsOn:",
        "  - containerName: log_router",
        "    condition: START",
        "  logConfiguration:",
        "    logDriver: awsfirelens",
        "    options:",
        "      Name: cloudwatch_logs",
        "      region: eu-west-1",
        "      log_group_name: /ecs/shop",
        '      auto_create_group: "true"',
        "",
      ].join("\n"),
    );
    expect(fixText(r.text, path, {}).text).toBe(r.text);
  });

  it("gates describe-task-definition output inside taskDefinition", () => {
    const path = "test/fixtures/taskdef/describe.json";
    const text = read(path);
    const r = fixText(text, path, OPTS);
    const data = JSON.parse(r.text);
    expect(data.taskDefinition.containerDefinitions.map((c: Json) => c.name)).toEqual([
      "log_router",
      "web",
      "log-router-preflight",
    ]);
    expect(data.tags).toEqual([]);
    expect(ungate(data.taskDefinition, JSON.parse(text).taskDefinition)).toEqual(
      JSON.parse(text).taskDefinition,
    );
  });

  it("gates a bare containerDefinitions array, keeping existing dependsOn entries", () => {
    const path = "test/fixtures/taskdef/terraform-containers.json";
    const r = fixText(read(path), path, OPTS);
    const data = JSON.parse(r.text) as Json[];
    expect(data[1]?.dependsOn).toEqual([
      { containerName: "router", condition: "START" },
      { containerName: "log-router-preflight", condition: "SUCCESS" },
    ]);
    expect(data[2]?.name).toBe("log-router-preflight");
  });
});

const ROUTER = {
  name: "log-router",
  image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",
  essential: true,
  firelensConfiguration: { type: "fluentbit" },
  memoryReservation: 50,
};
const APP = {
  name: "app",
  image: "app:1",
  essential: true,
  logConfiguration: { logDriver: "awsfirelens", options: { Name: "stdout" } },
};

function td(containers: Json[], extra: Json = {}): string {
  return `${JSON.stringify({ family: "t", ...extra, containerDefinitions: containers }, null, 2)}\n`;
}

describe("refusals and reasons", () => {
  it("needs a probe image to add a preflight", () => {
    const e = errorOf(() => fixText(td([ROUTER, APP]), "t.json", {}));
    expect(e.kind).toBe("missing-probe-image");
    expect(e.option).toBe("probeImage");
    expect(e.message).toBe(
      "t.json: t: a preflight container must be added and no probe image is known; pass probeImage (the image built from this package's Dockerfile). Nothing was written.",
    );
    expect(e.describe((option) => `--${option}`)).toContain("pass --probeImage (the image");
  });

  it("takes the probe image from a preflight already in the file", () => {
    const doc = {
      Resources: {
        A: {
          Type: "AWS::ECS::TaskDefinition",
          Properties: {
            ContainerDefinitions: [
              { Name: "log-router", Image: ROUTER.image, FirelensConfiguration: { Type: "fluentbit" } },
              {
                Name: "a",
                Image: "a",
                LogConfiguration: { LogDriver: "awsfirelens" },
                DependsOn: [{ ContainerName: "log-router-preflight", Condition: "SUCCESS" }],
              },
              { Name: "log-router-preflight", Image: "mine/probe:2", Essential: false },
            ],
          },
        },
        B: {
          Type: "AWS::ECS::TaskDefinition",
          Properties: {
            ContainerDefinitions: [
              { Name: "log-router", Image: ROUTER.image, FirelensConfiguration: { Type: "fluentbit" } },
              { Name: "b", Image: "b", LogConfiguration: { LogDriver: "awsfirelens" } },
            ],
          },
        },
      },
    };
    const r = fixText(JSON.stringify(doc, null, 2), "t.json", {});
    const b = parseDocument(r.text, "t.json").taskDefinitions[1];
    expect(b?.containers[2]?.definition.image).toBe("mine/probe:2");
    expect(r.plan.tasks.map((t) => t.status)).toEqual(["gated", "gated"]);
  });

  it("refuses when the Fargate memory budget cannot hold the preflight", () => {
    const text = td(
      [
        { ...ROUTER, memoryReservation: 100 },
        { ...APP, memoryReservation: 400 },
      ],
      {
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
      },
    );
    const e = errorOf(() => fixText(text, "t.json", OPTS));
    expect(e.kind).toBe("budget");
    expect(e.message).toBe(
      "t.json: task definition 't': the containers' memory reservations (memoryReservation, else memory) add up to 500 MiB of the task's 512 MiB, and the preflight reserves 32 MiB more (500 + 32 = 532 > 512); raise the task memory to 1024 MiB (a valid Fargate size for cpu 256), or lower another container's memory reservation. Nothing was written.",
    );
    // Exactly full still fits.
    const fits = td(
      [
        { ...ROUTER, memoryReservation: 80 },
        { ...APP, memory: 400 },
      ],
      {
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
      },
    );
    expect(fixText(fits, "t.json", OPTS).changed).toBe(true);
  });

  it("refuses when the CPU budget cannot hold the preflight", () => {
    const text = td([ROUTER, { ...APP, cpu: 1000 }], {
      requiresCompatibilities: ["FARGATE"],
      cpu: "1 vCPU",
      memory: "2 GB",
    });
    const e = errorOf(() => fixText(text, "t.json", OPTS));
    expect(e.kind).toBe("budget");
    expect(e.message).toMatch(
      /reserve 1000 of the task's 1024 CPU units and the preflight needs 32 more \(1032 > 1024\); raise the task cpu to 2048/,
    );
  });

  it("leaves a document without FireLens router byte-identical, with a reason", () => {
    const text = td([{ name: "app", image: "x", logConfiguration: { logDriver: "awslogs" } }]);
    const r = fixText(text, "t.json", {});
    expect(r.changed).toBe(false);
    expect(r.text).toBe(text);
    expect(r.reason).toBe("t: no FireLens router (no container has firelensConfiguration)");
  });

  it("leaves a document without an essential awsfirelens app untouched, with a reason", () => {
    const text = td([
      ROUTER,
      { ...APP, essential: false },
      { name: "side", image: "s", logConfiguration: { logDriver: "awslogs" } },
    ]);
    const r = fixText(text, "t.json", OPTS);
    expect(r.text).toBe(text);
    expect(r.reason).toBe("t: no essential app logs through awsfirelens");
  });

  it("refuses two routers instead of picking one (FLP201 would stay: never 'unchanged')", () => {
    const text = td([ROUTER, { ...ROUTER, name: "r2" }, APP]);
    const e = errorOf(() => fixText(text, "t.json", OPTS));
    expect(e.kind).toBe("unsupported");
    expect(e.message).toBe(
      "t.json: t: 2 containers have firelensConfiguration; ECS allows one, fix that first; 'app' would still start before the log path is verified (FLP201), and fix cannot gate this task: keep one container with firelensConfiguration, then run fix again. Nothing was written.",
    );
  });

  it("malformed input fails in the loader with a located error, before anything is planned", () => {
    expect(() => fixText('{"containerDefinitions": [}', "bad.json", OPTS)).toThrow(TaskDefError);
    expect(() => fixText('{"containerDefinitions": [}', "bad.json", OPTS)).toThrow(/^bad\.json:1:27: /);
  });

  it("checks --gate names and roles", () => {
    expect(errorOf(() => fixText(td([ROUTER, APP]), "t.json", { ...OPTS, gate: ["nope"] })).message).toBe(
      "t.json: gate names 'nope', which no task definition in the file has",
    );
    const e = errorOf(() => fixText(td([ROUTER, APP]), "t.json", { ...OPTS, gate: ["log-router"] }));
    expect(e.kind).toBe("bad-option");
    expect(e.message).toMatch(/the router/);
    expect(errorOf(() => fixText(td([ROUTER, APP]), "t.json", { ...OPTS, records: 0 })).kind).toBe(
      "bad-option",
    );
  });

  it("refuses a --name that belongs to another container", () => {
    const e = errorOf(() => fixText(td([ROUTER, APP]), "t.json", { ...OPTS, name: "app" }));
    expect(e.option).toBe("name");
    expect(e.message).toBe(
      "t.json: t: a container named 'app' exists and is no preflight; choose another name",
    );
  });
});

describe("options", () => {
  it("--gate gates the named containers only, even a non-essential one", () => {
    const text = td([ROUTER, APP, { ...APP, name: "worker", essential: false }]);
    const r = fixText(text, "t.json", {
      ...OPTS,
      gate: ["worker"],
      name: "gate",
      require: "flushed",
      timeout: "30s",
      records: 5,
    });
    const data = JSON.parse(r.text);
    expect(data.containerDefinitions[1].dependsOn).toBeUndefined();
    expect(data.containerDefinitions[2].dependsOn).toEqual([{ containerName: "gate", condition: "SUCCESS" }]);
    expect(data.containerDefinitions[3].environment).toEqual([
      { name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "worker" },
      { name: "FIRELENS_PREFLIGHT_MONITOR", value: "off" },
      { name: "FIRELENS_PREFLIGHT_REQUIRE", value: "flushed" },
      { name: "FIRELENS_PREFLIGHT_DEADLINE", value: "30s" },
      { name: "FIRELENS_PREFLIGHT_RECORDS", value: "5" },
    ]);
    expect(fixText(r.text, "t.json", { gate: ["worker"], name: "gate" }).changed).toBe(false);
  });

  it("--router-monitoring points an eligible router at the monitoring config and waits for HEALTHY", () => {
    const r = fixText(td([ROUTER, APP]), "t.json", { ...OPTS, routerMonitoring: true });
    const [router, , pre] = JSON.parse(r.text).containerDefinitions as Json[];
    expect(router?.firelensConfiguration).toEqual({
      type: "fluentbit",
      options: { "config-file-type": "file", "config-file-value": MONITORING_CONFIG },
    });
    // The one router health check the gate recommends, the same the CDK constructs give the router.
    expect(router?.healthCheck).toEqual(ROUTER_HEALTH_CHECK);
    expect(router?.dependsOn).toBeUndefined();
    expect(pre?.dependsOn).toEqual([{ containerName: "log-router", condition: "HEALTHY" }]);
    expect(pre?.environment).toContainEqual({
      name: "FIRELENS_PREFLIGHT_MONITOR",
      value: "http://127.0.0.1:2020",
    });
    expect(r.notes).toEqual([]);
    expect(fixText(r.text, "t.json", { routerMonitoring: true }).changed).toBe(false);
  });

  it("--router-monitoring explains why an old or custom router cannot have it", () => {
    const old = { ...ROUTER, image: "amazon/aws-for-fluent-bit:2.28.0" };
    const r = fixText(td([old, APP]), "t.json", { ...OPTS, routerMonitoring: true });
    expect(r.notes).toEqual([
      "t: router 'log-router' has no monitoring server and cannot get one (aws-for-fluent-bit 2.28.0 is older than 2.29.1); the probe will be limited to 'accepted'",
    ]);
    expect(JSON.parse(r.text).containerDefinitions[0]).toEqual(old);
    const custom = {
      ...ROUTER,
      firelensConfiguration: {
        type: "fluentbit",
        options: { "config-file-type": "file", "config-file-value": "/my.conf" },
      },
    };
    const c = fixText(td([custom, APP]), "t.json", { ...OPTS, routerMonitoring: true });
    expect(c.notes[0]).toMatch(/loads its own config/);
    expect(JSON.parse(c.text).containerDefinitions[0]).toEqual(custom);
  });

  it("without --router-monitoring, says that an eligible router could have it", () => {
    const r = fixText(td([ROUTER, APP]), "t.json", OPTS);
    expect(r.notes).toEqual([
      "t: router 'log-router' has no monitoring server; the probe will be limited to 'accepted' (--router-monitoring adds it)",
    ]);
  });

  it("waits for HEALTHY when the router already has a healthCheck", () => {
    const hc = { ...ROUTER, healthCheck: { command: ["CMD-SHELL", "true"] } };
    const pre = (JSON.parse(fixText(td([hc, APP]), "t.json", OPTS).text).containerDefinitions as Json[])[2];
    expect(pre?.dependsOn).toEqual([{ containerName: "log-router", condition: "HEALTHY" }]);
  });
});

describe("completing a partial gate", () => {
  it("gates the missing app, fixes a wrong condition and extends the probe's container list", () => {
    const pre = {
      name: "log-router-preflight",
      image: "p:1",
      essential: false,
      environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
      dependsOn: [{ containerName: "log-router", condition: "START" }],
    };
    const text = td([
      ROUTER,
      { ...APP, dependsOn: [{ containerName: "log-router-preflight", condition: "START" }] },
      { ...APP, name: "api" },
      pre,
    ]);
    const r = fixText(text, "t.json", {});
    expect(r.changes.map((c) => [c.kind, c.container])).toEqual([
      ["gate-condition", "app"],
      ["gate-container", "api"],
      ["preflight-coverage", "log-router-preflight"],
    ]);
    const data = JSON.parse(r.text);
    expect(data.containerDefinitions[1].dependsOn).toEqual([
      { containerName: "log-router-preflight", condition: "SUCCESS" },
    ]);
    expect(data.containerDefinitions[3].environment).toEqual([
      { name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app,api" },
    ]);
    expect(lintDocument(parseDocument(r.text, "t.json")).filter((f) => GATE_RULES.test(f.ruleId))).toEqual(
      [],
    );
    expect(fixText(r.text, "t.json", {}).changed).toBe(false);
  });

  it("completes a preflight found by its environment, whatever its name", () => {
    const pre = {
      name: "gatekeeper",
      image: "p:1",
      essential: false,
      environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
    };
    const text = td([
      ROUTER,
      { ...APP, dependsOn: [{ containerName: "gatekeeper", condition: "SUCCESS" }] },
      pre,
    ]);
    // The CLI passes the default name explicitly; that must not add a second gate.
    const r = fixText(text, "t.json", { name: "log-router-preflight" });
    expect(r.changed).toBe(false);
    expect(r.reason).toBe("already gated");
  });

  it("planGate says what would change without changing anything", () => {
    const doc = parseDocument(td([ROUTER, APP]), "t.json");
    const plan = planGate(doc, OPTS);
    expect(plan.tasks).toMatchObject([
      { taskDefinition: "t", status: "gated", router: "log-router", gated: ["app"] },
    ]);
    expect(plan.edits.map((e) => [e.op, e.path])).toEqual([
      ["set", ["containerDefinitions", 1, "dependsOn"]],
      ["append", ["containerDefinitions"]],
    ]);
    expect(plan.reason).toBeUndefined();
  });
});
