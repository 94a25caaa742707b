/**
 * Nothing secret is ever echoed (issue 13): unique fake credentials are planted in task definitions of
 * every shape (plain environment, Datadog log options, FireLens options, a YAML anchor, a minified one-line
 * file, Terraform) and in describe-tasks output, then every command runs through the built CLI in every
 * output format. No stdout, stderr or report file may hold a planted value; the findings still name the key.
 * The document `fix` writes is the exception, on purpose: masking is for what we print, never for what we write.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliRun, cli } from "../support/cli.js";

/** A Datadog API key's shape (32 hex digits) under a harmless-looking key too. */
const DD = "5ec7e7dd0c0ffee0ba5eba11f00dcafe";
/** An AWS secret access key's shape: 40 characters of base64, mixed case and digits. */
const AWS = "Qx7vT2pL9mZ/aB3+cD4eF5gH6iJ7kL8mN9oP0qRs";
/** A short password: masked only where it is located, never searched for as text. */
const SHORT = "Zq7#kP!";
const PLANTED = [DD, AWS, SHORT] as const;

const dir = mkdtempSync(join(tmpdir(), "flp-secrets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const router = {
  name: "log-router",
  image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
  essential: true,
  firelensConfiguration: {
    type: "fluentbit",
    options: { "enable-ecs-log-metadata": "true", http_passwd: AWS },
  },
};
const agent = {
  name: "dd-agent",
  image: "public.ecr.aws/datadog/agent:7",
  essential: true,
  environment: [
    { name: "DD_API_KEY", value: DD },
    { name: "ECS_FARGATE", value: "true" },
  ],
};
const app = {
  name: "app",
  image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0.0",
  essential: true,
  environment: [
    { name: "AWS_SECRET_ACCESS_KEY", value: AWS },
    { name: "DB_PASSWORD", value: SHORT },
    { name: "CACHE_SEED", value: DD },
  ],
  logConfiguration: {
    logDriver: "awsfirelens",
    options: {
      Name: "datadog",
      Host: "http-intake.logs.datadoghq.com",
      TLS: "on",
      apikey: DD,
      dd_api_key: DD,
    },
  },
};
const taskDefinition = {
  family: "backend",
  networkMode: "awsvpc",
  requiresCompatibilities: ["FARGATE"],
  cpu: "512",
  memory: "1024",
  containerDefinitions: [router, agent, app],
};

const yamlTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: backend
      ContainerDefinitions:
        - Name: log-router
          Image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4
          Essential: true
          FirelensConfiguration:
            Type: fluentbit
        - Name: app
          Image: app:1
          Essential: true
          Environment:
            - Name: DD_API_KEY
              Value: &key ${DD}
            - Name: DB_PASSWORD
              Value: "${SHORT}"
            - Name: SERVICE_TOKEN
              Value: '${AWS}'
          LogConfiguration:
            LogDriver: awsfirelens
            Options:
              Name: datadog
              apikey: *key
              dd_api_key: ${DD}
`;

const terraform = `resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name      = "log-router"
      image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4"
      essential = true
      firelensConfiguration = { type = "fluentbit" }
    },
    {
      name      = "app"
      image     = "app:1"
      essential = true
      environment = [
        { name = "DD_API_KEY", value = "${DD}" },
        { name = "DB_PASSWORD", value = "${SHORT}" },
      ]
      logConfiguration = {
        logDriver = "awsfirelens"
        options   = { Name = "datadog", apikey = "${AWS}" }
      }
    },
  ])
}
`;

const describeTasks = JSON.parse(readFileSync("examples/seed/incident/describe-tasks.json", "utf8")) as {
  tasks: Array<Record<string, unknown> & { containers: Array<Record<string, unknown>> }>;
};
const stopped = describeTasks.tasks[0];
if (stopped === undefined) throw new Error("the seed's describe-tasks has no task");
stopped.overrides = {
  containerOverrides: [{ name: "app", environment: [{ name: "DD_API_KEY", value: DD }] }],
};
stopped.stoppedReason = `Essential container in task exited; DD_API_KEY=${DD} AWS_SECRET_ACCESS_KEY=${AWS}`;
const firstContainer = stopped.containers[0];
if (firstContainer !== undefined) {
  firstContainer.reason = `CannotStartContainerError: "apikey": "${DD}", Authorization: Bearer ${AWS}`;
}

const files = {
  json: put("td.json", JSON.stringify(taskDefinition, null, 2)),
  minified: put("td-min.json", JSON.stringify(taskDefinition)),
  yaml: put("template.yaml", yamlTemplate),
  terraform: put("main.tf", terraform),
};
const tasks = put("describe-tasks.json", JSON.stringify(describeTasks, null, 2));

function leaks(text: string): string[] {
  return PLANTED.filter((s) => text.includes(s));
}

/** Every stream of a run and every report file it wrote hold no planted value. */
function expectNoLeak(label: string, run: CliRun, reports: readonly string[] = []): string {
  expect(run.stderr, `${label}: stderr`).not.toMatch(/internal error|at .*\.js:\d+/i);
  const all = [run.stdout, run.stderr, ...reports.map((f) => readFileSync(f, "utf8"))].join("\n");
  expect(leaks(all), `${label} echoed a planted secret`).toEqual([]);
  return all;
}

const KEY_NAMES: Record<keyof typeof files, readonly string[]> = {
  json: [
    "DD_API_KEY",
    "AWS_SECRET_ACCESS_KEY",
    "DB_PASSWORD",
    "CACHE_SEED",
    "apikey",
    "dd_api_key",
    "http_passwd",
  ],
  minified: ["DD_API_KEY", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD", "apikey"],
  yaml: ["DD_API_KEY", "DB_PASSWORD", "SERVICE_TOKEN", "apikey"],
  terraform: ["DD_API_KEY", "DB_PASSWORD", "apikey"],
};

describe.each(Object.entries(files) as Array<[keyof typeof files, string]>)(
  "%s task definition",
  (kind, file) => {
    it.each(["check", "lint"])(
      "%s in text, JSON and SARIF masks the values FLP301 names by key",
      (command) => {
        for (const format of ["text", "json", "sarif", "github"]) {
          const report = join(dir, `${kind}-${command}.${format}`);
          const printed = expectNoLeak(`${command} -f ${format}`, cli([command, "-f", format, file]));
          const written = expectNoLeak(
            `${command} -f ${format} -o`,
            cli([command, "-f", format, "-o", report, file]),
            [report],
          );
          for (const key of KEY_NAMES[kind]) {
            expect(printed, `${command} -f ${format} names ${key}`).toContain(key);
            expect(written).toContain(key);
          }
        }
        // Without FLP301 no finding names the secret, and the source lines of other findings still hide it.
        expectNoLeak(`${command} --disable FLP301`, cli([command, "--disable", "FLP301", file]));
      },
    );

    it("plan in every format", () => {
      for (const format of ["text", "json", "mermaid", "dot"]) {
        expectNoLeak(`plan -f ${format}`, cli(["plan", "-f", format, file]));
      }
    });

    it("fix: the dry-run diff and the JSON report's lines are masked; the written document keeps its values", () => {
      // The app logs with a plain key, which fix will not copy into the preflight: its logs go to awslogs.
      const gate = [
        "fix",
        file,
        "--probe-image",
        "example/probe:1",
        "--probe-logs",
        "awslogs:/ecs/preflight:us-east-1",
      ];
      const diff = expectNoLeak("fix --dry-run", cli([...gate, "--dry-run"]));
      expect(diff).toContain("+++");
      expect(diff).toMatch(/\*{8}/);
      const diffFile = join(dir, `${kind}.diff`);
      expectNoLeak("fix --dry-run -o", cli([...gate, "--dry-run", "-o", diffFile]), [diffFile]);

      const out = join(dir, `${kind}-gated${file.slice(file.lastIndexOf("."))}`);
      const written = cli([...gate, "-o", out]);
      expectNoLeak("fix -o (streams)", written);
      const gated = readFileSync(out, "utf8");
      for (const s of PLANTED) {
        if (readFileSync(file, "utf8").includes(s))
          expect(gated, "the written document keeps the value").toContain(s);
      }

      const json = cli([...gate, "-f", "json"]);
      expectNoLeak("fix -f json (stderr)", { ...json, stdout: "" });
      const report = JSON.parse(json.stdout) as { document: string };
      expect(report.document.trimEnd(), "the report's document is the product, as -o writes it").toBe(
        gated.trimEnd(),
      );
      expectNoLeak("fix -f json (report lines)", {
        ...json,
        stdout: JSON.stringify({ ...report, document: "" }),
      });
    });

    it("simulate, its JSON and its HTML report", () => {
      const html = join(dir, `${kind}.html`);
      expectNoLeak("simulate", cli(["simulate", file, "-n", "3", "--report", html]), [html]);
      expectNoLeak(
        "simulate --compare -f json",
        cli(["simulate", file, "-n", "3", "--compare", "-f", "json"]),
      );
    });
  },
);

describe("diagnose", { timeout: 60_000 }, () => {
  it("masks what looks secret in stop reasons and container reasons, keeping the key names", () => {
    for (const format of ["text", "json"]) {
      const run = cli(["diagnose", "-f", format, tasks]);
      expect(run.code, run.stderr).toBe(0);
      const all = expectNoLeak(`diagnose -f ${format}`, run);
      expect(all).toContain("DD_API_KEY=****");
      expect(all).toContain("AWS_SECRET_ACCESS_KEY=****");
      expect(all).toContain("Bearer ****");
      const withTd = cli(["diagnose", "-f", format, tasks, "--task-definition", files.json]);
      expectNoLeak(`diagnose -f ${format} --task-definition`, withTd);
    }
  });

  it("masks a secret quoted back in an input error", () => {
    const bad = put(
      "bad-tasks.json",
      JSON.stringify({ tasks: [{ taskArn: "arn:x", createdAt: AWS, containers: [] }] }),
    );
    expectNoLeak("diagnose with a bad timestamp", cli(["diagnose", bad]));
  });
});
