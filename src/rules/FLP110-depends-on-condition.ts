/** Passes when every `dependsOn` entry has one of the four conditions ECS knows. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath } from "./util.js";

const CONDITIONS = new Set(["START", "COMPLETE", "SUCCESS", "HEALTHY"]);

export const FLP110 = defineRule({
  meta: {
    id: "FLP110",
    title: "dependsOn condition missing or unknown",
    severity: "error",
    family: "validity",
    rationale:
      "A dependency needs a condition, one of START, COMPLETE, SUCCESS or HEALTHY; ECS rejects anything else. (CDK defaults a missing condition to HEALTHY, the API does not.)",
    sources: [SRC.containerDependency, SRC.taskDefinitionParameters],
    fixHint: "Set condition to START, COMPLETE, SUCCESS or HEALTHY.",
    messages: {
      missingCondition: "Container '{{container}}' depends on '{{target}}' without a condition.",
      unknownCondition:
        "Container '{{container}}' depends on '{{target}}' with condition '{{condition}}'; ECS knows START, COMPLETE, SUCCESS and HEALTHY.",
    },
  },
  check(ctx) {
    for (const c of ctx.task.containers) {
      for (const d of c.dependsOn) {
        if (d.conditionUnknown || d.malformed) continue;
        const data = { container: c.label, target: d.target ?? "?", condition: d.condition ?? "" };
        if (d.condition === undefined) {
          ctx.report({
            messageId: "missingCondition",
            data,
            path: cpath(c, "dependsOn", d.index),
            container: c.name,
          });
        } else if (!CONDITIONS.has(d.condition)) {
          ctx.report({
            messageId: "unknownCondition",
            data,
            path: cpath(c, "dependsOn", d.index, "condition"),
            container: c.name,
          });
        }
      }
    }
  },
});
