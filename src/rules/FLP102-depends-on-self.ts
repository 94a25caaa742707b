/** Passes when no container lists itself in its own `dependsOn`. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath } from "./util.js";

export const FLP102 = defineRule({
  meta: {
    id: "FLP102",
    title: "Container depends on itself",
    severity: "error",
    family: "validity",
    rationale:
      "A container cannot wait for its own START, SUCCESS, COMPLETE or HEALTHY: the agent can never resolve the dependency, so the container never starts (older agents leave it PENDING forever, newer ones stop it with exit 143).",
    sources: [SRC.containerDependency, SRC.agentGraph, SRC.agentPr3218],
    fixHint: "Remove the self-reference from dependsOn.",
    messages: {
      selfDependency: "Container '{{container}}' depends on itself ({{condition}}).",
    },
  },
  check(ctx) {
    for (const c of ctx.task.containers) {
      if (c.name === undefined) continue;
      for (const d of c.dependsOn) {
        if (d.target !== c.name) continue;
        ctx.report({
          messageId: "selfDependency",
          data: { container: c.label, condition: d.condition ?? "no condition" },
          path: cpath(c, "dependsOn", d.index, "containerName"),
          container: c.name,
        });
      }
    }
  },
});
