/** 2. The container that exited first was killed for its memory (`OutOfMemoryError`). */
import { formatExit, isOutOfMemory } from "../signals.js";
import type { Prevention } from "../types.js";
import { essentialWording, q, trafficPhrase } from "../wording.js";
import { type DiagnosisCase, present, verdict } from "./case.js";

export const outOfMemory: DiagnosisCase = {
  id: "out-of-memory",
  applies: (f) => f.stopped && f.culprit !== undefined && isOutOfMemory(f.culprit.reason),
  verdict(f) {
    const culprit = present(f.culprit, "out-of-memory", "a culprit");
    const stoppedIt =
      culprit.essential === false
        ? "; it is not essential, so the task did not stop because of it"
        : ` and, ${essentialWording(culprit, f.task, f.others)}, stopped the task ${trafficPhrase(f.window)}`;
    const prevention: Prevention[] = [
      {
        kind: "advice",
        why: `raise the memory limit of ${q(culprit.name)} (container \`memory\`, or the task's memory) or lower its usage${culprit.role === "router" ? "; for the router, bound Fluent Bit's buffers (Mem_Buf_Limit) as in the FireLens oomkill-prevention example" : ""}`,
      },
    ];
    if (culprit.role === "router" && !f.gateHeld) {
      prevention.push({
        kind: "rule",
        id: "FLP201",
        why: "gate the apps so a router that dies early stops the task before traffic",
      });
    }
    const exit = culprit.exitCode === undefined ? "no exit code" : `exit ${formatExit(culprit.exitCode)}`;
    return verdict(
      f,
      "out-of-memory",
      `${q(culprit.name)} ran out of memory: it was killed (${exit}, OutOfMemoryError)${stoppedIt}.`,
      { prevention },
    );
  },
};
