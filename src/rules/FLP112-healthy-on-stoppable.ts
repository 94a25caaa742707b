/**
 * Passes when no container waits HEALTHY on a container that can stop on its own: a non-essential container, a
 * gate, or anything another container waits on with SUCCESS or COMPLETE.
 */
import type { ContainerReading, TaskReading } from "../model/index.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath } from "./util.js";

/** Why `target` can stop without stopping the task, or `undefined` when it cannot. */
function canStop(task: TaskReading, target: ContainerReading): string | undefined {
  if (task.gates.includes(target)) return "it is a gate, which exits once it is done";
  if (target.essential === false) return "it is not essential, so it can exit while the task goes on";
  const exitWaiter = task.edges.find(
    (e) => e.to === target.index && (e.condition === "SUCCESS" || e.condition === "COMPLETE"),
  );
  if (exitWaiter !== undefined) {
    return `'${task.nodes[exitWaiter.from]?.name}' waits for it to ${exitWaiter.condition === "SUCCESS" ? "succeed" : "complete"}, so it is meant to exit`;
  }
  return undefined;
}

export const FLP112 = defineRule({
  meta: {
    id: "FLP112",
    title: "HEALTHY dependency on a container that can stop",
    severity: "error",
    family: "validity",
    rationale:
      "The agent stops a waiter with exit 143 only when what it waits for can never start or failed a SUCCESS condition. A container that ran and stopped without ever being HEALTHY is neither: once it has stopped, its start timeout no longer applies (hasDependencyTimedOut is skipped for a stopped dependency), so the HEALTHY waiter is blocked forever. The task never reaches RUNNING, and since no essential container stopped, nothing stops it: the deployment hangs instead of failing.",
    sources: [SRC.agentGraph, SRC.agentPr3218, SRC.containerDependency, SRC.healthCheck],
    fixHint:
      "Wait for START (or SUCCESS on a gate) instead of HEALTHY, or make the container waited for essential so that its exit stops the task.",
    messages: {
      healthyOnStoppable:
        "Container '{{container}}' waits for '{{target}}' to be HEALTHY, but '{{target}}' can stop ({{why}}): if it stops before it is healthy, '{{container}}' never starts and the task hangs before RUNNING with nothing to stop it.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    for (const c of task.containers) {
      for (const d of c.dependsOn) {
        if (d.condition !== "HEALTHY") continue;
        const target = d.target === undefined ? undefined : task.byName.get(d.target);
        // Without a healthCheck the dependency can never be met at all: FLP105 says so.
        if (target === undefined || target === c || !target.hasHealthCheck) continue;
        const why = canStop(task, target);
        if (why === undefined) continue;
        ctx.report({
          messageId: "healthyOnStoppable",
          data: { container: c.label, target: target.label, why },
          path: cpath(c, "dependsOn", d.index, "condition"),
          container: c.name,
        });
      }
    }
  },
});
