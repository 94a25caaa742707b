/** Passes when the router image is pinned to a release tag or a digest. */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath, routerImageOf } from "./util.js";

export const FLP203 = defineRule({
  meta: {
    id: "FLP203",
    title: "Router image uses a moving tag",
    severity: "warning",
    family: "deploy-safety",
    rationale:
      "`latest`, `stable` or no tag at all means the Fluent Bit version can change on any deploy or scale-out, without a change to the task definition: a new task can run a router with a first-flush crash the last one did not have, and nothing can tell which version is running. aws-for-fluent-bit's `stable` moved between 2.x builds for years and still pointed at the end-of-life 2.x line in 2026.",
    sources: [SRC.awsForFluentBitChangelog, SRC.awsForFluentBitIssue1181, SRC.firelensTaskDef],
    fixHint: "Pin the router image to a release tag (e.g. aws-for-fluent-bit:2.32.5) or a digest.",
    messages: {
      mutableTag:
        "Router '{{container}}' uses '{{image}}': the tag '{{tag}}' moves, so the router version that runs is unknown and can change between deploys.",
      noTag:
        "Router '{{container}}' uses '{{image}}' without a tag (that is 'latest'), so the router version that runs is unknown and can change between deploys.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    for (const router of task.firelensContainers) {
      const img = routerImageOf(task, router);
      if (!img.mutable || img.ref === undefined) continue;
      ctx.report({
        messageId: img.ref.tag === undefined ? "noTag" : "mutableTag",
        data: { container: router.label, image: img.ref.text, tag: img.ref.tag ?? "" },
        path: cpath(router, "image"),
        container: router.name,
      });
    }
  },
});
