/**
 * The constructs read a CDK task definition through the same model as every other part: each container is
 * rendered to its ECS container definition (the public render method synthesis itself calls; tokens become
 * `${Token[…]}` strings, which the model reads as deploy-time values) and the model assigns the roles. aws-cdk-lib
 * keeps the container list protected, but each `ContainerDefinition` is a child construct of its task definition,
 * so the tree is the public way to enumerate them (in the order they were added).
 */
import type { Duration } from "aws-cdk-lib";
import * as ecs from "aws-cdk-lib/aws-ecs";
import type { IConstruct } from "constructs";
import { readTask, type TaskReading } from "../model/index.js";
import { durationMsProblem, formatDurationMs } from "../probe/contract.js";
import type { ContainerDefinition, TaskDefinitionView } from "../taskdef/model.js";
import { FireLensPreflightError } from "./errors.js";

export function containersOf(taskDefinition: ecs.TaskDefinition): ecs.ContainerDefinition[] {
  return taskDefinition.node.children.filter(
    (c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition,
  );
}

/** A CDK task definition read by the model, with each reading's container object. */
export interface CdkTaskReading {
  readonly reading: TaskReading;
  readonly containers: readonly ecs.ContainerDefinition[];
  /** The container object a reading refers to. */
  of(reading: { readonly index: number } | undefined): ecs.ContainerDefinition | undefined;
}

export function readCdkTask(taskDefinition: ecs.TaskDefinition): CdkTaskReading {
  const containers = containersOf(taskDefinition);
  const definitions = containers.map((c) => c.renderContainerDefinition() as unknown as ContainerDefinition);
  const view: TaskDefinitionView = {
    id: taskDefinition.node.path,
    path: [],
    containersKey: "containerDefinitions",
    taskDefinition: { containerDefinitions: definitions },
    containers: definitions.map((definition, index) => ({
      name: typeof definition.name === "string" ? definition.name : undefined,
      index,
      definition,
      path: ["containerDefinitions", index],
    })),
  };
  const reading = readTask(view);
  return { reading, containers, of: (r) => (r === undefined ? undefined : containers[r.index]) };
}

/** The FireLens router the model picks (the last container with a FireLens configuration). */
export function routerOf(taskDefinition: ecs.TaskDefinition): ecs.FirelensLogRouter | undefined {
  const task = readCdkTask(taskDefinition);
  const router = task.of(task.reading.router);
  return router instanceof ecs.FirelensLogRouter ? router : undefined;
}

export function dependsOnCondition(
  container: ecs.ContainerDefinition,
  target: ecs.ContainerDefinition,
): ecs.ContainerDependencyCondition | undefined {
  const dep = container.containerDependencies.find((d) => d.container === target);
  return dep === undefined ? undefined : (dep.condition ?? ecs.ContainerDependencyCondition.START);
}

/** `Duration` → the probe's duration grammar (`1500ms`, `30s`, `2m`, `1h`). */
export function probeDuration(duration: Duration, prop: string, scope: IConstruct): string {
  if (duration.isUnresolved()) {
    throw new FireLensPreflightError(`${prop}: must be a literal duration, not a token`, scope);
  }
  const ms = duration.toMilliseconds({ integral: false });
  // The probe's own range (its contract): a deadline it refuses makes it exit 2 in every task.
  const problem = durationMsProblem("deadline", ms);
  if (problem !== undefined) throw new FireLensPreflightError(`${prop}: ${problem}`, scope);
  return formatDurationMs(ms);
}
