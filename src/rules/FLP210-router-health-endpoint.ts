/** Passes when the router's healthCheck does not ask /api/v1/health of a Fluent Bit older than 1.8.7 (or unknown). */
import { healthCheckHitsHealthEndpoint } from "./conditions.js";
import { compareVersions, describeVersion, HEALTH_ENDPOINT_SAFE_FROM } from "./data/router-versions.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath, routerImageOf } from "./util.js";

export const FLP210 = defineRule({
  meta: {
    id: "FLP210",
    title: "Router healthCheck can crash the router (/api/v1/health before 1.8.7)",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "On Fluent Bit 1.8.0–1.8.6, requesting /api/v1/health before the first metrics push dereferences a NULL pointer and kills the router with SIGSEGV (fluent-bit#3983, fixed in 1.8.7 = aws-for-fluent-bit 2.20.0; reproduced on real 1.8.3). A container healthCheck runs right after start, so the check itself can crash an essential router. When the version is unknown, so is the hazard.",
    sources: [
      SRC.fluentBitIssue3983,
      SRC.fluentBitPr4056,
      SRC.firelensHealthCheckExample,
      SRC.awsForFluentBitChangelog,
    ],
    fixHint:
      "Check /api/v1/uptime instead (`curl -f http://127.0.0.1:2020/api/v1/uptime || exit 1`), or pin a router release with Fluent Bit ≥ 1.8.7 (aws-for-fluent-bit ≥ 2.20.0).",
    messages: {
      crashes:
        "Router '{{container}}' runs {{version}} and its healthCheck requests /api/v1/health, which crashes Fluent Bit < 1.8.7 when asked before the first metrics push.",
      unknownVersion:
        "Router '{{container}}' healthCheck requests /api/v1/health, but its Fluent Bit version is unknown ({{reason}}); below 1.8.7 that request can crash it.",
    },
    messageSeverities: { unknownVersion: "warning" },
  },
  check(ctx) {
    const task = ctx.task;
    for (const router of task.firelensContainers) {
      if (!healthCheckHitsHealthEndpoint(router)) continue;
      const img = routerImageOf(task, router);
      if (img.kind === "fluentd") continue;
      const path = cpath(router, "healthCheck", "command");
      if (img.fluentBit === undefined) {
        ctx.report({
          messageId: "unknownVersion",
          data: { container: router.label, reason: img.unknownReason ?? "" },
          path,
          container: router.name,
        });
      } else if (compareVersions(img.fluentBit, HEALTH_ENDPOINT_SAFE_FROM) < 0) {
        ctx.report({
          messageId: "crashes",
          data: { container: router.label, version: describeVersion(img) },
          path,
          container: router.name,
        });
      }
    }
  },
});
