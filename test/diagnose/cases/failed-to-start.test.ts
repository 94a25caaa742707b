import { failedToStart } from "../../../src/diagnose/cases/failed-to-start.js";
import { ARN, caseTable, HELD, stopped } from "./table.js";

caseTable(failedToStart, [
  {
    name: "an image that could not be pulled",
    task: {
      taskArn: ARN,
      lastStatus: "STOPPED",
      stopCode: "TaskFailedToStart",
      stoppedReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
      containers: [{ name: "web", lastStatus: "STOPPED" }],
    },
    applies: true,
    verdict: {
      kind: "failed-to-start",
      summary:
        "The task failed to start: CannotPullContainerError: pull image manifest has been retried 5 time(s).",
      traffic: "before",
      culprit: null,
      prevention: ["advice"],
    },
  },
  {
    name: "a container's reason says it, the task's does not",
    task: stopped([{ name: "web", reason: "ResourceInitializationError: unable to pull secrets." }], {
      stopCode: undefined,
      stoppedReason: undefined,
    }),
    applies: true,
    verdict: { summary: "The task failed to start: ResourceInitializationError: unable to pull secrets." },
  },
  {
    name: "the stop code alone",
    task: { taskArn: ARN, lastStatus: "STOPPED", stopCode: "TaskFailedToStart", containers: [] },
    applies: true,
    verdict: { summary: "The task failed to start: no reason recorded." },
  },
  {
    name: "a dependency stop is no start failure",
    task: stopped([{ name: "app", exitCode: 143, reason: HELD }]),
    applies: false,
    decidedBy: "held-back",
  },
]);
