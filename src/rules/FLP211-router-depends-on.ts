/** Passes when the FireLens router has no dependsOn. */
import { SRC } from "./sources.js";
import type { Rule } from "./types.js";
import { analyze, arr, cpath, label } from "./util.js";

export const FLP211: Rule = {
  meta: {
    id: "FLP211",
    title: "Router has a dependsOn",
    severity: "warning",
    family: "deploy-safety",
    rationale:
      "When the FireLens container has any dependsOn, the ECS agent adds no implicit START dependency from awsfirelens containers on it (to avoid cycles) and only logs a warning. Every app then needs its own explicit dependency on the router, and a gate that waits for the router can deadlock if the router waits for something gated.",
    sources: [SRC.agentTask, SRC.firelensTaskDef],
    fixHint: "Remove the router's dependsOn; order other containers after the router instead.",
    messages: {
      routerDependsOn:
        "Router '{{container}}' has a dependsOn ({{targets}}): ECS then drops the implicit START dependency of every awsfirelens container on it.",
    },
  },
  check(ctx) {
    const a = analyze(ctx.taskDefinition);
    for (const router of a.routers) {
      if (arr(router.definition.dependsOn as unknown).length === 0) continue;
      const targets = (a.deps[router.index] ?? []).map((d) =>
        `${d.containerName ?? "?"} ${d.condition ?? ""}`.trim(),
      );
      ctx.report({
        messageId: "routerDependsOn",
        data: { container: label(router), targets: targets.join(", ") || "unknown" },
        path: cpath(router, "dependsOn"),
        container: router.name,
      });
    }
  },
};
