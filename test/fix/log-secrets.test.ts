/**
 * Issue 23 item 14: the preflight's log configuration carries no plain secret. An app whose awsfirelens options
 * hold a plain `apikey` is refused, with the reason and both ways forward; `secretOptions` are copied; with
 * `--probe-logs` the probe logs elsewhere and the fixed file has no finding its input lacked.
 */
import { describe, expect, it } from "vitest";
import { FixError, fixText } from "../../src/fix/index.js";
import { lintDocument } from "../../src/rules/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

const PROBE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/firelens-preflight:0.1.0";
const KEY = "0123456789abcdef0123456789abcdef";

function task(logConfiguration: unknown): string {
  return `${JSON.stringify(
    {
      family: "orders",
      containerDefinitions: [
        {
          name: "log_router",
          image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5",
          essential: true,
          firelensConfiguration: { type: "fluentbit" },
          logConfiguration: {
            logDriver: "awslogs",
            options: {
              "awslogs-group": "router",
              "awslogs-region": "eu-west-1",
              "awslogs-stream-prefix": "r",
            },
          },
        },
        {
          name: "orders",
          image: "example/orders:1.4.2",
          essential: true,
          portMappings: [{ containerPort: 8080 }],
          logConfiguration,
        },
      ],
    },
    null,
    2,
  )}\n`;
}

const plain = {
  logDriver: "awsfirelens",
  options: {
    Name: "datadog",
    Host: "http-intake.logs.datadoghq.eu",
    TLS: "on",
    apikey: KEY,
    dd_service: "orders",
  },
};
const referenced = {
  logDriver: "awsfirelens",
  options: { Name: "datadog", Host: "http-intake.logs.datadoghq.eu", TLS: "on", dd_service: "orders" },
  secretOptions: [
    { name: "apikey", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dd-key" },
  ],
};

function findings(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of lintDocument(parseDocument(text, "td.json")))
    counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return counts;
}

/** Every finding of the output, counted per rule, is one its input had too. */
function noNewFindings(before: string, after: string): void {
  const was = findings(before);
  for (const [id, n] of findings(after))
    expect(`${id} x${n}`).toBe(`${id} x${Math.min(n, was.get(id) ?? 0)}`);
}

describe("the preflight's log configuration", () => {
  it("refuses to copy a plain apikey, and says why and what to do", () => {
    const text = task(plain);
    let error: unknown;
    try {
      fixText(text, "td.json", { probeImage: PROBE });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FixError);
    const message = (error as FixError).message;
    expect(message).toContain("'apikey' in plain text (FLP301)");
    expect(message).toContain("secretOptions");
    expect(message).toContain("--probe-logs awslogs:<group>");
    expect(message).toContain("nothing was written");
    expect(message).not.toContain(KEY);
  });

  it("copies secretOptions, and the fixed file has no finding its input lacked", () => {
    const text = task(referenced);
    const r = fixText(text, "td.json", { probeImage: PROBE });
    expect(r.changed).toBe(true);
    const gate = (
      JSON.parse(r.text) as { containerDefinitions: { name: string; logConfiguration?: unknown }[] }
    ).containerDefinitions.find((c) => c.name === "log-router-preflight");
    expect(gate?.logConfiguration).toEqual(referenced);
    noNewFindings(text, r.text);
  });

  it("with --probe-logs the plain key stays only where it was: no new FLP301", () => {
    const text = task(plain);
    const r = fixText(text, "td.json", { probeImage: PROBE, probeLogs: "awslogs:/ecs/preflight" });
    expect(r.changed).toBe(true);
    expect(r.text.split(KEY).length - 1).toBe(1);
    expect(findings(text).get("FLP301")).toBe(1);
    noNewFindings(text, r.text);
  });
});
