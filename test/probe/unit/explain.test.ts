import { describe, expect, it } from "vitest";
import { type DeadlineFacts, explainDeadline } from "../../../src/probe/explain.js";

const base: DeadlineFacts = {
  deadlineMs: 8000,
  forward: "127.0.0.1:24224",
  connected: true,
  lastConnectError: null,
  waitingForAgent: false,
  level: "accepted",
  required: "flushed",
  sent: 3,
  chunks: 1,
  acked: 1,
  monitor: { answered: true, sawSnapshot: true, metricsUnavailable: null, lastError: null, assessment: null },
  finalCheck: false,
  pingTag: "firelens-healthcheck",
};

describe("explainDeadline", () => {
  it.each<[string, Partial<DeadlineFacts>, 1 | 3, string]>([
    [
      "never connected",
      { connected: false, lastConnectError: "ECONNREFUSED", level: "none" },
      3,
      "router never became reachable at 127.0.0.1:24224 within the deadline of 8 s (last error: ECONNREFUSED)",
    ],
    [
      "agent never ready",
      { waitingForAgent: true, level: "alive" },
      1,
      "deadline of 8 s reached at level alive, flushed required: the agent readiness URL never answered 200",
    ],
    [
      "chunks not acked",
      { level: "alive", acked: 0 },
      1,
      "deadline of 8 s reached at level alive, flushed required: the router acknowledged 0 of 1 chunks",
    ],
    [
      "no usable metrics",
      {
        monitor: { ...base.monitor, sawSnapshot: false, metricsUnavailable: "status 200, unexpected body" },
      },
      1,
      "the monitoring server has no usable metrics (status 200, unexpected body)",
    ],
    [
      "metrics never published",
      { monitor: { ...base.monitor, sawSnapshot: false } },
      1,
      "the monitoring server never published metrics (404 not yet)",
    ],
    [
      "monitor listening but silent",
      { monitor: { ...base.monitor, sawSnapshot: false, answered: false, lastError: "ETIMEDOUT" } },
      1,
      "the monitoring server accepted connections but never answered in time (ETIMEDOUT)",
    ],
    [
      "outputs short of the records",
      {
        monitor: {
          ...base.monitor,
          assessment: {
            kind: "pending",
            processed: 1,
            deltas: {
              "datadog.1": {
                procRecords: 1,
                errors: 0,
                retries: 0,
                retriesFailed: 0,
                droppedRecords: 0,
                retriedRecords: 0,
              },
            },
          },
        },
      },
      1,
      "the outputs processed 1 of 3 records (datadog.1 +1)",
    ],
    [
      "final ping unanswered",
      { level: "flushed", finalCheck: true },
      1,
      "deadline of 8 s reached at level flushed, flushed required: the router did not acknowledge the final liveness ping on tag firelens-healthcheck",
    ],
    [
      "settle window not over",
      { level: "flushed" },
      1,
      "deadline of 8 s reached at level flushed, flushed required: the settle window did not end before the deadline",
    ],
  ])("%s", (_name, facts, exitCode, reason) => {
    const r = explainDeadline({ ...base, ...facts });
    expect(r.exitCode).toBe(exitCode);
    expect(r.reason).toContain(reason);
  });
});
