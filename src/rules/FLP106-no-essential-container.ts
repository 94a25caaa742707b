/** Passes when at least one container is essential (or might be, when the value is an intrinsic). */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";

export const FLP106 = defineRule({
  meta: {
    id: "FLP106",
    title: "No essential container",
    severity: "error",
    family: "validity",
    rationale:
      "Every task needs at least one essential container; ECS rejects a task definition without one.",
    sources: [SRC.taskDefinitionParameters],
    fixHint:
      'Mark the application container "essential": true (or remove "essential": false; true is the default).',
    messages: {
      noEssential: "No container of task definition '{{taskDefinition}}' is essential.",
    },
  },
  check(ctx) {
    const { containers, unknownContainers } = ctx.task;
    // A container that cannot be read may be the essential one (FLP200 reports it).
    if (containers.length === 0 || unknownContainers.length > 0) return;
    if (containers.some((c) => c.essential !== false)) return;
    ctx.report({
      messageId: "noEssential",
      data: { taskDefinition: ctx.taskDefinition.id },
      path: ["containerDefinitions"],
    });
  },
});
