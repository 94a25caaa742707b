/**
 * What the Terraform readers (`.tf`, `.tf.json`, plans) share: the resource types they read, the model's
 * document over a located tree, and the internals `fix` needs beyond the model, kept beside each document.
 */
import type {
  JsonPath,
  ServiceView,
  SourceLocation,
  TaskDefinitionDocument,
  TaskDefinitionView,
} from "../model.js";
import type { LineIndex } from "../raw.js";
import type { HclBlock } from "./blocks.js";
import { type LNode, walk } from "./located.js";
import type { Syn } from "./parser.js";

export const TASK_DEFINITION = "aws_ecs_task_definition";
export const SERVICE = "aws_ecs_service";

/** What `fix` needs beyond the model: the located tree and the syntax of each block. */
export interface TerraformInternals {
  readonly root: LNode;
  readonly text: string;
  readonly syntax: Syn;
  readonly blocks: ReadonlyMap<string, HclBlock>;
  /** Task definition id → why its container list cannot be read (it is unknown), when it cannot. */
  readonly unreadable: ReadonlyMap<string, string>;
}

const internals = new WeakMap<TaskDefinitionDocument, TerraformInternals>();

export function terraformInternals(doc: TaskDefinitionDocument): TerraformInternals | undefined {
  return internals.get(doc);
}

export function registerInternals(doc: TaskDefinitionDocument, value: TerraformInternals): void {
  internals.set(doc, value);
}

function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The model's document over a located tree (shared by `.tf`, `.tf.json` and plans). */
export function makeDocument(
  text: string,
  file: string,
  format: TaskDefinitionDocument["format"],
  taskDefinitions: TaskDefinitionView[],
  services: ServiceView[],
  root: LNode,
  lines: LineIndex,
): TaskDefinitionDocument {
  const locate = (path: JsonPath): SourceLocation => {
    const trail = walk(root, path);
    const node = trail[trail.length - 1] as LNode;
    const { line, column } = lines.position(node.offset);
    return { file, line, column, offset: node.offset, length: node.length };
  };
  const rawPath = (td: TaskDefinitionView, viewPath: JsonPath): JsonPath => {
    const [first, ...rest] = viewPath;
    if (first === undefined) return [...td.path];
    if (first === "containerDefinitions")
      return [...td.path, td.containersKey ?? "container_definitions", ...rest];
    return [...td.path, typeof first === "string" ? camelToSnake(first) : first, ...rest];
  };
  // HCL and plan JSON do not repeat keys unnoticed: Terraform itself rejects duplicate arguments.
  return { file, text, format, taskDefinitions, services, locate, rawPath, duplicateKeys: [] };
}
