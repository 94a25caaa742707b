/** Passes when every HEALTHY dependency targets a container with a healthCheck. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath } from "./util.js";

export const FLP105 = defineRule({
  meta: {
    id: "FLP105",
    title: "HEALTHY dependency on a container without healthCheck",
    severity: "error",
    family: "validity",
    rationale:
      "HEALTHY requires a healthCheck on the container being waited for. Without one its health stays UNKNOWN, the agent can never resolve the dependency, and the dependent container never starts.",
    sources: [SRC.taskDefinitionParameters, SRC.healthCheck, SRC.agentGraph],
    fixHint: "Add a healthCheck to the container being waited for, or wait for START instead.",
    messages: {
      noHealthCheck:
        "Container '{{container}}' waits for '{{target}}' to be HEALTHY, but '{{target}}' has no healthCheck.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    for (const c of task.containers) {
      for (const d of c.dependsOn) {
        if (d.condition !== "HEALTHY") continue;
        const target = d.target === undefined ? undefined : task.byName.get(d.target);
        if (target === undefined || target.hasHealthCheck) continue;
        ctx.report({
          messageId: "noHealthCheck",
          data: { container: c.label, target: target.label },
          path: cpath(c, "dependsOn", d.index, "condition"),
          container: c.name,
        });
      }
    }
  },
});
