/**
 * What the constructs need to know about containers already in a task definition. aws-cdk-lib keeps the
 * container list protected, but each `ContainerDefinition` is a child construct of its task definition, so
 * the tree is the public way to enumerate them (in the order they were added).
 */
import type { Duration } from "aws-cdk-lib";
import { Token } from "aws-cdk-lib";
import * as ecs from "aws-cdk-lib/aws-ecs";
import type { IConstruct } from "constructs";
import { FireLensPreflightError } from "./errors.js";

export function containersOf(taskDefinition: ecs.TaskDefinition): ecs.ContainerDefinition[] {
  return taskDefinition.node.children.filter(
    (c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition,
  );
}

export function routerOf(taskDefinition: ecs.TaskDefinition): ecs.FirelensLogRouter | undefined {
  return containersOf(taskDefinition).find(
    (c): c is ecs.FirelensLogRouter => c instanceof ecs.FirelensLogRouter,
  );
}

export function usesFireLens(container: ecs.ContainerDefinition): boolean {
  return container.logDriverConfig?.logDriver === "awsfirelens";
}

/** The Datadog Agent by its image (`datadog/agent`, any registry) or by the names the seed and Datadog use. */
export function looksLikeDatadogAgent(container: ecs.ContainerDefinition): boolean {
  const image = Token.isUnresolved(container.imageName) ? "" : container.imageName;
  return (
    /(^|\/)datadog\/agent(:|@|$)/.test(image) ||
    ["datadog-agent", "dd-agent"].includes(container.containerName)
  );
}

/**
 * Whether the container has a healthCheck. The prop is kept private by aws-cdk-lib; its public render method
 * is side-effect free and is what synthesis calls anyway.
 */
export function hasHealthCheck(container: ecs.ContainerDefinition): boolean {
  return container.renderContainerDefinition().healthCheck !== undefined;
}

export function dependsOnCondition(
  container: ecs.ContainerDefinition,
  target: ecs.ContainerDefinition,
): ecs.ContainerDependencyCondition | undefined {
  const dep = container.containerDependencies.find((d) => d.container === target);
  return dep === undefined ? undefined : (dep.condition ?? ecs.ContainerDependencyCondition.START);
}

/** `Duration` → the probe's duration syntax (`1500ms`, `30s`). */
export function probeDuration(duration: Duration, prop: string, scope: IConstruct): string {
  if (duration.isUnresolved()) {
    throw new FireLensPreflightError(`${prop}: must be a literal duration, not a token`, scope);
  }
  const ms = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new FireLensPreflightError(
      `${prop}: ${ms} ms must be a positive whole number of milliseconds`,
      scope,
    );
  }
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
