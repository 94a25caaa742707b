/** 7. The preflight is essential, so its normal exit (0) stopped the task (FLP204). */

import type { TaskFacts } from "../facts.js";
import { FIX_COMMAND } from "../prevention.js";
import type { ContainerFacts } from "../types.js";
import { q, trafficPhrase } from "../wording.js";
import { type DiagnosisCase, present, verdict } from "./case.js";

function essentialGate(f: TaskFacts): ContainerFacts | undefined {
  const gate = f.preflights.find((p) => p.exitCode === 0 && p.essential === true);
  return gate !== undefined && (f.culprit === undefined || f.culprit === gate) ? gate : undefined;
}

export const essentialPreflight: DiagnosisCase = {
  id: "essential-preflight",
  applies: (f) => f.stopped && essentialGate(f) !== undefined,
  verdict(f) {
    const gate = present(essentialGate(f), "essential-preflight", "an essential preflight");
    return verdict(
      f,
      "essential-exited",
      `The preflight ${q(gate.name)} is essential, so its normal exit (0) stopped the task ${trafficPhrase(f.window)}.`,
      {
        culprit: gate.name,
        prevention: [
          {
            kind: "rule",
            id: "FLP204",
            why: "a preflight must be non-essential: its exit stops the task otherwise",
          },
          { kind: "fix", command: FIX_COMMAND, why: "writes the gate as a non-essential container" },
        ],
      },
    );
  },
};
