/** Passes when startTimeout / stopTimeout fit the launch types the task is registered for. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { arr, cpath, num, str } from "./util.js";

interface Limit {
  readonly min: number;
  readonly max: number;
  readonly why: string;
}

function limits(compat: readonly string[]): { start: Limit; stop: Limit } {
  // Without a documented EC2 ceiling, only negative values are certain to be wrong there.
  let start: Limit = { min: 0, max: Number.POSITIVE_INFINITY, why: "" };
  let stop: Limit = { min: 0, max: Number.POSITIVE_INFINITY, why: "" };
  if (compat.includes("MANAGED_INSTANCES")) {
    start = { min: 0, max: 600, why: " on Managed Instances" };
    stop = { min: 0, max: 86400, why: " on Managed Instances" };
  }
  if (compat.includes("FARGATE")) {
    start = { min: 2, max: 120, why: " on Fargate" };
    stop = { min: 0, max: 120, why: " on Fargate" };
  }
  return { start, stop };
}

export const FLP109 = defineRule({
  meta: {
    id: "FLP109",
    title: "startTimeout or stopTimeout out of range",
    severity: "error",
    family: "validity",
    rationale:
      "On Fargate startTimeout must be 2–120 s and stopTimeout at most 120 s; on Managed Instances startTimeout is at most 600 s and stopTimeout at most 86400 s. Timeouts are never negative.",
    sources: [SRC.containerDefinition, SRC.taskDefinitionParameters],
    fixHint: "Bring the timeout into the range of the task's launch type.",
    messages: {
      outOfRange: "Container '{{container}}' {{field}} is {{value}} s; ECS allows {{range}}{{why}}.",
    },
  },
  check(ctx) {
    const containers = ctx.task.containers;
    if (
      !containers.some(
        (c) => c.definition.startTimeout !== undefined || c.definition.stopTimeout !== undefined,
      )
    )
      return;
    const compat = arr(ctx.taskDefinition.taskDefinition.requiresCompatibilities as unknown)
      .map(str)
      .filter((s): s is string => s !== undefined)
      .map((s) => s.toUpperCase());
    const lim = limits(compat);
    for (const c of ctx.task.containers) {
      for (const [field, l] of [
        ["startTimeout", lim.start],
        ["stopTimeout", lim.stop],
      ] as const) {
        const v = num(c.definition[field] as unknown);
        if (v === undefined || (v >= l.min && v <= l.max && Number.isInteger(v))) continue;
        const range = l.max === Number.POSITIVE_INFINITY ? `whole numbers ≥ ${l.min}` : `${l.min}–${l.max} s`;
        ctx.report({
          messageId: "outOfRange",
          data: { container: c.label, field, value: v, range, why: l.why },
          path: cpath(c, field),
          container: c.name,
        });
      }
    }
  },
});
