/**
 * Passes when every essential app container that logs through an essential FireLens router waits, with
 * SUCCESS, for a non-essential preflight container (directly or through a container that does).
 */
import { PREFLIGHT_CONTAINER_NAME } from "../probe/contract.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";
import { cpath, joinText } from "./util.js";

function quotedLabel(c: { readonly label: string }): string {
  return `'${c.label}'`;
}

export const FLP201 = defineRule({
  meta: {
    id: "FLP201",
    title: "App can take traffic before the log path is verified",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "The FireLens router is essential, so if it crashes on the app's first log flush (as aws-for-fluent-bit 2.19.0 did in the incident this tool comes from) the whole task stops after the app started and the load balancer already routed requests to it: those requests fail with 502 while the target drains. A non-essential preflight container that verifies the log path, and app containers that depend on it with SUCCESS, stop a bad task before the app ever listens: the agent stops the app with exit 143 when the preflight fails.",
    sources: [SRC.taskDefinitionParameters, SRC.containerDependency, SRC.agentPr3218, SRC.firelensTaskDef],
    fixHint: `Run \`firelens-preflight fix\`: it adds a non-essential '${PREFLIGHT_CONTAINER_NAME}' container and makes every essential awsfirelens app depend on it with SUCCESS, also an app whose name is only known at deploy time (a CloudFormation intrinsic or a template placeholder: the gate then lists it with the same value).`,
    fixable: "gate",
    messages: {
      noGate:
        "Container '{{container}}' logs through the essential FireLens router '{{router}}' and nothing verifies that path before it starts: a router crash on the first flush stops the task after it took traffic.",
      notGated:
        "Container '{{container}}' logs through the essential FireLens router '{{router}}' but does not wait for a non-essential preflight ({{preflights}}) with SUCCESS.",
    },
  },
  check(ctx) {
    const task = ctx.task;
    const router = task.router;
    if (router === undefined || router.essential !== true) return;
    for (const app of task.ungatedApps) {
      ctx.report({
        messageId: task.gates.length === 0 ? "noGate" : "notGated",
        data: {
          container: app.label,
          router: router.label,
          preflights: joinText(task.gates, ", ", quotedLabel),
        },
        path: app.dependsOn.length > 0 ? cpath(app, "dependsOn") : cpath(app, "name"),
        container: app.name,
      });
    }
  },
});
