/** Passes when every preflight container is `essential: false`. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath } from "./util.js";

export const FLP204 = defineRule({
  meta: {
    id: "FLP204",
    title: "Preflight container is essential",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "The preflight exits when its check is done. An essential container that exits stops the whole task, even on success, and ECS rejects SUCCESS dependencies on essential containers. The preflight must be `essential: false` (essential defaults to true when omitted).",
    sources: [SRC.taskDefinitionParameters, SRC.containerDependency, SRC.boto3Issue2436],
    fixHint: 'Set "essential": false on the preflight container.',
    fixable: "gate",
    messages: {
      essential: "Preflight '{{container}}' is essential: its normal exit would stop the task.",
      essentialByDefault:
        "Preflight '{{container}}' does not set essential, which means true: its normal exit would stop the task.",
    },
  },
  check(ctx) {
    for (const p of ctx.task.gates) {
      if (p.essential !== true) continue;
      const omitted = (p.definition.essential as unknown) === undefined;
      ctx.report({
        messageId: omitted ? "essentialByDefault" : "essential",
        data: { container: p.label },
        path: omitted ? cpath(p, "name") : cpath(p, "essential"),
        container: p.name,
      });
    }
  },
});
