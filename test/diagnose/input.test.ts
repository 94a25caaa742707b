import { describe, expect, it } from "vitest";
import { mergeDiagnoseInputs, parseDiagnoseInput } from "../../src/diagnose/index.js";
import { TaskDefError } from "../../src/taskdef/index.js";
import { FIX, input, inputError, readRepo, SEED_SERVICES, SEED_TASKDEF, SEED_TASKS } from "./helpers.js";

const error = inputError;

describe("parseDiagnoseInput: shapes", () => {
  it("reads describe-tasks output, turning timestamps into dates", () => {
    const i = input(SEED_TASKS);
    expect(i.shape).toBe("describe-tasks output");
    expect(i.tasks).toHaveLength(1);
    expect(i.tasks[0]?.startedAt).toBeInstanceOf(Date);
    expect(i.tasks[0]?.startedAt?.toISOString()).toBe("2026-11-20T01:15:24.812Z");
    expect(i.tasks[0]?.containers?.[0]?.exitCode).toBe(139);
    expect(i.failures).toEqual([]);
  });

  it("reads describe-services output with event and deployment dates", () => {
    const i = input(SEED_SERVICES);
    expect(i.shape).toBe("describe-services output");
    expect(i.services[0]?.events?.[0]?.createdAt).toBeInstanceOf(Date);
    expect(i.services[0]?.deployments?.[0]?.createdAt).toBeInstanceOf(Date);
  });

  it("reads a bare task, an array of tasks, an EventBridge event and epoch seconds", () => {
    const task = {
      taskArn: "arn:aws:ecs:us-east-1:1:task/c/a",
      containers: [],
      startedAt: 1_763_600_124.812,
    };
    const one = parseDiagnoseInput(JSON.stringify(task), "t.json");
    expect(one.shape).toBe("a task object");
    expect(one.tasks[0]?.startedAt?.toISOString()).toBe("2025-11-20T00:55:24.812Z");
    expect(parseDiagnoseInput(JSON.stringify([task, task]), "t.json").tasks).toHaveLength(2);
    const event = parseDiagnoseInput(
      JSON.stringify({ "detail-type": "ECS Task State Change", detail: task }),
      "e.json",
    );
    expect(event.shape).toBe("an EventBridge task state change event");
  });

  it("reads describe-tasks with only failures", () => {
    const i = parseDiagnoseInput(
      '{"tasks": [], "failures": [{"arn": "arn:x", "reason": "MISSING"}]}',
      "f.json",
    );
    expect(i.tasks).toEqual([]);
    expect(i.failures).toEqual([{ arn: "arn:x", reason: "MISSING" }]);
  });

  it("merges a tasks file and a services file", () => {
    const m = mergeDiagnoseInputs([
      input(`${FIX}gated-deploy-tasks.json`),
      input(`${FIX}gated-deploy-services.json`),
    ]);
    expect(m.tasks).toHaveLength(2);
    expect(m.services).toHaveLength(1);
    expect(m.shape).toBe("describe-tasks output + describe-services output");
  });

  it("accepts a byte order mark", () => {
    expect(parseDiagnoseInput(`\ufeff${readRepo(SEED_TASKS)}`, "bom.json").tasks).toHaveLength(1);
  });
});

describe("parseDiagnoseInput: bad input", () => {
  it("reports JSON syntax errors with file:line:column", () => {
    const e = error('{\n  "tasks": [\n    {"taskArn": "a",}\n  ]\n}', "tasks.json");
    expect(e.inputKind).toBe("syntax");
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^tasks\.json:3:\d+: /);
    expect(e).toBeInstanceOf(TaskDefError);
  });

  it("reports a missing comma and an unexpected end of file", () => {
    expect(error('{"tasks": [] "failures": []}').message).toBe("in.json:1:14: expected ',' or '}'");
    expect(error('{"tasks": [').message).toMatch(/^in\.json:1:\d+: (unexpected end of file|expected)/);
  });

  it("reports an empty document", () => {
    expect(error("  \n").message).toBe("in.json:1:1: empty document");
  });

  it("reports comments, which the CLI never prints", () => {
    expect(error('// x\n{"tasks": []}').message).toMatch(/comments are not allowed/);
  });

  it("says what was expected for JSON of another shape", () => {
    const e = error('{"hello": "world"}');
    expect(e.inputKind).toBe("unexpected-shape");
    expect(e.message).toContain("expected aws ecs describe-tasks output");
    expect(e.message).toContain('got an object with keys "hello"');
    expect(error("42").message).toContain("got a number");
    expect(error("[]").message).toContain("empty array");
  });

  it("recognises a task definition given in the wrong place", () => {
    const e = error(readRepo(SEED_TASKDEF), "before.json");
    expect(e.message).toMatch(/^before\.json:1:1: this looks like a task definition, not a task/);
    expect(e.message).toContain("--task-definition");
  });

  it("locates a wrong field inside a task", () => {
    const e = error(
      '{"tasks": [\n  {"taskArn": "a", "containers": [\n    {"name": "x", "exitCode": "139"}\n  ]}\n]}',
    );
    expect(e.message).toBe('in.json:3:31: expected "exitCode" to be a number, got a string');
    const e2 = error('{"tasks": [{"taskArn": "a", "containers": {}}]}');
    expect(e2.message).toContain('expected "containers" to be an array');
    const e3 = error('{"tasks": {"taskArn": "a"}}');
    expect(e3.message).toContain('expected "tasks" to be an array of tasks');
    const e4 = error('{"tasks": [{"foo": 1}]}');
    expect(e4.message).toContain('expected a task (with "taskArn" or "containers")');
  });

  it("rejects a timestamp that is not one", () => {
    const e = error('{"tasks": [{"taskArn": "a", "startedAt": "yesterday"}]}');
    expect(e.message).toContain('expected a timestamp (ISO 8601 text or epoch seconds), got "yesterday"');
    expect(e.line).toBe(1);
  });
});

describe("loadDiagnoseInput", () => {
  it("reads a file and reports a missing one as an io error", async () => {
    const { loadDiagnoseInput } = await import("../../src/diagnose/index.js");
    const ok = await loadDiagnoseInput(`${FIX}oom-tasks.json`);
    expect(ok.tasks).toHaveLength(1);
    await expect(loadDiagnoseInput(`${FIX}nope.json`)).rejects.toMatchObject({
      inputKind: "io",
      kind: "io",
      message: `${FIX}nope.json: cannot read: no such file`,
    });
  });
});
