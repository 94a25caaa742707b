import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CASES } from "../../../src/diagnose/cases/index.js";
import { taskFacts } from "../../../src/diagnose/facts.js";
import { diagnoseTask } from "../../../src/diagnose/index.js";
import type { Task } from "../../../src/diagnose/types.js";
import { runs } from "../../support/runs.js";
import { ARN } from "./table.js";

describe("the case catalogue", () => {
  it("has unique ids, one test file per case, running first and unknown last", async () => {
    const ids = CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe("running");
    expect(ids[ids.length - 1]).toBe("unknown");
    const { readdirSync } = await import("node:fs");
    const tests = readdirSync(new URL(".", import.meta.url)).filter((f) => f.endsWith(".test.ts"));
    for (const c of CASES) {
      const file = c.id === "essential-exited-unnamed" ? "essential-unnamed.test.ts" : `${c.id}.test.ts`;
      expect(tests).toContain(file);
    }
  });

  const task: fc.Arbitrary<Task> = fc.record({
    taskArn: fc.constant(ARN),
    lastStatus: fc.constantFrom("RUNNING", "STOPPED", "PENDING", undefined),
    stopCode: fc.constantFrom("EssentialContainerExited", "TaskFailedToStart", "UserInitiated", undefined),
    containers: fc.array(
      fc.record({
        name: fc.constantFrom("log-router", "log-router-preflight", "app", "worker"),
        exitCode: fc.constantFrom(0, 1, 2, 134, 137, 139, 143, undefined),
        reason: fc.constantFrom(
          "OutOfMemoryError: killed",
          "CannotStartContainerError: dependency graph: x",
          "CannotPullContainerError: x",
          undefined,
        ),
      }),
      { maxLength: 4 },
    ),
  });

  it("decides every task, running or stopped, with a case whose kind fits the task's state", () => {
    fc.assert(
      fc.property(task, (t) => {
        const f = taskFacts(t);
        const applying = CASES.filter((c) => c.applies(f));
        // `running` and `unknown` partition every task between them.
        expect(applying.some((c) => c.id === "running") !== applying.some((c) => c.id === "unknown")).toBe(
          true,
        );
        const d = diagnoseTask(t);
        expect(d.kind === "running").toBe(!f.stopped);
        expect(d.traffic === "not-applicable").toBe(!f.stopped);
      }),
      { numRuns: runs(500) },
    );
  });
});
