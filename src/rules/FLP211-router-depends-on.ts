/**
 * Passes when the FireLens router has no start dependencies of its own, or when it has some but every
 * awsfirelens container is ordered after the router anyway: the agent drops only the implicit START edges of
 * containers that do not already wait on the router (`addFirelensContainerDependency`,
 * agent/api/task/task.go), and a container that waits on it through `dependsOn` needs no implicit edge.
 */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath, quoteList, waitsOn } from "./util.js";

export const FLP211 = defineRule({
  meta: {
    id: "FLP211",
    title: "Router has start dependencies of its own",
    severity: "warning",
    family: "deploy-safety",
    rationale:
      "When the FireLens container has any dependency of its own, the ECS agent adds no implicit START dependency from awsfirelens containers on it (to avoid cycles) and only logs a warning. Its own `dependsOn` counts, and so do the orderings the agent adds first: `links` and `volumesFrom` become dependencies, and with Service Connect every container (the router too) waits for the Service Connect proxy. Every app then needs its own explicit dependency on the router, and a gate that waits for the router can deadlock if the router waits for something gated.",
    sources: [SRC.agentTask, SRC.firelensTaskDef],
    fixHint:
      "Remove the router's dependsOn, links and volumesFrom; order other containers after the router instead. With Service Connect, give every awsfirelens container an explicit START dependency on the router.",
    messages: {
      routerDependsOn:
        "Router '{{container}}' has a dependsOn ({{targets}}): ECS then adds no implicit START dependency on it, and nothing else orders {{apps}} after it.",
      routerOrdered:
        "Router '{{container}}' waits for {{targets}} (from {{sources}}): ECS then adds no implicit START dependency on it, and nothing else orders {{apps}} after it.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    const router = task.router;
    if (router === undefined || task.firelensEdges.kind !== "dropped") return;
    // The edges the agent would have added and that no explicit ordering replaces (FLP207 names each container).
    const unordered = task.firelensUsers.filter((c) => c !== router && !waitsOn(task, c, router));
    if (unordered.length === 0) return;
    const own = task.edges.filter((e) => e.from === router.index);
    const targets = own.map((e) => `${task.nodes[e.to]?.name ?? "?"} ${e.condition}`);
    const because = task.firelensEdges.because;
    ctx.report({
      messageId: because.includes("dependsOn") ? "routerDependsOn" : "routerOrdered",
      data: {
        container: router.label,
        targets: targets.join(", ") || "unknown",
        sources: because.join(", "),
        apps: quoteList(unordered.map((c) => c.label)),
      },
      path: because.includes("dependsOn")
        ? cpath(router, "dependsOn")
        : because.includes("links")
          ? cpath(router, "links")
          : because.includes("volumesFrom")
            ? cpath(router, "volumesFrom")
            : cpath(router, "name"),
      container: router.name,
    });
  },
});
