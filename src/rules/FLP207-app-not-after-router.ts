/**
 * Passes when every awsfirelens container starts after the router: implicitly (the agent adds a START
 * dependency when the router has no dependsOn) or through explicit dependsOn edges.
 */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath, waitsOn } from "./util.js";

export const FLP207 = defineRule({
  meta: {
    id: "FLP207",
    title: "awsfirelens container not ordered after the router",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "The ECS agent makes every awsfirelens container wait for the router's START, but only when the router itself has no dependency: a dependsOn, links, volumesFrom, or Service Connect (which makes every container wait for its proxy) each make it add no implicit dependency at all (to avoid cycles). Containers can then start, and log, before the router listens; Docker buffers asynchronously and drops beyond its buffer limit.",
    sources: [SRC.agentTask, SRC.firelensTaskDef, SRC.containerDependency],
    fixHint:
      "Remove the router's dependsOn (preferred), or give every awsfirelens container an explicit START dependency on the router.",
    messages: {
      notAfterRouter:
        "Container '{{container}}' logs through '{{router}}' but is not ordered after it: the router has start dependencies of its own ({{because}}), so ECS adds no implicit START dependency.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    const router = task.router;
    // While the agent adds its implicit START edges, every awsfirelens container already starts after the router.
    if (router === undefined || task.firelensEdges.kind !== "dropped") return;
    for (const c of task.firelensUsers) {
      if (c === router || waitsOn(task, c, router)) continue;
      ctx.report({
        messageId: "notAfterRouter",
        data: { container: c.label, router: router.label, because: task.firelensEdges.because.join(", ") },
        path: c.dependsOn.length > 0 ? cpath(c, "dependsOn") : cpath(c, "logConfiguration", "logDriver"),
        container: c.name,
      });
    }
  },
});
