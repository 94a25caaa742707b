// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the agent writes secret references as ${…} on purpose
/**
 * The router's configuration as the ECS agent writes it. Each case is derived from the agent's code
 * (aws/amazon-ecs-agent `agent/taskresource/firelens/firelensconfig_unix.go`, `firelens_unix.go`,
 * `agent/api/task/task.go`) and its test `firelensconfig_unix_test.go`, whose expected Fluent Bit file is the
 * first case here, byte for byte.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FirelensConfigError, generateFirelensConfig } from "../../src/firelens/index.js";
import { readTask } from "../../src/model/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

const EC2 = {
  cluster: "mycluster",
  taskArn: "arn:aws:ecs:us-east-2:01234567891011:task/mycluster/3de392df-6bfa-470b-97ed-aa6f482cd7a",
  taskDefinition: "taskdefinition:1",
  ec2InstanceId: "i-123456789a",
};

function reading(task: object) {
  const doc = parseDocument(JSON.stringify(task), "task.json");
  const td = doc.taskDefinitions[0];
  if (td === undefined) throw new Error("no task definition");
  return readTask(td);
}

function router(options: Record<string, string> = {}) {
  return {
    name: "log-router",
    image: "amazon/aws-for-fluent-bit:2.32.0",
    firelensConfiguration: { type: "fluentbit", options },
  };
}

function app(
  name: string,
  options: Record<string, string>,
  secretOptions?: { name: string; valueFrom: string }[],
) {
  return {
    name,
    image: "app:1",
    logConfiguration: { logDriver: "awsfirelens", options, ...(secretOptions ? { secretOptions } : {}) },
  };
}

const KINESIS = {
  Name: "kinesis_firehose",
  region: "us-west-2",
  deliver_stream_name: "my-stream",
  "include-pattern": "*failure*",
  "exclude-pattern": "*success*",
};

describe("generateFirelensConfig (the agent's own expected files)", () => {
  it("TestGenerateFluentbitConfig: bridge, metadata with ec2_instance_id, s3 config, grep filters", () => {
    const task = {
      family: "taskdefinition",
      networkMode: "bridge",
      containerDefinitions: [
        router({ "config-file-type": "s3", "config-file-value": "arn:aws:s3:::bucket/key" }),
        app("container", KINESIS),
      ],
    };
    const got = generateFirelensConfig(reading(task), EC2);
    expect(got.text).toBe(`
[INPUT]
    Name forward
    unix_path /var/run/fluent.sock

[INPUT]
    Name forward
    Listen 0.0.0.0
    Port 24224

[INPUT]
    Name tcp
    Tag firelens-healthcheck
    Listen 127.0.0.1
    Port 8877

[FILTER]
    Name   grep
    Match container-firelens*
    Regex  log *failure*

[FILTER]
    Name   grep
    Match container-firelens*
    Exclude log *success*

[FILTER]
    Name record_modifier
    Match *
    Record ec2_instance_id i-123456789a
    Record ecs_cluster mycluster
    Record ecs_task_arn arn:aws:ecs:us-east-2:01234567891011:task/mycluster/3de392df-6bfa-470b-97ed-aa6f482cd7a
    Record ecs_task_definition taskdefinition:1

@INCLUDE /fluent-bit/etc/external.conf

[OUTPUT]
    Name null
    Match firelens-healthcheck

[OUTPUT]
    Name kinesis_firehose
    Match container-firelens*
    deliver_stream_name my-stream
    region us-west-2
`);
    expect(got.external).toEqual({
      type: "s3",
      value: "arn:aws:s3:::bucket/key",
      includePath: "/fluent-bit/etc/external.conf",
    });
  });

  it("TestGenerateConfigWithoutOutputSection: no Name and only patterns gives filters and no output", () => {
    const task = {
      networkMode: "bridge",
      containerDefinitions: [
        router(),
        app("container", { "include-pattern": "*failure*", "exclude-pattern": "*success*" }),
      ],
    };
    const got = generateFirelensConfig(reading(task), EC2);
    expect(got.outputs).toEqual([]);
    expect(got.text).toContain("Regex  log *failure*");
    expect(got.text.trimEnd().endsWith("[OUTPUT]\n    Name null\n    Match firelens-healthcheck")).toBe(true);
  });

  it("TestGenerateFLuentbitConfigMissingOutputName: options without Name are the agent's error", () => {
    const task = {
      networkMode: "awsvpc",
      containerDefinitions: [router(), app("container", { key1: "value1" })],
    };
    expect(() => generateFirelensConfig(reading(task), EC2)).toThrow(
      /container container.*missing output key Name which is required for firelens configuration of type fluentbit/,
    );
  });
});

describe("generateFirelensConfig (cases derived from the agent's code)", () => {
  const fargate = { cluster: "c", taskArn: "arn:aws:ecs:eu-west-1:1:task/c/abc", taskDefinition: "web:7" };

  it("awsvpc on Fargate: forward on 127.0.0.1, no ec2_instance_id, several outputs in task order", () => {
    const task = {
      family: "web",
      requiresCompatibilities: ["FARGATE"],
      containerDefinitions: [
        router(),
        app("web", { Name: "datadog", Host: "http-intake.logs.datadoghq.com", provider: "ecs", TLS: "on" }),
        app("worker", { Name: "cloudwatch_logs", region: "eu-west-1", log_group_name: "/w" }),
      ],
    };
    const got = generateFirelensConfig(reading(task), fargate);
    expect(got.networkMode).toBe("awsvpc");
    expect(got.text).toContain("[INPUT]\n    Name forward\n    Listen 127.0.0.1\n    Port 24224\n");
    expect(got.text).not.toContain("ec2_instance_id");
    expect(got.outputs.map((o) => [o.container, o.plugin, o.match])).toEqual([
      ["web", "datadog", "web-firelens*"],
      ["worker", "cloudwatch_logs", "worker-firelens*"],
    ]);
    // Options sorted as Go's template ranges over a map: upper case first, Name not repeated.
    expect(got.text).toContain(
      "[OUTPUT]\n    Name datadog\n    Match web-firelens*\n    Host http-intake.logs.datadoghq.com\n    TLS on\n    provider ecs\n",
    );
    expect(got.text.indexOf("Name null")).toBeLessThan(got.text.indexOf("Name datadog"));
  });

  it("enable-ecs-log-metadata false: no record_modifier; an unreadable value is ignored (metadata off, warned)", () => {
    const off = {
      networkMode: "awsvpc",
      containerDefinitions: [router({ "enable-ecs-log-metadata": "false" }), app("a", { Name: "null" })],
    };
    const got = generateFirelensConfig(reading(off), fargate);
    expect(got.ecsMetadata).toBe(false);
    expect(got.text).not.toContain("record_modifier");
    const typo = {
      networkMode: "awsvpc",
      containerDefinitions: [router({ "enable-ecs-log-metadata": "yes" }), app("a", { Name: "null" })],
    };
    const t = generateFirelensConfig(reading(typo), fargate);
    expect(t.ecsMetadata).toBe(false);
    expect(t.warnings[0]).toMatch(/not a boolean/);
    const on = {
      networkMode: "awsvpc",
      containerDefinitions: [router({ "enable-ecs-log-metadata": "TRUE" }), app("a", { Name: "null" })],
    };
    expect(generateFirelensConfig(reading(on), fargate).text).toContain("Record ecs_task_definition web:7");
  });

  it("config-file-type file: @INCLUDE of the path in the image, after the filters and before the outputs", () => {
    const task = {
      networkMode: "awsvpc",
      containerDefinitions: [
        router({ "config-file-type": "file", "config-file-value": "/fluent-bit/configs/parse-json.conf" }),
        app("a", { Name: "datadog" }),
      ],
    };
    const { text } = generateFirelensConfig(reading(task), fargate);
    const include = text.indexOf("@INCLUDE /fluent-bit/configs/parse-json.conf\n");
    expect(include).toBeGreaterThan(text.indexOf("record_modifier"));
    expect(include).toBeLessThan(text.indexOf("[OUTPUT]"));
  });

  it("config-file-type errors as parseOptions words them", () => {
    const bad = {
      networkMode: "awsvpc",
      containerDefinitions: [router({ "config-file-type": "http" }), app("a", { Name: "null" })],
    };
    expect(() => generateFirelensConfig(reading(bad), fargate)).toThrow(
      "invalid value http is specified for option config-file-type",
    );
    const noValue = {
      networkMode: "awsvpc",
      containerDefinitions: [router({ "config-file-type": "file" }), app("a", { Name: "null" })],
    };
    expect(() => generateFirelensConfig(reading(noValue), fargate)).toThrow(
      "option config-file-type is specified but config-file-value is not specified",
    );
  });

  it("options with spaces and empty values are written as they are (no quoting)", () => {
    const task = {
      networkMode: "awsvpc",
      containerDefinitions: [
        router(),
        app("a", {
          Name: "http",
          Header: "X-Team platform team",
          format: "",
          "log-driver-buffer-limit": "2097152",
        }),
      ],
    };
    const { text } = generateFirelensConfig(reading(task), fargate);
    expect(text).toContain("\n    Header X-Team platform team\n");
    expect(text).toContain("\n    format \n");
    // The buffer limit configures Docker's fluentd driver, not the router.
    expect(text).not.toContain("log-driver-buffer-limit");
  });

  it("secretOptions: a ${name_index} reference in the option, the variable named for the router", () => {
    const task = {
      networkMode: "awsvpc",
      containerDefinitions: [
        router(),
        { name: "dd-agent", image: "datadog/agent:7" },
        app("app", { Name: "datadog", apikey: "overridden" }, [
          { name: "apikey", valueFrom: "arn:aws:secretsmanager:us-east-1:1:secret:dd" },
        ]),
      ],
    };
    const got = generateFirelensConfig(reading(task), fargate);
    expect(got.text).toContain("\n    apikey ${apikey_2}\n");
    expect(got.text).not.toContain("overridden");
    expect(got.secrets).toEqual([
      {
        variable: "apikey_2",
        container: "app",
        option: "apikey",
        valueFrom: "arn:aws:secretsmanager:us-east-1:1:secret:dd",
      },
    ]);
  });

  it("host network mode: only the unix socket input, no health-check sections", () => {
    const task = { networkMode: "host", containerDefinitions: [router(), app("a", { Name: "null" })] };
    const { text } = generateFirelensConfig(reading(task), fargate);
    expect(text).not.toContain("Port 24224");
    expect(text).not.toContain("firelens-healthcheck");
    expect(text.match(/\[INPUT\]/g)).toHaveLength(1);
  });

  it("refuses a Fluentd router, a task without router and a deploy-time option value", () => {
    const fluentd = {
      containerDefinitions: [
        { name: "r", image: "fluentd", firelensConfiguration: { type: "fluentd" } },
        app("a", { "@type": "null" }),
      ],
    };
    expect(() => generateFirelensConfig(reading(fluentd), fargate)).toThrow(/Fluentd/);
    expect(() =>
      generateFirelensConfig(reading({ containerDefinitions: [app("a", { Name: "null" })] }), fargate),
    ).toThrow(FirelensConfigError);
    const intrinsic = {
      networkMode: "awsvpc",
      containerDefinitions: [
        router(),
        app("a", { Name: "datadog", Host: { Ref: "Host" } as unknown as string }),
      ],
    };
    expect(() => generateFirelensConfig(reading(intrinsic), fargate)).toThrow(/only known at deploy time/);
  });

  it("the seed's task: the configuration its 2.19.0 router ran", () => {
    const seed = JSON.parse(readFileSync("examples/seed/before.json", "utf8")) as object;
    const got = generateFirelensConfig(reading(seed), {
      cluster: "prod",
      taskArn: "arn:aws:ecs:ap-northeast-1:123456789012:task/prod/0123456789abcdef0123456789abcdef",
      taskDefinition: "backend:1",
    });
    expect(got.outputs).toEqual([
      {
        container: "app",
        plugin: "datadog",
        match: "app-firelens*",
        options: {
          Host: "http-intake.logs.datadoghq.com",
          TLS: "on",
          apikey: "${apikey_2}",
          dd_service: "backend",
          dd_source: "backend",
          dd_tags: "env:production",
          provider: "ecs",
        },
      },
    ]);
  });
});
