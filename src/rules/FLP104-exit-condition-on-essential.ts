/** Passes when every SUCCESS/COMPLETE dependency targets a non-essential container. */
import { SRC } from "./sources.js";
import type { Rule } from "./types.js";
import { analyze, cpath, essentialOf, label } from "./util.js";

export const FLP104: Rule = {
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
    const a = analyze(ctx.taskDefinition);
    for (const c of a.containers) {
      for (const d of a.deps[c.index] ?? []) {
        if (d.condition !== "SUCCESS" && d.condition !== "COMPLETE") continue;
        const target = d.containerName === undefined ? undefined : a.byName.get(d.containerName);
        if (target === undefined || essentialOf(target.definition) !== true) continue;
        const omitted = (target.definition.essential as unknown) === undefined;
        ctx.report({
          messageId: "essentialTarget",
          data: {
            container: label(c),
            target: label(target),
            condition: d.condition === "SUCCESS" ? "exit with SUCCESS" : "COMPLETE",
            byDefault: omitted ? " (essential is omitted, which means true)" : "",
          },
          path: cpath(c, "dependsOn", d.index, "condition"),
          container: c.name,
        });
      }
    }
  },
};
