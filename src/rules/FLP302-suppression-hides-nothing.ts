/**
 * Passes when every suppression written in the file is well-formed and still acknowledges a finding. The
 * well-formedness is checked here; "hides nothing" needs every other rule's findings, so the engine reports it
 * with this rule's wording once all rules ran.
 */
import { inlineSuppressions } from "./inline-suppressions.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";

export const FLP302 = defineRule({
  meta: {
    id: "FLP302",
    title: "Suppression that is malformed or hides nothing",
    severity: "warning",
    family: "security",
    rationale:
      "A suppression acknowledges one finding on purpose, with a reason someone can review. One that cannot be read suppresses nothing while looking as if it did; one whose finding is gone (the rule no longer fires, or the container was renamed) only hides the next finding of that rule without anyone having looked at it.",
    sources: [SRC.cdkNagSuppressions, SRC.cfnLintMetadata],
    fixHint:
      "Write `# firelens-preflight-ignore FLPnnn[container]: reason` (YAML) or `Metadata: firelens-preflight: ignore: [{id, reason, containers}]` (CloudFormation) with a reason of 10+ characters; delete suppressions that hide nothing.",
    messages: {
      malformed: "Suppression cannot be read ({{detail}}); it suppresses nothing.",
      unused: "Suppression of {{rule}}{{containers}} hides nothing any more ({{reason}}); delete it.",
    },
    messageSeverities: { unused: "note" },
  },
  check(ctx) {
    const { problems } = inlineSuppressions(ctx.document);
    // File-wide problems (comments) are reported once, with the first task definition.
    const first = ctx.document.taskDefinitions[0] === ctx.taskDefinition;
    for (const p of problems) {
      if (p.taskDefinition === undefined ? !first : p.taskDefinition !== ctx.taskDefinition.id) continue;
      ctx.report({
        messageId: "malformed",
        data: { detail: p.detail },
        ...("rawPath" in p.at ? { rawPath: p.at.rawPath } : { offset: p.at.offset }),
      });
    }
  },
});
