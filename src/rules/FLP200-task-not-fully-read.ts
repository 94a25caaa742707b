/**
 * Passes when every container of the task can be read at lint time. A container list element spliced in from a
 * Terraform module output or variable, or filled in by CloudFormation, may be the router, an essential app or
 * the gate: not knowing it is not knowing whether the task is safe, and that is said as a finding of its own so
 * that `--fail-on` governs it and no command exits 0 calling such a task safe.
 */
import { taskUnknowns, unknownRemedy } from "../model/index.js";
import { defineRule } from "./types.js";
import { cpath, joinText } from "./util.js";

export const FLP200 = defineRule({
  meta: {
    id: "FLP200",
    title: "Task definition cannot be fully read before deploy",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "Whether a router crash can stop a serving task depends on every container: which one is the FireLens router, whether it is essential, which apps log through it and what gates them. A container spliced in from a Terraform module output or variable, a whole list built at plan time, a container CloudFormation fills in, a router whose `essential` is only known at deploy time, or more conditions than are read branch by branch leave that unknown. Unknown is not safe: the task is reported until it can be read.",
    sources: [
      "https://developer.hashicorp.com/terraform/cli/commands/show",
      "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html",
      "https://docs.aws.amazon.com/cli/latest/reference/ecs/describe-task-definition.html",
    ],
    fixHint:
      "Lint what ECS will get: for Terraform, the plan (`terraform plan -out=tfplan && terraform show -json tfplan > plan.json`, then lint plan.json); for CloudFormation, write the containers out or lint the registered task definition (`aws ecs describe-task-definition`).",
    messages: {
      unknownContainer:
        "Container #{{index}} of '{{taskDefinition}}' cannot be read before deploy: {{reason}}. Whether a router crash can stop this task is unknown, not safe; {{remedy}}.",
      unknownList:
        "The container list of '{{taskDefinition}}' cannot be read before deploy: {{reason}}. Whether a router crash can stop this task is unknown, not safe; {{remedy}}.",
      routerEssentialUnknown:
        "Whether router '{{router}}' is essential is only known at deploy time, and {{apps}} would not wait for a verified log path: whether a router crash can stop this task after it took traffic is unknown, not safe; {{remedy}}.",
      tooManyConditions:
        "'{{taskDefinition}}': {{reason}}. Whether a router crash can stop this task is unknown, not safe; {{remedy}}.",
    },
  },
  check(ctx) {
    for (const u of taskUnknowns(ctx.task.taskDefinition)) {
      const data = { taskDefinition: ctx.taskDefinition.id, reason: u.reason, remedy: u.remedy };
      if (u.kind === "conditions") ctx.report({ messageId: "tooManyConditions", data, rawPath: u.rawPath });
      else if (u.kind === "list" || u.index === undefined)
        ctx.report({ messageId: "unknownList", data, rawPath: u.rawPath });
      else
        ctx.report({ messageId: "unknownContainer", data: { ...data, index: u.index }, rawPath: u.rawPath });
    }
    // A router whose `essential` is a deploy-time value (`essential = var.router_essential`): FLP201 cannot say
    // the apps need the gate, and nothing may call them safe either.
    const { router, ungatedApps } = ctx.task;
    if (router !== undefined && router.essential === undefined && ungatedApps.length > 0) {
      ctx.report({
        messageId: "routerEssentialUnknown",
        data: {
          router: router.label,
          apps: joinText(ungatedApps, ", ", (a) => `'${a.label}'`),
          remedy: unknownRemedy(ctx.taskDefinition),
        },
        path: cpath(router, "essential"),
        container: router.name,
      });
    }
  },
});
