import { unknown } from "../../../src/diagnose/cases/unknown.js";
import { ARN, caseTable } from "./table.js";

caseTable(unknown, [
  {
    name: "stopped, nothing else known",
    task: { taskArn: ARN, lastStatus: "STOPPED", containers: [] },
    applies: true,
    verdict: {
      kind: "unknown",
      summary: "The task stopped and the evidence does not match a known chain.",
      culprit: null,
      prevention: [],
    },
  },
  {
    name: "stopped with a reason we cannot place",
    task: {
      taskArn: ARN,
      stoppedAt: new Date("2026-01-01T00:00:00Z"),
      stoppedReason: "gone",
      containers: [],
    },
    applies: true,
    verdict: { summary: 'The task stopped ("gone") and the evidence does not match a known chain.' },
  },
  {
    name: "running",
    task: { taskArn: ARN, lastStatus: "RUNNING", containers: [] },
    applies: false,
    decidedBy: "running",
  },
]);
