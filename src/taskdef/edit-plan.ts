/**
 * What the text editor's facade (edit.ts) and its planners (edit-json.ts, edit-yaml.ts) pass between them: the
 * edits queued, the splices a planner turns one batch into, and where each value landed for the check after
 * re-reading.
 */
import type { JsonPath } from "./model.js";
import { isIntrinsic } from "./values.js";

/** Intrinsic markers to their long JSON form, recursively. */
export function toJsonData(value: unknown): unknown {
  if (isIntrinsic(value)) return { [value.fn]: toJsonData(value.argument) };
  if (Array.isArray(value)) return value.map(toJsonData);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonData(v);
    return out;
  }
  return value;
}

/** One edit: `set` a property or array element (inserted when new), or `append` to the array at `path`. */
export interface TextEdit {
  readonly op: "set" | "append";
  /** Raw path, keys as spelled in the file. */
  readonly path: JsonPath;
  /** Raw value (use `inDocumentCasing` for API-shaped values); may hold intrinsic markers. */
  readonly value: unknown;
}

/** A change to the text the batch was planned on. */
export interface Splice {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
  /** Nesting depth of the collection changed: at one offset, the deeper insertion comes first. */
  readonly depth: number;
  /** Position in the batch: at one offset and depth, plan order. */
  readonly order: number;
  /** Insertions into one empty flow collection: each after the first is joined with ", ". */
  readonly joinGroup?: number;
}

/** Where an edit's value ended up, for the check after re-reading. */
export interface Landed {
  readonly path: JsonPath;
  readonly value: unknown;
}

/** One batch as a planner resolved it against one reading of the text. */
export interface PlannedBatch {
  readonly splices: Splice[];
  readonly landed: Landed[];
}
