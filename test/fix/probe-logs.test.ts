import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FixError, fixText } from "../../src/fix/index.js";

const before = readFileSync("examples/seed/before.json", "utf8");
const IMAGE = "example.com/firelens-preflight:1";

function preflightOf(text: string): Record<string, unknown> | undefined {
  const doc = JSON.parse(text) as { containerDefinitions: Record<string, unknown>[] };
  return doc.containerDefinitions.find((c) => c.name === "log-router-preflight");
}

describe("fix --probe-logs", () => {
  it("sends the probe's output to CloudWatch Logs, region taken from the task's awslogs containers", () => {
    const r = fixText(before, "before.json", {
      probeImage: IMAGE,
      probeLogs: "awslogs:/ecs/backend/preflight",
    });
    expect(preflightOf(r.text)?.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": "/ecs/backend/preflight",
        "awslogs-region": "ap-northeast-1",
        "awslogs-stream-prefix": "log-router-preflight",
      },
    });
    // The app's own FireLens output is untouched.
    expect(r.text).toContain('"Name": "datadog"');
  });

  it("takes an explicit region", () => {
    const r = fixText(before, "before.json", { probeImage: IMAGE, probeLogs: "awslogs:gate:eu-west-1" });
    expect(preflightOf(r.text)?.logConfiguration).toMatchObject({
      options: { "awslogs-region": "eu-west-1" },
    });
  });

  it("refuses a spec it cannot use, and a region it cannot find, saying what to write", () => {
    expect(() => fixText(before, "before.json", { probeImage: IMAGE, probeLogs: "splunk:x" })).toThrow(
      /probeLogs must be awslogs:<log group> or awslogs:<log group>:<region> \(got "splunk:x"\)/,
    );
    const noAwslogs = before.replaceAll('"logDriver": "awslogs"', '"logDriver": "json-file"');
    try {
      fixText(noAwslogs, "before.json", { probeImage: IMAGE, probeLogs: "awslogs:gate" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FixError);
      expect((e as FixError).message).toContain("write awslogs:gate:<region>");
    }
  });
});
