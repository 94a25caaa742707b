/** Passes when no datadog output uses `provider ecs` on a router version with the remapping crashes. */
import { datadogProviderEcs } from "./conditions.js";
import { bugLabel, bugsFor, describeVersion } from "./data/router-versions.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { allAppsGated, cpath, joinText, routerImageOf } from "./util.js";

export const FLP212 = defineRule({
  meta: {
    id: "FLP212",
    title: "Datadog `provider ecs` on a router version that crashes remapping tags",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "With `provider ecs`, out_datadog remaps FireLens's ECS metadata into Datadog tags. Fluent Bit 1.8.x–1.9.9 reuse a freed buffer when a later record's tags outgrow the first one's (SIGSEGV), and 1.9.10 / 2.0.0–2.0.8 miscompute the resize (SIGSEGV or SIGABRT; aws-for-fluent-bit 2.29.0, aws-for-fluent-bit#491); both were reproduced on a first flush with real 1.8.3 and 1.9.10. aws-for-fluent-bit patched its own build in 2.29.1 and fixed a remaining rare remap segfault in 2.31.3. `provider ecs` is in AWS's own FireLens Datadog example.",
    sources: [
      SRC.fluentBitPr5929,
      SRC.awsForFluentBitIssue491,
      SRC.fluentBitPr6786,
      SRC.awsForFluentBitChangelog,
    ],
    fixHint:
      "Pin aws-for-fluent-bit ≥ 2.31.3 (or upstream Fluent Bit ≥ 2.0.9), or drop `provider ecs` and set the tags with dd_tags.",
    messages: {
      crashes:
        "Container '{{container}}' sends to datadog with provider ecs through a router running {{version}}, which crashes remapping ECS tags: {{bugs}}.",
      crashesGated:
        "Container '{{container}}' sends to datadog with provider ecs through a router running {{version}}, which crashes remapping ECS tags: {{bugs}}. The preflight sends through this output first, so a crash on the first flush fails the deployment instead of dropping requests; one on a later flush would still stop a serving task.",
      unknownVersion:
        "Container '{{container}}' sends to datadog with provider ecs, but the router's Fluent Bit version is unknown ({{reason}}); versions before aws-for-fluent-bit 2.31.3 / Fluent Bit 2.0.9 crash remapping ECS tags.",
    },
    messageSeverities: { crashesGated: "warning", unknownVersion: "warning" },
  },
  check(ctx) {
    const task = ctx.task;
    const router = task.router;
    if (router === undefined) return;
    // The preflight copies an app's output on purpose (to trigger the crash before the app starts); its
    // own finding would repeat the app's.
    const users = datadogProviderEcs(task).filter((u) => u.container.role !== "gate");
    if (users.length === 0) return;
    const img = routerImageOf(task, router);
    if (img.kind === "fluentd") return;
    const bugs =
      img.fluentBit === undefined && img.aws === undefined
        ? []
        : bugsFor(img).filter((b) => b.condition === "datadog-provider-ecs");
    const known = img.fluentBit !== undefined;
    if (known && bugs.length === 0) return;
    const gated = allAppsGated(task);
    for (const u of users) {
      const path = cpath(u.container, u.where, "options", u.key);
      if (!known) {
        ctx.report({
          messageId: "unknownVersion",
          data: { container: u.container.label, reason: img.unknownReason ?? "" },
          path,
          container: u.container.name,
        });
      } else {
        ctx.report({
          messageId: gated ? "crashesGated" : "crashes",
          data: {
            container: u.container.label,
            version: describeVersion(img),
            bugs: joinText(bugs, ", ", bugLabel),
          },
          path,
          container: u.container.name,
        });
      }
    }
  },
});
