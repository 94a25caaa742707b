/** Passes when every SUCCESS/COMPLETE dependency targets a non-essential container. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath } from "./util.js";

export const FLP104 = defineRule({
  meta: {
    id: "FLP104",
    title: "SUCCESS or COMPLETE dependency on an essential container",
    severity: "error",
    family: "validity",
    rationale:
      "A container that must exit before another starts cannot be essential: its exit would stop the whole task. ECS rejects the registration ('A dependency container with SUCCESS or COMPLETE condition cannot be an essential container'). `essential` defaults to true when omitted.",
    sources: [SRC.taskDefinitionParameters, SRC.containerDependency, SRC.boto3Issue2436],
    fixHint:
      'Set "essential": false on the container being waited for (for a preflight gate that is always right).',
    fixable: "gate",
    messages: {
      essentialTarget:
        "Container '{{container}}' waits for '{{target}}' to {{condition}}, but '{{target}}' is essential{{byDefault}}.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    for (const c of task.containers) {
      for (const d of c.dependsOn) {
        if (d.condition !== "SUCCESS" && d.condition !== "COMPLETE") continue;
        const target = d.target === undefined ? undefined : task.byName.get(d.target);
        if (target === undefined || target.essential !== true) continue;
        const omitted = (target.definition.essential as unknown) === undefined;
        ctx.report({
          messageId: "essentialTarget",
          data: {
            container: c.label,
            target: target.label,
            condition: d.condition === "SUCCESS" ? "exit with SUCCESS" : "COMPLETE",
            byDefault: omitted ? " (essential is omitted, which means true)" : "",
          },
          path: cpath(c, "dependsOn", d.index, "condition"),
          container: c.name,
        });
      }
    }
  },
});
