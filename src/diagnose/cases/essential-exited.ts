/** 8. Another essential container exited on its own first, and its exit stopped the task. */
import { formatExit, isCrashSignature } from "../signals.js";
import { essentialWording, q, trafficPhrase } from "../wording.js";
import { type DiagnosisCase, present, verdict } from "./case.js";

export const essentialExited: DiagnosisCase = {
  id: "essential-exited",
  applies: (f) =>
    f.stopped &&
    f.culprit !== undefined &&
    (f.task.stopCode === "EssentialContainerExited" || f.culprit.essential === true),
  verdict(f) {
    const culprit = present(f.culprit, "essential-exited", "a culprit");
    const how =
      culprit.exitCode === undefined
        ? "stopped"
        : isCrashSignature(culprit.exitCode)
          ? `crashed (exit ${formatExit(culprit.exitCode)})`
          : `exited ${formatExit(culprit.exitCode)}`;
    return verdict(
      f,
      "essential-exited",
      `${q(culprit.name)} ${how} and, ${essentialWording(culprit, f.task, f.others)}, stopped the task ${trafficPhrase(f.window)}.`,
      { prevention: [{ kind: "advice", why: `read ${q(culprit.name)}'s logs for why it exited` }] },
    );
  },
};
