import { stoppedExternally } from "../../../src/diagnose/cases/stopped-externally.js";
import type { Task } from "../../../src/diagnose/types.js";
import { ARN, caseTable } from "./table.js";

caseTable(stoppedExternally, [
  {
    name: "the scheduler, for failed ELB health checks",
    task: {
      taskArn: ARN,
      lastStatus: "STOPPED",
      stopCode: "ServiceSchedulerInitiated",
      stoppedReason: "Task failed ELB health checks in (target-group tg/web/1)",
      containers: [{ name: "web", lastStatus: "STOPPED", exitCode: 143 }],
    },
    applies: true,
    verdict: {
      kind: "stopped-externally",
      summary:
        "The service stopped the task because it failed health checks: Task failed ELB health checks in (target-group tg/web/1).",
      culprit: null,
      prevention: ["advice"],
    },
  },
  {
    name: "a user",
    task: {
      taskArn: ARN,
      lastStatus: "STOPPED",
      stopCode: "UserInitiated",
      stoppedReason: "Stopped by ops.",
      containers: [],
    },
    applies: true,
    verdict: { summary: "The task was stopped by a user (StopTask): Stopped by ops.", prevention: [] },
  },
  {
    name: "a stop code we do not name, and no reason",
    task: {
      taskArn: ARN,
      lastStatus: "STOPPED",
      stopCode: "constructor" as Task["stopCode"],
      containers: [],
    },
    applies: true,
    verdict: { summary: "The task was stopped by constructor: no reason recorded." },
  },
  {
    name: "no stop code",
    task: { taskArn: ARN, lastStatus: "STOPPED", containers: [] },
    applies: false,
    decidedBy: "unknown",
  },
]);
