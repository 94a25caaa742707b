/**
 * 3. The preflight exited non-zero, so the agent refused to start the apps that wait for its SUCCESS: the
 * gate failed the task on purpose, before traffic. Its exit code says why (the probe's contract).
 */
import { crashTriggerRules } from "../prevention.js";
import { formatExit, isCrashSignature, preflightExitMeaning, probeReasonOf } from "../signals.js";
import type { Prevention } from "../types.js";
import { names, q, trafficPhrase, withNote } from "../wording.js";
import { type DiagnosisCase, present, verdict } from "./case.js";

export const gateFailed: DiagnosisCase = {
  id: "gate-failed",
  applies: (f) =>
    f.stopped &&
    f.gateFailed !== undefined &&
    (f.culprit === f.gateFailed || f.heldBack.length > 0 || f.culprit === undefined),
  verdict(f) {
    const gate = present(f.gateFailed, "gate-failed", "a failed gate");
    const { router, heldBack } = f;
    const code = gate.exitCode ?? 1;
    const probe = probeReasonOf(gate.reason);
    const held = heldBack.length > 0 ? heldBack : f.apps.filter((a) => a.exitCode === undefined);
    const heldText =
      held.length > 0
        ? `, so the agent never started ${names(held)}${heldBack.length > 0 ? " (exit 143, CannotStartContainerError)" : ""}`
        : "";
    const lead =
      code === 1 || code === 3
        ? "The gate failed the task on purpose"
        : code === 2
          ? "The gate stopped the task because the probe is misconfigured"
          : "The gate failed the task";
    const prevention: Prevention[] = [];
    if (code === 2) {
      prevention.push({
        kind: "advice",
        why: "check the preflight's FIRELENS_PREFLIGHT_* settings; exit 2 means the probe refused its configuration",
      });
    } else {
      prevention.push({
        kind: "advice",
        why: "the gate did its job: the router or its output path was not healthy; find out why from the probe's result line",
      });
      if (router !== undefined) {
        prevention.push(
          {
            kind: "rule",
            id: "FLP202",
            why: `router versions with known first-flush crash bugs (this task ran ${router.image ?? "an unknown image"})`,
          },
          ...crashTriggerRules(f.td, router.name),
        );
      }
    }
    if (probe === undefined) {
      prevention.push({
        kind: "fix",
        command: "firelens-preflight fix --probe-logs awslogs:<group> <task-definition>",
        why: "sends the probe's own output to CloudWatch Logs, so the reason for a failed gate survives a router crash",
      });
    }
    const reasonText =
      probe === undefined
        ? ""
        : ` with "${probe.reason}"${probe.level === undefined ? "" : ` (level reached: ${probe.level})`}`;
    const routerCrashed =
      router !== undefined && isCrashSignature(router.exitCode)
        ? `; the router ${q(router.name)} exited ${withNote(router.exitCode ?? 0, "a crash signature")} during the check`
        : "";
    return verdict(
      f,
      "gate-failed",
      `${lead}: the preflight ${q(gate.name)} exited ${formatExit(code)} (${preflightExitMeaning(code)})${reasonText}${heldText}, and the task stopped ${trafficPhrase(f.window)}${routerCrashed}.`,
      { prevention, culprit: gate.name },
    );
  },
};
