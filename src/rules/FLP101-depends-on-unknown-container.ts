/** Passes when every `dependsOn` entry names a container of the same task definition. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath } from "./util.js";

export const FLP101 = defineRule({
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
    const task = ctx.task;
    for (const c of task.containers) {
      for (const d of c.dependsOn) {
        if (d.targetUnknown || d.malformed) continue;
        if (d.target === undefined) {
          ctx.report({
            messageId: "missingName",
            data: { container: c.label },
            path: cpath(c, "dependsOn", d.index),
            container: c.name,
          });
        } else if (!task.byName.has(d.target) && task.unknownContainers.length === 0) {
          ctx.report({
            messageId: "unknownContainer",
            data: { container: c.label, target: d.target },
            path: cpath(c, "dependsOn", d.index, "containerName"),
            container: c.name,
          });
        }
      }
    }
  },
});
