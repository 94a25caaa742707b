/**
 * The shapes `diagnose` reads and returns. Inputs are the official `@aws-sdk/client-ecs` types, because
 * `aws ecs describe-tasks` / `describe-services` print exactly those structures (camelCase JSON). The
 * parser turns the CLI's timestamp strings into `Date`s, so the SDK types hold at run time.
 */
import type { Container, Deployment, Failure, Service, ServiceEvent, Task } from "@aws-sdk/client-ecs";
import type { TaskDefinitionView } from "../taskdef/model.js";

export type { Container, Deployment, Failure, Service, ServiceEvent, Task };

/**
 * A value of the wrong type that diagnose can do without (an ARN, an id, a label): left out of the input,
 * and reported where it was.
 */
export interface InputNote {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** `$.tasks[0].taskArn` */
  readonly jsonPath: string;
  /** What was wrong and that it was left out, without the location. */
  readonly detail: string;
  /** `file:line:column: detail (at jsonPath)`. */
  readonly message: string;
}

/** What one input file held: describe-tasks output, describe-services output, or both merged by hand. */
export interface DiagnoseInput {
  readonly file: string;
  /** Which shape was recognised, for messages (`describe-tasks output`, `a bare task object`, …). */
  readonly shape: string;
  readonly tasks: readonly Task[];
  /** describe-tasks `failures` (`MISSING` task ARNs and the like). */
  readonly failures: readonly Failure[];
  readonly services: readonly Service[];
  /** Values left out because their type was wrong (see `InputNote`). */
  readonly notes: readonly InputNote[];
}

export interface DiagnoseOptions {
  /** describe-services output for the tasks' services: events (target registration, rollbacks) and deployments. */
  readonly services?: readonly Service[];
  /**
   * The task definition the tasks ran, from the project's loader (`parseDocument(...).taskDefinitions`):
   * roles and `essential` come from it. Given several (a template), each task gets the one whose family
   * matches its `taskDefinitionArn`.
   */
  readonly taskDefinition?: TaskDefinitionView | readonly TaskDefinitionView[];
  /** describe-tasks `failures` (tasks ECS could not describe), reported as they are. */
  readonly failures?: readonly Failure[];
  /** The reader's notes (`DiagnoseInput.notes`), reported with the diagnosis. */
  readonly inputNotes?: readonly InputNote[];
}

/** How sure we are of a container's role. */
export type RoleSource = "task-definition" | "inferred";

export type ContainerRole = "router" | "preflight" | "agent" | "app" | "other";

/** What a finding says happened to a task. Stable ids for the JSON output and tests. */
export type DiagnosisKind =
  /** The FireLens router exited 139 (SIGSEGV) or 134 (SIGABRT), and took the task with it. */
  | "router-crash"
  /** The router exited non-zero without a crash signature, and took the task with it. */
  | "router-exited"
  /** The preflight gate exited non-zero, so the agent refused to start the apps: the gate did its job. */
  | "gate-failed"
  /** An app was stopped with exit 143 and `CannotStartContainerError` (a dependency never resolved). */
  | "held-back"
  /** A container was killed for exceeding its memory (`OutOfMemoryError`, usually exit 137). */
  | "out-of-memory"
  /** Some other essential container exited, which stopped the task. */
  | "essential-exited"
  /** The task never started (`TaskFailedToStart`, image pull, secrets, ENI …). */
  | "failed-to-start"
  /** The task was stopped from outside (scale-in, deployment replacement, user, Spot, …). */
  | "stopped-externally"
  /** The task is running and nothing in the evidence points at a problem. */
  | "running"
  /** The evidence does not match a known chain. */
  | "unknown";

/**
 * Whether the load balancer could have sent requests to the task before it stopped. `after` needs an
 * app process that ran *and* a sign of traffic readiness (a target registered while the task lived, a
 * HEALTHY status); `likely-after` has only the first; `before` means the app process never ran.
 */
export type TrafficWindow = "before" | "after" | "likely-after" | "unknown" | "not-applicable";

/** Where to go to prevent it: a lint rule, the `fix` command, or plain advice. */
export type Prevention =
  | { readonly kind: "rule"; readonly id: string; readonly why: string }
  | { readonly kind: "fix"; readonly command: string; readonly why: string }
  | { readonly kind: "advice"; readonly why: string };

export interface EvidenceLine {
  /** What the line is about: a container name, `task`, `service`, `event`, `deployment`. */
  readonly subject: string;
  readonly text: string;
}

export interface ContainerFacts {
  readonly name: string;
  readonly role: ContainerRole;
  readonly roleSource: RoleSource;
  /** `undefined` when neither the task definition nor the evidence says. */
  readonly essential: boolean | undefined;
  readonly image: string | undefined;
  readonly lastStatus: string | undefined;
  readonly exitCode: number | undefined;
  readonly reason: string | undefined;
  readonly healthStatus: string | undefined;
}

export interface TaskDiagnosis {
  readonly taskArn: string | undefined;
  /** Last part of the ARN. */
  readonly taskId: string;
  readonly taskDefinitionArn: string | undefined;
  /** `service:<name>` for service tasks. */
  readonly group: string | undefined;
  readonly lastStatus: string | undefined;
  readonly kind: DiagnosisKind;
  /** One sentence: what happened. */
  readonly summary: string;
  readonly traffic: TrafficWindow;
  /** Why `traffic` is what it is, in a few words (empty when not applicable). */
  readonly trafficBasis: string;
  /** The container whose exit started the chain, when one can be named. */
  readonly culprit: string | undefined;
  readonly evidence: readonly EvidenceLine[];
  readonly prevention: readonly Prevention[];
  /** Caveats: roles inferred from names, task definition of another family, … */
  readonly notes: readonly string[];
  readonly containers: readonly ContainerFacts[];
}

export interface ServiceDiagnosis {
  readonly serviceName: string;
  readonly kind: "circuit-breaker-rollback" | "circuit-breaker-failed" | "steady" | "in-progress" | "unknown";
  readonly summary: string;
  readonly evidence: readonly EvidenceLine[];
  readonly prevention: readonly Prevention[];
}

export interface Diagnosis {
  readonly tasks: readonly TaskDiagnosis[];
  readonly services: readonly ServiceDiagnosis[];
  /** describe-tasks `failures`, one line each. */
  readonly failures: readonly string[];
  /** Whether container roles came from a task definition, for the header of the report. */
  readonly roleSource: RoleSource;
  /** Values of the input that were left out (wrong type), with where they were. */
  readonly inputNotes?: readonly InputNote[];
}
