/** 9. Stopped from outside the task: the scheduler (scale-in, health checks), a user, Spot, ECS itself. */
import { type DiagnosisCase, verdict } from "./case.js";

/** Who each `stopCode` names (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html). */
const STOPPED_BY: Readonly<Record<string, string>> = {
  ServiceSchedulerInitiated: "the service scheduler",
  UserInitiated: "a user (StopTask)",
  SpotInterruption: "a Spot interruption",
  TerminationNotice: "a termination notice",
  InfrastructureHealth: "ECS, for infrastructure health",
};

export const stoppedExternally: DiagnosisCase = {
  id: "stopped-externally",
  applies: (f) => f.stopped && f.task.stopCode !== undefined,
  verdict(f) {
    const stopCode = f.task.stopCode ?? "";
    const reason = (f.task.stoppedReason ?? "no reason recorded").replace(/\.$/, "");
    if (/health ?check/i.test(reason)) {
      return verdict(
        f,
        "stopped-externally",
        `The service stopped the task because it failed health checks: ${reason}.`,
        {
          culprit: undefined,
          prevention: [
            { kind: "advice", why: "check the health check path, grace period and the app's startup time" },
          ],
        },
      );
    }
    const who = Object.hasOwn(STOPPED_BY, stopCode) ? STOPPED_BY[stopCode] : stopCode;
    return verdict(f, "stopped-externally", `The task was stopped by ${who}: ${reason}.`, {
      culprit: undefined,
    });
  },
};
