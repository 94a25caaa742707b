import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { looksSecret } from "../../src/model/index.js";
import { FLP301 } from "../../src/rules/FLP301-plaintext-secret.js";
import { app, ecs, lintWith, router, testRule } from "../support/rule-tester.js";

const SECRET = "0123456789abcdef0123456789abcdef";

testRule(FLP301, {
  valid: [
    {
      name: "secretOptions and secrets",
      code: ecs([
        router(),
        app({
          logConfiguration: {
            logDriver: "awsfirelens",
            options: { Name: "datadog", TLS: "on" },
            secretOptions: [{ name: "apikey", valueFrom: "arn:aws:secretsmanager:us-east-1:1:secret:dd" }],
          },
          secrets: [{ name: "DD_API_KEY", valueFrom: "arn:aws:ssm:us-east-1:1:parameter/dd" }],
        }),
      ]),
    },
    {
      name: "switches, placeholders, ARNs and references are not secrets",
      code: ecs([
        router(),
        app({
          environment: [
            { name: "DD_API_KEY_SECRET_ARN", value: "arn:aws:secretsmanager:us-east-1:1:secret:dd" },
            { name: "TOKEN_URL", value: "https://example.com/token" },
            { name: "API_KEY", value: `${"$"}{DD_API_KEY}` },
            { name: "Tag_Key", value: "tags" },
            { name: "TOKEN_TTL", value: "3600" },
            { name: "GIT_COMMIT", value: "0123456789abcdef0123456789abcdef01234567" },
            { name: "ALL_LOWER_40", value: "abcdefghijklmnopqrstuvwxyzabcdefghijklmn" },
          ],
          logConfiguration: { logDriver: "awsfirelens", options: { Name: "es", Aws_Auth: "On" } },
        }),
      ]),
    },
    {
      name: "a logger's level under a key that names Secrets Manager",
      code: ecs([
        router(),
        app({
          environment: [
            { name: "LOGGING_LEVEL_COM_AMAZONAWS_SECRETSMANAGER", value: "DEBUG" },
            { name: "logging.level.org.springframework.security.oauth2.token", value: "trace" },
            { name: "SECRETS_LOG_LEVEL", value: "warn" },
            { name: "AWS_SECRETSMANAGER_ENDPOINT", value: "secretsmanager.us-east-1.amazonaws.com" },
          ],
        }),
      ]),
    },
    {
      name: "placeholders where the value goes (README: placeholders are skipped)",
      code: ecs([
        router(),
        app({
          environment: [
            { name: "DD_API_KEY", value: "<DD API KEY>" },
            { name: "DB_PASSWORD", value: "{{ db_password }}" },
            { name: "SLACK_TOKEN", value: "YOUR_SLACK_TOKEN" },
            { name: "GITHUB_TOKEN", value: "xxxxxxxx" },
          ],
          logConfiguration: { logDriver: "awsfirelens", options: { Name: "es", Aws_Auth: "On" } },
        }),
      ]),
    },
  ],
  invalid: [
    {
      code: ecs([
        router(),
        app({
          environment: [{ name: "DD_API_KEY", value: SECRET }],
          logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog", apikey: SECRET } },
        }),
      ]),
      errors: [
        {
          messageId: "logOption",
          data: { container: "app", key: "apikey", value: "value sha256:3eb1bd43" },
          path: "$.containerDefinitions[1].logConfiguration.options.apikey",
        },
        {
          messageId: "environment",
          data: { container: "app", key: "DD_API_KEY", value: "value sha256:3eb1bd43" },
          path: "$.containerDefinitions[1].environment[0].value",
        },
      ],
    },
    {
      name: "a secret key still flags a real value beside a log level, a service name and a placeholder",
      code: ecs([
        router(),
        app({
          environment: [
            { name: "LOGGING_LEVEL_COM_AMAZONAWS_SECRETSMANAGER", value: "DEBUG" },
            { name: "SECRETSMANAGER_API_KEY", value: "hunter2hunter2" },
            { name: "DD_API_KEY", value: "<DD API KEY>" },
            { name: "DB_PASSWORD", value: "<not a placeholder" },
          ],
        }),
      ]),
      errors: [
        { messageId: "environment", path: "$.containerDefinitions[1].environment[1].value" },
        { messageId: "environment", path: "$.containerDefinitions[1].environment[3].value" },
      ],
    },
    {
      name: "http output password and elastic Cloud_Auth",
      code: ecs([
        router(),
        app({
          logConfiguration: {
            logDriver: "awsfirelens",
            options: { Name: "http", HTTP_Passwd: "hunter2hunter2", Cloud_Auth: "elastic:pw" },
          },
        }),
      ]),
      errors: [
        {
          messageId: "logOption",
          data: { container: "app", key: "HTTP_Passwd", value: "value sha256:76880d60" },
        },
        {
          messageId: "logOption",
          data: { container: "app", key: "Cloud_Auth", value: "value sha256:e10bcf65" },
        },
      ],
    },
    {
      name: "a credential's shape under any key: a Datadog API key, an AWS secret access key",
      code: ecs([
        router(),
        app({
          environment: [
            { name: "CACHE_SEED", value: SECRET },
            { name: "UPLOADER", value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
          ],
        }),
      ]),
      errors: [
        {
          messageId: "environment",
          data: { container: "app", key: "CACHE_SEED", value: "value sha256:3eb1bd43" },
        },
        {
          messageId: "environment",
          data: { container: "app", key: "UPLOADER", value: "value sha256:78314b11" },
        },
      ],
    },
    {
      name: "an intrinsic still lands in clear text",
      file: "template.yaml",
      code: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: dd-agent
          Image: datadog/agent:7
          Environment:
            - Name: DD_API_KEY
              Value: !Ref DatadogApiKey
`,
      errors: [
        {
          messageId: "environment",
          data: { container: "dd-agent", key: "DD_API_KEY", value: "value known at deploy time" },
          line: 10,
        },
      ],
    },
  ],
});

describe("FLP301 never prints the value", () => {
  it("keeps the secret out of every field of the finding", () => {
    const found = lintWith(
      FLP301,
      ecs([router(), app({ environment: [{ name: "DATADOG_API_KEY", value: SECRET }] })]),
    );
    expect(found).toHaveLength(1);
    expect(JSON.stringify(found)).not.toContain(SECRET);
  });
});

describe("FLP301's page", () => {
  const page = readFileSync(join(import.meta.dirname, "../../docs/rules/FLP301.md"), "utf8");
  /** The `environment` entries of the code block after `label` on the page. */
  function environmentOf(label: string): Array<{ name: string; value: string }> {
    const block = new RegExp(`${label}:\\n\\n\`\`\`\\n([\\s\\S]*?)\`\`\``).exec(page)?.[1] ?? "";
    const env = /"environment": (\[.*\])/.exec(block)?.[1];
    return env === undefined ? [] : (JSON.parse(env) as Array<{ name: string; value: string }>);
  }

  it("flags what it shows as flagged, and passes what it shows as passing", () => {
    const bad = environmentOf("Flagged");
    expect(bad).not.toHaveLength(0);
    for (const e of bad) expect(looksSecret(e.name, e.value), e.value).toBe(true);
    const good = environmentOf("Passes");
    expect(good).not.toHaveLength(0);
    for (const e of good) expect(looksSecret(e.name, e.value), e.value).toBe(false);
  });
});
