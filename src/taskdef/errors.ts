/** Why a document could not be loaded. */
export type TaskDefErrorKind =
  /** Not valid JSON / YAML. */
  | "syntax"
  /** Valid JSON / YAML, but none of the task-definition shapes we read. */
  | "not-a-task-definition"
  /**
   * A format we recognise but do not read (Terraform HCL, jsonnet, an unrendered template): `detail` names it
   * and says how to get a file we read. Directory runs list these as skipped, with that reason.
   */
  | "unsupported-format"
  /** Larger than the size cap (`maxBytes`); nothing was parsed. */
  | "too-large"
  /** Nested deeper than the depth limit (`maxDepth`), found before any recursive parse. */
  | "too-deep"
  /** YAML aliases that would expand past the alias budget ("billion laughs"). */
  | "too-many-aliases"
  | "io";

export interface TaskDefErrorInit {
  readonly kind: TaskDefErrorKind;
  readonly file: string;
  /** What is wrong, without the location prefix (e.g. `expected ',' or '}'`). */
  readonly detail: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
  /** For `not-a-task-definition`: what we were looking for. */
  readonly expected?: string;
  readonly cause?: unknown;
}

/**
 * The one error the task-definition core throws. The message is complete and located
 * (`task.json:12:5: expected ',' or '}'`), so a CLI can print it as is and exit 2.
 */
export class TaskDefError extends Error {
  readonly kind: TaskDefErrorKind;
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly expected: string | undefined;
  readonly detail: string;

  constructor(init: TaskDefErrorInit) {
    const where =
      init.line === undefined
        ? init.file
        : init.column === undefined
          ? `${init.file}:${init.line}`
          : `${init.file}:${init.line}:${init.column}`;
    super(`${where}: ${init.detail}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "TaskDefError";
    this.kind = init.kind;
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
    this.expected = init.expected;
    this.detail = init.detail;
  }
}
