/**
 * One reading of a task, shared by every part (lint, fix, plan, simulate, diagnose, the CDK constructs): who
 * the router, the agent, the gates and the apps are and why, what `essential` is once normalised, the start
 * edges as the ECS agent builds them, and which values are only known at deploy time.
 */
import type {
  ContainerDefinition,
  ContainerView,
  JsonPath,
  TaskDefinitionView,
  UnknownContainerView,
} from "../taskdef/model.js";

export type Role = "router" | "agent" | "gate" | "app" | "other";

/** The dependsOn conditions of the API. */
export type Condition = "START" | "COMPLETE" | "SUCCESS" | "HEALTHY";
export const CONDITIONS: readonly Condition[] = ["START", "COMPLETE", "SUCCESS", "HEALTHY"];

/** Conditions of start edges: the API's, plus the agent's own CREATE (volumesFrom waits for the source's creation). */
export type EdgeCondition = Condition | "CREATE";

/** Why a role was given: one short clause per fact (`has firelensConfiguration`, `image datadog/agent:7`). */
export type Evidence = readonly string[];

/** One `dependsOn` entry as written. */
export interface Dependency {
  /** Position in the container's `dependsOn` list. */
  readonly index: number;
  /** Literal target name; `undefined` when missing, not a string, or only known at deploy time. */
  readonly target: string | undefined;
  /** The raw value of `containerName` (an intrinsic when the target is only known at deploy time). */
  readonly targetValue: unknown;
  /** Literal condition as written (not checked against the API's list); `undefined` when missing or unknown. */
  readonly condition: string | undefined;
  /** The target is only known at deploy time. */
  readonly targetUnknown: boolean;
  /** The condition is only known at deploy time. */
  readonly conditionUnknown: boolean;
  /** The entry itself is not an object (`[null]`, `[5]`). */
  readonly malformed: boolean;
}

export interface ContainerReading {
  readonly index: number;
  readonly view: ContainerView;
  readonly definition: ContainerDefinition;
  /** Literal name; `undefined` when missing or only known at deploy time. */
  readonly name: string | undefined;
  /** The raw `name` value (an intrinsic when the name is only known at deploy time). */
  readonly nameValue: unknown;
  /** The name is only known at deploy time (an intrinsic or a placeholder). */
  readonly nameUnknown: boolean;
  /** For messages: the name, or `#index` when it has none. */
  readonly label: string;
  /** Normalised `essential`: omitted means true; `undefined` when only known at deploy time or unreadable. */
  readonly essential: boolean | undefined;
  readonly role: Role;
  readonly evidence: Evidence;
  /** `logConfiguration.logDriver` is `awsfirelens`. */
  readonly logsThroughFirelens: boolean;
  /** A non-null `firelensConfiguration`. */
  readonly hasFirelensConfiguration: boolean;
  readonly hasHealthCheck: boolean;
  /** The image as text with placeholders marked (`${…}`), or `undefined` when it is not readable at all. */
  readonly imageText: string | undefined;
  readonly dependsOn: readonly Dependency[];
  /** Environment as name → value (`undefined` for a value only known at deploy time). */
  readonly environment: ReadonlyMap<string, { readonly value: string | undefined; readonly index: number }>;
}

/** Where a start edge comes from. */
export type EdgeSource = "dependsOn" | "firelens" | "links" | "volumesFrom" | "service-connect";

/** One start-order edge: `from` starts only once `to` reached `condition`. */
export interface StartEdge {
  /** Node index (containers first, then nodes the agent adds, such as Service Connect). */
  readonly from: number;
  readonly to: number;
  readonly condition: EdgeCondition | string;
  readonly source: EdgeSource;
  /** Added by the agent rather than written as a `dependsOn`. */
  readonly implicit: boolean;
  /** For `dependsOn` edges: the entry's position in the list. */
  readonly dependency?: number;
}

/** A node of the startup graph: a container of the task, or one the agent adds. */
export interface StartNode {
  readonly index: number;
  readonly name: string;
  /** Normalised; a container whose `essential` is unknown counts as essential (ECS's default). */
  readonly essential: boolean;
  readonly hasHealthCheck: boolean;
  /** Added by ECS, not in the task definition (the Service Connect proxy). */
  readonly addedByEcs: boolean;
}

/** Why the agent drops, or never had, the implicit START edges from awsfirelens containers to the router. */
export type FirelensEdges =
  | { readonly kind: "added" }
  | { readonly kind: "no-router" }
  | {
      readonly kind: "dropped";
      /** What gave the router dependencies of its own. */
      readonly because: readonly EdgeSource[];
    };

/**
 * The agent refuses to run the task at all (no container starts): a dependency it cannot resolve in any order
 * (`ValidDependencies` in the agent's `agent/engine/dependencygraph/graph.go`) or an ordering it cannot set up
 * (`initializeContainerOrdering` in `agent/api/task/task.go`).
 */
export interface Refusal {
  readonly container: number;
  readonly reason: string;
  /**
   * For a `links` or `volumesFrom` entry the agent cannot resolve (the rule that reports it reads this): a link
   * that is neither `name` nor `name:alias`, or a link or volume source naming no container of the task.
   */
  readonly kind?: "link-format" | "link-target" | "volumes-from-target";
  /** The entry's position in the container's `links` or `volumesFrom` list, with `kind`. */
  readonly entry?: number;
}

/** A value the model could not read because it is only known at deploy time. */
export interface DeployTimeValue {
  /** camelCase path relative to the task definition. */
  readonly path: JsonPath;
  readonly what: string;
}

export interface ReadOptions {
  /**
   * The service runs the task with Service Connect: ECS then adds its proxy container and makes every container
   * wait for it to be HEALTHY (`initializeContainerOrdering`, agent/api/task/task.go).
   */
  readonly serviceConnect?: boolean;
}

export interface TaskReading {
  readonly taskDefinition: TaskDefinitionView;
  readonly containers: readonly ContainerReading[];
  /** First container of each literal name. */
  readonly byName: ReadonlyMap<string, ContainerReading>;
  /** Every container with a `firelensConfiguration` (a valid task has at most one). */
  readonly firelensContainers: readonly ContainerReading[];
  /** The router: the last container with a `firelensConfiguration`, as the agent picks it. */
  readonly router: ContainerReading | undefined;
  /** The Datadog Agent sidecar, when there is one. */
  readonly agent: ContainerReading | undefined;
  /** Preflight gates: by name, by the probe's settings, or by shape (a SUCCESS target that waits on the router). */
  readonly gates: readonly ContainerReading[];
  /** Containers that log through awsfirelens and are neither router, gate nor agent. */
  readonly apps: readonly ContainerReading[];
  /** Every container logging through awsfirelens (the router and gates included). */
  readonly firelensUsers: readonly ContainerReading[];
  /**
   * Essential apps that can start before a non-essential gate exited 0: neither they nor a container they wait
   * for depends on such a gate with SUCCESS. Apps whose `essential` is unknown are left out.
   */
  readonly ungatedApps: readonly ContainerReading[];
  /** Apps whose `essential` is only known at deploy time: they may or may not need the gate. */
  readonly appsOfUnknownEssential: readonly ContainerReading[];
  readonly nodes: readonly StartNode[];
  readonly edges: readonly StartEdge[];
  readonly firelensEdges: FirelensEdges;
  /** Set when the agent would refuse the task before starting any container. */
  readonly refusal: Refusal | undefined;
  /** Every reason the agent would refuse the task, by container (`refusal` is the first). */
  readonly refusals: readonly Refusal[];
  /** Dependency cycles over literal edges, each as node indexes in order. */
  readonly cycles: readonly (readonly number[])[];
  readonly deployTime: readonly DeployTimeValue[];
  /**
   * Container list elements (or the whole list) that cannot be read at lint time: the containers above may not be
   * all the task has, so nothing may be concluded from a container being absent.
   */
  readonly unknownContainers: readonly UnknownContainerView[];
}
