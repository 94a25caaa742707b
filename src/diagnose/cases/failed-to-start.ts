/** 6. The task never started: image pull, secrets, ENI or other resource setup failed. */
import { isStartFailure } from "../signals.js";
import { type DiagnosisCase, verdict } from "./case.js";

export const failedToStart: DiagnosisCase = {
  id: "failed-to-start",
  applies: (f) =>
    f.stopped &&
    (f.task.stopCode === "TaskFailedToStart" ||
      f.containers.some((c) => isStartFailure(c.reason)) ||
      (f.task.stoppedReason !== undefined && isStartFailure(f.task.stoppedReason))),
  verdict(f) {
    const why =
      f.containers.find((c) => isStartFailure(c.reason))?.reason ??
      f.task.stoppedReason ??
      "no reason recorded";
    return verdict(f, "failed-to-start", `The task failed to start: ${why.replace(/\.$/, "")}.`, {
      traffic: "before",
      trafficBasis: "the task never started",
      prevention: [{ kind: "advice", why: "fix the image, secret or network access named in the reason" }],
    });
  },
};
