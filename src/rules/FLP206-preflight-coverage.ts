/**
 * Passes when the preflight's probe configuration (its containers / tags variables, or the
 * `--containers` / `--tags` flags) covers every awsfirelens container that waits for it.
 */
import { gateTargets } from "../model/index.js";
import { PROBE_SETTINGS, targetsCover } from "../probe/contract.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { quoteList } from "./util.js";

const CONTAINERS = PROBE_SETTINGS.containers.env;

export const FLP206 = defineRule({
  meta: {
    id: "FLP206",
    title: "Preflight does not exercise the gated containers' outputs",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "FireLens gives each awsfirelens container its own output, matched on `{container}-firelens*`. A crash on the first flush happens in the output the app's first logs hit, so the preflight must send records tagged for each gated container. A preflight that only echoes (as the incident's did) or probes other tags opens the gate without having tested the path that crashes.",
    sources: [SRC.firelensTaskDef, SRC.firelensConfiguration],
    fixHint: `Set ${CONTAINERS} on the preflight to the comma-separated names of every container that waits for it (\`firelens-preflight fix\` does).`,
    fixable: "gate",
    messages: {
      noTargets: `Preflight '{{preflight}}' sends no records through the outputs of the containers it gates ({{gated}}): set ${CONTAINERS}.`,
      notCovered: `Preflight '{{preflight}}' gates '{{container}}' but does not send records through its output: add it to ${CONTAINERS}.`,
    },
  },
  check(ctx) {
    const task = ctx.task;
    for (const p of task.gates) {
      if (p.name === undefined) continue;
      const gated = task.containers.filter(
        (c) => c !== p && c.logsThroughFirelens && c.dependsOn.some((d) => d.target === p.name),
      );
      if (gated.length === 0) continue;
      // The model's reading of the gate's targets, the one `fix` extends: flags win over the variable.
      const { targets, path } = gateTargets(p);
      if (targets.unknown) continue;
      if (targets.containers.length === 0 && targets.tags.length === 0) {
        ctx.report({
          messageId: "noTargets",
          data: { preflight: p.label, gated: quoteList(gated.map((g) => g.label)) },
          path,
          container: p.name,
        });
        continue;
      }
      for (const g of gated) {
        if (g.name === undefined || targetsCover(targets, g.name)) continue;
        ctx.report({
          messageId: "notCovered",
          data: { preflight: p.label, container: g.label },
          path,
          container: g.name,
        });
      }
    }
  },
});
