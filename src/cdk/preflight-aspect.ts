import { type IAspect, Stack } from "aws-cdk-lib";
import * as ecs from "aws-cdk-lib/aws-ecs";
import type { IConstruct } from "constructs";
import { readCdkTask } from "./containers.js";
import { LogRouterPreflight, type PreflightOptions } from "./log-router-preflight.js";

export interface PreflightAspectProps extends PreflightOptions {}

/**
 * Gates every task definition in scope that has an essential FireLens router and essential containers logging
 * through it that are not yet gated: adds a `LogRouterPreflight` (or extends the one already there). Register
 * with `Aspects.of(scope).add(new PreflightAspect(), { priority: AspectPriority.MUTATING })` so it runs before
 * read-only checks such as cdk-nag.
 *
 * Task definitions whose router CDK adds implicitly (awsfirelens without `addFirelensLogRouter`) are left
 * alone: that router only appears during synthesis, after Aspects ran.
 */
export class PreflightAspect implements IAspect {
  constructor(private readonly props: PreflightAspectProps = {}) {}

  visit(node: IConstruct): void {
    if (!(node instanceof ecs.TaskDefinition)) return;
    const task = readCdkTask(node);
    const router = task.of(task.reading.router);
    if (!(router instanceof ecs.FirelensLogRouter) || !router.essential) return;
    const existing = LogRouterPreflight.of(node);
    const agent = existing?.agent ?? task.of(task.reading.agent);
    const ungated = task.reading.ungatedApps
      .map((a) => task.of(a))
      .filter(
        (c): c is ecs.ContainerDefinition => c !== undefined && c !== agent && c !== existing?.container,
      );
    if (ungated.length === 0) return;
    if (existing !== undefined) {
      existing.gate(...ungated);
      return;
    }
    // The gate lives next to its task definition, so construct paths and logical ids stay stable.
    const scope = node.node.scope ?? Stack.of(node);
    new LogRouterPreflight(scope, `${node.node.id}Preflight`, {
      ...this.props,
      taskDefinition: node,
      router,
      agent,
      gate: ungated,
    });
  }
}
