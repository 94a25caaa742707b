/** The issue-13 classes of bad diagnose input, through the built CLI: exit code and located message. */
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const task = (fields: string, containers = "[]"): string =>
  `{"tasks": [{"taskArn": "arn:aws:ecs:us-east-1:1:task/c/abc", "lastStatus": "STOPPED", ${fields}"containers": ${containers}}]}`;

describe("diagnose on valid JSON of the wrong shape", () => {
  it('"taskArn": 5 → a located note, the rest diagnosed, exit 0', () => {
    const run = cli(
      ["diagnose", "-"],
      '{"tasks": [{"taskArn": 5, "lastStatus": "STOPPED", "containers": []}]}',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("task (task without ARN) [unknown]");
    expect(run.stdout).toContain(
      'note: <stdin>:1:24: expected "taskArn" to be a string, got a number; left out (at $.tasks[0].taskArn)',
    );
    expect(run.stderr).toBe("");
  });

  it('"group": 5 → a located note, exit 0', () => {
    const run = cli(["diagnose", "-"], task('"group": 5, '));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /note: <stdin>:1:\d+: expected "group" to be a string, got a number; left out \(at \$\.tasks\[0\]\.group\)/,
    );
  });

  it('an event "message": 5 → exit 2 with file, line, column, JSON path and what was expected', () => {
    const run = cli(
      ["diagnose", "-"],
      '{"services": [{"serviceName": "web",\n  "events": [{"id": "1", "message": 5}]}]}',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: <stdin>:2:37: expected "message" to be a string, got a number (at $.services[0].events[0].message)\n',
    );
  });

  it('a container "name": {"a": 1} → exit 2, located', () => {
    const run = cli(["diagnose", "-"], task("", '[{"name": {"a": 1}}]'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: <stdin>:1:\d+: expected "name" to be a string, got an object with keys "a" \(at \$\.tasks\[0\]\.containers\[0\]\.name\)\n$/,
    );
  });

  it("'[' * 4937 and {\"tasks\":[[[…6000…]]]} → exit 2 at the bracket past the limit, no stack", () => {
    const flat = cli(["diagnose", "-"], "[".repeat(4937));
    expect(flat.code).toBe(2);
    expect(flat.stderr).toBe(
      "error: <stdin>:1:65: nested deeper than 64 arrays and objects; no ECS output comes close, so the input is refused\n",
    );
    const tasks = cli(["diagnose", "-"], `{"tasks":${"[".repeat(6000)}${"]".repeat(6000)}}`);
    expect(tasks.code).toBe(2);
    expect(tasks.stderr).toMatch(/^error: <stdin>:1:73: nested deeper than 64 /);
  });

  it('a container named "\\u001b[2J…" is printed escaped, even with --no-color', () => {
    const input = task(
      '"stopCode": "EssentialContainerExited", ',
      '[{"name": "\\u001b[2J\\u001b[Happ", "exitCode": 1}]',
    );
    for (const flags of [["--no-color"], ["--color"], ["--json"]]) {
      const run = cli(["diagnose", ...flags, "-"], input);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("\\u001b[2J\\u001b[Happ");
      expect(run.stdout).not.toContain("\u001b[2J");
    }
  });
});
