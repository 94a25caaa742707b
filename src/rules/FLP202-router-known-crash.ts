/** Passes when the router image's Fluent Bit version has no known crash or hang bug that the task can reach. */
import { unknownText } from "../model/index.js";
import { conditionPresence } from "./conditions.js";
import { bugLabel, bugsFor, describeVersion, type KnownBug } from "./data/router-versions.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { allAppsGated, cpath, joinText, routerImageOf } from "./util.js";

export const FLP202 = defineRule({
  meta: {
    id: "FLP202",
    title: "Router image has known crash bugs, or an unknown version",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "Fluent Bit 1.8.x (aws-for-fluent-bit 2.17–2.23, including the incident's 2.19.0) and some later builds have documented crashes on startup or on the first flush: /api/v1/health before the first metrics push (fluent-bit#3983), the Datadog `provider ecs` remapping (fluent-bit#5929, aws-for-fluent-bit#491), and others listed in docs/rules/FLP202.md. An essential router that crashes takes the task down. A version we cannot read is not known to be safe.",
    sources: [
      SRC.awsForFluentBitChangelog,
      SRC.fluentBitIssue3983,
      SRC.fluentBitPr5929,
      SRC.awsForFluentBitIssue491,
    ],
    fixHint:
      "Pin a release without the listed bugs (aws-for-fluent-bit 2.32.x or 3.x), or keep the version and gate the task with `firelens-preflight fix` so a crash stops it before it takes traffic. To see whether this task's router survives its first flush before any deploy, run `firelens-preflight rehearse <task definition>`.",
    messages: {
      knownCrash:
        "Router '{{container}}' runs {{version}}, which has known startup / first-flush crash bugs this task can reach: {{bugs}}{{others}}.",
      knownCrashGated:
        "Router '{{container}}' runs {{version}}, which has known startup / first-flush crash bugs this task can reach: {{bugs}}{{others}}. The preflight gate stops such a task before it takes traffic, but every crash is a failed deployment: upgrade.",
      knownBugs:
        "Router '{{container}}' runs {{version}}, which has known runtime crash or hang bugs: {{bugs}}.",
      unknownVersion:
        "Router '{{container}}' image '{{image}}': Fluent Bit version unknown ({{reason}}); it is not known to be safe.",
    },
    messageSeverities: { knownCrashGated: "warning", knownBugs: "warning", unknownVersion: "warning" },
  },
  check(ctx) {
    const task = ctx.task;
    for (const router of task.firelensContainers) {
      const img = routerImageOf(task, router);
      if (img.kind === "fluentd") continue;
      const path = cpath(router, "image");
      if (img.fluentBit === undefined) {
        // A moving tag is FLP203's finding, whose message already says the version is unknown.
        if (img.mutable) continue;
        ctx.report({
          messageId: "unknownVersion",
          data: {
            container: router.label,
            image: img.ref?.text ?? unknownText(router.definition.image as unknown) ?? "(unknown)",
            reason: img.unknownReason ?? "",
          },
          path,
          container: router.name,
        });
        continue;
      }
      // Plain loops: this runs for every router, and a known-bad version has many bugs to sort.
      const severe: KnownBug[] = [];
      const rest: KnownBug[] = [];
      for (const b of bugsFor(img)) {
        if (b.condition !== undefined && conditionPresence(b.condition, task) === "no") continue;
        if (b.kind === "crash" && b.trigger !== "runtime") severe.push(b);
        else rest.push(b);
      }
      const version = describeVersion(img);
      if (severe.length > 0) {
        // A gated task fails its deployment instead of dropping requests: still worth fixing, no longer an outage.
        const gated = allAppsGated(task);
        ctx.report({
          messageId: gated ? "knownCrashGated" : "knownCrash",
          data: {
            container: router.label,
            version,
            bugs: joinText(severe, ", ", bugLabel),
            others:
              rest.length === 0 ? "" : `; also runtime crash or hang bugs: ${joinText(rest, ", ", bugLabel)}`,
          },
          path,
          container: router.name,
        });
      } else if (rest.length > 0) {
        ctx.report({
          messageId: "knownBugs",
          data: { container: router.label, version, bugs: joinText(rest, ", ", bugLabel) },
          path,
          container: router.name,
        });
      }
    }
  },
});
