/** Passes when no container lists itself in its own `dependsOn`. */
import { SRC } from "./sources.js";
import type { Rule } from "./types.js";
import { analyze, cpath, label } from "./util.js";

export const FLP102: Rule = {
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
    const a = analyze(ctx.taskDefinition);
    for (const c of a.containers) {
      if (c.name === undefined) continue;
      for (const d of a.deps[c.index] ?? []) {
        if (d.containerName !== c.name) continue;
        ctx.report({
          messageId: "selfDependency",
          data: { container: label(c), condition: d.condition ?? "no condition" },
          path: cpath(c, "dependsOn", d.index, "containerName"),
          container: c.name,
        });
      }
    }
  },
};
