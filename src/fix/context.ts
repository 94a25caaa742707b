/** What one `fix` run accumulates while it plans: the raw edits, the changes they make, and notes for the user. */
import type { ContainerReading, GateContainerDefinition, GatedName, TaskReading } from "../model/index.js";
import { inDocumentCasing } from "../taskdef/index.js";
import type { JsonPath, TaskDefinitionDocument, TaskDefinitionView } from "../taskdef/model.js";
import { FixError } from "./errors.js";
import type { GateOptions } from "./options.js";

export type ChangeKind =
  | "add-preflight"
  | "gate-container"
  | "gate-condition"
  | "gate-essential"
  | "preflight-coverage"
  | "router-monitoring"
  | "router-health-check"
  | "circuit-breaker";

export interface GateChange {
  readonly kind: ChangeKind;
  /** Task definition or service id. */
  readonly target: string;
  readonly container?: string;
  /** Raw path of the edited node (as spelled in the file). */
  readonly path: JsonPath;
  /** What changes and why, one line. */
  readonly description: string;
}

/** One raw edit, value already in the document's casing. */
export interface GateEdit {
  readonly op: "set" | "append";
  readonly path: JsonPath;
  readonly value: unknown;
}

export interface FixContext {
  readonly doc: TaskDefinitionDocument;
  readonly options: GateOptions;
  readonly changes: GateChange[];
  readonly edits: GateEdit[];
  readonly notes: string[];
}

/** One task definition being gated: its view, its reading, and the context. */
export interface TaskScope {
  readonly ctx: FixContext;
  readonly td: TaskDefinitionView;
  readonly task: TaskReading;
}

export function edit(ctx: FixContext, op: GateEdit["op"], path: JsonPath, camelValue: unknown): void {
  ctx.edits.push({ op, path, value: inDocumentCasing(ctx.doc.format, camelValue) });
}

/** An edit addressed by a camelCase path relative to the task definition; returns the raw path. */
export function viewEdit(scope: TaskScope, op: GateEdit["op"], viewPath: JsonPath, value: unknown): JsonPath {
  const path = scope.ctx.doc.rawPath(scope.td, viewPath);
  edit(scope.ctx, op, path, value);
  return path;
}

export type { GateContainerDefinition };

/** Names quoted for messages: `'a', 'b'`. */
export function q(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

/** Refuse the whole document: nothing is written. */
export function refuse(scope: TaskScope, detail: string): never {
  throw new FixError("unsupported", scope.ctx.doc.file, `${scope.td.id}: ${detail}; nothing was written`);
}

/** The name to write for a gated container: its literal name, or the deploy-time value its definition uses. */
export function gatedNameOf(c: ContainerReading): GatedName | undefined {
  if (c.name !== undefined) return c.name;
  if (!c.nameUnknown) return undefined;
  const raw = c.nameValue;
  return typeof raw === "string" ? raw : (raw as GatedName);
}

/** "router 'x' is not essential" (or is only known at deploy time): why a gate must not wait for it HEALTHY. */
export function routerNotEssential(router: ContainerReading, subject = `router '${router.label}'`): string {
  return router.essential === false
    ? `${subject} is not essential`
    : `${subject} may not be essential (its essential is only known at deploy time)`;
}
