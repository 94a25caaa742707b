/** Passes when at least one container is essential (or might be, when the value is an intrinsic). */
import { SRC } from "./sources.js";
import type { Rule } from "./types.js";
import { essentialOf } from "./util.js";

export const FLP106: Rule = {
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
    const td = ctx.taskDefinition;
    if (td.containers.length === 0) return;
    if (td.containers.some((c) => essentialOf(c.definition) !== false)) return;
    ctx.report({ messageId: "noEssential", data: { taskDefinition: td.id }, path: ["containerDefinitions"] });
  },
};
