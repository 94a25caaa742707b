/** Why a document could not be loaded. */
export type TaskDefErrorKind = "syntax" | "not-a-task-definition" | "io";

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
 * (`examples/x.json:12:5: expected ',' or '}'`), so a CLI can print it as is and exit 2.
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
