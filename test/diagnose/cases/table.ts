/**
 * A table test for one diagnose case, in the spirit of ESLint's RuleTester: each row is a task (and
 * optionally the task definition and services); the runner builds the real facts, asks the case whether it
 * applies, checks which case of the catalogue decides, and checks the verdict's fields.
 */
import { describe, expect, it } from "vitest";
import type { DiagnosisCase } from "../../../src/diagnose/cases/case.js";
import { selectCase } from "../../../src/diagnose/cases/index.js";
import { taskFacts } from "../../../src/diagnose/facts.js";
import type {
  Container,
  DiagnoseOptions,
  DiagnosisKind,
  Task,
  TrafficWindow,
} from "../../../src/diagnose/types.js";
import type { TaskDefinitionView } from "../../../src/taskdef/model.js";

export interface CaseRow {
  readonly name: string;
  readonly task: Task;
  readonly options?: DiagnoseOptions;
  /** What the case's own `applies` says. */
  readonly applies: boolean;
  /** The case of the catalogue that decides, when it is not this one (an earlier case, or a later one). */
  readonly decidedBy?: string;
  readonly verdict?: {
    readonly kind?: DiagnosisKind;
    /** A string is matched exactly. */
    readonly summary?: string | RegExp;
    readonly culprit?: string | null;
    readonly traffic?: TrafficWindow;
    /** Rule ids, `fix` or `advice`, in order. */
    readonly prevention?: readonly string[];
  };
}

export function caseTable(c: DiagnosisCase, rows: readonly CaseRow[]): void {
  describe(`case ${c.id}`, () => {
    it("has a decided row, a row it does not apply to, and no duplicate names", () => {
      expect(rows.some((r) => r.applies && r.decidedBy === undefined && r.verdict !== undefined)).toBe(true);
      expect(rows.some((r) => !r.applies)).toBe(true);
      expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
      // A verdict is only checked where the case applies; anything else would test nothing real.
      expect(rows.filter((r) => !r.applies && r.verdict !== undefined)).toEqual([]);
    });

    it.each(rows)("$name", (row) => {
      const f = taskFacts(row.task, row.options);
      expect(c.applies(f)).toBe(row.applies);
      if (row.applies || row.decidedBy !== undefined) expect(selectCase(f).id).toBe(row.decidedBy ?? c.id);
      const want = row.verdict;
      if (want === undefined) return;
      const v = c.verdict(f);
      if (want.kind !== undefined) expect(v.kind).toBe(want.kind);
      if (typeof want.summary === "string") expect(v.summary).toBe(want.summary);
      else if (want.summary !== undefined) expect(v.summary).toMatch(want.summary);
      if (want.culprit !== undefined) expect(v.culprit).toBe(want.culprit ?? undefined);
      if (want.traffic !== undefined) expect(v.traffic).toBe(want.traffic);
      if (want.prevention !== undefined) {
        expect(v.prevention.map((p) => (p.kind === "rule" ? p.id : p.kind))).toEqual(want.prevention);
      }
      expect(v.summary.endsWith(".")).toBe(true);
    });
  });
}

export const ARN = "arn:aws:ecs:us-east-1:111122223333:task/c/0123456789abcdef";
export const CRASHING_ROUTER_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.19.0";
export const HELD =
  "CannotStartContainerError: dependency graph: failed to resolve container ordering dependency [log-router-preflight] for target [app]";

/** A task stopped because an essential container exited, with these containers. */
export function stopped(containers: readonly Container[], extra: Partial<Task> = {}): Task {
  return {
    taskArn: ARN,
    lastStatus: "STOPPED",
    stopCode: "EssentialContainerExited",
    stoppedReason: "Essential container in task exited",
    containers: containers.map((c) => ({ lastStatus: "STOPPED", ...c })),
    ...extra,
  };
}

/** The view with one container's `essential` replaced. */
export function withEssential(td: TaskDefinitionView, name: string, essential: boolean): TaskDefinitionView {
  return {
    ...td,
    containers: td.containers.map((c) =>
      c.name === name ? { ...c, definition: { ...c.definition, essential } } : c,
    ),
  };
}
