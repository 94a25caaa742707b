/**
 * Passes when no containers wait for each other in a cycle (self-references are FLP102's). The cycles come from
 * the task reading, over every start edge the agent builds (`dependsOn`, `links`, `volumesFrom`).
 */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath } from "./util.js";

export const FLP103 = defineRule({
  meta: {
    id: "FLP103",
    title: "dependsOn forms a cycle",
    severity: "error",
    family: "validity",
    rationale:
      "Containers that wait for each other can never start. The agent cannot resolve a cyclic dependency graph (ValidDependencies fails), so the task never reaches RUNNING.",
    sources: [SRC.containerDependency, SRC.agentGraph],
    fixHint:
      "Break the cycle: remove the dependsOn entry that points back to a container that waits for this one.",
    messages: {
      cycle: "Containers wait for each other in a cycle: {{cycle}}.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    for (const cycle of task.cycles) {
      if (cycle.length < 2) continue;
      const start = task.containers[cycle[0] as number];
      if (start === undefined) continue;
      const names = [...cycle, cycle[0] as number].map((i) => `'${task.nodes[i]?.name}'`);
      ctx.report({
        messageId: "cycle",
        data: { cycle: names.join(" → ") },
        path: cpath(start, "dependsOn"),
        container: start.name,
      });
    }
  },
});
