/** Passes when every `dependsOn` entry names a container of the same task definition. */
import { SRC } from "./sources.js";
import type { Rule } from "./types.js";
import { analyze, cpath, label } from "./util.js";

export const FLP101: Rule = {
  meta: {
    id: "FLP101",
    title: "dependsOn names a container that does not exist",
    severity: "error",
    family: "validity",
    rationale:
      "ECS rejects the registration ('Cannot depend on container … because it does not exist'), and an agent that meets such a graph treats the dependency as terminal: the dependent container is stopped with exit 143 before it starts.",
    sources: [SRC.taskDefinitionParameters, SRC.containerDependency, SRC.hakoPr99, SRC.agentGraph],
    fixHint: "Correct the containerName (names are case-sensitive) or remove the dependency.",
    messages: {
      unknownContainer:
        "Container '{{container}}' depends on '{{target}}', which is not a container of this task.",
      missingName: "Container '{{container}}' has a dependsOn entry without a containerName.",
    },
  },
  check(ctx) {
    const a = analyze(ctx.taskDefinition);
    for (const c of a.containers) {
      for (const d of a.deps[c.index] ?? []) {
        if (d.nameUnknown) continue;
        if (d.containerName === undefined) {
          ctx.report({
            messageId: "missingName",
            data: { container: label(c) },
            path: cpath(c, "dependsOn", d.index),
            container: c.name,
          });
        } else if (!a.byName.has(d.containerName)) {
          ctx.report({
            messageId: "unknownContainer",
            data: { container: label(c), target: d.containerName },
            path: cpath(c, "dependsOn", d.index, "containerName"),
            container: c.name,
          });
        }
      }
    }
  },
};
