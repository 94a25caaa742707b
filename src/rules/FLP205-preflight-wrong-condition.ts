/** Passes when every container that waits for a preflight waits for its SUCCESS. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath } from "./util.js";

export const FLP205 = defineRule({
  meta: {
    id: "FLP205",
    title: "Container waits for the preflight with the wrong condition",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "Only SUCCESS makes the gate hold: the agent starts the dependent only after the preflight exits 0, and stops it (exit 143, CannotStartContainerError) when the preflight exits non-zero. START opens the gate as soon as the preflight starts; COMPLETE opens it whatever the exit code; HEALTHY needs a healthCheck and does not wait for the verdict.",
    sources: [SRC.containerDependency, SRC.agentGraph, SRC.agentPr3218],
    fixHint: "Change the condition on the preflight to SUCCESS.",
    fixable: "gate",
    messages: {
      wrongCondition:
        "Container '{{container}}' waits for preflight '{{preflight}}' with {{condition}}; only SUCCESS keeps it from starting when the preflight fails.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    for (const c of task.containers) {
      for (const d of c.dependsOn) {
        const target = d.target === undefined ? undefined : task.byName.get(d.target);
        if (target === undefined || target === c || target.role !== "gate") continue;
        if (d.condition !== "START" && d.condition !== "COMPLETE" && d.condition !== "HEALTHY") continue;
        ctx.report({
          messageId: "wrongCondition",
          data: { container: c.label, preflight: target.label, condition: d.condition },
          path: cpath(c, "dependsOn", d.index, "condition"),
          container: c.name,
        });
      }
    }
  },
});
