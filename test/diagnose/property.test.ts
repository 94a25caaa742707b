import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DiagnoseInputError,
  diagnose,
  parseDiagnoseInput,
  renderDiagnosisJson,
  renderDiagnosisText,
} from "../../src/diagnose/index.js";
import type { Container, Task } from "../../src/diagnose/types.js";
import { runs } from "../support/runs.js";
import { readRepo, SEED_TASKS } from "./helpers.js";

const names = fc.constantFrom("log-router", "log-router-preflight", "app", "dd-agent", "worker", "firelens");
const images = fc.option(
  fc.constantFrom(
    "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.19.0",
    "fluent/fluent-bit:4.2.8",
    "public.ecr.aws/datadog/agent:7",
    "nginx:1.27",
  ),
  { nil: undefined },
);
const exitCodes = fc.option(fc.constantFrom(0, 1, 2, 3, 134, 137, 139, 143, 255), { nil: undefined });
const reasons = fc.option(
  fc.constantFrom(
    "OutOfMemoryError: Container killed due to memory usage",
    "CannotStartContainerError: dependency graph: failed to resolve container ordering dependency [a] for target [b]",
    "CannotPullContainerError: pull access denied",
    '{"level":"alive","reason":"router died"}',
    "plain text",
  ),
  { nil: undefined },
);
const container: fc.Arbitrary<Container> = fc.record({
  name: names,
  image: images,
  lastStatus: fc.constantFrom("RUNNING", "STOPPED", "PENDING"),
  exitCode: exitCodes,
  reason: reasons,
  healthStatus: fc.option(fc.constantFrom("HEALTHY", "UNHEALTHY", "UNKNOWN"), { nil: undefined }),
});
const task: fc.Arbitrary<Task> = fc.record({
  taskArn: fc.constant("arn:aws:ecs:us-east-1:111122223333:task/c/0123"),
  lastStatus: fc.constantFrom("RUNNING", "STOPPED", "DEACTIVATING", "PENDING"),
  stopCode: fc.option(
    fc.constantFrom(
      "EssentialContainerExited",
      "TaskFailedToStart",
      "ServiceSchedulerInitiated",
      "UserInitiated",
    ),
    { nil: undefined },
  ),
  stoppedReason: fc.option(
    fc.constantFrom("Essential container in task exited", "Scaling activity initiated by (deployment x)"),
    {
      nil: undefined,
    },
  ),
  startedAt: fc.option(fc.constant(new Date("2026-01-01T00:00:00Z")), { nil: undefined }),
  containers: fc.array(container, { maxLength: 5 }),
});

describe("diagnose on arbitrary tasks", () => {
  it("always returns one non-empty sentence per task and renders", () => {
    fc.assert(
      fc.property(fc.array(task, { minLength: 1, maxLength: 3 }), (tasks) => {
        const d = diagnose(tasks);
        expect(d.tasks).toHaveLength(tasks.length);
        for (const t of d.tasks) {
          expect(t.summary.length).toBeGreaterThan(10);
          expect(t.summary.endsWith(".")).toBe(true);
          expect(t.summary).not.toContain("undefined");
        }
        expect(renderDiagnosisText(d)).toContain("task 0123");
        JSON.parse(renderDiagnosisJson(d));
      }),
      { numRuns: runs(300) },
    );
  });

  it("calls a crash signature on the router a router crash whenever the router is the only container to fail", () => {
    fc.assert(
      fc.property(fc.constantFrom(139, 134), fc.constantFrom(0, 143, 137), (code, other) => {
        const d = diagnose([
          {
            taskArn: "arn:aws:ecs:us-east-1:1:task/c/x",
            lastStatus: "STOPPED",
            stopCode: "EssentialContainerExited",
            containers: [
              { name: "log-router", image: "amazon/aws-for-fluent-bit:2.19.0", exitCode: code },
              { name: "app", exitCode: other },
            ],
          },
        ]);
        expect(d.tasks[0]?.kind).toBe("router-crash");
      }),
    );
  });
});

describe("parseDiagnoseInput on arbitrary text", () => {
  it("either parses or throws a located DiagnoseInputError", () => {
    const seed = readRepo(SEED_TASKS);
    fc.assert(
      fc.property(fc.nat(seed.length), fc.nat(seed.length), fc.string({ maxLength: 3 }), (a, b, insert) => {
        const text = seed.slice(0, Math.min(a, b)) + insert + seed.slice(Math.max(a, b));
        try {
          parseDiagnoseInput(text, "x.json");
        } catch (e) {
          expect(e).toBeInstanceOf(DiagnoseInputError);
          const err = e as DiagnoseInputError;
          expect(err.message).toMatch(/^x\.json(:\d+:\d+)?: /);
        }
      }),
      { numRuns: runs(300) },
    );
  });
});
