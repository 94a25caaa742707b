/**
 * The shared model every part of firelens-preflight meets at.
 *
 * A loaded file is a `TaskDefinitionDocument`: the raw text (kept for lossless write-back), the detected
 * format, and a typed, camelCase view of each task definition and service it holds. The view uses the
 * official `@aws-sdk/client-ecs` shapes. Every node of the view can be traced back to the raw document
 * through a `JsonPath` (keys as they are spelled in the file: PascalCase in CloudFormation), and every
 * raw path can be located as file, line and column.
 */
import type { ContainerDefinition, DeploymentConfiguration, TaskDefinition } from "@aws-sdk/client-ecs";

export type { ContainerDefinition, DeploymentConfiguration, TaskDefinition };

/** The formats we read. The id is stable (JSON output, tests); `describeFormat` gives the human label. */
export type DocumentFormat =
  /** `aws ecs register-task-definition --cli-input-json` shape (camelCase, `containerDefinitions`). */
  | "ecs-json"
  /** `aws ecs describe-task-definition` output: `{ "taskDefinition": { … } }`. */
  | "describe-task-definition"
  /** A bare `containerDefinitions` array (Terraform `container_definitions`, ecspresso fragments). */
  | "container-definitions"
  /** CloudFormation / CDK-synthesized template, JSON. */
  | "cloudformation-json"
  /** CloudFormation template, YAML (short-form intrinsic tags such as `!Ref` kept intact). */
  | "cloudformation-yaml"
  /**
   * An ECS task definition written in YAML (camelCase): ecspresso's YAML task definitions, or
   * `aws ecs describe-task-definition --output yaml` (wrapped in `taskDefinition:`), or a bare container list.
   */
  | "ecs-yaml"
  /** Terraform `.tf` (HCL): `aws_ecs_task_definition` and `aws_ecs_service` resources. */
  | "terraform-hcl"
  /** Terraform JSON syntax (`.tf.json`). */
  | "terraform-json"
  /** `terraform show -json` of a plan or state: resources by address, `container_definitions` as a JSON string. */
  | "terraform-plan";

/** A path into the raw document, with keys spelled as in the file. */
export type JsonPath = ReadonlyArray<string | number>;

export interface SourceLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** 0-based offset into the text. */
  readonly offset: number;
  /** Length in characters of the node's text (0 when unknown). */
  readonly length: number;
}

/**
 * A CloudFormation intrinsic (`{"Ref": …}`, `{"Fn::Sub": …}`, `!GetAtt …`) found where the view expects a
 * plain value. Rules must treat it as "unknown at lint time", never as a string.
 */
export interface Intrinsic {
  readonly kind: "intrinsic";
  /** `Ref`, `Fn::Sub`, `Fn::GetAtt`, `Fn::If`, … (long form, whatever the file used). */
  readonly fn: string;
  /** The intrinsic's argument, as plain data. */
  readonly argument: unknown;
  /**
   * Set when the value is one of two branches chosen by a condition not known at lint time: CloudFormation
   * `Fn::If` (a named condition of the template) or a Terraform conditional (`var.x ? a : b`). The branches are
   * in the view's casing; `AWS::NoValue` stays a `Ref` intrinsic (the model reads it as absent).
   */
  readonly choice?: Choice;
}

/** One condition's two branches (see `Intrinsic.choice`). */
export interface Choice {
  /** `cloudformation`: a condition of the template's `Conditions`; `terraform`: an HCL expression. */
  readonly kind: "cloudformation" | "terraform";
  /** The condition's name (CloudFormation) or source text (`var.x`, Terraform). */
  readonly condition: string;
  readonly whenTrue: unknown;
  readonly whenFalse: unknown;
}

/**
 * An element of a container list that cannot be read as a container at lint time, kept with its position: an
 * element chosen by a condition (`Fn::If`, `var.on ? {…} : null`), a list spliced in from a module output or a
 * variable, or the whole list when it is not literal.
 */
export interface UnknownContainerView {
  /** Position in the container list as written; `undefined` when the whole list is unknown. */
  readonly index: number | undefined;
  /** Raw path of the element (or of the list). */
  readonly path: JsonPath;
  /** Why it cannot be read, in the file's own terms (`it comes from module.app.containers`). */
  readonly reason: string;
  /**
   * For an element chosen by a condition: the `Intrinsic` with its `choice` (a branch may be `AWS::NoValue` or
   * `null`: no container). The model reads such an element per branch; it is not unknown there.
   */
  readonly value?: unknown;
}

export interface ContainerView {
  /** The container's name, or `undefined` when missing or not a literal. */
  readonly name: string | undefined;
  readonly index: number;
  /**
   * camelCase view of the container. Fields whose value in a template is an intrinsic hold an `Intrinsic`
   * at run time although the SDK type says otherwise: read them through `literal()` from `./values.js`.
   */
  readonly definition: ContainerDefinition;
  /** Raw path of the container object. */
  readonly path: JsonPath;
}

export interface TaskDefinitionView {
  /** CloudFormation logical id, else the family, else `"task definition"`. */
  readonly id: string;
  /** Raw path of the task definition object (`[]` for a bare ECS JSON, `["Resources", id, "Properties"]` …). */
  readonly path: JsonPath;
  /** Raw key under `path` that holds the container array (`containerDefinitions` / `ContainerDefinitions`), or `null` for a bare array document. */
  readonly containersKey: string | null;
  /** camelCase view of the task-level fields (cpu, memory, requiresCompatibilities, networkMode, …). */
  readonly taskDefinition: TaskDefinition;
  readonly containers: readonly ContainerView[];
  /**
   * Elements of the container list that are not containers at lint time (see `UnknownContainerView`); the
   * readable containers keep their own indexes. Absent or empty when every element was read.
   */
  readonly unknownContainers?: readonly UnknownContainerView[];
  /** Template parameters filled from SSM Parameter Store: logical id → the SSM parameter name (templates only). */
  readonly ssmParameters?: ReadonlyMap<string, string>;
  /** The resource's `Metadata` as written, plain data (templates only): where inline suppressions live. */
  readonly metadata?: unknown;
  /**
   * Where the definition was written, when the document was generated from another file (a Terraform
   * plan's resource → the `.tf` file and line of its `container_definitions`) and that file was found.
   */
  readonly origin?: SourceLocation;
}

export interface ServiceView {
  /** CloudFormation logical id. */
  readonly id: string;
  readonly path: JsonPath;
  /** Logical id of the task definition when the service refers to one in the same template with `Ref`. */
  readonly taskDefinitionRef: string | undefined;
  readonly deploymentConfiguration: DeploymentConfiguration | undefined;
  /**
   * `ServiceConnectConfiguration.Enabled`: ECS then adds its proxy container to every task and makes every
   * container wait for it. `undefined` when not set or only known at deploy time.
   */
  readonly serviceConnect: boolean | undefined;
}

/**
 * A key written more than once in one JSON object. The last occurrence is the one that counts, as in
 * `JSON.parse` and the AWS CLI (Python's `json` keeps the last key silently); the view, `locate` and the editor
 * all use it, and rules report the others.
 */
export interface DuplicateKeyView {
  /** Raw path of the property that counts; `locate(path)` finds its last occurrence. */
  readonly path: JsonPath;
  /** Every occurrence of the key, in text order (the last one counts). */
  readonly occurrences: readonly SourceLocation[];
}

export interface TaskDefinitionDocument {
  /** Display name of the source: the path as given, or `<stdin>`. */
  readonly file: string;
  /** The exact text that was read. `serialize(doc)` returns it unchanged when nothing was edited. */
  readonly text: string;
  readonly format: DocumentFormat;
  readonly taskDefinitions: readonly TaskDefinitionView[];
  readonly services: readonly ServiceView[];
  /** JSON keys written more than once in the same object (always empty for YAML, which refuses them). */
  readonly duplicateKeys: readonly DuplicateKeyView[];
  /** Locate a raw path (the last occurrence of a duplicated key); falls back to the nearest ancestor that exists. */
  locate(path: JsonPath): SourceLocation;
  /**
   * Translate a camelCase path relative to a task definition (`["containerDefinitions", 2, "dependsOn", 0]`)
   * into the raw path in this document (PascalCase in templates).
   */
  rawPath(taskDefinition: TaskDefinitionView, viewPath: JsonPath): JsonPath;
}
