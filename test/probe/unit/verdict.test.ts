import { describe, expect, it } from "vitest";
import { classifyMetricsV1, type MetricsSnapshot } from "../../../src/probe/monitor.js";
import {
  assess,
  describeFailure,
  isNullOutput,
  uptimeWentBackwards,
  ZERO_COUNTERS,
  zeroBaseline,
} from "../../../src/probe/verdict.js";
import { answers, raw, recording, VERSIONS } from "./fixtures.js";

/** The recorded /api/v1/metrics sequence of a scenario: [before the first snapshot, baseline, after sending…]. */
function metricsSequence(
  version: (typeof VERSIONS)[number],
  scenario: string,
): (MetricsSnapshot | "not-yet")[] {
  return answers(recording(version, scenario), "/api/v1/metrics")
    .filter((a) => a.answer.status !== undefined)
    .map((a) => {
      const c = classifyMetricsV1(raw(a.answer));
      if (c.kind === "not-yet") return "not-yet";
      if (c.kind !== "ok") throw new Error(`unexpected answer ${c.kind}`);
      return c.value;
    });
}

function snapshot(seq: (MetricsSnapshot | "not-yet")[], i: number): MetricsSnapshot {
  const s = seq[i];
  if (s === undefined || s === "not-yet") throw new Error(`no snapshot at ${i}`);
  return s;
}

describe("verdict over recorded counter sequences", () => {
  // Five records were sent in every recording (3 without chunk, 2 with).
  const SENT = 5;

  for (const v of VERSIONS) {
    it(`${v} sink-accepts → flushed, from a snapshot baseline and from the not-yet zero baseline`, () => {
      const seq = metricsSequence(v, "sink-accepts");
      expect(seq[0]).toBe("not-yet");
      const after = snapshot(seq, 2);
      for (const base of [snapshot(seq, 1), zeroBaseline()]) {
        const a = assess(base, after, SENT);
        expect(a.kind).toBe("flushed");
        expect(a.processed).toBe(5);
        expect(Object.keys(a.deltas)).toEqual(["datadog.1"]);
      }
      // Before anything flushed: pending, not failed.
      expect(assess(snapshot(seq, 1), snapshot(seq, 1), SENT).kind).toBe("pending");
    });

    for (const scenario of ["sink-500", "sink-403", "sink-down", "health-check-on"]) {
      it(`${v} ${scenario} → failed, naming datadog.1 and its retries`, () => {
        const seq = metricsSequence(v, scenario);
        const a = assess(snapshot(seq, 1), snapshot(seq, 2), SENT);
        expect(a.kind).toBe("failed");
        if (a.kind !== "failed") return;
        expect(a.output).toBe("datadog.1");
        expect(a.reason).toMatch(
          /^output datadog\.1: \d+ retr(y|ies), 5 records retried, 0 processed — the first flush failed/,
        );
      });
    }

    it(`${v} provider-ecs trigger: ${v === "4.2.8" ? "delivers (7 records)" : "the router died before any flush was visible"}`, () => {
      const seq = metricsSequence(v, "datadog-provider-ecs-trigger");
      if (v === "4.2.8") {
        expect(assess(snapshot(seq, 1), snapshot(seq, 2), 7).kind).toBe("flushed");
      } else {
        expect(seq.length).toBe(2); // nothing answered after the crash
      }
    });
  }

  it("excludes null outputs and counts the rest", () => {
    expect(isNullOutput("null.0")).toBe(true);
    expect(isNullOutput("datadog.1")).toBe(false);
    const base: MetricsSnapshot = { source: "v1", outputs: {}, uptimeSec: null };
    const c = (p: number) => ({ ...ZERO_COUNTERS, procRecords: p });
    const now: MetricsSnapshot = {
      source: "v1",
      outputs: { "null.0": c(10), "datadog.0": c(2), "datadog.1": c(1) },
      uptimeSec: null,
    };
    expect(assess(base, now, 3)).toMatchObject({ kind: "flushed", processed: 3 });
    expect(assess(base, now, 4)).toMatchObject({ kind: "pending", processed: 3 });
  });

  it("fails on errors, retries_failed and drops; a counter going backwards is a restart", () => {
    const c = (o: Partial<Record<string, number>>) => ({ ...ZERO_COUNTERS, ...o });
    const snap = (o: Partial<Record<string, number>>): MetricsSnapshot => ({
      source: "v1",
      outputs: { "null.0": c({}), "cloudwatch_logs.1": c(o) },
      uptimeSec: null,
    });
    expect(assess(snap({}), snap({ errors: 1 }), 3)).toMatchObject({
      kind: "failed",
      output: "cloudwatch_logs.1",
    });
    expect(assess(snap({}), snap({ retriesFailed: 1 }), 3)).toMatchObject({ kind: "failed" });
    expect(assess(snap({}), snap({ droppedRecords: 3 }), 3)).toMatchObject({ kind: "failed" });
    expect(assess(snap({ procRecords: 9 }), snap({ procRecords: 2 }), 3).kind).toBe("restarted");
    const onlyNull: MetricsSnapshot = { source: "v1", outputs: { "null.0": c({}) }, uptimeSec: null };
    expect(assess(zeroBaseline(), onlyNull, 3).kind).toBe("no-outputs");
    expect(
      describeFailure("x.0", {
        procRecords: 0,
        errors: 2,
        retries: 0,
        retriesFailed: 0,
        droppedRecords: 0,
        retriedRecords: 0,
      }),
    ).toContain("2 errors");
  });

  it("uptime may only grow", () => {
    expect(uptimeWentBackwards(null, 0)).toBe(false);
    expect(uptimeWentBackwards(3, 3)).toBe(false);
    expect(uptimeWentBackwards(3, 0)).toBe(true);
  });
});
