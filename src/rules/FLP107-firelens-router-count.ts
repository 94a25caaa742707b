/** Passes when `awsfirelens` is used with exactly one FireLens container, and a FireLens container has users. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath, quoteList } from "./util.js";

export const FLP107 = defineRule({
  meta: {
    id: "FLP107",
    title: "awsfirelens without exactly one FireLens container",
    severity: "error",
    family: "validity",
    rationale:
      "The awsfirelens log driver sends logs to the task's one FireLens container (the one with firelensConfiguration). ECS rejects awsfirelens without such a container, and a firelensConfiguration that no container logs to. With several, the agent silently picks the last one for its implicit START dependencies.",
    sources: [
      SRC.firelensConfiguration,
      SRC.firelensTaskDef,
      SRC.fargateIssue60,
      SRC.cwlFluentBitIssue20,
      SRC.agentTask,
    ],
    fixHint:
      "Keep exactly one log router container with firelensConfiguration, and log at least one container through awsfirelens.",
    messages: {
      missingRouter:
        "Container '{{container}}' logs through awsfirelens, but no container has a firelensConfiguration.",
      multipleRouters:
        "Several containers have a firelensConfiguration ({{routers}}); a task can have only one.",
      unusedRouter:
        "Container '{{container}}' has a firelensConfiguration, but no container logs through awsfirelens.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    const first = task.firelensUsers[0];
    // A container that cannot be read may be the router (FLP200 reports it).
    if (task.firelensContainers.length === 0 && first !== undefined && task.unknownContainers.length === 0) {
      ctx.report({
        messageId: "missingRouter",
        data: { container: first.label },
        path: cpath(first, "logConfiguration", "logDriver"),
        container: first.name,
      });
    }
    const second = task.firelensContainers[1];
    if (second !== undefined) {
      ctx.report({
        messageId: "multipleRouters",
        data: { routers: quoteList(task.firelensContainers.map((c) => c.label)) },
        path: cpath(second, "firelensConfiguration"),
        container: second.name,
      });
    }
    const router = task.router;
    if (router !== undefined && task.firelensUsers.length === 0) {
      ctx.report({
        messageId: "unusedRouter",
        data: { container: router.label },
        path: cpath(router, "firelensConfiguration"),
        container: router.name,
      });
    }
  },
});
