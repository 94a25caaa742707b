import { describe, expect, it } from "vitest";
import { diagnose, renderDiagnosisJson, renderDiagnosisText } from "../../src/diagnose/index.js";
import { FIX, input, SEED_SERVICES, SEED_TASKDEF, SEED_TASKS, taskDefinition } from "./helpers.js";

const seed = diagnose(input(SEED_TASKS).tasks, {
  services: input(SEED_SERVICES).services,
  taskDefinition: taskDefinition(SEED_TASKDEF),
});

describe("renderDiagnosisText", () => {
  it("prints one sentence per task with the evidence indented under it", () => {
    const text = renderDiagnosisText(seed);
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      "task 7f3c2a9e1b4d4c6f8e0a5b1d9c7e3f21 (service:backend, backend:42) [router-crash]",
    );
    expect(lines[1]).toMatch(/^ {2}The log router crashed and stopped the task: /);
    expect(lines[2]).toMatch(/^ {4}task +lastStatus STOPPED/);
    expect(text).toContain("    log-router  [log router, essential], lastStatus STOPPED, exit 139 (SIGSEGV)");
    expect(text).toContain(
      "  prevent it:\n    FLP201  App can take traffic before the log path is verified: ",
    );
    expect(text).toContain("    fix     `firelens-preflight fix <task-definition>`");
    expect(text).toContain("service backend [in-progress]");
    expect(text).not.toContain("\u001b[");
  });

  it("colours only when asked", () => {
    expect(renderDiagnosisText(seed, { color: true })).toContain("\u001b[");
  });

  it("prints describe-tasks failures and an empty input", () => {
    expect(
      renderDiagnosisText({ tasks: [], services: [], failures: ["arn:x: MISSING"], roleSource: "inferred" }),
    ).toBe("describe-tasks failures\n  arn:x: MISSING\n");
    expect(renderDiagnosisText({ tasks: [], services: [], failures: [], roleSource: "inferred" })).toContain(
      "Nothing to diagnose",
    );
  });

  it("prints the notes of an inferred diagnosis", () => {
    const text = renderDiagnosisText(diagnose(input(`${FIX}oom-tasks.json`).tasks));
    expect(text).toContain("  note: no task definition given");
  });
});

describe("renderDiagnosisJson", () => {
  it("is versioned JSON with kinds, evidence, prevention and rule titles", () => {
    const json = JSON.parse(renderDiagnosisJson(seed)) as {
      version: number;
      roleSource: string;
      tasks: Array<{
        kind: string;
        traffic: string;
        culprit: string;
        summary: string;
        evidence: Array<{ subject: string; text: string }>;
        prevention: Array<{ kind: string; id?: string; title?: string }>;
        containers: Array<{ name: string; role: string; exitCode?: number }>;
      }>;
      services: Array<{ kind: string }>;
    };
    expect(json.version).toBe(1);
    expect(json.roleSource).toBe("task-definition");
    const t = json.tasks[0];
    expect(t?.kind).toBe("router-crash");
    expect(t?.traffic).toBe("after");
    expect(t?.culprit).toBe("log-router");
    expect(t?.summary).toContain("The log router crashed and stopped the task");
    expect(t?.evidence.some((e) => e.subject === "log-router" && e.text.includes("exit 139"))).toBe(true);
    expect(t?.prevention[0]).toMatchObject({
      kind: "rule",
      id: "FLP201",
      title: "App can take traffic before the log path is verified",
    });
    expect(t?.containers.find((c) => c.name === "log-router")).toMatchObject({
      role: "router",
      exitCode: 139,
    });
    expect(json.services[0]?.kind).toBe("in-progress");
  });
});
