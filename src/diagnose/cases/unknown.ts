/** Last: a stopped task whose evidence matches no chain above. */
import { type DiagnosisCase, verdict } from "./case.js";

export const unknown: DiagnosisCase = {
  id: "unknown",
  applies: (f) => f.stopped,
  verdict: (f) =>
    verdict(
      f,
      "unknown",
      `The task stopped${f.task.stoppedReason === undefined ? "" : ` ("${f.task.stoppedReason}")`} and the evidence does not match a known chain.`,
    ),
};
