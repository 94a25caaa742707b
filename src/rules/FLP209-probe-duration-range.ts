/**
 * Passes when every preflight's deadline and settle window are durations the probe accepts (its contract's one
 * grammar and range: a deadline from 100ms to 24h, a settle window from 0 to 24h and shorter than the deadline).
 * A probe handed anything else exits 2 (bad configuration) in every task: the gate never opens, and every app
 * that waits for it with SUCCESS is held back, so the service never gets a running task.
 */
import { gateSettingProblems } from "../model/index.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";

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
    // The model's reading of the gate's settings, checked against the probe's own range (its contract).
    for (const p of ctx.task.gates) {
      for (const problem of gateSettingProblems(p)) {
        if (problem.kind === "refused") {
          ctx.report({
            messageId: "refused",
            data: { container: p.label, setting: problem.setting, problem: problem.problem },
            path: problem.path,
            container: p.name,
          });
        } else {
          ctx.report({
            messageId: "settleTooLong",
            data: { container: p.label, settle: problem.settle ?? "", deadline: problem.deadline },
            path: problem.path,
            container: p.name,
          });
        }
      }
    }
  },
});
