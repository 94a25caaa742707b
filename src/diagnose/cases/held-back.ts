/**
 * 4. Containers held back by the agent (exit 143, `CannotStartContainerError`) with no failed preflight in
 * view: the gate's container may be missing from the list, or the dependency was another container.
 */
import { isDependencyStop } from "../signals.js";
import { names, trafficPhrase } from "../wording.js";
import { type DiagnosisCase, verdict } from "./case.js";

export const heldBack: DiagnosisCase = {
  id: "held-back",
  applies: (f) =>
    f.stopped &&
    f.heldBack.length > 0 &&
    (f.culprit === undefined || isDependencyStop(f.culprit.exitCode, f.culprit.reason)),
  verdict(f) {
    const held = f.heldBack;
    const many = held.length > 1;
    return verdict(
      f,
      "held-back",
      `${names(held)} ${many ? "were" : "was"} held back by the gate, as designed: the agent stopped ${many ? "them" : "it"} with exit 143 and CannotStartContainerError because a container ${many ? "they depend" : "it depends"} on did not succeed, so the task stopped ${trafficPhrase("before")}.`,
      {
        traffic: "before",
        trafficBasis: "the agent refused to start the held-back containers",
        culprit: held[0]?.name,
        prevention: [
          {
            kind: "advice",
            why: "look at the dependency named in the reason: its exit code says why it did not succeed",
          },
          {
            kind: "rule",
            id: "FLP208",
            why: "with the circuit breaker on, a deploy whose tasks keep failing the gate rolls back",
          },
        ],
      },
    );
  },
};
