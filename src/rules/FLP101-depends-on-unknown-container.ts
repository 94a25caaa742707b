/**
 * Passes when every `dependsOn` entry names a container of the same task definition, and every `links` and
 * `volumesFrom` entry is one the ECS agent can resolve. The latter are read from the model's refusals (where the
 * agent's own ordering refuses them: model/edges.ts), so lint says what `plan` and `check` call a refusal.
 */
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath } from "./util.js";

export const FLP101 = defineRule({
  meta: {
    id: "FLP101",
    title: "dependsOn names a container that does not exist",
    severity: "error",
    family: "validity",
    rationale:
      "ECS rejects the registration ('Cannot depend on container … because it does not exist'), and an agent that meets such a graph treats the dependency as terminal: the dependent container is stopped with exit 143 before it starts. The agent reads `links` and `volumesFrom` as start dependencies too: a link that is neither `name` nor `name:alias` (Invalid link format), or a link or volume source naming no container of the task, makes it refuse the task before any container starts.",
    sources: [
      SRC.taskDefinitionParameters,
      SRC.containerDependency,
      SRC.hakoPr99,
      SRC.agentGraph,
      SRC.agentTask,
    ],
    fixHint:
      "Correct the containerName, link or sourceContainer (names are case-sensitive; a link is `name` or `name:alias`) or remove the entry.",
    messages: {
      unknownContainer:
        "Container '{{container}}' depends on '{{target}}', which is not a container of this task.",
      missingName: "Container '{{container}}' has a dependsOn entry without a containerName.",
      badLink:
        "Container '{{container}}' has link '{{link}}', which is neither 'name' nor 'name:alias': the ECS agent refuses the task before any container starts (Invalid link format).",
      unknownLink:
        "Container '{{container}}' links to '{{target}}', which is not a container of this task: the ECS agent refuses the task before any container starts.",
      unknownVolumeSource:
        "Container '{{container}}' mounts volumes from '{{target}}', which is not a container of this task: the ECS agent refuses the task before any container starts.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    for (const c of task.containers) {
      for (const d of c.dependsOn) {
        if (d.targetUnknown || d.malformed) continue;
        if (d.target === undefined) {
          ctx.report({
            messageId: "missingName",
            data: { container: c.label },
            path: cpath(c, "dependsOn", d.index),
            container: c.name,
          });
        } else if (!task.byName.has(d.target) && task.unknownContainers.length === 0) {
          ctx.report({
            messageId: "unknownContainer",
            data: { container: c.label, target: d.target },
            path: cpath(c, "dependsOn", d.index, "containerName"),
            container: c.name,
          });
        }
      }
    }
    // What the agent's ordering refuses in `links` and `volumesFrom`, as the model read it (every refusal, not
    // only the first the plan shows). A missing target may be a container that cannot be read here: not said then.
    for (const r of task.refusals) {
      if (r.kind === undefined || r.entry === undefined) continue;
      const c = task.containers.find((x) => x.index === r.container);
      if (c === undefined) continue;
      if (r.kind === "link-format") {
        const link = String((c.definition.links as unknown[] | undefined)?.[r.entry]);
        ctx.report({
          messageId: "badLink",
          data: { container: c.label, link },
          path: cpath(c, "links", r.entry),
          container: c.name,
        });
        continue;
      }
      if (task.unknownContainers.length > 0) continue;
      const entry: unknown =
        r.kind === "link-target"
          ? (c.definition.links as unknown[] | undefined)?.[r.entry]
          : (c.definition.volumesFrom as unknown[] | undefined)?.[r.entry];
      if (r.kind === "link-target") {
        ctx.report({
          messageId: "unknownLink",
          data: { container: c.label, target: String(entry).split(":")[0] ?? "" },
          path: cpath(c, "links", r.entry),
          container: c.name,
        });
      } else {
        ctx.report({
          messageId: "unknownVolumeSource",
          data: {
            container: c.label,
            target: String((entry as { sourceContainer?: unknown } | undefined)?.sourceContainer),
          },
          path: cpath(c, "volumesFrom", r.entry, "sourceContainer"),
          container: c.name,
        });
      }
    }
  },
});
