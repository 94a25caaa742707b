/**
 * Passes when every preflight's deadline and settle window are durations the probe accepts (its contract's one
 * grammar and range: a deadline from 100ms to 24h, a settle window from 0 to 24h and shorter than the deadline).
 * A probe handed anything else exits 2 (bad configuration) in every task: the gate never opens, and every app
 * that waits for it with SUCCESS is held back, so the service never gets a running task.
 */
import type { ContainerReading } from "../model/index.js";
import {
  DEFAULT_DEADLINE,
  durationProblem,
  PROBE_SETTINGS,
  type ProbeSettingValue,
  parseDurationMs,
  probeSetting,
} from "../probe/contract.js";
import type { JsonPath } from "../taskdef/model.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { arr, cpath } from "./util.js";

type Setting = "deadline" | "settle";

/** Where a finding about one of the gate's settings points: the variable's value, or the flag's list. */
function settingPath(p: ContainerReading, setting: Setting, read: ProbeSettingValue): JsonPath {
  if (read.from === "env") {
    const entry = p.environment.get(PROBE_SETTINGS[setting].env);
    if (entry !== undefined) return cpath(p, "environment", entry.index, "value");
  }
  if (read.from === "flag") {
    const flag = `--${PROBE_SETTINGS[setting].flag}`;
    const inCommand = arr(p.definition.command as unknown).some(
      (a) => typeof a === "string" && (a === flag || a.startsWith(`${flag}=`)),
    );
    return cpath(p, inCommand ? "command" : "entryPoint");
  }
  return cpath(p, "name");
}

export const FLP209 = defineRule({
  meta: {
    id: "FLP209",
    title: "Preflight deadline or settle window the probe refuses",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "The probe accepts a deadline from 100ms to 24h and a settle window from 0 to 24h that is shorter than the deadline. Anything else is a bad configuration: the probe exits 2 in every task before it checks anything, so the gate never opens and every container that waits for it with SUCCESS is held back. The task looks gated, and no deployment ever gets a running task.",
    sources: [SRC.probeSettings, SRC.containerDependency],
    fixHint:
      "Set FIRELENS_PREFLIGHT_DEADLINE (or --deadline) to a duration from 100ms to 24h such as 60s, and FIRELENS_PREFLIGHT_SETTLE (or --settle) below it, such as 1500ms; `firelens-preflight fix --timeout` only writes durations the probe accepts.",
    messages: {
      refused:
        "Preflight '{{container}}' sets its {{setting}} to {{problem}}: the probe exits 2 in every task, so the gate never opens.",
      settleTooLong:
        "Preflight '{{container}}' has a settle window of {{settle}}, not shorter than its deadline of {{deadline}}: the probe exits 2 in every task, so the gate never opens.",
    },
  },
  check(ctx) {
    for (const p of ctx.task.gates) {
      const environment = new Map<string, string | undefined>();
      for (const [name, entry] of p.environment) environment.set(name, entry.value);
      const args = [...arr(p.definition.entryPoint as unknown), ...arr(p.definition.command as unknown)];
      const reads = {
        deadline: probeSetting("deadline", environment, args),
        settle: probeSetting("settle", environment, args),
      };
      let bad = false;
      for (const setting of ["deadline", "settle"] as const) {
        const read = reads[setting];
        if (read.value === undefined) continue;
        const problem = durationProblem(setting, read.value);
        if (problem === undefined) continue;
        bad = true;
        ctx.report({
          messageId: "refused",
          data: { container: p.label, setting, problem },
          path: settingPath(p, setting, read),
          container: p.name,
        });
      }
      // An explicit settle window must fit the deadline (the default one shrinks to fit a short deadline).
      const settle = reads.settle.value;
      if (bad || settle === undefined || reads.deadline.unknown) continue;
      const deadline = reads.deadline.value ?? DEFAULT_DEADLINE;
      const settleMs = parseDurationMs(settle) ?? 0;
      const deadlineMs = parseDurationMs(deadline) ?? Number.POSITIVE_INFINITY;
      if (settleMs < deadlineMs) continue;
      ctx.report({
        messageId: "settleTooLong",
        data: { container: p.label, settle, deadline },
        path: settingPath(p, "settle", reads.settle),
        container: p.name,
      });
    }
  },
});
