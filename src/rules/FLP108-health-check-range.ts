/** Passes when healthCheck interval, timeout, retries and startPeriod are within ECS's ranges. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath, isObject, num } from "./util.js";

const RANGES = [
  { field: "interval", min: 5, max: 300, unit: " s" },
  { field: "timeout", min: 2, max: 60, unit: " s" },
  { field: "retries", min: 1, max: 10, unit: "" },
  { field: "startPeriod", min: 0, max: 300, unit: " s" },
] as const;

export const FLP108 = defineRule({
  meta: {
    id: "FLP108",
    title: "healthCheck value out of range",
    severity: "error",
    family: "validity",
    rationale:
      "ECS accepts healthCheck interval 5–300 s, timeout 2–60 s, retries 1–10 and startPeriod 0–300 s; other values are rejected at registration.",
    sources: [SRC.healthCheck],
    fixHint: "Bring the value into range (ECS defaults: interval 30, timeout 5, retries 3; startPeriod off).",
    messages: {
      outOfRange:
        "Container '{{container}}' healthCheck.{{field}} is {{value}}; ECS allows {{min}}–{{max}}{{unit}}.",
      notInteger: "Container '{{container}}' healthCheck.{{field}} is {{value}}; ECS expects a whole number.",
    },
  },
  check(ctx) {
    for (const c of ctx.task.containers) {
      const hc: unknown = c.definition.healthCheck;
      if (!isObject(hc)) continue;
      for (const r of RANGES) {
        const raw = hc[r.field];
        const v = num(raw);
        if (v === undefined) continue;
        const data = { container: c.label, field: r.field, value: v, min: r.min, max: r.max, unit: r.unit };
        const path = cpath(c, "healthCheck", r.field);
        if (!Number.isInteger(v)) ctx.report({ messageId: "notInteger", data, path, container: c.name });
        else if (v < r.min || v > r.max)
          ctx.report({ messageId: "outOfRange", data, path, container: c.name });
      }
    }
  },
});
