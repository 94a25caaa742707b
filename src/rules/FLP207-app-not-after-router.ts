/**
 * Passes when every awsfirelens container starts after the router: implicitly (the agent adds a START
 * dependency when the router has no dependsOn) or through explicit dependsOn edges.
 */
import { SRC } from "./sources.js";
import type { Rule } from "./types.js";
import { analyze, arr, cpath, label, reaches } from "./util.js";

export const FLP207: Rule = {
  meta: {
    id: "FLP207",
    title: "awsfirelens container not ordered after the router",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "The ECS agent makes every awsfirelens container wait for the router's START, but only when the router itself has no dependsOn: otherwise it adds no implicit dependency at all (to avoid cycles). Containers can then start, and log, before the router listens; Docker buffers asynchronously and drops beyond its buffer limit.",
    sources: [SRC.agentTask, SRC.firelensTaskDef, SRC.containerDependency],
    fixHint:
      "Remove the router's dependsOn (preferred), or give every awsfirelens container an explicit START dependency on the router.",
    messages: {
      notAfterRouter:
        "Container '{{container}}' logs through '{{router}}' but is not ordered after it: the router has a dependsOn, so ECS adds no implicit START dependency.",
    },
  },
  check(ctx) {
    const a = analyze(ctx.taskDefinition);
    const router = a.router;
    if (router === undefined) return;
    if (arr(router.definition.dependsOn as unknown).length === 0) return;
    for (const c of a.firelensUsers) {
      if (c === router || reaches(a, c, router)) continue;
      const hasDeps = (a.deps[c.index] ?? []).length > 0;
      ctx.report({
        messageId: "notAfterRouter",
        data: { container: label(c), router: label(router) },
        path: hasDeps ? cpath(c, "dependsOn") : cpath(c, "logConfiguration", "logDriver"),
        container: c.name,
      });
    }
  },
};
