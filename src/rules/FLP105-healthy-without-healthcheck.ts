/** Passes when every HEALTHY dependency targets a container with a healthCheck. */
import { SRC } from "./sources.js";
import type { Rule } from "./types.js";
import { analyze, cpath, label } from "./util.js";

export const FLP105: Rule = {
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
    const a = analyze(ctx.taskDefinition);
    for (const c of a.containers) {
      for (const d of a.deps[c.index] ?? []) {
        if (d.condition !== "HEALTHY") continue;
        const target = d.containerName === undefined ? undefined : a.byName.get(d.containerName);
        if (target === undefined) continue;
        const hc: unknown = target.definition.healthCheck;
        if (hc !== undefined && hc !== null) continue;
        ctx.report({
          messageId: "noHealthCheck",
          data: { container: label(c), target: label(target) },
          path: cpath(c, "dependsOn", d.index, "condition"),
          container: c.name,
        });
      }
    }
  },
};
