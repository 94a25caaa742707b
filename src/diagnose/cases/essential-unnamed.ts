/**
 * 8b. The stop code says an essential container exited, but every container shows 143/137 or no exit
 * code: the agent's stop signals hide which one went first.
 */
import { type DiagnosisCase, verdict } from "./case.js";

export const essentialUnnamed: DiagnosisCase = {
  id: "essential-exited-unnamed",
  applies: (f) => f.stopped && f.culprit === undefined && f.task.stopCode === "EssentialContainerExited",
  verdict: (f) =>
    verdict(
      f,
      "essential-exited",
      "An essential container exited and stopped the task, but every container exited 143/137 or has no exit code, so the evidence does not say which one went first.",
    ),
};
