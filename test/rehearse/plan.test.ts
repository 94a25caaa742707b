// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fluent Bit configuration text holds ${VAR} references
/**
 * The rehearsal's decisions that need no container engine: where each output goes, what the router and the
 * probe are given, how a router's end reads as a verdict, and that the test router image reads the generated file
 * as Fluent Bit would.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTask } from "../../src/model/index.js";
import { planRehearsal } from "../../src/rehearse/index.js";
import { judge } from "../../src/rehearse/report.js";
import { parseDocument } from "../../src/taskdef/index.js";
import { readConfig } from "../support/router-image/conf.js";

function reading(containers: object[], extra: object = {}) {
  const doc = parseDocument(
    JSON.stringify({ family: "web", networkMode: "awsvpc", ...extra, containerDefinitions: containers }),
    "t.json",
  );
  const td = doc.taskDefinitions[0];
  if (td === undefined) throw new Error("no task");
  return readTask(td);
}

const router = {
  name: "log-router",
  image: "amazon/aws-for-fluent-bit:2.19.0",
  firelensConfiguration: { type: "fluentbit" },
};
const opts = { secrets: new Map<string, string>(), realDestinations: false, deadline: "30s" };

describe("planRehearsal", () => {
  it("rewrites Host, Port and TLS of the datadog output and keeps every other option", () => {
    const plan = planRehearsal(
      reading([
        router,
        {
          name: "app",
          image: "a",
          logConfiguration: {
            logDriver: "awsfirelens",
            options: {
              Name: "datadog",
              Host: "http-intake.logs.datadoghq.eu",
              tls: "on",
              provider: "ecs",
              dd_tags: "env:prod",
              compress: "gzip",
            },
          },
        },
      ]),
      opts,
    );
    const out = plan.configText.slice(plan.configText.indexOf("Name datadog"));
    expect(out).toBe(
      "Name datadog\n    Match app-firelens*\n    Host 127.0.0.1\n    Port 18080\n    TLS off\n    compress gzip\n    dd_tags env:prod\n    provider ecs\n",
    );
    expect(plan.destinations.map((d) => d.kind)).toEqual(["local", "intake"]);
  });

  it("sends endpoint outputs to the local sink, and a plugin it cannot redirect to null unless real destinations", () => {
    const containers = [
      router,
      {
        name: "a",
        image: "a",
        logConfiguration: {
          logDriver: "awsfirelens",
          options: { Name: "cloudwatch_logs", region: "eu-west-1" },
        },
      },
      {
        name: "b",
        image: "b",
        logConfiguration: { logDriver: "awsfirelens", options: { Name: "kafka", Brokers: "k:9092" } },
      },
    ];
    const plan = planRehearsal(reading(containers), opts);
    expect(plan.configText).toContain(
      "Name cloudwatch_logs\n    Match a-firelens*\n    endpoint http://127.0.0.1:18081\n",
    );
    expect(plan.configText).toContain("Name null\n    Match b-firelens*\n");
    expect(plan.configText).not.toContain("k:9092");
    expect(plan.notes).toContain(
      "output kafka (b-firelens*) is not covered: no local destination for it, routed to null",
    );
    expect(plan.environment.get("AWS_ACCESS_KEY_ID")).toBeDefined();
    const real = planRehearsal(reading(containers), { ...opts, realDestinations: true });
    expect(real.configText).toContain("Brokers k:9092");
  });

  it("gives the router its secrets from --secret (by option or variable) or a dummy, and the probe the gate's env", () => {
    const containers = [
      router,
      {
        name: "app",
        image: "a",
        logConfiguration: {
          logDriver: "awsfirelens",
          options: { Name: "datadog" },
          secretOptions: [{ name: "apikey", valueFrom: "arn:aws:secretsmanager:r:1:secret:k" }],
        },
        dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }],
      },
      {
        name: "log-router-preflight",
        image: "probe",
        essential: false,
        environment: [
          { name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" },
          { name: "FIRELENS_PREFLIGHT_REQUIRE", value: "flushed" },
          { name: "FIRELENS_PREFLIGHT_AGENT_READY_URL", value: "http://127.0.0.1:5555/ready" },
        ],
        dependsOn: [{ containerName: "log-router", condition: "START" }],
      },
    ];
    const given = planRehearsal(reading(containers), {
      ...opts,
      secrets: new Map([["apikey", "s3cr3t-value"]]),
    });
    expect(given.secrets).toEqual([{ variable: "apikey_1", value: "s3cr3t-value", given: true }]);
    expect(given.gate).toBe("log-router-preflight");
    expect(given.gated).toEqual(["app"]);
    expect(given.probeEnv).toEqual({
      FIRELENS_PREFLIGHT_CONTAINERS: "app",
      FIRELENS_PREFLIGHT_REQUIRE: "flushed",
      FIRELENS_PREFLIGHT_FORWARD: "127.0.0.1:24224",
      FIRELENS_PREFLIGHT_DEADLINE: "30s",
    });
    const dummy = planRehearsal(reading(containers), opts);
    expect(dummy.secrets[0]?.given).toBe(false);
    expect(dummy.secrets[0]?.value).toMatch(/^[0-9a-f]{32}$/);
  });

  it("keeps the router's own entryPoint, command and user, as the agent hands them to Docker", () => {
    const own = {
      ...router,
      user: "0",
      entryPoint: ["/bin/sh", "-c"],
      command: ["exec /fluent-bit/bin/fluent-bit -c /fluent-bit/etc/fluent-bit.conf"],
    };
    const app = {
      name: "app",
      image: "a",
      logConfiguration: { logDriver: "awsfirelens", options: { Name: "null" } },
    };
    const plan = planRehearsal(reading([own, app]), opts);
    expect([plan.entryPoint, plan.command, plan.user]).toEqual([own.entryPoint, own.command, "0"]);
  });

  it("refuses an S3 configuration without --config-file, saying why", () => {
    const s3 = {
      ...router,
      firelensConfiguration: {
        type: "fluentbit",
        options: { "config-file-type": "s3", "config-file-value": "arn:aws:s3:::b/k.conf" },
      },
    };
    const app = {
      name: "app",
      image: "a",
      logConfiguration: { logDriver: "awsfirelens", options: { Name: "null" } },
    };
    expect(() => planRehearsal(reading([s3, app]), opts)).toThrow(
      /S3 \(arn:aws:s3:::b\/k.conf\).*--config-file PATH/,
    );
    expect(planRehearsal(reading([s3, app]), { ...opts, s3ConfigText: "[SERVICE]\n" }).configText).toContain(
      "@INCLUDE /fluent-bit/etc/external.conf",
    );
  });
});

describe("judge", () => {
  const plan = planRehearsal(
    reading([
      router,
      {
        name: "app",
        image: "a",
        logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog" } },
      },
    ]),
    opts,
  );
  const base = {
    plan,
    image: "i",
    engine: "podman",
    routerStartMs: 300,
    logTail: [],
    interrupted: false,
    sidecarError: "",
    soakMs: 10_000,
    gateOnly: false,
    totalMs: 9000,
  };
  const probe = { exit: 0, ms: 1600, result: { level: "accepted" }, stderr: "", hostAtMs: 2000 };
  const stress = { tag: "app-firelens-rehearse", shapes: [], acked: true, ms: 10, hostAtMs: 2100 };

  it("names the flush a crash came at, and the signal from the exit code", () => {
    const onFirst = judge({
      ...base,
      routerExit: { code: 139, atMs: 1800 },
      events: { stress: [], deliveriesAtMs: [1700] },
    });
    expect([onFirst.verdict, onFirst.exitCode]).toEqual(["router crashed on its first flush: SIGSEGV", 1]);
    const chunk = judge({
      ...base,
      routerExit: { code: 134, atMs: 3500 },
      events: { probe, stress: [stress], deliveriesAtMs: [1500] },
    });
    expect(chunk.verdict).toBe(
      "router crashed on the first flush of the shake-down's mixed-shape chunk: SIGABRT",
    );
    const soak = judge({
      ...base,
      routerExit: { code: 139, atMs: 8100 },
      events: { probe, stress: [stress], deliveriesAtMs: [], stressDeliveredAtMs: 3200 },
    });
    expect(soak.verdict).toBe("router crashed after 6.0 s of traffic: SIGSEGV");
    // A slow flush (Flush 5): the mixed-shape chunk still undelivered when it died, 4 s after it was buffered.
    const late = judge({
      ...base,
      routerExit: { code: 139, atMs: 6100 },
      events: { probe, stress: [stress], deliveriesAtMs: [1500, 5000] },
    });
    expect(late.verdict).toBe(
      "router crashed on the first flush of the shake-down's mixed-shape chunk: SIGSEGV",
    );
  });

  it("survival, a failed gate, an unreachable router and a refused configuration", () => {
    const soakDone = { sent: 50, acked: 50, failure: null, ms: 10_000, hostAtMs: 12_000 };
    const ok = judge({
      ...base,
      routerExit: undefined,
      events: { probe, stress: [stress], soak: soakDone, deliveriesAtMs: [] },
    });
    expect([ok.verdict, ok.exitCode]).toEqual([
      "router survived its first flush and 10 s of traffic (gate: accepted)",
      0,
    ]);
    const unreachable = judge({
      ...base,
      routerExit: undefined,
      events: {
        probe: { ...probe, exit: 3, result: { reason: "no answer on 127.0.0.1:24224" } },
        stress: [],
        deliveriesAtMs: [],
      },
    });
    expect([unreachable.verdict, unreachable.exitCode]).toEqual([
      "router never became reachable: no answer on 127.0.0.1:24224",
      3,
    ]);
    const refused = judge({
      ...base,
      routerExit: { code: 1, atMs: 500 },
      events: { stress: [], deliveriesAtMs: [] },
    });
    expect([refused.outcome, refused.exitCode]).toEqual(["bad-config", 2]);
  });
});

describe("the test router image's reader of fluent-bit.conf", () => {
  it("reads sections, @INCLUDE relative to the file and ${VAR} from the environment", () => {
    const dir = mkdtempSync(join(tmpdir(), "conf-"));
    writeFileSync(join(dir, "extra.conf"), "[SERVICE]\n    HTTP_Server On\n    HTTP_Port 2020\n");
    writeFileSync(
      join(dir, "fluent-bit.conf"),
      "\n[INPUT]\n    Name forward\n    Port 24224\n\n@INCLUDE extra.conf\n\n[OUTPUT]\n    Name datadog\n    # a comment\n    apikey ${KEY_1}\n    dd_tags a:b, c:d\n",
    );
    const sections = readConfig(join(dir, "fluent-bit.conf"), { KEY_1: "k" });
    expect(sections.map((s) => s.kind)).toEqual(["INPUT", "SERVICE", "OUTPUT"]);
    expect(sections[1]?.entries.get("http_server")).toBe("On");
    expect(sections[2]?.entries.get("apikey")).toBe("k");
    expect(sections[2]?.entries.get("dd_tags")).toBe("a:b, c:d");
    expect(() => readConfig(join(dir, "missing.conf"))).toThrow(/cannot open configuration file/);
  });
});
